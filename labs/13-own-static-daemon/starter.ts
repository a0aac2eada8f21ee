// my-mrouted.ts: your own static multicast routing daemon for r1. The kernel forwards; this daemon
// decides. It runs in the workbench's sandbox against the Linux socket API (labs/daemons/daemon-api.d.ts:
// socket, setsockopt, interfaces, log, ...). Restart it after each change; its log and every system call
// it makes appear in the trace.
//
// r1's interfaces: eth0 (the sources' LAN, 10.1.0.0/24), eth1 (LAN A, rx1), eth2 (LAN B, rx2).
// What it must do (the lab's steps say why):
//   1. become the multicast routing daemon (MRT_INIT) and make eth0, eth1 and eth2 VIFs (MRT_ADD_VIF);
//   2. forward (10.1.0.10, 239.1.1.1) from eth0 to eth1 and eth2;
//   3. forward 239.2.2.2 from ANY source on eth0 to eth2 only: answer the kernel's IGMPMSG_NOCACHE
//      upcalls with an (S,G) entry;
//   4. forward nothing else.

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);

// TODO 1: setsockopt(IPPROTO_IP, MRT_INIT, 1), then one MRT_ADD_VIF per interface. A vifctl with
//         VIFF_USE_IFINDEX names the interface by ifindex (see interfaces()).

// TODO 2: MRT_ADD_MFC with an mfcctl: { mfcc_origin, mfcc_mcastgrp, mfcc_parent: the incoming VIF,
//         mfcc_ttls: per VIF, 0 = do not forward, N = forward if the packet's TTL > N }.

mr.onMessage((m) => {
  // TODO 3: m.kind === 'igmpmsg' && m.msgtype === IGMPMSG_NOCACHE: the kernel holds packets of
  //         (m.src, m.dst) that arrived on VIF m.vif and waits for your MRT_ADD_MFC.
  log('upcall', m.kind);
});

log('my-mrouted: started (nothing configured yet)');
