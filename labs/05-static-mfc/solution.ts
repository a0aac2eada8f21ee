// Lab 05, reference solution: VIFs, then one (S,G) entry: from src on eth0 (VIF 0) to the LAN (VIF 1).

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

const vifOf = new Map<string, number>();
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  const vifi = vifOf.size;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
  vifOf.set(itf.name, vifi);
}

// mfcc_ttls[v] is VIF v's threshold: a packet leaves on v if its TTL is greater. 0 = not an output.
const ttls = new Array<number>(MAXVIFS).fill(0);
ttls[vifOf.get('eth1')!] = 1;
mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: '10.1.0.10', mfcc_mcastgrp: '239.1.1.1', mfcc_parent: vifOf.get('eth0')!, mfcc_ttls: ttls });
log('installed (10.1.0.10, 239.1.1.1) eth0 -> eth1');
