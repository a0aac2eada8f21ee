// igmpproxy.ts: an IGMP proxy in the spirit of igmpproxy (RFC 4605). One upstream interface faces the
// multicast network; on each downstream interface this router is the IGMP querier and learns which groups
// have members. Upstream it behaves like a plain host: it joins exactly the groups its downstream members
// want, so the router above (which may be another proxy) sends it only that traffic. Forwarding itself is
// the kernel's: we install an (S,G) MFC entry, upstream VIF → the downstream VIFs with members, when the
// kernel reports a new source (IGMPMSG_NOCACHE), and change or delete it when members come and go.
//
// Usage (argv): igmpproxy.ts [-c FILE]       (config file, default /etc/igmpproxy.conf)
// Config (igmpproxy.conf; # starts a comment; words may span lines):
//   quickleave                       forget a group as soon as its last known reporter leaves
//   defaultdown                      interfaces not named below are disabled (default: downstream)
//   phyint IF upstream|downstream|disabled [ratelimit N] [threshold N] [altnet A/LEN]... [whitelist G/LEN]...
//
// Querier election (RFC 2236 §3, §7): on each downstream LAN the router with the lowest address queries.
// A query heard from a lower address makes this proxy a non-querier there: it stops its general queries
// for the Other Querier Present Interval (255 s), restarted by every such query, and becomes querier again
// (a general query at once) when it runs out. Meanwhile it still hears reports, so it keeps learning members.
// The real igmpproxy (pali/igmpproxy, src/request.c acceptMembershipQuery) holds no election: it ignores
// queries on downstream interfaces and always queries, so two igmpproxies on one LAN both query.
//
// Timers are RFC 2236's defaults, in simulated time.
const QUERY_INTERVAL = 125_000; // general queries on each downstream interface
const QUERY_RESPONSE = 10_000; // Max Resp Time we put in general queries
const ROBUSTNESS = 2;
const MEMBERSHIP_TIMEOUT = ROBUSTNESS * QUERY_INTERVAL + QUERY_RESPONSE; // 260 s without a report: gone
const STARTUP_QUERY_INTERVAL = QUERY_INTERVAL / 4;
const LAST_MEMBER_INTERVAL = 1_000; // after a Leave: group-specific queries this far apart...
const LAST_MEMBER_COUNT = 2; // ...this many times, then the group is gone if nobody answered
const OTHER_QUERIER_PRESENT = ROBUSTNESS * QUERY_INTERVAL + QUERY_RESPONSE / 2; // 255 s of silence: querier again

interface Prefix { net: number; len: number }
interface Vif {
  vifi: number;
  name: string;
  ifindex: number;
  role: 'upstream' | 'downstream';
  threshold: number;
  /** Connected subnets, plus altnets: where reports (downstream) or multicast sources (upstream) may be. */
  nets: Prefix[];
  whitelist: Prefix[];
  address: string;
  /** Downstream: the lower-addressed router that is querier on this LAN (we are not), or null (we are). */
  otherQuerier: string | null;
  /** Other Querier Present timer; our next general query; end of our last-member queries (ms, now()). */
  otherQuerierTimer: number;
  queryTimer: number;
  lastMemberUntil: number;
}
interface Membership { timer: number; reporters: Set<string> }

// ---- Addresses ----
function num(a: string): number {
  const p = a.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) throw new Error(`invalid address ${a}`);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}
function prefix(text: string): Prefix {
  const [a, l] = text.split('/');
  const len = l === undefined ? 32 : Number(l);
  if (!(len >= 0 && len <= 32)) throw new Error(`invalid prefix ${text}`);
  return { net: num(a!), len };
}
const inside = (a: string, p: Prefix): boolean => p.len === 0 || (num(a) ^ p.net) >>> (32 - p.len) === 0;

// ---- The configuration ----
let confFile = '/etc/igmpproxy.conf';
if (argv[1] === '-c' && argv[2]) confFile = argv[2];
else if (argv.length > 1) throw new Error(`usage: ${argv[0]} [-c FILE]`);

