// Lab 09: interfaces come and go. The daemon makes a VIF of every interface, answers NOCACHE upcalls
// with an (S,G) entry towards every other VIF, and checks every second that its interfaces still exist.

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

/** interface name → VIF */
const vifOf = new Map<string, number>();
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifOf.size, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
  vifOf.set(itf.name, vifOf.size);
}

mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg' || m.msgtype !== IGMPMSG_NOCACHE) return;
  const ttls = new Array<number>(MAXVIFS).fill(0);
  for (const v of vifOf.values()) if (v !== m.vif) ttls[v] = 1;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: m.vif, mfcc_ttls: ttls });
  log(`(${m.src}, ${m.dst}) from VIF ${m.vif} to VIFs ${[...vifOf.values()].filter((v) => v !== m.vif).join(' ')}`);
});

setInterval(() => {
  const present = new Set(interfaces().map((i) => i.name));
  for (const [name, vifi] of vifOf) {
    if (present.has(name)) continue;
    log(`${name} is gone; deleting VIF ${vifi}`);
    // TODO: what did the kernel already do when the device went away? Make this survive it.
    mr.setsockopt(IPPROTO_IP, MRT_DEL_VIF, { vifc_vifi: vifi });
    vifOf.delete(name);
  }
}, 1000);
