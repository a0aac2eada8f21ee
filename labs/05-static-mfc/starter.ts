// Lab 05: a static multicast route. The daemon becomes the router and makes its VIFs (labs 03, 04);
// you add the multicast forwarding cache (MFC) entry.

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

const vifOf = new Map<string, number>();
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  const vifi = vifOf.size;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
  vifOf.set(itf.name, vifi);
  log(`VIF ${vifi} is ${itf.name}`);
}

// TODO: MRT_ADD_MFC for (10.1.0.10, 239.1.1.1): parent (incoming) VIF = eth0's, output on eth1's VIF
// with TTL threshold 1. The entry is a struct mfcctl: { mfcc_origin, mfcc_mcastgrp, mfcc_parent, mfcc_ttls }.
