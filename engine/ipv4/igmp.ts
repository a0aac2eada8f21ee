// net/ipv4/igmp.c, host side: the groups an interface has joined (ip_mc_list, newest first), reference
// counted across sockets with the interface filter derived from all sockets' source lists, and the
// IGMP v1/v2/v3 protocol machinery around them: unsolicited reports on join, v2 leaves, v3 state-change
// reports and their retransmissions, compatibility mode, and device up/down. Every timer is a
// KernelTimer named after the kernel's timer function. Receive processing is in igmp-rcv.ts.

import { KernelError } from '../net/errno.js';
import { devMcAdd, devMcDel } from '../net/dev.js';
import type { Netns } from '../net/netns.js';
import { NSEC_PER_MSEC, type Nanos } from '../sim/time.js';
import { KernelTimer } from '../sim/timer.js';
import { ethMcMap, formatIpv4, INADDR_ALLHOSTS_GROUP, INADDR_ALLIGMPV3RTRS_GROUP, INADDR_ALLRTRS_GROUP, isLocalMulticast, type Ipv4Addr } from '../wire/inet.js';
import {
  encodeIgmp,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_ALLOW_NEW_SOURCES,
  IGMPV3_BLOCK_OLD_SOURCES,
  IGMPV3_CHANGE_TO_EXCLUDE,
  IGMPV3_CHANGE_TO_INCLUDE,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_MODE_IS_EXCLUDE,
  IGMPV3_MODE_IS_INCLUDE,
  igmpv3RecordTypeName,
  type IgmpGroupRecord,
  type IgmpMessage,
} from '../wire/igmp.js';
import { IPPROTO_IGMP } from '../wire/ipv4.js';
import { routerAlert } from '../wire/ipv4-options.js';
import type { InDevice } from './devinet.js';
import { flow } from './fib-types.js';
import { addGrec, V3Packets } from './igmp-grec.js';
import { ipMcAdd1Src, ipMcDel1Src, sfMarkstate, sfSetstate, sourceAllowed } from './igmp-sf.js';
import { IGMP_INITIAL_REPORT_DELAY, IGMP_QUERY_INTERVAL, IGMP_QUERY_RESPONSE_INTERVAL, MCAST_EXCLUDE, MCAST_INCLUDE, type IgmpDev, type IpMcList, type SfMode } from './igmp-types.js';
import { buildDatagram, ipLocalOut } from './ip_output.js';
import { ipRouteOutput } from './route.js';

export { MCAST_EXCLUDE, MCAST_INCLUDE, type IgmpDev, type IpMcList, type SfMode } from './igmp-types.js';

const JIFFY = NSEC_PER_MSEC; // HZ = 1000

/**
 * The "book" profile reproduces Linux 3.x (the chapter's kernel): a fixed 400 s older-querier-present
 * timeout, a 10 s unsolicited report interval for every version, and 3 unsolicited v1/v2 reports.
 * The Network has no `profile` field yet; this reads one if the lab layer adds it (`profile: 'book'`).
 */
export function bookProfile(ns: Netns): boolean {
  return (ns.net as unknown as { profile?: unknown }).profile === 'book';
}

const igmpDevs = new WeakMap<InDevice, IgmpDev>();
/** Why a timer was last armed or cancelled (shown in its mod_timer/del_timer trace events). */
const reasons = new WeakMap<object, string>();

/** The IGMP state of an interface (ip_mc_init_dev on first use). */
export function igmpDev(inDev: InDevice): IgmpDev {
  let st = igmpDevs.get(inDev);
  if (st) return st;
  const ns = inDev.dev.ns;
  const describe = () => ({ dev: inDev.dev.name, reason: reasons.get(inDev) ?? '' });
  st = {
    v1Seen: 0,
    v2Seen: 0,
    qi: IGMP_QUERY_INTERVAL,
    qri: IGMP_QUERY_RESPONSE_INTERVAL,
    qrv: ns.ipv4.sysctl.igmp_qrv,
    maxdelay: 0,
    gqRunning: false,
    gqTimer: new KernelTimer(ns.sim, ns.name, 'igmp_gq_timer_expire', () => igmpGqTimerExpire(inDev), describe),
    ifcTimer: new KernelTimer(ns.sim, ns.name, 'igmp_ifc_timer_expire', () => igmpIfcTimerExpire(inDev), describe),
    ifcCount: 0,
    tomb: [],
  };
  igmpDevs.set(inDev, st);
  return st;
}

