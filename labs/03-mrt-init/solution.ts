// Lab 03, reference solution: become r1's multicast routing daemon.

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);

// The kernel stores this socket as the table's mroute_sk and increments conf/all/mc_forwarding. The
// value is ignored (only its size is checked); the daemon is the router as long as the socket lives.
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
log(`MRT_INIT done on fd ${mr.fd}; MRT_VERSION is 0x${Number(mr.getsockopt(IPPROTO_IP, MRT_VERSION)).toString(16)}`);

mr.onMessage((m) => {
  log('message from the kernel:', m.kind);
});