const conf = { quickleave: false, defaultRole: 'downstream' as string, phyint: new Map<string, { role: string; threshold: number; altnet: Prefix[]; whitelist: Prefix[] }>() };
{
  // The file is a stream of words (an altnet may sit on the line after its phyint); each word keeps its
  // line so an error can say "igmpproxy.conf:7".
  const words: { w: string; line: number }[] = [];
  readFile(confFile).split('\n').forEach((l, i) => {
    for (const w of l.replace(/#.*/, '').split(/\s+/)) if (w) words.push({ w, line: i + 1 });
  });
  let cur: { role: string; threshold: number; altnet: Prefix[]; whitelist: Prefix[] } | null = null;
  for (let i = 0; i < words.length; i++) {
    const { w, line } = words[i]!;
    const arg = (): string => {
      const next = words[++i];
      if (!next) throw new Error(`${confFile}:${line}: "${w}" needs a value`);
      return next.w;
    };
    try {
      if (w === 'quickleave') conf.quickleave = true;
      else if (w === 'defaultdown') conf.defaultRole = 'disabled';
      else if (w === 'phyint') {
        const name = arg();
        const role = arg();
        if (!['upstream', 'downstream', 'disabled'].includes(role)) throw new Error(`unknown role "${role}" (upstream, downstream or disabled)`);
        cur = { role, threshold: 1, altnet: [], whitelist: [] };
        conf.phyint.set(name, cur);
      } else if (!cur) throw new Error(`unknown option "${w}"`);
      else if (w === 'ratelimit') arg(); // accepted, as igmpproxy does; the kernel model does not rate-limit
      else if (w === 'threshold') cur.threshold = Number(arg());
      else if (w === 'altnet') cur.altnet.push(prefix(arg()));
      else if (w === 'whitelist') cur.whitelist.push(prefix(arg()));
      else throw new Error(`unknown option "${w}"`);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(msg.startsWith(confFile) ? msg : `${confFile}:${line}: ${msg}`, { cause: e });
    }
  }
}

// ---- The mroute socket and the VIFs ----
const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
// Our own queries must not come back to us through the loopback.
mr.setsockopt(IPPROTO_IP, IP_MULTICAST_LOOP, 0);
// Every IGMP message carries the Router Alert option (RFC 2236 §2); igmpproxy writes it into the header it
// builds itself (IP_HDRINCL), we let the kernel add it to each query (IP_OPTIONS).
mr.setsockopt(IPPROTO_IP, IP_OPTIONS, new Uint8Array([0x94, 4, 0, 0]));

const vifs: Vif[] = [];
for (const itf of interfaces()) {
  if (!(itf.flags & IFF_MULTICAST) || itf.flags & IFF_LOOPBACK || itf.addresses.length === 0) continue;
  const c = conf.phyint.get(itf.name);
  const role = c?.role ?? conf.defaultRole;
  if (role === 'disabled') continue;
  const nets = itf.addresses.map((a) => ({ net: num(a.address), len: a.prefixlen }));
  const vif: Vif = { vifi: vifs.length, name: itf.name, ifindex: itf.ifindex, role: role as Vif['role'], threshold: c?.threshold ?? 1, nets: [...nets, ...(c?.altnet ?? [])], whitelist: c?.whitelist ?? [], address: itf.addresses[0]!.address, otherQuerier: null, otherQuerierTimer: 0, queryTimer: 0, lastMemberUntil: 0 };
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vif.vifi, vifc_lcl_addr: vif.address, vifc_threshold: vif.threshold });
  vifs.push(vif);
  log(`${itf.name}: VIF ${vif.vifi}, ${role}`);
}
const upstream = vifs.filter((v) => v.role === 'upstream');
if (upstream.length !== 1) throw new Error(`${confFile}: need exactly one upstream interface (found ${upstream.length})`);
const up = upstream[0]!;
const downstream = vifs.filter((v) => v.role === 'downstream');
// IGMPv3 reports go to 224.0.0.22 and v2 leaves to 224.0.0.2: link-local groups the kernel delivers only
// if this host is a member, even on a multicast router. So we join both on each downstream interface.
for (const v of downstream) for (const g of ['224.0.0.2', '224.0.0.22']) mr.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: g, imr_ifindex: v.ifindex });
const own = new Set(interfaces().flatMap((i) => i.addresses.map((a) => a.address)));

// ---- IGMP on the wire ----
function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}
/** An IGMPv2 query (RFC 2236): general when group is 0.0.0.0, group-specific otherwise. */
function sendQuery(v: Vif, group: string, maxRespMs: number): void {
  const b = new Uint8Array(8);
  b[0] = IGMP_HOST_MEMBERSHIP_QUERY;
  b[1] = maxRespMs / 100; // in tenths of a second
  group.split('.').forEach((x, i) => (b[4 + i] = Number(x)));
  const c = checksum(b);
  b[2] = c >> 8;
  b[3] = c & 255;
  mr.setsockopt(IPPROTO_IP, IP_MULTICAST_IF, { imr_multiaddr: '0.0.0.0', imr_ifindex: v.ifindex });
  mr.sendto(b, group === '0.0.0.0' ? '224.0.0.1' : group); // TTL 1: the kernel's default for multicast
}