/** The groups of an interface in kernel list order (newest first). */
export function mcListOf(inDev: InDevice): IpMcList[] {
  return [...inDev.mcList.values()].reverse();
}

function sysctlQrv(inDev: InDevice): number {
  return igmpDev(inDev).qrv || inDev.dev.ns.ipv4.sysctl.igmp_qrv;
}

function llmReports(inDev: InDevice): boolean {
  return inDev.dev.ns.ipv4.sysctl.igmp_link_local_mcast_reports !== 0;
}

/** 224.0.0.1 is never reported; other 224.0.0.x only with igmp_link_local_mcast_reports. */
function reportable(inDev: InDevice, group: Ipv4Addr): boolean {
  if (group === INADDR_ALLHOSTS_GROUP) return false;
  return !(isLocalMulticast(group) && !llmReports(inDev));
}

function forced(inDev: InDevice, v: number): boolean {
  return inDev.dev.ns.ipv4.devconfAll.values.force_igmp_version === v || inDev.conf.values.force_igmp_version === v;
}

/** IGMP_V1_SEEN() */
export function igmpV1Seen(inDev: InDevice): boolean {
  const st = igmpDev(inDev);
  return forced(inDev, 1) || (st.v1Seen !== 0 && inDev.dev.ns.sim.now < st.v1Seen);
}

/** IGMP_V2_SEEN() */
export function igmpV2Seen(inDev: InDevice): boolean {
  const st = igmpDev(inDev);
  return forced(inDev, 2) || (st.v2Seen !== 0 && inDev.dev.ns.sim.now < st.v2Seen);
}

/** The compatibility mode the interface runs in (the "Querier" column of /proc/net/igmp). */
export function igmpVersion(inDev: InDevice): 1 | 2 | 3 {
  return igmpV1Seen(inDev) ? 1 : igmpV2Seen(inDev) ? 2 : 3;
}

/** unsolicited_report_interval(), in jiffies (at least 1). */
function unsolicitedReportInterval(inDev: InDevice): number {
  if (bookProfile(inDev.dev.ns)) return 10_000;
  const v = igmpV1Seen(inDev) || igmpV2Seen(inDev) ? inDev.conf.values.igmpv2_unsolicited_report_interval : inDev.conf.values.igmpv3_unsolicited_report_interval;
  return Math.max(1, v);
}

function rng(inDev: InDevice) {
  return inDev.dev.ns.sim.rng;
}

function now(inDev: InDevice): Nanos {
  return inDev.dev.ns.sim.now;
}

/** igmp_stop_timer() */
export function igmpStopTimer(im: IpMcList, reason: string): void {
  reasons.set(im, reason);
  im.timer?.del();
  im.tmRunning = false;
  im.reporter = false;
  im.unsolicitCount = 0;
}

/** igmp_start_timer(): fire at a random point of [0, max_delay) jiffies, plus 2. */
function igmpStartTimer(im: IpMcList, maxDelay: number, reason: string): void {
  reasons.set(im, reason);
  const tv = rng(im.inDev).below(maxDelay);
  im.tmRunning = true;
  im.timer?.mod(now(im.inDev) + (tv + 2) * JIFFY);
}

/** igmp_mod_timer(): a query asks for a report within max_delay; an earlier pending report stands. */
export function igmpModTimer(im: IpMcList, maxDelay: number): void {
  im.unsolicitCount = 0;
  if (im.timer?.pending && im.timer.expires - now(im.inDev) < maxDelay * JIFFY) {
    im.tmRunning = true;
    return;
  }
  igmpStartTimer(im, maxDelay, 'query');
}

