// A static multicast routing daemon, in the spirit of smcroute: it owns the kernel's multicast routing table
// through the mroute socket, makes a VIF of each enabled interface, installs the (S,G) routes it is given,
// and turns (*,G) routes into (S,G) entries when the kernel reports a new source (IGMPMSG_NOCACHE).
//
// Edit CONFIG below. Everything this daemon does shows up in the trace: each setsockopt() the kernel runs
// for it, each upcall the kernel sends it, and what the kernel does next (ipmr_mfc_add, ip_mr_forward, ...).

interface Route {
  /** Incoming interface. */
  from: string;
  /** Source address; omitted for a (*,G) template. */
  source?: string;
  group: string;
  /** Outgoing interfaces. */
  to: string[];
}

const CONFIG: { phyint: string[]; mroute: Route[] } = {
  // phyint IFNAME enable
  phyint: ['eth0', 'eth1'],
  // mroute from IIF [source ADDR] group GROUP to OIF...
  mroute: [{ from: 'eth0', group: '239.1.1.1', to: ['eth1'] }],
};

// 1. Become the multicast routing daemon: only one socket per table may do this (else EADDRINUSE).
const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

// 2. One VIF per enabled interface. The VIF number is ours to choose; MFC entries name VIFs, not interfaces.
const vifOf = new Map<string, number>();
for (const itf of interfaces()) {
  if (!CONFIG.phyint.includes(itf.name)) continue;
  const vifi = vifOf.size;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex, vifc_threshold: 1 });
  vifOf.set(itf.name, vifi);
  log(`phyint ${itf.name} is VIF ${vifi}`);
}

function vif(name: string): number {
  const v = vifOf.get(name);
  if (v === undefined) throw new Error(`interface ${name} is not a phyint`);
  return v;
}

/** MRT_ADD_MFC: packets from `source` to `group` arriving on `route.from` leave on every `route.to`. */
function install(route: Route, source: string): void {
  const ttls: number[] = [];
  for (const oif of route.to) ttls[vif(oif)] = 1; // forward if the packet's TTL > 1
  for (let i = 0; i < ttls.length; i++) ttls[i] ??= 0;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: source, mfcc_mcastgrp: route.group, mfcc_parent: vif(route.from), mfcc_ttls: ttls });
  log(`installed (${source}, ${route.group}) iif ${route.from} oifs ${route.to.join(' ')}`);
}

// 3. (S,G) routes go in now; (*,G) routes wait for the kernel to tell us about a source.
for (const r of CONFIG.mroute) if (r.source) install(r, r.source);

// 4. The kernel's questions: "a packet from S to G arrived on VIF v and I have no route for it".
mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg' || m.msgtype !== IGMPMSG_NOCACHE) return;
  const template = CONFIG.mroute.find((r) => !r.source && r.group === m.dst && vifOf.get(r.from) === m.vif);
  if (template) install(template, m.src);
  else log(`no route for (${m.src}, ${m.dst}) from VIF ${m.vif}; the kernel drops it after 10 s`);
});
