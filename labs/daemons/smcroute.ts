// smcroute.ts: a static multicast routing daemon that reads smcroute.conf the way smcrouted 2.5 does.
//
// "The kernel forwards, the daemon decides": this daemon never touches a packet. It opens the mroute socket,
// maps interfaces to VIFs, and tells the kernel which (S,G) goes where with MRT_ADD_MFC. When a packet for a
// group arrives that the kernel has no entry for, the kernel asks (an IGMPMSG_NOCACHE upcall) and we answer
// from the (*,G) "templates" in the config file.
//
// Usage (argv): smcroute.ts [-N] [-f FILE] [-c SEC] [-m SEC]
//   -N       create no VIFs at start; only `phyint IF enable` lines make them (recommended; as smcrouted -N)
//   -f FILE  config file, default /etc/smcroute.conf
//   -c SEC   every SEC seconds, remove learned (S,G) routes that carried no packets since the last check (60)
//   -m SEC   multicast router discovery (mrdisc) advertisement interval, 4-180 (20)
//
// Config (one directive a line, # starts a comment):
//   phyint IFNAME [enable|disable] [mrdisc] [ttl-threshold N]
//   mgroup from IFNAME [source ADDR] group GROUP[/LEN]
//   mroute from IFNAME [source ADDR[/LEN]] group GROUP[/LEN] to IFNAME...
//   include /ABSOLUTE/PATH                    (another file the lab supplies; no wildcards here)
// An interface name ending in + is a wildcard: eth+ matches eth0, eth1, ...
//
// What real smcrouted does, and so this daemon too (checked against smcrouted 2.5.6 in test/oracle):
//   - VIF numbers are handed out lowest-free-first, in the order interfaces are enabled; every VIF is
//     VIFF_USE_IFINDEX, so an interface needs no address to be a VIF.
//   - The MFC's TTL for an outgoing VIF is that interface's ttl-threshold (default 1): the kernel forwards a
//     packet out of VIF i only if its TTL is greater than ttls[i].
//   - A NOCACHE for which no template matches still gets an (S,G) entry, with no outgoing VIFs: without it
//     the kernel would ask again for every packet of that stream.
//   - A bad line is reported (file:line) and skipped; the rest of the file still applies.

/** A route from the file: (S,G) when `source` is a single address, else a template for NOCACHE upcalls. */
interface Route {
  at: string; // "file:line", for messages
  iif: string;
  source: string; // "0.0.0.0" for any source
  srcLen: number;
  group: string;
  grpLen: number;
  oifs: string[];
}

// ---- Command line ----
const opt = { noVifs: false, file: '/etc/smcroute.conf', cacheSec: 60, mrdiscSec: 20 };
for (let i = 1; i < argv.length; i++) {
  const a = argv[i];
  if (a === '-N') opt.noVifs = true;
  else if (a === '-f' && i + 1 < argv.length) opt.file = argv[++i]!;
  else if (a === '-c' && /^\d+$/.test(argv[i + 1] ?? '')) opt.cacheSec = Number(argv[++i]);
  else if (a === '-m' && /^\d+$/.test(argv[i + 1] ?? '')) {
    opt.mrdiscSec = Number(argv[++i]);
    if (opt.mrdiscSec < 4 || opt.mrdiscSec > 180) throw new Error('Invalid mrdisc announcement interval, 4-180.');
  }
  else throw new Error(`usage: ${argv[0]} [-N] [-f FILE] [-c SEC] (unknown argument "${a}")`);
}

// ---- Addresses ----
/** Dotted quad → 32-bit number, or null if it is not one. */
function toNum(a: string): number | null {
  const p = a.split('.');
  if (p.length !== 4 || !p.every((x) => /^\d{1,3}$/.test(x) && Number(x) < 256)) return null;
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}
function inPrefix(addr: string, net: string, len: number): boolean {
  if (len === 0) return true;
  const mask = (0xffffffff << (32 - len)) >>> 0;
  return ((toNum(addr)! & mask) >>> 0) === ((toNum(net)! & mask) >>> 0);
}
/** "239.1.0.0/16" → ["239.1.0.0", 16]; throws with a readable reason. */
function prefix(text: string, what: string): [string, number] {
  const [a, l] = text.split('/');
  const len = l === undefined ? 32 : Number(l);
  if (toNum(a!) === null || !Number.isInteger(len) || len < 0 || len > 32) throw new Error(`invalid ${what}: ${text}`);
  return [a!, len];
}
const isMulticast = (a: string): boolean => toNum(a)! >>> 28 === 14; // 224.0.0.0/4

