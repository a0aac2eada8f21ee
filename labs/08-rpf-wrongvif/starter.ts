// Lab 08: RPF. r1 forwards (10.1.0.10, 239.1.1.1) from eth0 (VIF 0) to eth1 (VIF 1). When that source's
// packets come in on another VIF, the kernel counts them (wrong_if) and — if the daemon asked for it with
// MRT_ASSERT — tells the daemon with an IGMPMSG_WRONGVIF upcall, as PIM needs for its Assert messages.

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

// TODO: ask the kernel for WRONGVIF upcalls (setsockopt MRT_ASSERT, value 1).

const vifOf = new Map<string, number>();
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifOf.size, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
  vifOf.set(itf.name, vifOf.size);
}
mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: '10.1.0.10', mfcc_mcastgrp: '239.1.1.1', mfcc_parent: vifOf.get('eth0')!, mfcc_ttls: [0, 1] });

mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg') return;
  if (m.msgtype === IGMPMSG_WRONGVIF) {
    // The entry's counters: how many packets of (S,G) came in on a VIF that is not its parent.
    const c = mr.ioctl(SIOCGETSGCNT, { src: m.src, grp: m.dst });
    log(`WRONGVIF: (${m.src}, ${m.dst}) arrived on VIF ${m.vif}; wrong_if is ${c.wrong_if}`);
  }
});
