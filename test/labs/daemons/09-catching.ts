// Another correct daemon for lab 09: it keeps the starter's MRT_DEL_VIF and survives by treating
// EADDRNOTAVAIL as "the kernel already did it"; it answers NOCACHE with the VIFs the kernel still has
// (read from /proc-free state: its own map, refreshed on every upcall from interfaces()).

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
const byIfindex = new Map<number, number>();
let next = 0;
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: next, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
  byIfindex.set(itf.ifindex, next++);
}

function prune(): void {
  const live = new Set(interfaces().map((i) => i.ifindex));
  for (const [ifindex, vifi] of [...byIfindex]) {
    if (live.has(ifindex)) continue;
    byIfindex.delete(ifindex);
    try {
      mr.setsockopt(IPPROTO_IP, MRT_DEL_VIF, { vifc_vifi: vifi });
    } catch (e) {
      if (!(e instanceof OSError) || e.code !== 'EADDRNOTAVAIL') throw e;
    }
  }
}

mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg' || m.msgtype !== IGMPMSG_NOCACHE) return;
  prune();
  const ttls: number[] = [];
  for (let v = 0; v < next; v++) ttls.push(v !== m.vif && [...byIfindex.values()].includes(v) ? 1 : 0);
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: m.vif, mfcc_ttls: ttls });
});
setInterval(prune, 500);