// ---- The mroute socket and the VIF table ----
// Only one socket per routing table may call MRT_INIT; a second smcroute on this node gets EADDRINUSE.
const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

const vifs: (string | undefined)[] = []; // VIF number → interface name
const threshold = new Map<string, number>(); // interface → ttl-threshold (the TTL it gets in MFC entries)
const vifOf = (name: string): number => vifs.indexOf(name);

function addVif(itf: Interface, ttl: number): void {
  threshold.set(itf.name, ttl);
  if (vifOf(itf.name) >= 0) return; // already a VIF: only the threshold for future MFC entries changes
  let vifi = 0;
  while (vifs[vifi] !== undefined) vifi++; // lowest free number, as smcrouted
  if (vifi >= MAXVIFS) throw new Error(`no free VIF for ${itf.name} (MAXVIFS is ${MAXVIFS})`);
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex, vifc_threshold: ttl });
  vifs[vifi] = itf.name;
  log(`map iface ${itf.name} => VIF ${vifi} (ifindex ${itf.ifindex}, TTL threshold ${ttl})`);
}

function delVif(name: string): void {
  const vifi = vifOf(name);
  if (vifi < 0) return;
  mr.setsockopt(IPPROTO_IP, MRT_DEL_VIF, { vifc_vifi: vifi });
  vifs[vifi] = undefined;
}

// A multicast interface without -N becomes a VIF right away (loopback cannot: it has no IFF_MULTICAST).
const multicastCapable = (i: Interface): boolean => (i.flags & IFF_MULTICAST) !== 0 && (i.flags & IFF_LOOPBACK) === 0;
if (!opt.noVifs) for (const itf of interfaces()) if (multicastCapable(itf)) addVif(itf, 1);

/** Interfaces a config name refers to: "eth0", or "eth+" for every interface starting with "eth". */
function matching(name: string): Interface[] {
  const all = interfaces();
  return name.endsWith('+') ? all.filter((i) => i.name.startsWith(name.slice(0, -1))) : all.filter((i) => i.name === name);
}

// ---- The MFC ----
/** MRT_ADD_MFC: (source, group) arriving on `iif` leaves on each of `oifs`, if its TTL > their threshold. */
function install(source: string, group: string, iif: string, oifs: string[]): void {
  const ttls: number[] = new Array<number>(vifs.length).fill(0);
  for (const o of oifs) if (vifOf(o) >= 0) ttls[vifOf(o)] = threshold.get(o) ?? 1;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: source, mfcc_mcastgrp: group, mfcc_parent: vifOf(iif), mfcc_ttls: ttls });
  log(`add (${source}, ${group}) from ${iif} to ${oifs.length ? oifs.join(' ') : '(nowhere)'}`);
}

const templates: Route[] = [];
/** (S,G) entries learned from upcalls, with their packet count at the last expiry check. */
const learned = new Map<string, { source: string; group: string; pkts: number }>();

// ---- The config file ----
let groupSock: UdpSocket | null = null; // mgroup joins live on their own socket, as in smcrouted

function phyint(w: string[]): void {
  const itfs = matching(w[1] ?? '');
  if (itfs.length === 0) throw new Error(`phyint ${w[1] ?? '(no name)'} does not exist (yet?) on this system`);
  let enable = true;
  let ttl = 1;
  let discovery = false;
  for (let i = 2; i < w.length; i++) {
    if (w[i] === 'enable') enable = true;
    else if (w[i] === 'disable') enable = false;
    else if (w[i] === 'mrdisc') discovery = true;
    else if (w[i] === 'ttl-threshold' && /^\d+$/.test(w[i + 1] ?? '') && Number(w[i + 1]) >= 1 && Number(w[i + 1]) <= 255) ttl = Number(w[++i]);
    else if (w[i] === 'ttl-threshold') continue; // smcrouted accepts a missing value and keeps the default 1
    else throw new Error(`phyint: unknown option "${w[i]}"`);
  }
  for (const itf of itfs) {
    if (enable) addVif(itf, ttl);
    else delVif(itf.name);
    // As smcrouted: mrdisc runs on an interface only while it is a VIF (mrdisc_enable after the VIF is made).
    if (enable && discovery) mrdiscEnable(itf.name);
    else mrdiscDisable(itf.name);
  }
}