// ---- Membership state: group → downstream VIF → who reported, and when it expires ----
const members = new Map<string, Map<number, Membership>>();
/** Sources the kernel told us about, per group (the S of our (S,G) entries), and the entries installed. */
const sources = new Map<string, Set<string>>();
const installed = new Set<string>();

function downstreamVifsWith(group: string): Vif[] {
  const m = members.get(group);
  return downstream.filter((v) => m?.has(v.vifi));
}

/** Brings the kernel's MFC for `group` in line with the membership: one entry per known source. */
function updateRoutes(group: string): void {
  const oifs = downstreamVifsWith(group);
  for (const src of sources.get(group) ?? []) {
    const key = `${src} ${group}`;
    if (oifs.length === 0) {
      // Nobody downstream wants it any more: delete the entry. If the source keeps sending, the kernel asks
      // again (NOCACHE); we only note the source, so its packets die in the kernel's unresolved queue.
      if (!installed.delete(key)) continue;
      mr.setsockopt(IPPROTO_IP, MRT_DEL_MFC, { mfcc_origin: src, mfcc_mcastgrp: group, mfcc_parent: up.vifi });
      log(`removed (${src}, ${group})`);
      continue;
    }
    const ttls = new Array<number>(vifs.length).fill(0);
    for (const v of oifs) ttls[v.vifi] = v.threshold;
    // Adding an entry that exists replaces its outgoing VIFs; adding one the kernel holds as unresolved
    // sends the packets it queued meanwhile.
    mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: src, mfcc_mcastgrp: group, mfcc_parent: up.vifi, mfcc_ttls: ttls });
    installed.add(key);
    log(`(${src}, ${group}) from ${up.name} to ${oifs.map((v) => v.name).join(' ')}`);
  }
}

function setUpstreamMembership(group: string, join: boolean): void {
  // The kernel then sends our IGMP reports (or leaves) upstream, as for any host that joins a group.
  mr.setsockopt(IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, { imr_multiaddr: group, imr_ifindex: up.ifindex });
  log(`${join ? 'joined' : 'left'} ${group} upstream on ${up.name}`);
}

function memberReport(v: Vif, group: string, reporter: string): void {
  if (group.startsWith('224.0.0.')) return; // link-local groups are never routed
  if (v.whitelist.length > 0 && !v.whitelist.some((p) => inside(group, p))) return;
  let byVif = members.get(group);
  const firstAnywhere = !byVif;
  if (!byVif) members.set(group, (byVif = new Map()));
  let m = byVif.get(v.vifi);
  const firstHere = !m;
  if (m) clearTimeout(m.timer);
  else byVif.set(v.vifi, (m = { timer: 0, reporters: new Set() }));
  m.reporters.add(reporter);
  m.timer = setTimeout(() => memberGone(v, group), MEMBERSHIP_TIMEOUT);
  if (firstAnywhere) setUpstreamMembership(group, true);
  if (firstHere) updateRoutes(group);
}

function memberLeave(v: Vif, group: string, reporter: string): void {
  const m = members.get(group)?.get(v.vifi);
  if (!m) return;
  m.reporters.delete(reporter);
  if (conf.quickleave && m.reporters.size === 0) return memberGone(v, group);
  // A non-querier does not ask: the querier will (and we follow its group-specific queries, heardQuery()).
  if (v.otherQuerier !== null) return;
  // Someone else on the LAN may still want the group: ask (group-specific queries); a report restarts the
  // membership timer, silence lets it run out after LAST_MEMBER_COUNT queries.
  clearTimeout(m.timer);
  const ask = (): void => {
    if (members.get(group)?.has(v.vifi)) sendQuery(v, group, LAST_MEMBER_INTERVAL);
  };
  for (let i = 0; i < LAST_MEMBER_COUNT; i++) setTimeout(ask, i * LAST_MEMBER_INTERVAL + 1);
  v.lastMemberUntil = Math.max(v.lastMemberUntil, now() + LAST_MEMBER_COUNT * LAST_MEMBER_INTERVAL + 1);
  m.timer = setTimeout(() => memberGone(v, group), LAST_MEMBER_COUNT * LAST_MEMBER_INTERVAL + 1);
}

function memberGone(v: Vif, group: string): void {
  const byVif = members.get(group);
  const m = byVif?.get(v.vifi);
  if (!byVif || !m) return;
  clearTimeout(m.timer);
  byVif.delete(v.vifi);
  log(`${group}: no members left on ${v.name}`);
  updateRoutes(group);
  if (byVif.size === 0) {
    members.delete(group);
    setUpstreamMembership(group, false);
  }
}

