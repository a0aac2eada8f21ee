// Lab 06: answer the kernel's question. When a packet arrives for an (S,G) the MFC does not know, the
// kernel queues it and sends the daemon an IGMPMSG_NOCACHE upcall on the mroute socket. This daemon
// answers after RESOLVE_DELAY_MS, as a routing protocol would after asking its neighbours.

const RESOLVE_DELAY_MS = 300;

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

const vifs: number[] = [];
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifs.length, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
  vifs.push(vifs.length);
}

/** Forward (src, group), arriving on VIF `from`, to every other VIF. */
function resolve(src: string, group: string, from: number): void {
  log(`resolving (${src}, ${group}) from VIF ${from}`);
  // TODO: MRT_ADD_MFC with mfcc_parent = from and threshold 1 on every other VIF.
}

mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg' || m.msgtype !== IGMPMSG_NOCACHE) return;
  log(`NOCACHE: (${m.src}, ${m.dst}) arrived on VIF ${m.vif}`);
  setTimeout(() => resolve(m.src, m.dst, m.vif), RESOLVE_DELAY_MS);
});