/** Reads "from IF [source S] group G ..." and returns its parts and where the words after them start. */
function fromSourceGroup(w: string[]): { iif: string; src: [string, number]; grp: [string, number]; rest: number } {
  if (w[1] !== 'from' || !w[2]) throw new Error(`${w[0]}: expected "from IFNAME"`);
  let i = 3;
  let src: [string, number] = ['0.0.0.0', 0];
  if (w[i] === 'source') {
    src = prefix(w[i + 1] ?? '', 'source address');
    if (src[0] === '0.0.0.0') src[1] = 0; // source 0.0.0.0 is the same as no source: a (*,G) route
    i += 2;
  }
  if (w[i] !== 'group') throw new Error(`${w[0]}: expected "group GROUP"`);
  const grp = prefix(w[i + 1] ?? '', 'multicast group');
  if (!isMulticast(grp[0])) throw new Error(`${w[0]}: Invalid multicast group: ${grp[0]}`);
  return { iif: w[2], src, grp, rest: i + 2 };
}

function mgroup(w: string[]): void {
  const { iif, src, grp, rest } = fromSourceGroup(w);
  if (rest !== w.length) throw new Error(`mgroup: unexpected "${w[rest]}"`);
  if (grp[1] < 24) throw new Error(`mgroup: group range /${grp[1]} is too large (at most /24 here)`);
  if (src[1] > 0 && src[1] < 32) throw new Error('mgroup: a source range is not supported here; give one source address');
  groupSock ??= socket(AF_INET, SOCK_DGRAM);
  for (const itf of matching(iif)) {
    const base = toNum(grp[0])!;
    for (let n = 0; n < 2 ** (32 - grp[1]); n++) {
      const g = [24, 16, 8, 0].map((s) => ((base + n) >>> s) & 255).join('.');
      // A join makes the kernel send IGMP reports on `itf`: switches and upstream routers then send us the
      // group's traffic, even though no local process reads it. With a source, the join is source-specific
      // (IGMPv3 INCLUDE {source}); that form names the interface by its address.
      if (src[1] === 0) groupSock.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: g, imr_ifindex: itf.ifindex });
      else if (itf.addresses.length === 0) throw new Error(`mgroup: ${itf.name} has no address for a source-specific join`);
      else groupSock.setsockopt(IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, { imr_multiaddr: g, imr_interface: itf.addresses[0]!.address, imr_sourceaddr: src[0] });
    }
  }
}

function mroute(w: string[], at: string): void {
  const { iif, src, grp, rest } = fromSourceGroup(w);
  const oifs: string[] = [];
  if (rest < w.length) {
    if (w[rest] !== 'to') throw new Error(`mroute: expected "to IFNAME..." instead of "${w[rest]}"`);
    for (const name of w.slice(rest + 1)) {
      const found = matching(name).filter((i) => vifOf(i.name) >= 0);
      if (found.length === 0) log(`${at}: mroute: outbound ${name} is not a known phyint, skipping`);
      for (const i of found) if (!oifs.includes(i.name)) oifs.push(i.name);
    }
  }
  const iifs = matching(iif).filter((i) => vifOf(i.name) >= 0);
  if (iifs.length === 0) throw new Error(`mroute from ${iif} matches no valid phyint, skipping`);
  for (const i of iifs) {
    if (oifs.includes(i.name)) log(`${at}: mroute: same outbound interface (${i.name}) as inbound may cause routing loops`);
    const r: Route = { at, iif: i.name, source: src[0], srcLen: src[1], group: grp[0], grpLen: grp[1], oifs };
    // A full (S,G) goes into the kernel now; anything with a wildcard waits for the kernel to ask.
    if (src[1] === 32 && grp[1] === 32) install(r.source, r.group, r.iif, r.oifs);
    else templates.push(r);
  }
}