/** igmp_gq_start_timer(): the general-query response; an already running earlier one is kept. */
export function igmpGqStartTimer(inDev: InDevice): void {
  const st = igmpDev(inDev);
  const tv = rng(inDev).below(st.maxdelay);
  const exp = now(inDev) + (tv + 2) * JIFFY;
  if (st.gqRunning && exp >= st.gqTimer.expires) return;
  st.gqRunning = true;
  reasons.set(inDev, 'v3 general query');
  st.gqTimer.mod(exp);
}

function igmpIfcStartTimer(inDev: InDevice, delay: number, reason: string): void {
  reasons.set(inDev, reason);
  const tv = rng(inDev).below(delay);
  igmpDev(inDev).ifcTimer.mod(now(inDev) + (tv + 2) * JIFFY);
}

/** igmp_ifc_event(): a v3 state change is to be reported (qrv times); not in v1/v2 mode. */
function igmpIfcEvent(inDev: InDevice, reason: string): void {
  if (igmpV1Seen(inDev) || igmpV2Seen(inDev)) return;
  const st = igmpDev(inDev);
  st.ifcCount = sysctlQrv(inDev);
  igmpIfcStartTimer(inDev, 1, reason);
}

/** igmp_timer_expire(): the group's report (unsolicited repeat or query answer) is due. */
function igmpTimerExpire(im: IpMcList): void {
  const inDev = im.inDev;
  im.tmRunning = false;
  if (bookProfile(inDev.dev.ns)) {
    if (im.unsolicitCount) {
      im.unsolicitCount--;
      igmpStartTimer(im, unsolicitedReportInterval(inDev), 'unsolicited report repeat');
    }
  } else if (im.unsolicitCount && --im.unsolicitCount) {
    igmpStartTimer(im, unsolicitedReportInterval(inDev), 'unsolicited report repeat');
  }
  im.reporter = true;
  if (igmpV1Seen(inDev)) igmpSendReport(inDev, im, IGMP_HOST_MEMBERSHIP_REPORT);
  else if (igmpV2Seen(inDev)) igmpSendReport(inDev, im, IGMPV2_HOST_MEMBERSHIP_REPORT);
  else igmpSendReport(inDev, im, IGMPV3_HOST_MEMBERSHIP_REPORT);
}

/** igmp_gq_timer_expire(): answer a v3 general query with the current state of every group. */
function igmpGqTimerExpire(inDev: InDevice): void {
  igmpDev(inDev).gqRunning = false;
  igmpv3SendReport(inDev, null);
}

/** igmp_ifc_timer_expire(): send the pending state-change records, then retransmit while counts remain. */
function igmpIfcTimerExpire(inDev: InDevice): void {
  const st = igmpDev(inDev);
  igmpv3SendCr(inDev);
  if (st.ifcCount) {
    st.ifcCount--;
    igmpIfcStartTimer(inDev, unsolicitedReportInterval(inDev), 'state-change retransmission');
  }
}

/** Route and transmit one IGMP message the way igmp_send_report / igmpv3_newpack build it. */
function igmpXmit(inDev: InDevice, dst: Ipv4Addr, msg: IgmpMessage, v3src: boolean): number | null {
  const v4 = inDev.dev.ns.ipv4;
  let rt;
  try {
    rt = ipRouteOutput(v4, flow({ daddr: dst, oif: inDev.dev.ifindex, proto: IPPROTO_IGMP }));
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    inDev.dev.ns.emit('ip_route_output_ports', 'drop', { dev: inDev.dev.name, dst: formatIpv4(dst), errno: e.errno, reason: 'NO_ROUTE' });
    return null;
  }
  // igmpv3_get_srcaddr(): the route's source only if it is an address of this interface (RFC 3376 §4.2.13).
  const src = v3src && !inDev.ifaList.some((i) => i.local === rt.src) ? 0 : rt.src;
  const bytes = buildDatagram(v4, { src, dst, protocol: IPPROTO_IGMP, ttl: 1, tos: 0xc0, df: true, options: [routerAlert()] }, encodeIgmp(msg));
  return ipLocalOut(v4, bytes, rt);
}

