// pimdd.ts: a PIM dense-mode router, a subset of RFC 3973 ("PIM-DM"). Dense mode assumes receivers are
// everywhere: traffic from a new source is flooded to every PIM neighbor and every LAN with members, and
// routers that do not want it send Prunes back up the tree. A Prune lasts its holdtime (210 s); then the
// flood resumes and the branch must prune again. A member appearing behind a pruned branch does not wait:
// its router sends a Graft upstream (acknowledged by a Graft-Ack) and the branch is back at once.
//
// What this router does:
//   - Hello (every 30 s, to 224.0.0.13 on each interface): who are my PIM neighbors, and on which VIF.
//   - IGMP querier on every interface: which groups have members on which LAN.
//   - NOCACHE upcall (S,G): RPF interface = where `ip route get S` points; outgoing = VIFs with a neighbor
//     that has not pruned, plus VIFs with members; install the MFC entry; if that set is empty, Prune up.
//   - Prune / Graft / Graft-Ack received: update the entry, and Prune or Graft upstream when ours changes.
//   - Every 60 s each entry's packet counter (SIOCGETSGCNT) is read: still flowing into a pruned entry →
//     Prune again (the upstream's prune ran out); idle for 210 s → the entry is deleted.
//   - On a LAN: a Prune waits 3 s for another router's Join (override); we send that Join when we need the data.
// Not here (see RFC 3973): Assert, State Refresh, generation IDs, Join suppression timers, and RPF changes
// (the RPF interface is looked up once, when an entry is created; a route change shows after it times out).
// All PIM messages are real PIMv2 bytes on raw IPPROTO_PIM sockets; Wireshark would decode them.
//
// Usage (argv): pimdd.ts                   (no config: every multicast interface with an address takes part)

const HELLO_PERIOD = 30_000;
const HELLO_HOLDTIME = 105; // s: 3.5 × the hello period
const PRUNE_HOLDTIME = 210; // s
const GRAFT_RETRY = 3_000;
const OVERRIDE_INTERVAL = 3_000; // J/P_Override_Interval: how long a LAN prune waits for a Join
const T_LIMIT = 60_000; // at most one Prune per entry per minute (RFC 3973's Prune Limit Timer)
const DATA_TIMEOUT = 210_000;
const IGMP_QUERY_INTERVAL = 125_000;
const IGMP_MEMBERSHIP = 260_000;
const ALL_PIM_ROUTERS = '224.0.0.13';

interface Vif { vifi: number; name: string; ifindex: number; address: string; nets: [number, number][] }
interface Entry {
  source: string;
  group: string;
  iif: number; // the RPF VIF
  rpfNbr: string | null; // the upstream router; null when the source is on a connected LAN
  pruned: Map<number, number>; // downstream VIF → timer that ends the prune
  pending: Map<number, number>; // downstream LAN VIF → timer that applies a prune unless a Join overrides it
  upPruned: boolean; // we sent a Prune upstream
  graftRetry: number | null;
  lastPkts: number;
  idle: number;
}

// ---- Addresses and checksums ----
const num = (a: string): number => a.split('.').reduce((n, x) => n * 256 + Number(x), 0);
function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

// ---- Sockets and VIFs ----
const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP); // the mroute socket: upcalls, and IGMP from hosts
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
mr.setsockopt(IPPROTO_IP, IP_MULTICAST_LOOP, 0);
const pim = socket(AF_INET, SOCK_RAW, IPPROTO_PIM); // PIM messages, multicast and unicast
pim.setsockopt(IPPROTO_IP, IP_MULTICAST_LOOP, 0);

