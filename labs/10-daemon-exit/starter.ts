// Lab 10: what survives the daemon. Routes added through the mroute socket belong to the daemon: when it
// exits, mrtsock_destruct flushes them. 239.1.1.1 must survive a daemon restart; 239.2.2.2 need not.

const SRC = '10.1.0.10';

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

// TODO: 239.1.1.1's route, and the VIFs it uses, must outlive this process. The kernel marks VIFs and
// MFC entries static (VIFF_STATIC, MFC_STATIC) when they are added through a socket that is NOT the
// table's mroute socket (a root process may do that). Which socket adds what below?
const admin = mr;

const vifOf = new Map<string, number>();
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  const vifi = vifOf.size;
  vifOf.set(itf.name, vifi);
  admin.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
}
const down = vifOf.get('eth1')!;
const ttls = new Array<number>(MAXVIFS).fill(0);
ttls[down] = 1;
admin.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: SRC, mfcc_mcastgrp: '239.1.1.1', mfcc_parent: vifOf.get('eth0')!, mfcc_ttls: ttls });
mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: SRC, mfcc_mcastgrp: '239.2.2.2', mfcc_parent: vifOf.get('eth0')!, mfcc_ttls: ttls });
log('routes installed');
