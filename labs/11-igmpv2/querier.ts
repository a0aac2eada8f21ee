// querier.ts: an IGMPv2 querier (RFC 2236, the router side) for one LAN. Linux does not query by itself:
// the router's side of IGMP lives in daemons (mrouted, igmpproxy, pimd, or the bridge's querier). This one
// does what they do: general queries every query interval, and after a Leave two group-specific queries one
// second apart; a group nobody reports for again is forgotten. To hear reports to any group it opens the
// multicast routing socket (MRT_INIT) and makes the interface a VIF, as mrouted does: the kernel then passes
// every IGMP message with Router Alert to it.
//
// Usage (argv): querier.ts -i IFACE [-q QUERY_INTERVAL_S] [-r MAX_RESP_S]
//   defaults: query interval 125 s, max response time 10 s (RFC 2236).

let ifname = '';
let queryInterval = 125_000;
let maxResp = 10_000;
for (let i = 1; i < argv.length; i += 2) {
  const v = argv[i + 1];
  if (v === undefined) throw new Error(`${argv[i]} needs a value`);
  if (argv[i] === '-i') ifname = v;
  else if (argv[i] === '-q') queryInterval = Number(v) * 1000;
  else if (argv[i] === '-r') maxResp = Number(v) * 1000;
  else throw new Error(`usage: ${argv[0]} -i IFACE [-q QUERY_INTERVAL_S] [-r MAX_RESP_S]`);
}
const itf = interfaces().find((x) => x.name === ifname);
if (!itf || itf.addresses.length === 0) throw new Error(`no interface "${ifname}" with an address`);
const myAddr = itf.addresses[0]!.address;

const LAST_MEMBER_INTERVAL = 1_000;
const LAST_MEMBER_COUNT = 2;
const ROBUSTNESS = 2;
const membershipTimeout = ROBUSTNESS * queryInterval + maxResp;

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
mr.setsockopt(IPPROTO_IP, IP_MULTICAST_LOOP, 0);
mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: 0, vifc_lcl_addr: myAddr, vifc_threshold: 1 });
// Leaves go to 224.0.0.2 (all routers): link-local, delivered only to members.
mr.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: '224.0.0.2', imr_ifindex: itf.ifindex });
mr.setsockopt(IPPROTO_IP, IP_MULTICAST_IF, { imr_multiaddr: '0.0.0.0', imr_ifindex: itf.ifindex });

function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** An IGMPv2 query: general (group 0.0.0.0, to 224.0.0.1) or group-specific (to the group). */
function sendQuery(group: string, maxRespMs: number): void {
  const b = new Uint8Array(8);
  b[0] = IGMP_HOST_MEMBERSHIP_QUERY;
  b[1] = Math.max(1, Math.round(maxRespMs / 100)); // tenths of a second; non-zero makes it a v2 query
  group.split('.').forEach((x, i) => (b[4 + i] = Number(x)));
  const c = checksum(b);
  b[2] = c >> 8;
  b[3] = c & 255;
  log(group === '0.0.0.0' ? `general query on ${ifname}` : `group-specific query for ${group} on ${ifname}`);
  mr.sendto(b, group === '0.0.0.0' ? '224.0.0.1' : group);
}

/** group → the timer that forgets it, and whether last-member queries are running. */
const groups = new Map<string, { timer: number; leaving: boolean }>();

function heardReport(group: string, from: string): void {
  const g = groups.get(group);
  if (g) clearTimeout(g.timer);
  else log(`${group}: member present (report from ${from})`);
  groups.set(group, { timer: setTimeout(() => forget(group, 'membership timed out'), membershipTimeout), leaving: false });
}

function forget(group: string, why: string): void {
  groups.delete(group);
  log(`${group}: no members left on ${ifname} (${why})`);
}

function heardLeave(group: string, from: string): void {
  const g = groups.get(group);
  if (!g || g.leaving) return;
  log(`${group}: leave from ${from}, asking if anyone else is a member`);
  g.leaving = true;
  clearTimeout(g.timer);
  for (let i = 0; i < LAST_MEMBER_COUNT; i++) setTimeout(() => groups.get(group)?.leaving && sendQuery(group, LAST_MEMBER_INTERVAL), i * LAST_MEMBER_INTERVAL + 1);
  g.timer = setTimeout(() => forget(group, 'nobody answered the group-specific queries'), LAST_MEMBER_COUNT * LAST_MEMBER_INTERVAL + 1);
}

mr.onMessage((m) => {
  if (m.kind !== 'igmp' || m.ifindex !== itf.ifindex || m.src === myAddr) return;
  const igmp = m.igmp;
  if (igmp.kind === 'report-v1' || igmp.kind === 'report-v2') heardReport(igmp.group!, m.src);
  else if (igmp.kind === 'leave-v2') heardLeave(igmp.group!, m.src);
  else if (igmp.kind === 'report-v3') for (const r of igmp.records ?? []) heardReport(r.group, m.src);
});

sendQuery('0.0.0.0', maxResp);
setInterval(() => sendQuery('0.0.0.0', maxResp), queryInterval);