/** igmp_send_report(): a v1/v2 report to the group, a leave to 224.0.0.2; v3 goes to igmpv3_send_report. */
export function igmpSendReport(inDev: InDevice, pmc: IpMcList | null, type: number): void {
  if (type === IGMPV3_HOST_MEMBERSHIP_REPORT) {
    igmpv3SendReport(inDev, pmc);
    return;
  }
  const group = pmc!.multiaddr;
  if (isLocalMulticast(group) && !llmReports(inDev)) return;
  const dst = type === IGMP_HOST_LEAVE_MESSAGE ? INADDR_ALLRTRS_GROUP : group;
  const kind = type === IGMP_HOST_MEMBERSHIP_REPORT ? 'report-v1' : type === IGMPV2_HOST_MEMBERSHIP_REPORT ? 'report-v2' : 'leave-v2';
  const ev = inDev.dev.ns.emit('igmp_send_report', 'call', { dev: inDev.dev.name, type: kind, group: formatIpv4(group), dst: formatIpv4(dst) });
  inDev.dev.ns.sim.trace.within(ev, () => igmpXmit(inDev, dst, { kind, group } as IgmpMessage, false));
}

function describeRecords(recs: IgmpGroupRecord[]): string[] {
  return recs.map((r) => `${igmpv3RecordTypeName(r.type)} ${formatIpv4(r.group)} {${r.sources.map(formatIpv4).join(',')}}`);
}

function sendV3(inDev: InDevice, pk: V3Packets, fn: string): void {
  for (const records of pk.result()) {
    const ev = inDev.dev.ns.emit(fn, 'call', { dev: inDev.dev.name, records: describeRecords(records) });
    inDev.dev.ns.sim.trace.within(ev, () => igmpXmit(inDev, INADDR_ALLIGMPV3RTRS_GROUP, { kind: 'report-v3', records }, true));
  }
}

/** igmpv3_send_report(): current-state records for one group, or for all (general query answer). */
export function igmpv3SendReport(inDev: InDevice, pmc: IpMcList | null): void {
  const pk = new V3Packets(inDev.dev.mtu);
  const llm = llmReports(inDev);
  for (const im of pmc ? [pmc] : mcListOf(inDev)) {
    if (!pmc && !reportable(inDev, im.multiaddr)) continue;
    addGrec(pk, im, im.sfcount[MCAST_EXCLUDE] ? IGMPV3_MODE_IS_EXCLUDE : IGMPV3_MODE_IS_INCLUDE, false, false, llm);
  }
  sendV3(inDev, pk, 'igmpv3_send_report');
}

/** igmpv3_send_cr(): one state-change report: left groups (tombs) first, then source and mode changes. */
function igmpv3SendCr(inDev: InDevice): void {
  const st = igmpDev(inDev);
  const pk = new V3Packets(inDev.dev.mtu);
  const llm = llmReports(inDev);
  for (const pmc of [...st.tomb]) {
    if (pmc.sfmode === MCAST_INCLUDE) {
      addGrec(pk, pmc, IGMPV3_BLOCK_OLD_SOURCES, true, false, llm);
      addGrec(pk, pmc, IGMPV3_BLOCK_OLD_SOURCES, true, true, llm);
    }
    if (pmc.crcount) {
      if (pmc.sfmode === MCAST_EXCLUDE) addGrec(pk, pmc, IGMPV3_CHANGE_TO_INCLUDE, true, false, llm);
      pmc.crcount--;
      if (pmc.crcount === 0) {
        pmc.tomb = pmc.tomb.filter((p) => p.crcount !== 0);
        pmc.sources = pmc.sources.filter((p) => p.crcount !== 0);
      }
    }
    if (pmc.crcount === 0 && pmc.tomb.length === 0 && pmc.sources.length === 0) st.tomb.splice(st.tomb.indexOf(pmc), 1);
  }
  for (const pmc of mcListOf(inDev)) {
    const ex = pmc.sfcount[MCAST_EXCLUDE] !== 0;
    addGrec(pk, pmc, ex ? IGMPV3_BLOCK_OLD_SOURCES : IGMPV3_ALLOW_NEW_SOURCES, false, false, llm);
    addGrec(pk, pmc, ex ? IGMPV3_ALLOW_NEW_SOURCES : IGMPV3_BLOCK_OLD_SOURCES, false, true, llm); // deleted sources
    if (pmc.crcount) {
      addGrec(pk, pmc, pmc.sfmode === MCAST_EXCLUDE ? IGMPV3_CHANGE_TO_EXCLUDE : IGMPV3_CHANGE_TO_INCLUDE, false, false, llm);
      pmc.crcount--;
    }
  }
  sendV3(inDev, pk, 'igmpv3_send_report');
}

