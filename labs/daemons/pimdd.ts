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
//   - Assert: two routers forwarding (S,G) onto one LAN see each other's data arrive on an outgoing VIF (the
//     kernel's WRONGVIF upcall, MRT_ASSERT on). Both send an Assert; the worse route to S stops forwarding.
//   - Generation ID in every Hello: a neighbor whose GenID changes has restarted and forgot our Prunes.
//   - State Refresh (optional, argv -r): the router next to the source keeps the tree's Prunes alive.
// Not here (see RFC 3973): Join suppression timers, Assert Cancel, and RPF changes
// (the RPF interface is looked up once, when an entry is created; a route change shows after it times out).
// All PIM messages are real PIMv2 bytes on raw IPPROTO_PIM sockets; Wireshark would decode them.
//
// Usage (argv): pimdd.ts [-r]              (no config: every multicast interface with an address takes part;
//                                           -r: State Refresh capable)

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
const ASSERT_TIME = 180_000; // how long an Assert's result holds unless repeated
// Assert metrics (RFC 3973 §4.6): "metric preference" ranks the routing protocol that gave the route to S
// and "metric" the route's cost within it. Linux has no protocol ranking (no administrative distance), so a
// connected source (route protocol "kernel") gets 0 and every other route a fixed 101 (any fixed value
// works while all routers agree); the metric is the route's own metric (`ip route ... metric N`, 0 if none).
const PREF_CONNECTED = 0;
const PREF_OTHER = 101;
const STATE_REFRESH = argv.includes('-r');
const SR_INTERVAL = 60; // s: State Refresh interval, sent in Hello option 21 and in each State Refresh
const SR_TTL = 16; // the originator should copy the data's TTL, but the NOCACHE upcall does not carry it

interface Vif { vifi: number; name: string; ifindex: number; address: string; nets: [number, number][] }
interface Entry {
  source: string;
  group: string;
  iif: number; // the RPF VIF
  rpfNbr: string | null; // RPF'(S): the upstream router (or the Assert winner on the RPF LAN); null when S is connected
  unicastNbr: string | null; // the upstream router by the unicast route alone
  pref: number; // our Assert metric preference and metric for S
  metric: number;
  masklen: number; // prefix length of that route (State Refresh carries it)
  asserts: Map<number, Assert>; // VIF → the result of an Assert on it
  pruned: Map<number, number>; // downstream VIF → timer that ends the prune
  pending: Map<number, number>; // downstream LAN VIF → timer that applies a prune unless a Join overrides it
  upPruned: boolean; // we sent a Prune upstream
  graftRetry: number | null;
  lastPkts: number;
  idle: number;
}

/** The winner of an Assert on one VIF (maybe us), until `timer` runs out. */
interface Assert { winner: string; pref: number; metric: number; timer: number }

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
mr.setsockopt(IPPROTO_IP, MRT_ASSERT, 1); // ask for WRONGVIF upcalls: data arriving on an outgoing VIF
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
const u32 = (n: number): number[] => [...u16(n >>> 16), ...u16(n & 0xffff)];
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

/** Sends out of VIF v. An interface that is down fails with ENETUNREACH: log it, the other VIFs carry on. */
function sendOn(sock: RawIpSocket | RawIgmpSocket, v: Vif, bytes: Uint8Array, to: string): void {
  sock.setsockopt(IPPROTO_IP, IP_MULTICAST_IF, { imr_multiaddr: '0.0.0.0', imr_ifindex: v.ifindex });
  try {
    sock.sendto(bytes, to);
  } catch (e) {
    if (!(e instanceof OSError)) throw e;
    log(`${v.name}: ${e.message}`);
  }
}
const sendPim = (v: Vif, bytes: Uint8Array, to = ALL_PIM_ROUTERS): void => sendOn(pim, v, bytes, to);