// ---- What arrives on the mroute socket: kernel upcalls and every IGMP packet the router hears ----
mr.onMessage((m) => {
  if (m.kind === 'igmpmsg') {
    if (m.msgtype !== IGMPMSG_NOCACHE) return;
    // Only traffic from upstream is proxied down; a source on a downstream LAN stays there.
    // Our own IGMP reports to G loop back into the kernel's multicast input (the router is a member of G
    // upstream) and look like data from us: not a source to route.
    if (own.has(m.src)) return;
    if (m.vif !== up.vifi) return log(`ignoring ${m.src} → ${m.dst} on VIF ${m.vif}: not the upstream interface`);
    // As igmpproxy: a source must be on the upstream subnet or in an altnet (a source further away needs one).
    if (!up.nets.some((p) => inside(m.src, p))) return log(`the source address ${m.src} for group ${m.dst} is not in any valid net for upstream ${up.name}`);
    let s = sources.get(m.dst);
    if (!s) sources.set(m.dst, (s = new Set()));
    s.add(m.src);
    // No members yet: no entry. The kernel holds the first packets (unresolved) and drops them after 10 s,
    // unless a member joins first; then our MRT_ADD_MFC releases them.
    if (members.has(m.dst)) updateRoutes(m.dst);
    return;
  }
  if (own.has(m.src)) return; // our own reports going upstream, our queries
  const v = downstream.find((d) => d.ifindex === m.ifindex);
  if (!v || !v.nets.some((p) => inside(m.src, p))) return; // not from a host we serve
  const igmp = m.igmp;
  if (igmp.kind === 'report-v1' || igmp.kind === 'report-v2') memberReport(v, igmp.group!, m.src);
  else if (igmp.kind === 'leave-v2') memberLeave(v, igmp.group!, m.src);
  else if (igmp.kind === 'report-v3') {
    for (const r of igmp.records ?? []) {
      // EXCLUDE (any source, or all but some) means "I want the group"; INCLUDE {} means "I left".
      const leaves = (r.type === IGMPV3_CHANGE_TO_INCLUDE || r.type === IGMPV3_MODE_IS_INCLUDE) && r.sources.length === 0;
      if (leaves) memberLeave(v, r.group, m.src);
      else if (r.type !== IGMPV3_BLOCK_OLD_SOURCES) memberReport(v, r.group, m.src);
    }
  }
  // A query from another router on a downstream LAN: the querier election.
  else if (igmp.kind.startsWith('query')) heardQuery(v, m.src, igmp);
});

// ---- Querier: general queries on every downstream interface, faster at startup to learn members soon ----
/** Sends a general query on `v` and schedules the next: `startupLeft` more at the startup interval. */
function query(v: Vif, startupLeft: number): void {
  sendQuery(v, '0.0.0.0', QUERY_RESPONSE);
  v.queryTimer = setTimeout(() => query(v, startupLeft - 1), startupLeft > 0 ? STARTUP_QUERY_INTERVAL : QUERY_INTERVAL);
}
for (const v of downstream) query(v, ROBUSTNESS - 1); // Startup Query Count (= robustness) queries, 31.25 s apart

/** RFC 2236 §3 and §7: a query from a lower address wins the election; a higher one we ignore. */
function heardQuery(v: Vif, from: string, igmp: IgmpHeader): void {
  if (num(from) < num(v.address)) {
    // §3: "Any Querier to non-Querier transition is ignored" while we send last-member queries.
    if (v.otherQuerier === null && now() < v.lastMemberUntil) return log(`${v.name}: query from ${from} ignored during last-member queries`);
    if (v.otherQuerier === null) {
      clearTimeout(v.queryTimer);
      log(`${v.name}: ${from} has a lower address and is the querier; we stop querying`);
    }
    v.otherQuerier = from;
    clearTimeout(v.otherQuerierTimer);
    v.otherQuerierTimer = setTimeout(() => {
      // The querier went quiet: take over at once with a general query (no startup series).
      log(`${v.name}: no query from ${v.otherQuerier} for ${OTHER_QUERIER_PRESENT / 1000} s; we are the querier again`);
      v.otherQuerier = null;
      query(v, 0);
    }, OTHER_QUERIER_PRESENT);
  }
  // A non-querier follows the querier's group-specific queries (RFC 2236 §6): someone left, so the group
  // lasts only Last Member Query Count × Max Resp Time unless a report answers.
  const group = igmp.group ?? '0.0.0.0';
  if (v.otherQuerier !== from || group === '0.0.0.0') return;
  const m = members.get(group)?.get(v.vifi);
  if (!m) return;
  clearTimeout(m.timer);
  const maxResp = (igmp.maxRespTime ?? igmp.maxRespCode ?? QUERY_RESPONSE / 100) * 100; // tenths of a second → ms
  m.timer = setTimeout(() => memberGone(v, group), LAST_MEMBER_COUNT * maxResp);
}