const vifs: Vif[] = [];
for (const itf of interfaces()) {
  if (!(itf.flags & IFF_MULTICAST) || itf.flags & IFF_LOOPBACK || itf.addresses.length === 0) continue;
  const v: Vif = { vifi: vifs.length, name: itf.name, ifindex: itf.ifindex, address: itf.addresses[0]!.address, nets: itf.addresses.map((a) => [num(a.address), a.prefixlen]) };
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: v.vifi, vifc_lcl_addr: v.address, vifc_threshold: 1 });
  // 224.0.0.x groups reach a process only if the host is a member: PIM routers, IGMPv2 leaves, IGMPv3 reports.
  pim.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: ALL_PIM_ROUTERS, imr_ifindex: v.ifindex });
  for (const g of ['224.0.0.2', '224.0.0.22']) mr.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: g, imr_ifindex: v.ifindex });
  vifs.push(v);
}
const own = new Set(vifs.map((v) => v.address));
const vifByIfindex = (i: number): Vif | undefined => vifs.find((v) => v.ifindex === i);

// ---- PIM messages (RFC 3973 §4.7): a 4-byte header, then the body ----
function pimPacket(type: number, body: number[]): Uint8Array {
  const b = new Uint8Array([0x20 | type, 0, 0, 0, ...body]); // version 2
  const c = checksum(b);
  b[2] = c >> 8;
  b[3] = c & 255;
  return b;
}
const u16 = (n: number): number[] => [(n >> 8) & 255, n & 255];
const ip4 = (a: string): number[] => a.split('.').map(Number);
const encUnicast = (a: string): number[] => [1, 0, ...ip4(a)]; // family IPv4, native encoding
const encGroup = (g: string): number[] => [1, 0, 0, 32, ...ip4(g)];
const encSource = (s: string): number[] => [1, 0, 0, 32, ...ip4(s)];

/** Join/Prune (type 3), Graft (6) and Graft-Ack (7) share one format: upstream neighbor, then groups. */
function joinPrune(type: number, nbr: string, group: string, joins: string[], prunes: string[], holdtime: number): Uint8Array {
  const body = [...encUnicast(nbr), 0, 1, ...u16(holdtime), ...encGroup(group), ...u16(joins.length), ...u16(prunes.length)];
  for (const s of [...joins, ...prunes]) body.push(...encSource(s));
  return pimPacket(type, body);
}

function parseJoinPrune(p: Uint8Array): { nbr: string; holdtime: number; groups: { group: string; joins: string[]; prunes: string[] }[] } {
  const addrAt = (o: number): string => `${p[o]}.${p[o + 1]}.${p[o + 2]}.${p[o + 3]}`;
  const nbr = addrAt(6);
  const holdtime = (p[12]! << 8) | p[13]!;
  const groups = [];
  let o = 14;
  for (let g = 0; g < p[11]!; g++) {
    const group = addrAt(o + 4);
    const nj = (p[o + 8]! << 8) | p[o + 9]!;
    const np = (p[o + 10]! << 8) | p[o + 11]!;
    o += 12;
    const srcs: string[] = [];
    for (let i = 0; i < nj + np; i++, o += 8) srcs.push(addrAt(o + 4));
    groups.push({ group, joins: srcs.slice(0, nj), prunes: srcs.slice(nj) });
  }
  return { nbr, holdtime, groups };
}

function sendPim(v: Vif, bytes: Uint8Array, to = ALL_PIM_ROUTERS): void {
  pim.setsockopt(IPPROTO_IP, IP_MULTICAST_IF, { imr_multiaddr: '0.0.0.0', imr_ifindex: v.ifindex });
  pim.sendto(bytes, to);
}

// ---- Neighbors (Hello) ----
const neighbors = new Map<number, Map<string, number>>(vifs.map((v) => [v.vifi, new Map()])); // VIF → address → expiry timer
const hello = (v: Vif): void => sendPim(v, pimPacket(0, [0, 1, 0, 2, ...u16(HELLO_HOLDTIME)])); // option 1: Holdtime