/** igmpv3_add_delrec(): remember a left group so its leave is reported qrv times. */
function igmpv3AddDelrec(inDev: InDevice, im: IpMcList): void {
  const qrv = sysctlQrv(inDev);
  const pmc: IpMcList = { ...im, timer: null, tmRunning: false, sources: [], tomb: [], crcount: qrv, sfcount: [im.sfcount[0], im.sfcount[1]] };
  if (pmc.sfmode === MCAST_INCLUDE) {
    pmc.tomb = im.tomb;
    pmc.sources = im.sources;
    im.tomb = [];
    im.sources = [];
    for (const psf of pmc.sources) psf.crcount = qrv;
  }
  igmpDev(inDev).tomb.unshift(pmc);
}

/** igmpv3_del_delrec(): re-joining a group that is still being reported as left cancels the leave. */
function igmpv3DelDelrec(inDev: InDevice, im: IpMcList): void {
  const st = igmpDev(inDev);
  const i = st.tomb.findIndex((p) => p.multiaddr === im.multiaddr);
  if (i < 0) return;
  const [pmc] = st.tomb.splice(i, 1);
  const qrv = sysctlQrv(inDev);
  if (im.sfmode === MCAST_INCLUDE) {
    [im.tomb, pmc!.tomb] = [pmc!.tomb, im.tomb];
    [im.sources, pmc!.sources] = [pmc!.sources, im.sources];
    for (const psf of im.sources) psf.crcount = qrv;
  } else {
    im.crcount = qrv;
  }
}

/** igmpv3_clear_delrec(): a v1/v2 querier makes pending v3 leave records moot. */
export function igmpv3ClearDelrec(inDev: InDevice): void {
  igmpDev(inDev).tomb = [];
  for (const pmc of inDev.mcList.values()) {
    pmc.tomb = [];
    for (const psf of pmc.sources) psf.crcount = 0;
    pmc.crcount = 0;
  }
}

/** Stop the v3 state-change retransmissions (a v1/v2 query was heard). */
export function igmpCancelIfc(inDev: InDevice): void {
  const st = igmpDev(inDev);
  st.ifcCount = 0;
  reasons.set(inDev, 'v1/v2 querier heard');
  st.ifcTimer.del();
}

/** igmp_group_added(): program the NIC filter and announce the membership. */
function igmpGroupAdded(im: IpMcList): void {
  const inDev = im.inDev;
  if (!im.loaded) {
    im.loaded = true;
    // ip_mc_filter_add(): arp_mc_map() has no mapping for the loopback device
    if (inDev.dev.kind !== 'loopback') devMcAdd(inDev.dev, ethMcMap(im.multiaddr));
  }
  if (!reportable(inDev, im.multiaddr)) return;
  im.unsolicitCount = inDev.dev.ns.ipv4.sysctl.igmp_qrv;
  if (igmpV1Seen(inDev) || igmpV2Seen(inDev)) {
    igmpStartTimer(im, IGMP_INITIAL_REPORT_DELAY, 'join: unsolicited report');
    return;
  }
  // RFC 3376 §5.1: a new INCLUDE (SSM) join changes IN() to IN(A), no filter-mode change record.
  if (im.sfmode === MCAST_EXCLUDE) im.crcount = sysctlQrv(inDev);
  igmpIfcEvent(inDev, 'join');
}

