// my-mrouted.ts, the reference solution: a static multicast routing daemon for r1.
// eth0 = the sources' LAN, eth1 = LAN A (rx1), eth2 = LAN B (rx2).

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);

// 1. Become the table's daemon (mroute_sk; conf/all/mc_forwarding goes to 1), and make the VIFs.
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
const vifOf = new Map<string, number>();
for (const name of ['eth0', 'eth1', 'eth2']) {
  const itf = interfaces().find((x) => x.name === name);
  if (!itf) throw new Error(`r1 has no ${name}`);
  const vifi = vifOf.size;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex, vifc_threshold: 1 });
  vifOf.set(name, vifi);
}
const vif = (name: string): number => vifOf.get(name)!;

/** MRT_ADD_MFC: (source, group) arriving on `iif` leaves on each of `oifs` (if its TTL > 1). */
function route(source: string, group: string, iif: string, oifs: string[]): void {
  const ttls = [0, 0, 0];
  for (const o of oifs) ttls[vif(o)] = 1;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: source, mfcc_mcastgrp: group, mfcc_parent: vif(iif), mfcc_ttls: ttls });
  log(`(${source}, ${group}) ${iif} -> ${oifs.join(' ') || '(nowhere)'}`);
}

// 2. The static (S,G) route, installed before any packet arrives: no upcall, no queueing.
route('10.1.0.10', '239.1.1.1', 'eth0', ['eth1', 'eth2']);

// 3. and 4. The kernel asks about every new (S,G) it has no entry for.
mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg' || m.msgtype !== IGMPMSG_NOCACHE) return;
  if (m.dst === '239.2.2.2' && m.vif === vif('eth0')) route(m.src, m.dst, 'eth0', ['eth2']);
  // Anything else: an entry with no outgoing VIF, so the kernel stops asking (and drops the packets).
  else route(m.src, m.dst, [...vifOf].find(([, v]) => v === m.vif)?.[0] ?? 'eth0', []);
});