function heardHello(v: Vif, from: string, p: Uint8Array): void {
  let holdtime = HELLO_HOLDTIME;
  for (let o = 4; o + 4 <= p.length; o += 4 + ((p[o + 2]! << 8) | p[o + 3]!)) if (((p[o]! << 8) | p[o + 1]!) === 1) holdtime = (p[o + 4]! << 8) | p[o + 5]!;
  const nbrs = neighbors.get(v.vifi)!;
  const isNew = !nbrs.has(from);
  clearTimeout(nbrs.get(from));
  if (holdtime === 0) return neighborGone(v, from); // a router going down says goodbye with holdtime 0
  nbrs.set(from, setTimeout(() => neighborGone(v, from), holdtime * 1000));
  if (isNew) {
    log(`new neighbor ${from} on ${v.name}`);
    hello(v); // let it learn about us now, not in up to 30 s
    refreshAll();
  }
}
function neighborGone(v: Vif, from: string): void {
  if (!neighbors.get(v.vifi)!.delete(from)) return;
  log(`neighbor ${from} on ${v.name} is gone`);
  refreshAll();
}

// ---- Local members (IGMP querier on every VIF) ----
const members = new Map<string, Map<number, number>>(); // group → VIF → membership timer
const hasMembers = (g: string, v: number): boolean => members.get(g)?.has(v) ?? false;
function sendQuery(v: Vif, group: string, maxResp: number): void {
  const b = new Uint8Array([IGMP_HOST_MEMBERSHIP_QUERY, maxResp, 0, 0, ...ip4(group)]);
  const c = checksum(b);
  b[2] = c >> 8;
  b[3] = c & 255;
  mr.setsockopt(IPPROTO_IP, IP_MULTICAST_IF, { imr_multiaddr: '0.0.0.0', imr_ifindex: v.ifindex });
  mr.sendto(b, group === '0.0.0.0' ? '224.0.0.1' : group);
}
function memberTimer(group: string, v: Vif, ms: number): void {
  if (group.startsWith('224.0.0.')) return; // link-local groups (other routers' 224.0.0.13...) are never routed
  let byVif = members.get(group);
  if (!byVif) members.set(group, (byVif = new Map()));
  const isNew = !byVif.has(v.vifi);
  clearTimeout(byVif.get(v.vifi));
  byVif.set(v.vifi, setTimeout(() => {
    byVif!.delete(v.vifi);
    log(`${group}: no members left on ${v.name}`);
    refreshGroup(group);
  }, ms));
  if (isNew) {
    log(`${group}: member on ${v.name}`);
    refreshGroup(group);
  }
}
function memberLeave(group: string, v: Vif): void {
  if (!hasMembers(group, v.vifi)) return;
  sendQuery(v, group, 10); // anyone else? (1 s to answer)
  memberTimer(group, v, 2_000);
}

// ---- (S,G) state ----
const entries = new Map<string, Entry>();
const key = (s: string, g: string): string => `${s} ${g}`;

/** The outgoing VIFs of an entry (RFC 3973's olist): neighbors that did not prune, plus member LANs. */
function olist(e: Entry): number[] {
  return vifs.map((v) => v.vifi).filter((i) => i !== e.iif && ((neighbors.get(i)!.size > 0 && !e.pruned.has(i)) || hasMembers(e.group, i)));
}

function install(e: Entry): void {
  const out = olist(e);
  const ttls = new Array<number>(vifs.length).fill(0);
  for (const i of out) ttls[i] = 1;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: e.source, mfcc_mcastgrp: e.group, mfcc_parent: e.iif, mfcc_ttls: ttls });
  log(`(${e.source}, ${e.group}) iif ${vifs[e.iif]!.name} oifs ${out.map((i) => vifs[i]!.name).join(' ') || '(none)'}`);
  // Upstream state follows the olist: nothing to forward → Prune; something again after a Prune → Graft.
  if (!e.rpfNbr) return;
  if (out.length === 0 && !e.upPruned) {
    e.upPruned = true;
    sendPim(vifs[e.iif]!, joinPrune(3, e.rpfNbr, e.group, [], [e.source], PRUNE_HOLDTIME));
    log(`prune (${e.source}, ${e.group}) sent to ${e.rpfNbr}`);
    e.lastPkts = mr.ioctl(SIOCGETSGCNT, { src: e.source, grp: e.group }).pktcnt; // data after this = prune ran out
  } else if (out.length > 0 && e.upPruned) {
    e.upPruned = false;
    graft(e);
  }
}

