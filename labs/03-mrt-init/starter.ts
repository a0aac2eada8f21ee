// Lab 03: become r1's multicast routing daemon.
//
// A multicast routing daemon owns the kernel's multicast routing table through one socket, a raw IGMP
// socket, on which it calls setsockopt(IPPROTO_IP, MRT_INIT, 1). Every global used here is declared in
// labs/daemons/daemon-api.d.ts.

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);

// TODO: tell the kernel this socket is the multicast routing daemon's (MRT_INIT).

log(`daemon started on fd ${mr.fd}`);

// The kernel's messages to the daemon (upcalls) arrive here; lab 06 uses them.
mr.onMessage((m) => {
  log('message from the kernel:', m.kind);
});
