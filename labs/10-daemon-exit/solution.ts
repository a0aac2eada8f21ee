// Lab 10, reference solution: static VIFs and a static entry for 239.1.1.1 through a second socket; the
// 239.2.2.2 entry through the mroute socket (flushed when the daemon exits).

const SRC = '10.1.0.10';

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

// Not the mroute socket: what it adds is VIFF_STATIC / MFC_STATIC and survives mrtsock_destruct.
const admin = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);

const vifOf = new Map<string, number>();
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  const vifi = vifOf.size;
  vifOf.set(itf.name, vifi);
  try {
    admin.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
  } catch (e) {
    // After a restart the static VIF from the last run is still there.
    if (!(e instanceof OSError) || e.code !== 'EADDRINUSE') throw e;
    log(`VIF ${vifi} (${itf.name}) survived the last run`);
  }
}
const ttls = new Array<number>(MAXVIFS).fill(0);
ttls[vifOf.get('eth1')!] = 1;
const parent = vifOf.get('eth0')!;
// An existing entry is updated in place (MFC_STATIC is never cleared).
admin.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: SRC, mfcc_mcastgrp: '239.1.1.1', mfcc_parent: parent, mfcc_ttls: ttls });
mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: SRC, mfcc_mcastgrp: '239.2.2.2', mfcc_parent: parent, mfcc_ttls: ttls });
log('routes installed');