/** Graft: unicast to the RPF neighbor, repeated every 3 s until it answers with a Graft-Ack. */
function graft(e: Entry): void {
  sendPim(vifs[e.iif]!, joinPrune(6, e.rpfNbr!, e.group, [e.source], [], 0), e.rpfNbr!);
  log(`graft (${e.source}, ${e.group}) sent to ${e.rpfNbr}`);
  clearTimeout(e.graftRetry ?? undefined);
  e.graftRetry = setTimeout(() => graft(e), GRAFT_RETRY);
}

function refreshGroup(group: string): void {
  for (const e of entries.values()) if (e.group === group) install(e);
}
function refreshAll(): void {
  for (const e of entries.values()) install(e);
}

/** RPF: the interface (and next hop) the unicast route to the source uses. */
function rpf(source: string): { vif: Vif; nbr: string | null } | null {
  const r = ip('-j', 'route', 'get', source);
  const route = (r.json as { dev?: string; gateway?: string }[] | undefined)?.[0];
  const vif = vifs.find((v) => v.name === route?.dev);
  return vif ? { vif, nbr: route!.gateway ?? null } : null;
}

function newEntry(source: string, group: string): Entry | null {
  const r = rpf(source);
  if (!r) return null;
  const e: Entry = { source, group, iif: r.vif.vifi, rpfNbr: r.nbr, pruned: new Map(), pending: new Map(), upPruned: false, graftRetry: null, lastPkts: 0, idle: 0 };
  entries.set(key(source, group), e);
  return e;
}

function deleteEntry(e: Entry): void {
  mr.setsockopt(IPPROTO_IP, MRT_DEL_MFC, { mfcc_origin: e.source, mfcc_mcastgrp: e.group, mfcc_parent: e.iif });
  for (const t of [...e.pruned.values(), ...e.pending.values()]) clearTimeout(t);
  clearTimeout(e.graftRetry ?? undefined);
  entries.delete(key(e.source, e.group));
  log(`(${e.source}, ${e.group}) timed out`);
}

// ---- Receiving PIM ----
pim.onMessage((m) => {
  const v = vifByIfindex(m.ifindex);
  const p = m.payload;
  if (!v || own.has(m.src) || p.length < 4 || p[0]! >> 4 !== 2 || checksum(p) !== 0) return; // not PIMv2, or damaged
  const type = p[0]! & 15;
  if (type === 0) return heardHello(v, m.src, p);
  if (type !== 3 && type !== 6 && type !== 7) return;
  const jp = parseJoinPrune(p);
  for (const g of jp.groups) {
    if (type === 3 && own.has(jp.nbr)) {
      // A Prune for us: stop forwarding (S,G) on this VIF for the holdtime. On a LAN with other PIM routers,
      // wait J/P_Override_Interval (3 s) first: one of them may still want the traffic and say so with a Join.
      for (const s of g.prunes) {
        const e = entries.get(key(s, g.group));
        if (!e || e.iif === v.vifi || e.pending.has(v.vifi)) continue;
        const apply = (): void => {
          e.pending.delete(v.vifi);
          clearTimeout(e.pruned.get(v.vifi));
          e.pruned.set(v.vifi, setTimeout(() => {
            e.pruned.delete(v.vifi);
            install(e); // the prune ran out: flood again
          }, jp.holdtime * 1000));
          install(e);
        };
        if (neighbors.get(v.vifi)!.size > 1) e.pending.set(v.vifi, setTimeout(apply, OVERRIDE_INTERVAL));
        else apply();
      }
      for (const s of g.joins) {
        const e = entries.get(key(s, g.group));
        if (!e?.pending.has(v.vifi)) continue;
        clearTimeout(e.pending.get(v.vifi)); // overridden: keep forwarding on this LAN
        e.pending.delete(v.vifi);
        log(`prune (${s}, ${g.group}) on ${v.name} overridden by ${m.src}`);
      }
    } else if (type === 3) {
      // A Prune from another router on our LAN to our own upstream router: if we still need (S,G), override it
      // with a Join (RFC 3973 delays it randomly to let one Join serve for all; we send it at once).
      for (const s of g.prunes) {
        const e = entries.get(key(s, g.group));
        if (!e || e.iif !== v.vifi || e.rpfNbr !== jp.nbr || olist(e).length === 0) continue;
        sendPim(v, joinPrune(3, jp.nbr, g.group, [s], [], PRUNE_HOLDTIME));
        log(`join (${s}, ${g.group}) sent to ${jp.nbr}: overriding ${m.src}'s prune`);
      }
    } else if (type === 6) {
      // A Graft: forward again on this VIF, acknowledge (same message, type 7, back to the sender).
      for (const s of g.joins) {
        const e = entries.get(key(s, g.group)) ?? newEntry(s, g.group);
        if (!e) continue;
        clearTimeout(e.pruned.get(v.vifi));
        e.pruned.delete(v.vifi);
        install(e);
      }
      sendPim(v, joinPrune(7, jp.nbr, g.group, g.joins, [], 0), m.src);
    } else if (type === 7) {
      for (const s of g.joins) {
        const e = entries.get(key(s, g.group));
        if (e) clearTimeout(e.graftRetry ?? undefined);
        if (e) e.graftRetry = null;
      }
    }
  }
});