/** Files being read, outermost first: an include of one of them would never end. */
const reading: string[] = [];

function readConfig(file: string, includedAt?: string): void {
  let text: string;
  try {
    text = readFile(file);
  } catch (e) {
    if (!(e instanceof OSError)) throw e;
    // smcrouted globs an include, so a path that matches nothing is skipped without a word; we say so.
    if (includedAt) return log(`${includedAt}: include ${file}: ${e.message}; skipping`);
    return log(`${file}: ${e.message}; running without a configuration`);
  }
  reading.push(file);
  text.split('\n').forEach((raw, n) => {
    const at = `${file}:${n + 1}`; // an included file's lines are reported with its own name
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter((x) => x !== '');
    if (words.length === 0) return;
    try {
      if (words[0] === 'phyint') phyint(words);
      else if (words[0] === 'mgroup') mgroup(words);
      else if (words[0] === 'mroute') mroute(words, at);
      else if (words[0] === 'include') include(words, at);
      else throw new Error(`Unknown command ${words[0]}, skipping`);
    } catch (e) {
      // An error in one line costs that line only, as in smcrouted. A kernel error keeps its errno text.
      log(`${at}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  reading.pop();
}

/** include PATH: the file's lines apply here, as if they were written in place of this line. */
function include(w: string[], at: string): void {
  const path = w[1];
  if (!path || w.length > 2) throw new Error('include: expected one PATH');
  if (!path.startsWith('/')) throw new Error(`include ${path}: give an absolute path`);
  // smcrouted expands PATH with glob(3) and reads the matches in alphabetical order. A daemon here can read
  // the lab's files by name but cannot list them, so a pattern cannot be expanded: name each file.
  if (/[*?[]/.test(path)) throw new Error(`include ${path}: wildcards are not supported here (no directory listing); include each file by name`);
  if (reading.includes(path)) throw new Error(`include ${path}: already being read (an include loop), skipping`);
  readConfig(path, at);
}

// ---- Multicast Router Discovery (RFC 4286), as smcrouted's src/mrdisc.c ----
// A switch that snoops IGMP forwards multicast only to ports where it saw reports, plus router ports. mrdisc
// tells it where the routers are: an Advertisement (IGMP type 0x30) to All-Snoopers 224.0.0.106 with TTL 1,
// sent on each `phyint ... mrdisc` interface when it is enabled and then every -m seconds (20).
//   byte 0: type 0x30   byte 1: Advertisement Interval (s)   bytes 2-3: checksum
//   bytes 4-5: Query Interval   bytes 6-7: Robustness Variable
// Where smcrouted (and so this daemon) differs from the RFC:
//   - one advertisement at start, not MAX_INITIAL_ADVERTISEMENTS (3) spread over 2 s;
//   - one timer for all interfaces, exactly every -m seconds, with no jitter;
//   - Query Interval and Robustness are 0: smcrouted runs no IGMP querier, so it has none to announce;
//   - -m takes effect only after the config file is read (mrdisc_init() runs then), so the advertisements
//     sent while reading it, the first ones, say 20 whatever -m is (seen with smcrouted 2.5.6 -m 4).
// It answers a Solicitation (0x31, sent to All-Routers 224.0.0.2) with an Advertisement at once.
// Like every IGMP message, an Advertisement carries the Router Alert option: smcrouted sets it on the socket
// (IP_OPTIONS 94 04 00 00) and the kernel puts it into each datagram (ip_options_build).
const MRDISC_ALL_SNOOPERS = '224.0.0.106';
const MRDISC_ALL_ROUTERS = '224.0.0.2';
const IGMP_MRDISC_SOLICIT = 0x31;
const mrdiscSocks = new Map<string, RawIgmpSocket>(); // interface → its socket, while mrdisc runs there
let advertInterval = 20; // MRDISC_INTERVAL_DEFAULT, until mrdisc_init() below

function mrdiscPacket(): Uint8Array {
  const b = new Uint8Array(8); // Query Interval and Robustness stay 0
  b[0] = IGMP_MRDISC_ADV;
  b[1] = advertInterval;
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  b[2] = c >> 8;
  b[3] = c & 255;
  return b;
}

function announce(name: string, sock: RawIgmpSocket): void {
  log(`Sending mrdisc announcement on ${name}`);
  try {
    sock.sendto(mrdiscPacket(), MRDISC_ALL_SNOOPERS);
  } catch (e) {
    if (e instanceof OSError && (e.code === 'ENETUNREACH' || e.code === 'ENETDOWN')) return; // link down: try next time
    log(`Failed sending IGMP control message 0x30 on ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function mrdiscEnable(name: string): void {
  if (mrdiscSocks.has(name)) return;
  // One raw IGMP socket per interface, bound to it: what it sends leaves there, and it hears only that LAN.
  const s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
  s.setsockopt(SOL_SOCKET, SO_BINDTODEVICE, name);
  // Solicitations go to All-Routers; All-Snoopers is joined as smcrouted does (so a switch sees a member).
  for (const g of [MRDISC_ALL_SNOOPERS, MRDISC_ALL_ROUTERS]) s.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: g, imr_ifindex: matching(name)[0]!.ifindex });
  s.setsockopt(IPPROTO_IP, IP_MULTICAST_TTL, 1); // RFC 4286: link-local, TTL 1
  s.setsockopt(IPPROTO_IP, IP_MULTICAST_LOOP, 0);
  s.setsockopt(IPPROTO_IP, IP_OPTIONS, new Uint8Array([0x94, 4, 0, 0])); // Router Alert (RFC 2113)
  s.onMessage((m) => {
    if (m.kind === 'igmp' && m.igmp.type === IGMP_MRDISC_SOLICIT) {
      log(`Received mrdisc solicitation on ${name} from ${m.src}`);
      announce(name, s);
    }
  });
  mrdiscSocks.set(name, s);
  announce(name, s);
}

function mrdiscDisable(name: string): void {
  mrdiscSocks.get(name)?.close();
  mrdiscSocks.delete(name);
}

readConfig(opt.file);

// smcrouted's mrdisc_init(), after the config file: one periodic timer for every active interface.
advertInterval = opt.mrdiscSec;
setInterval(() => {
  for (const [name, s] of mrdiscSocks) announce(name, s);
}, opt.mrdiscSec * 1000);

// ---- The kernel's questions ----
mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg') return; // IGMP reports from hosts also arrive here; a static router ignores them
  if (m.msgtype === IGMPMSG_WRONGVIF) return log(`multicast from ${m.src}, group ${m.dst}, coming in on wrong VIF ${m.vif}`);
  if (m.msgtype !== IGMPMSG_NOCACHE) return;
  const iif = vifs[m.vif];
  if (iif === undefined) return;
  const t = templates.find((r) => r.iif === iif && inPrefix(m.dst, r.group, r.grpLen) && inPrefix(m.src, r.source, r.srcLen));
  // No template: install the entry anyway, with no outgoing VIFs, so the kernel stops asking.
  install(m.src, m.dst, iif, t ? t.oifs : []);
  if (!t) log(`multicast from ${m.src}, group ${m.dst}, on ${iif} does not match any (*,G) rule`);
  learned.set(`${m.src} ${m.dst}`, { source: m.src, group: m.dst, pkts: 0 });
});

// Learned routes whose counters did not move since the last check are removed: if the source comes back,
// the kernel asks again and the answer reflects the templates (and interfaces) as they are then.
if (opt.cacheSec > 0) {
  setInterval(() => {
    for (const [key, r] of learned) {
      const c = mr.ioctl(SIOCGETSGCNT, { src: r.source, grp: r.group });
      if (c.pktcnt !== r.pkts) {
        r.pkts = c.pktcnt;
        continue;
      }
      mr.setsockopt(IPPROTO_IP, MRT_DEL_MFC, { mfcc_origin: r.source, mfcc_mcastgrp: r.group, mfcc_parent: 0 });
      learned.delete(key);
      log(`expired unused (${r.source}, ${r.group})`);
    }
  }, opt.cacheSec * 1000);
}