/** __igmp_group_dropped(): unprogram the NIC filter and announce the leave (v2 leave or v3 record). */
function igmpGroupDropped(im: IpMcList): void {
  const inDev = im.inDev;
  if (im.loaded) {
    im.loaded = false;
    if (inDev.dev.kind !== 'loopback') devMcDel(inDev.dev, ethMcMap(im.multiaddr));
  }
  if (!reportable(inDev, im.multiaddr)) return;
  const reporter = im.reporter;
  igmpStopTimer(im, 'group dropped');
  if (igmpV1Seen(inDev)) return;
  if (igmpV2Seen(inDev)) {
    // Only the host that sent the last report for the group says goodbye.
    if (reporter) igmpSendReport(inDev, im, IGMP_HOST_LEAVE_MESSAGE);
    return;
  }
  igmpv3AddDelrec(inDev, im);
  igmpIfcEvent(inDev, 'leave');
}

/** ____ip_mc_inc_group(): one more join of `group` on the interface, in filter mode `mode`. */
export function ipMcIncGroup(inDev: InDevice, group: Ipv4Addr, mode: SfMode = MCAST_EXCLUDE): void {
  const ns = inDev.dev.ns;
  const existing = inDev.mcList.get(group);
  if (existing) {
    existing.users++;
    ns.emit('ip_mc_inc_group', 'state', { dev: inDev.dev.name, group: formatIpv4(group), users: existing.users, mode: mode === MCAST_INCLUDE ? 'INCLUDE' : 'EXCLUDE' });
    ipMcAddSrc(inDev, group, mode, [], false);
    return;
  }
  const im: IpMcList = {
    inDev,
    multiaddr: group,
    users: 1,
    sfmode: mode,
    sfcount: mode === MCAST_EXCLUDE ? [1, 0] : [0, 1],
    sources: [],
    tomb: [],
    timer: null,
    tmRunning: false,
    reporter: false,
    unsolicitCount: 0,
    gsquery: false,
    crcount: 0,
    loaded: false,
  };
  im.timer = new KernelTimer(ns.sim, ns.name, 'igmp_timer_expire', () => igmpTimerExpire(im), () => ({ dev: inDev.dev.name, group: formatIpv4(group), reason: reasons.get(im) ?? '' }));
  inDev.mcList.set(group, im);
  const ev = ns.emit('ip_mc_inc_group', 'state', { dev: inDev.dev.name, group: formatIpv4(group), users: 1, mode: mode === MCAST_INCLUDE ? 'INCLUDE' : 'EXCLUDE' });
  ns.sim.trace.within(ev, () => {
    igmpv3DelDelrec(inDev, im);
    igmpGroupAdded(im);
  });
}

/** __ip_mc_dec_group(): one join fewer; the last one removes the group. */
export function ipMcDecGroup(inDev: InDevice, group: Ipv4Addr): void {
  const im = inDev.mcList.get(group);
  if (!im) return;
  const ns = inDev.dev.ns;
  const ev = ns.emit('ip_mc_dec_group', 'state', { dev: inDev.dev.name, group: formatIpv4(group), users: im.users - 1 });
  if (--im.users > 0) return;
  inDev.mcList.delete(group);
  ns.sim.trace.within(ev, () => igmpGroupDropped(im));
}

/** ip_mc_add_src(): socket source list entries (or, with none, one more join in `sfmode`) enter the interface filter. */
export function ipMcAddSrc(inDev: InDevice, group: Ipv4Addr, sfmode: SfMode, srcs: readonly Ipv4Addr[], delta: boolean): void {
  const pmc = inDev.mcList.get(group);
  if (!pmc) return;
  sfMarkstate(pmc);
  const isexclude = pmc.sfmode === MCAST_EXCLUDE;
  if (!delta) pmc.sfcount[sfmode]++;
  for (const s of srcs) ipMcAdd1Src(pmc, sfmode, s);
  if (isexclude !== (pmc.sfcount[MCAST_EXCLUDE] !== 0)) {
    filterModeChange(pmc);
  } else if (sfSetstate(pmc, igmpDev(inDev).qrv)) {
    igmpIfcEvent(inDev, 'source list change');
  }
}