// ---- Receiving from the kernel: upcalls and IGMP ----
mr.onMessage((m) => {
  if (m.kind === 'igmpmsg') {
    if (m.msgtype !== IGMPMSG_NOCACHE || own.has(m.src) || entries.has(key(m.src, m.dst))) return;
    const e = newEntry(m.src, m.dst);
    if (e) install(e);
    else log(`no route back to ${m.src}: (${m.src}, ${m.dst}) dropped`);
    return;
  }
  const v = vifByIfindex(m.ifindex);
  if (!v || own.has(m.src) || !v.nets.some(([n, l]) => (num(m.src) ^ n) >>> (32 - l) === 0)) return;
  const igmp = m.igmp;
  if (igmp.kind === 'report-v1' || igmp.kind === 'report-v2') memberTimer(igmp.group!, v, IGMP_MEMBERSHIP);
  else if (igmp.kind === 'leave-v2') memberLeave(igmp.group!, v);
  else if (igmp.kind === 'report-v3')
    for (const r of igmp.records ?? []) {
      if ((r.type === IGMPV3_CHANGE_TO_INCLUDE || r.type === IGMPV3_MODE_IS_INCLUDE) && r.sources.length === 0) memberLeave(r.group, v);
      else if (r.type !== IGMPV3_BLOCK_OLD_SOURCES) memberTimer(r.group, v, IGMP_MEMBERSHIP);
    }
});

// ---- Periodic work ----
for (const v of vifs) hello(v);
setInterval(() => vifs.forEach(hello), HELLO_PERIOD);
const queryAll = (): void => vifs.forEach((v) => sendQuery(v, '0.0.0.0', 100));
queryAll();
setInterval(queryAll, IGMP_QUERY_INTERVAL);
setInterval(() => {
  for (const e of [...entries.values()]) {
    const c = mr.ioctl(SIOCGETSGCNT, { src: e.source, grp: e.group });
    if (c.pktcnt === e.lastPkts) {
      if ((e.idle += T_LIMIT) >= DATA_TIMEOUT) deleteEntry(e);
      continue;
    }
    e.lastPkts = c.pktcnt;
    e.idle = 0;
    // Data still arrives although we pruned: the upstream prune expired. Prune again.
    if (!e.upPruned || !e.rpfNbr) continue;
    sendPim(vifs[e.iif]!, joinPrune(3, e.rpfNbr, e.group, [], [e.source], PRUNE_HOLDTIME));
    log(`prune (${e.source}, ${e.group}) sent to ${e.rpfNbr} again: data still arrives`);
  }
}, T_LIMIT);
log(`PIM-DM on ${vifs.map((v) => `${v.name} (VIF ${v.vifi})`).join(', ')}`);
