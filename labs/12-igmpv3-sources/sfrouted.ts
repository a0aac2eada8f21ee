// sfrouted.ts: a small source-aware multicast router (the lab's, not yours to write). One upstream
// interface where the sources are, downstream LANs where the receivers are. From each downstream LAN's
// IGMP reports it keeps, per group, which sources the LAN wants: IGMPv2 reports mean "every source"
// (EXCLUDE {}), IGMPv3 records carry an INCLUDE or EXCLUDE source list. When the kernel reports a new
// (S,G) (IGMPMSG_NOCACHE) it installs that (S,G) towards exactly the LANs that want S — the precise
// (S,G) entries Exercise 4 speaks of.
//
// Simplifications: one member per LAN (RFC 3376 §6.4 merges the filters of many), no querier (it
// learns from the hosts' unsolicited reports), no timers.
//
// Usage (argv): sfrouted.ts -u UPSTREAM -d DOWNSTREAM [-d DOWNSTREAM]...

let upName = '';
const downNames: string[] = [];
for (let i = 1; i < argv.length; i += 2) {
  const v = argv[i + 1];
  if (argv[i] === '-u' && v) upName = v;
  else if (argv[i] === '-d' && v) downNames.push(v);
  else throw new Error(`usage: ${argv[0]} -u UPSTREAM -d DOWNSTREAM [-d DOWNSTREAM]...`);
}

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
const itfs = new Map(interfaces().map((x) => [x.name, x]));
const own = new Set(interfaces().flatMap((x) => x.addresses.map((a) => a.address)));
const vifs: { name: string; ifindex: number }[] = [];
for (const name of [upName, ...downNames]) {
  const itf = itfs.get(name);
  if (!itf) throw new Error(`no interface "${name}"`);
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifs.length, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex, vifc_threshold: 1 });
  vifs.push({ name, ifindex: itf.ifindex });
}
// IGMPv3 reports go to 224.0.0.22, v2 leaves to 224.0.0.2: link-local groups, delivered to members only.
for (const v of vifs.slice(1)) for (const g of ['224.0.0.22', '224.0.0.2']) mr.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: g, imr_ifindex: v.ifindex });

interface Filter { mode: 'INCLUDE' | 'EXCLUDE'; sources: Set<string> }
/** group → downstream VIF → the LAN's source filter. */
const wanted = new Map<string, Map<number, Filter>>();
/** group → sources the kernel told us about. */
const seen = new Map<string, Set<string>>();

const wants = (f: Filter, s: string): boolean => (f.mode === 'EXCLUDE' ? !f.sources.has(s) : f.sources.has(s));

function update(group: string): void {
  const lans = wanted.get(group);
  for (const s of seen.get(group) ?? []) {
    const ttls = vifs.map(() => 0);
    const to: string[] = [];
    for (const [vifi, f] of lans ?? []) {
      if (!wants(f, s)) continue;
      ttls[vifi] = 1;
      to.push(vifs[vifi]!.name);
    }
    // An entry with no outgoing VIF too: the kernel then drops (S,G) without asking again.
    mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: s, mfcc_mcastgrp: group, mfcc_parent: 0, mfcc_ttls: ttls });
    log(`(${s}, ${group}) ${upName} -> ${to.join(' ') || '(nowhere)'}`);
  }
}

function setFilter(vifi: number, group: string, f: Filter | null): void {
  let lans = wanted.get(group);
  if (!lans) wanted.set(group, (lans = new Map()));
  if (f) lans.set(vifi, f);
  else lans.delete(vifi);
  log(`${vifs[vifi]!.name} wants ${group}: ${f ? `${f.mode} {${[...f.sources].join(', ')}}` : 'nothing'}`);
  update(group);
}

mr.onMessage((m) => {
  if (m.kind === 'igmpmsg') {
    if (m.msgtype !== IGMPMSG_NOCACHE || m.vif !== 0 || own.has(m.src)) return;
    let s = seen.get(m.dst);
    if (!s) seen.set(m.dst, (s = new Set()));
    s.add(m.src);
    update(m.dst);
    return;
  }
  const vifi = vifs.findIndex((v) => v.ifindex === m.ifindex);
  if (vifi < 1 || own.has(m.src)) return;
  const igmp = m.igmp;
  if (igmp.kind === 'report-v1' || igmp.kind === 'report-v2') setFilter(vifi, igmp.group!, { mode: 'EXCLUDE', sources: new Set() });
  else if (igmp.kind === 'leave-v2') setFilter(vifi, igmp.group!, null);
  else if (igmp.kind === 'report-v3') {
    for (const r of igmp.records ?? []) {
      const cur = wanted.get(r.group)?.get(vifi) ?? { mode: 'INCLUDE', sources: new Set<string>() };
      const srcs = new Set(r.sources);
      let next: Filter;
      if (r.type === IGMPV3_MODE_IS_INCLUDE || r.type === IGMPV3_CHANGE_TO_INCLUDE) next = { mode: 'INCLUDE', sources: srcs };
      else if (r.type === IGMPV3_MODE_IS_EXCLUDE || r.type === IGMPV3_CHANGE_TO_EXCLUDE) next = { mode: 'EXCLUDE', sources: srcs };
      else if (r.type === IGMPV3_ALLOW_NEW_SOURCES) next = cur.mode === 'INCLUDE' ? { mode: 'INCLUDE', sources: new Set([...cur.sources, ...srcs]) } : { mode: 'EXCLUDE', sources: new Set([...cur.sources].filter((x) => !srcs.has(x))) };
      else if (r.type === IGMPV3_BLOCK_OLD_SOURCES) next = cur.mode === 'INCLUDE' ? { mode: 'INCLUDE', sources: new Set([...cur.sources].filter((x) => !srcs.has(x))) } : { mode: 'EXCLUDE', sources: new Set([...cur.sources, ...srcs]) };
      else continue;
      setFilter(vifi, r.group, next.mode === 'INCLUDE' && next.sources.size === 0 ? null : next);
    }
  }
});
log(`upstream ${upName}; downstream ${downNames.join(', ')}`);