function filterModeChange(pmc: IpMcList): void {
  if (pmc.sfcount[MCAST_EXCLUDE]) pmc.sfmode = MCAST_EXCLUDE;
  else if (pmc.sfcount[MCAST_INCLUDE]) pmc.sfmode = MCAST_INCLUDE;
  // else no filters; keep the old mode for reports
  pmc.crcount = sysctlQrv(pmc.inDev);
  igmpDev(pmc.inDev).ifcCount = pmc.crcount;
  for (const psf of pmc.sources) psf.crcount = 0;
  igmpIfcEvent(pmc.inDev, 'filter mode change');
}

/** ip_mc_del_src(): the reverse of ip_mc_add_src(). Returns an errno-style result (0, or -ESRCH/-EINVAL). */
export function ipMcDelSrc(inDev: InDevice, group: Ipv4Addr, sfmode: SfMode, srcs: readonly Ipv4Addr[], delta: boolean): number {
  const pmc = inDev.mcList.get(group);
  if (!pmc) return -3;
  sfMarkstate(pmc);
  if (!delta) {
    if (!pmc.sfcount[sfmode]) return -22;
    pmc.sfcount[sfmode]--;
  }
  const v3 = !igmpV1Seen(inDev) && !igmpV2Seen(inDev);
  let changerec = false;
  let err = 0;
  for (const s of srcs) {
    const rv = ipMcDel1Src(pmc, sfmode, s, v3 ? sysctlQrv(inDev) : null);
    if (rv > 0) changerec = true;
    if (!err && rv < 0) err = -3;
  }
  if (pmc.sfmode === MCAST_EXCLUDE && pmc.sfcount[MCAST_EXCLUDE] === 0 && pmc.sfcount[MCAST_INCLUDE]) {
    pmc.sfmode = MCAST_INCLUDE;
    pmc.crcount = sysctlQrv(inDev);
    igmpDev(inDev).ifcCount = pmc.crcount;
    for (const psf of pmc.sources) psf.crcount = 0;
    igmpIfcEvent(inDev, 'filter mode change');
  } else if (sfSetstate(pmc, igmpDev(inDev).qrv) || changerec) {
    igmpIfcEvent(inDev, 'source list change');
  }
  return err;
}

/** ip_mc_up(): reset the query parameters, join 224.0.0.1, and announce every group again. */
export function ipMcUp(inDev: InDevice): void {
  const st = igmpDev(inDev);
  st.qi = IGMP_QUERY_INTERVAL;
  st.qri = IGMP_QUERY_RESPONSE_INTERVAL;
  st.qrv = inDev.dev.ns.ipv4.sysctl.igmp_qrv;
  ipMcIncGroup(inDev, INADDR_ALLHOSTS_GROUP);
  for (const pmc of mcListOf(inDev)) {
    igmpv3DelDelrec(inDev, pmc);
    igmpGroupAdded(pmc);
  }
}

/** ip_mc_down(): every group is dropped (leave attempts fail: the device is already down), timers stop. */
export function ipMcDown(inDev: InDevice): void {
  for (const pmc of mcListOf(inDev)) igmpGroupDropped(pmc);
  const st = igmpDev(inDev);
  st.ifcCount = 0;
  reasons.set(inDev, 'device down');
  st.ifcTimer.del();
  st.gqRunning = false;
  st.gqTimer.del();
  ipMcDecGroup(inDev, INADDR_ALLHOSTS_GROUP);
}

/** ip_check_mc_rcu(): is `group` from `src` wanted on this interface? IGMP is, whenever the group exists. */
export function ipCheckMc(inDev: InDevice, group: Ipv4Addr, src: Ipv4Addr, proto: number): boolean {
  const im = inDev.mcList.get(group);
  if (!im) return false;
  if (proto === IPPROTO_IGMP || !src) return true;
  return sourceAllowed(im, src);
}