// ---- Neighbors (Hello) ----
const neighbors = new Map<number, Map<string, number>>(vifs.map((v) => [v.vifi, new Map()])); // VIF → address → expiry timer
const genIds = new Map<string, number>(); // neighbor address → the Generation ID of its last Hello
// Our Generation ID: a random number chosen at start, sent in every Hello (option 20). The sandbox's
// Math.random() is seeded per node, so a restarted daemon would draw the same number again; mixing in the
// start time makes each start differ and stays reproducible.
const GEN_ID = ((Math.random() * 0x100000000) ^ now()) >>> 0;
// Options: 1 = Holdtime (2 bytes), 20 = Generation ID (4 bytes), 21 = State Refresh capable (version 1, interval).
const SR_OPTION = STATE_REFRESH ? [0, 21, 0, 4, 1, SR_INTERVAL, 0, 0] : [];
const hello = (v: Vif): void => sendPim(v, pimPacket(0, [0, 1, 0, 2, ...u16(HELLO_HOLDTIME), 0, 20, 0, 4, ...u32(GEN_ID), ...SR_OPTION]));

function heardHello(v: Vif, from: string, p: Uint8Array): void {
  let holdtime = HELLO_HOLDTIME;
  let genId: number | null = null;
  for (let o = 4; o + 4 <= p.length; o += 4 + ((p[o + 2]! << 8) | p[o + 3]!)) {
    const option = (p[o]! << 8) | p[o + 1]!;
    if (option === 1) holdtime = (p[o + 4]! << 8) | p[o + 5]!;
    if (option === 20) genId = (((p[o + 4]! << 24) | (p[o + 5]! << 16) | (p[o + 6]! << 8) | p[o + 7]!) >>> 0);
  }
  const nbrs = neighbors.get(v.vifi)!;
  const isNew = !nbrs.has(from);
  const oldGenId = genIds.get(from);
  clearTimeout(nbrs.get(from));
  if (holdtime === 0) return neighborGone(v, from); // a router going down says goodbye with holdtime 0
  nbrs.set(from, setTimeout(() => neighborGone(v, from), holdtime * 1000));
  if (genId !== null) genIds.set(from, genId);
  if (isNew) {
    log(`new neighbor ${from} on ${v.name}`);
    hello(v); // let it learn about us now, not in up to 30 s
    refreshAll();
  } else if (genId !== null && oldGenId !== undefined && genId !== oldGenId) neighborRestarted(v, from);
}
function neighborGone(v: Vif, from: string): void {
  if (!neighbors.get(v.vifi)!.delete(from)) return;
  genIds.delete(from);
  log(`neighbor ${from} on ${v.name} is gone`);
  forgetAssertsWonBy(v, from); // RFC 3973: the Assert winner's neighbor liveness ran out → forward again
  refreshAll();
}

/**
 * A neighbor's GenID changed: it restarted without a goodbye and lost all its (S,G) state. Kept simple:
 *   - it was our upstream and we had pruned: it will flood us again, so send the Prune again now;
 *   - it was our upstream and a Graft is pending: send the Graft again now (its retry would, in 3 s);
 *   - it was downstream and had pruned us: forget that Prune and flood (it prunes again if it still wants nothing);
 *     only on a point-to-point link (on a LAN, the other routers' Prunes still hold);
 *   - it had won an Assert against us: it no longer knows, so forward again until the next Assert.
 * And a Hello at once, so that it learns about us without waiting up to 30 s.
 */
function neighborRestarted(v: Vif, from: string): void {
  log(`neighbor ${from} on ${v.name} restarted (new generation ID)`);
  hello(v);
  for (const e of entries.values()) {
    if (e.iif === v.vifi && e.rpfNbr === from) {
      if (e.upPruned) {
        sendPim(v, joinPrune(3, from, e.group, [], [e.source], PRUNE_HOLDTIME));
        log(`prune (${e.source}, ${e.group}) sent to ${from} again: it restarted`);
      } else if (e.graftRetry !== null) graft(e);
    } else if (e.pruned.has(v.vifi) && neighbors.get(v.vifi)!.size === 1) {
      clearTimeout(e.pruned.get(v.vifi));
      e.pruned.delete(v.vifi);
    }
  }
  forgetAssertsWonBy(v, from);
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
  sendOn(mr, v, b, group === '0.0.0.0' ? '224.0.0.1' : group);
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

/** The outgoing VIFs of an entry (RFC 3973's olist): neighbors that did not prune, plus member LANs, minus
 *  the LANs where another router won the Assert (it forwards there, not us). */
function olist(e: Entry): number[] {
  return vifs.map((v) => v.vifi).filter((i) => i !== e.iif && !lostAssert(e, i) && ((neighbors.get(i)!.size > 0 && !e.pruned.has(i)) || hasMembers(e.group, i)));
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
    e.lastPkts = rpfPackets(e); // data after this = prune ran out
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

/** Packets of (S,G) that came in on the RPF interface: the kernel's pktcnt also counts wrong-VIF arrivals
 *  (another forwarder's copies on a LAN we lost an Assert on), which say nothing about our upstream. */
function rpfPackets(e: Entry): number {
  const c = mr.ioctl(SIOCGETSGCNT, { src: e.source, grp: e.group });
  return c.pktcnt - c.wrong_if;
}

/** Stops forwarding on v for `holdtime` seconds (or restarts that timer); when it runs out, flood again. */
function prune(e: Entry, v: Vif, holdtime: number): void {
  clearTimeout(e.pruned.get(v.vifi));
  e.pruned.set(v.vifi, setTimeout(() => {
    e.pruned.delete(v.vifi);
    install(e); // the prune ran out: flood again
  }, holdtime * 1000));
}

function refreshGroup(group: string): void {
  for (const e of entries.values()) if (e.group === group) install(e);
}
function refreshAll(): void {
  for (const e of entries.values()) install(e);
}

interface RouteJson { dst?: string; dev?: string; gateway?: string; metric?: number; protocol?: string }

/** RPF: the interface (and next hop) the unicast route to the source uses, and that route's Assert metrics. */
function rpf(source: string): { vif: Vif; nbr: string | null; pref: number; metric: number; masklen: number } | null {
  const route = (ip('-j', 'route', 'get', source).json as RouteJson[] | undefined)?.[0];
  const vif = vifs.find((v) => v.name === route?.dev);
  if (!vif) return null;
  // `ip route get` does not print the metric (Linux's does not either): find the route it used, the longest
  // match through the same device and gateway, with `ip route show match`.
  const len = (r: RouteJson): number => (r.dst === 'default' ? 0 : Number(r.dst?.split('/')[1] ?? 32));
  const used = ((ip('-j', 'route', 'show', 'match', source).json as RouteJson[] | undefined) ?? [])
    .filter((r) => r.dev === route!.dev && r.gateway === route!.gateway)
    .sort((a, b) => len(b) - len(a) || (a.metric ?? 0) - (b.metric ?? 0))[0];
  const pref = used?.protocol === 'kernel' ? PREF_CONNECTED : PREF_OTHER;
  return { vif, nbr: route!.gateway ?? null, pref, metric: used?.metric ?? 0, masklen: used ? len(used) : 32 };
}

function newEntry(source: string, group: string): Entry | null {
  const r = rpf(source);
  if (!r) return null;
  const e: Entry = {
    source, group, iif: r.vif.vifi, rpfNbr: r.nbr, unicastNbr: r.nbr, pref: r.pref, metric: r.metric, masklen: r.masklen,
    asserts: new Map(),
    pruned: new Map(), pending: new Map(), upPruned: false, graftRetry: null, lastPkts: 0, idle: 0,
  };
  entries.set(key(source, group), e);
  return e;
}

function deleteEntry(e: Entry): void {
  mr.setsockopt(IPPROTO_IP, MRT_DEL_MFC, { mfcc_origin: e.source, mfcc_mcastgrp: e.group, mfcc_parent: e.iif });
  for (const t of [...e.pruned.values(), ...e.pending.values(), ...[...e.asserts.values()].map((a) => a.timer)]) clearTimeout(t);
  clearTimeout(e.graftRetry ?? undefined);
  entries.delete(key(e.source, e.group));
  log(`(${e.source}, ${e.group}) timed out`);
}

// ---- Assert (RFC 3973 §4.6): one forwarder per LAN ----
// Two routers forward (S,G) onto one LAN: each sees the other's copies arrive on a VIF in its own olist.
// The kernel drops them (they fail the RPF check) and, with MRT_ASSERT on, tells us with a WRONGVIF upcall
// (at most one per entry every 3 s). We answer with an Assert carrying our route to S; every router on the
// LAN compares: lower preference wins, then lower metric, then the higher IP address. The loser takes the LAN
// out of its olist; routers whose RPF interface is that LAN send their Join/Prune/Graft to the winner (RPF').
// A result lasts ASSERT_TIME (180 s); then the LAN starts from scratch (duplicates → WRONGVIF → Assert).

interface Metric { pref: number; metric: number; addr: string }
/** True if a wins over b. */
function beats(a: Metric, b: Metric): boolean {
  if (a.pref !== b.pref) return a.pref < b.pref;
  if (a.metric !== b.metric) return a.metric < b.metric;
  return num(a.addr) > num(b.addr);
}
function lostAssert(e: Entry, i: number): boolean {
  const a = e.asserts.get(i);
  return a !== undefined && i !== e.iif && a.winner !== vifs[i]!.address;
}

/** Records who won on v (maybe us) and starts the Assert timer; its expiry forgets the result. */
function setAssert(e: Entry, v: Vif, w: Metric): void {
  clearTimeout(e.asserts.get(v.vifi)?.timer);
  const timer = setTimeout(() => {
    e.asserts.delete(v.vifi);
    log(`assert (${e.source}, ${e.group}) on ${v.name} timed out`);
    if (v.vifi === e.iif) e.rpfNbr = e.unicastNbr;
    install(e);
  }, ASSERT_TIME);
  e.asserts.set(v.vifi, { winner: w.addr, pref: w.pref, metric: w.metric, timer });
  if (v.vifi !== e.iif || e.unicastNbr === null || e.rpfNbr === w.addr) return; // (a connected S has no RPF')
  e.rpfNbr = w.addr; // RPF'(S): where our Join/Prune/Graft go now
  log(`RPF' of (${e.source}, ${e.group}) is now ${w.addr}, the Assert winner on ${v.name}`);
}
function clearAssert(e: Entry, v: Vif): void {
  clearTimeout(e.asserts.get(v.vifi)?.timer);
  e.asserts.delete(v.vifi);
  if (v.vifi === e.iif) e.rpfNbr = e.unicastNbr;
}
/** The winner's neighbor state ended (gone, or restarted): forget what it won. The caller reinstalls. */
function forgetAssertsWonBy(v: Vif, who: string): void {
  for (const e of entries.values()) {
    if (e.asserts.get(v.vifi)?.winner !== who) continue;
    clearAssert(e, v);
    log(`assert (${e.source}, ${e.group}) on ${v.name} forgotten: winner ${who} is gone or restarted`);
  }
}

/** Assert (type 5): Encoded-Group, Encoded-Unicast source, R bit (0 in dense mode) + preference, metric. */
function sendAssert(e: Entry, v: Vif): void {
  sendPim(v, pimPacket(5, [...encGroup(e.group), ...encUnicast(e.source), ...u32(e.pref & 0x7fffffff), ...u32(e.metric)]));
  log(`assert (${e.source}, ${e.group}) sent on ${v.name}: preference ${e.pref} metric ${e.metric}`);
  setAssert(e, v, { pref: e.pref, metric: e.metric, addr: v.address });
}

/** WRONGVIF: (S,G) data arrived on v, one of our outgoing VIFs, so another router forwards onto v too. */
function wrongVif(e: Entry, v: Vif): void {
  log(`(${e.source}, ${e.group}) data on outgoing ${v.name} (WRONGVIF): another forwarder there`);
  if (olist(e).includes(v.vifi)) sendAssert(e, v);
}

function heardAssert(v: Vif, from: string, p: Uint8Array): void {
  if (p.length < 26 || p[4] !== 1 || p[12] !== 1) return; // not IPv4 encoded addresses
  const at32 = (o: number): number => ((p[o]! << 24) | (p[o + 1]! << 16) | (p[o + 2]! << 8) | p[o + 3]!) >>> 0;
  const group = `${p[8]}.${p[9]}.${p[10]}.${p[11]}`;
  const source = `${p[14]}.${p[15]}.${p[16]}.${p[17]}`;
  const theirs: Metric = { pref: at32(18) & 0x7fffffff, metric: at32(22), addr: from };
  const e = entries.get(key(source, group));
  if (!e) return;
  log(`assert (${source}, ${group}) from ${from} on ${v.name}: preference ${theirs.pref} metric ${theirs.metric}`);
  const current = e.asserts.get(v.vifi);
  if (v.vifi === e.iif) {
    // We are downstream on this LAN: follow the best asserting router (the current one may update itself).
    if (!current || current.winner === from || beats(theirs, { ...current, addr: current.winner })) setAssert(e, v, theirs);
    return;
  }
  if (beats(theirs, { pref: e.pref, metric: e.metric, addr: v.address })) {
    const already = lostAssert(e, v.vifi);
    setAssert(e, v, theirs); // (re)starts the Assert timer
    if (already) return;
    log(`assert (${source}, ${group}) on ${v.name} lost to ${from}: it forwards there, not us`);
    install(e); // the LAN leaves our olist (an MRT_ADD_MFC update)
    return;
  }
  // An inferior Assert. If it comes from the router we lost to, its route got worse: that result is void.
  if (current?.winner === from) {
    clearAssert(e, v);
    install(e);
  }
  if (olist(e).includes(v.vifi)) sendAssert(e, v); // we should be the one forwarding: say so
}

// ---- State Refresh (RFC 3973 §4.5; optional, on with argv -r) ----
// Without it a Prune runs out after 210 s and the flood starts again. With it, the router next to the source
// sends a State Refresh (type 9) down the tree every 60 s while data flows; each router passes it on (TTL − 1),
// and on an interface it has pruned sets the P bit and restarts the Prune's timer instead of flooding again.
// A pruned router that gets one without the P bit knows its upstream forgot the Prune, and sends it again.

/** State Refresh: group, source, originator, our preference and metric to S, masklen, TTL, P|N|O flags, interval. */
function stateRefresh(e: Entry, v: Vif, originator: string, ttl: number): Uint8Array {
  const flags = e.pruned.has(v.vifi) ? 0x80 : 0; // P: this interface is pruned
  return pimPacket(9, [...encGroup(e.group), ...encUnicast(e.source), ...encUnicast(originator), ...u32(e.pref & 0x7fffffff), ...u32(e.metric), e.masklen, ttl, flags, SR_INTERVAL]);
}
/** Sends a State Refresh on every downstream VIF with neighbors; a pruned one's Prune is kept for another holdtime. */
function floodStateRefresh(e: Entry, originator: string, ttl: number): void {
  const sent: string[] = [];
  for (const v of vifs) {
    if (v.vifi === e.iif || neighbors.get(v.vifi)!.size === 0 || lostAssert(e, v.vifi)) continue;
    if (e.pruned.has(v.vifi)) prune(e, v, PRUNE_HOLDTIME);
    sendPim(v, stateRefresh(e, v, originator, ttl));
    sent.push(v.name + (e.pruned.has(v.vifi) ? ' (P)' : ''));
  }
  if (sent.length > 0) log(`state refresh (${e.source}, ${e.group}) sent on ${sent.join(', ')}`);
}
function heardStateRefresh(v: Vif, from: string, p: Uint8Array): void {
  if (p.length < 36 || p[4] !== 1 || p[12] !== 1 || p[18] !== 1) return; // not IPv4 encoded addresses
  const addrAt = (o: number): string => `${p[o]}.${p[o + 1]}.${p[o + 2]}.${p[o + 3]}`;
  const e = entries.get(key(addrAt(14), addrAt(8)));
  if (!e || v.vifi !== e.iif || from !== e.rpfNbr) return; // only the one from upstream counts
  const kept = (p[34]! & 0x80) !== 0;
  log(`state refresh (${e.source}, ${e.group}) from ${from}${kept ? ' (P)' : ''}`);
  e.idle = 0; // the tree is alive: keep the entry even while we are pruned and see no data
  if (e.upPruned && !kept) {
    sendPim(v, joinPrune(3, from, e.group, [], [e.source], PRUNE_HOLDTIME));
    log(`prune (${e.source}, ${e.group}) sent to ${from} again: its state refresh has no P bit`);
  }
  if (p[33]! > 1) floodStateRefresh(e, addrAt(20), p[33]! - 1);
}

// ---- Receiving PIM ----
pim.onMessage((m) => {
  const v = vifByIfindex(m.ifindex);
  const p = m.payload;
  if (!v || own.has(m.src) || p.length < 4 || p[0]! >> 4 !== 2 || checksum(p) !== 0) return; // not PIMv2, or damaged
  const type = p[0]! & 15;
  if (type === 0) return heardHello(v, m.src, p);
  if (type === 5) return heardAssert(v, m.src, p);
  if (type === 9 && STATE_REFRESH) return heardStateRefresh(v, m.src, p);
  if (type !== 3 && type !== 6 && type !== 7) return;
  const jp = parseJoinPrune(p);
  for (const g of jp.groups) {
    if (type === 3 && own.has(jp.nbr)) {
      // A Prune for us: stop forwarding (S,G) on this VIF for the holdtime. On a LAN with other PIM routers,
      // wait J/P_Override_Interval (3 s) first: one of them may still want the traffic and say so with a Join.
      // A Prune for an (S,G) we have no state for (we restarted, or no data yet) creates and installs that state.
      for (const s of g.prunes) {
        let e = entries.get(key(s, g.group));
        if (!e && (e = newEntry(s, g.group) ?? undefined)) install(e);
        if (!e || e.iif === v.vifi || e.pending.has(v.vifi)) continue;
        const apply = (): void => {
          e.pending.delete(v.vifi);
          prune(e, v, jp.holdtime);
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
    const known = entries.get(key(m.src, m.dst));
    if (m.msgtype === IGMPMSG_WRONGVIF && known && vifs[m.vif]) return wrongVif(known, vifs[m.vif]!);
    if (m.msgtype !== IGMPMSG_NOCACHE || own.has(m.src) || known) return;
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
    const pkts = rpfPackets(e);
    if (pkts === e.lastPkts) {
      if ((e.idle += T_LIMIT) >= DATA_TIMEOUT) deleteEntry(e);
      continue;
    }
    e.lastPkts = pkts;
    e.idle = 0;
    // Data flows and the source is on our LAN: we are the State Refresh originator.
    if (STATE_REFRESH && e.unicastNbr === null) floodStateRefresh(e, vifs[e.iif]!.address, SR_TTL);
    // Data still arrives although we pruned: the upstream prune expired. Prune again.
    if (!e.upPruned || !e.rpfNbr) continue;
    sendPim(vifs[e.iif]!, joinPrune(3, e.rpfNbr, e.group, [], [e.source], PRUNE_HOLDTIME));
    log(`prune (${e.source}, ${e.group}) sent to ${e.rpfNbr} again: data still arrives`);
  }
}, T_LIMIT);
log(`PIM-DM on ${vifs.map((v) => `${v.name} (VIF ${v.vifi})`).join(', ')}`);
