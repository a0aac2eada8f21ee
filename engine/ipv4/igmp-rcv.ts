// igmp_rcv() of net/ipv4/igmp.c: locally delivered IGMP. Queries start report timers
// (igmp_heard_query: version detection, max response time, v3 robustness/interval, source marks);
// v1/v2 reports from other hosts suppress our own (igmp_heard_report). Everything else is for
// routers (raw IGMP sockets such as a multicast routing daemon's) and ignored here.

import { read16, read32 } from '../wire/bytes.js';
import { checksumOk } from '../wire/checksum.js';
import { formatIpv4, INADDR_ALLHOSTS_GROUP, isLocalMulticast, type Ipv4Addr } from '../wire/inet.js';
import { IGMP_HOST_MEMBERSHIP_QUERY, IGMP_HOST_MEMBERSHIP_REPORT, IGMPV2_HOST_MEMBERSHIP_REPORT } from '../wire/igmp.js';
import type { InDevice } from './devinet.js';
import { igmpCancelIfc, igmpDev, igmpGqStartTimer, igmpModTimer, igmpStopTimer, igmpV1Seen, igmpV2Seen, igmpv3ClearDelrec, mcListOf, bookProfile } from './igmp.js';
import { IGMP_QUERY_INTERVAL, IGMP_QUERY_RESPONSE_INTERVAL, MCAST_EXCLUDE, MCAST_INCLUDE, type IpMcList } from './igmp-types.js';
import type { InputSkb, IpInfo } from './ip_input.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import type { Rtable } from './route.js';
import './igmp-proc.js'; // registers /proc/net/igmp and /proc/net/mcfilter

const JIFFY = 1_000_000;

/** IGMPV3_MRC() / IGMPV3_QQIC(): values ≥ 128 are a floating-point (mant | 0x10) << (exp + 3). */
export function igmpv3Exp(code: number): number {
  if (code < 128) return code;
  return ((code & 0x0f) | 0x10) << (((code >> 4) & 0x07) + 3);
}

/** igmp_xmarksources(): EXCLUDE mode; false if every queried source is excluded (no answer needed). */
function igmpXmarksources(pmc: IpMcList, srcs: readonly Ipv4Addr[]): boolean {
  let scount = 0;
  for (const psf of pmc.sources) {
    if (scount === srcs.length) break;
    for (const s of srcs) {
      // skip inactive filters
      if (psf.sfCount[MCAST_INCLUDE] || pmc.sfcount[MCAST_EXCLUDE] !== psf.sfCount[MCAST_EXCLUDE]) break;
      if (s === psf.inaddr) {
        scount++;
        break;
      }
    }
  }
  pmc.gsquery = false;
  return scount !== srcs.length;
}

/** igmp_marksources(): mark the queried INCLUDE sources we listen to; false if none. */
function igmpMarksources(pmc: IpMcList, srcs: readonly Ipv4Addr[]): boolean {
  if (pmc.sfmode === MCAST_EXCLUDE) return igmpXmarksources(pmc, srcs);
  let scount = 0;
  for (const psf of pmc.sources) {
    if (scount === srcs.length) break;
    if (srcs.includes(psf.inaddr)) {
      psf.gsresp = true;
      scount++;
    }
  }
  pmc.gsquery = scount > 0;
  return scount > 0;
}

/** igmp_heard_query(): `ih` is the IGMP message (len bytes). */
export function igmpHeardQuery(inDev: InDevice, ih: Uint8Array, len: number): void {
  const ns = inDev.dev.ns;
  const st = igmpDev(inDev);
  const code = ih[1]!;
  let group = read32(ih, 4);
  let maxDelay: number;
  let mark = false;
  const srcs: Ipv4Addr[] = [];
  const presentUntil = (): number => ns.sim.now + (bookProfile(ns) ? 400_000 : st.qrv * st.qi + st.qri) * JIFFY;
  const out = (decision: string, extra: Record<string, number | string> = {}) =>
    ns.emit('igmp_heard_query', 'lookup', { dev: inDev.dev.name, len, code, group: formatIpv4(group), decision, ...extra });
  if (len === 8) {
    if (code === 0) {
      // an old v1 router is present
      maxDelay = IGMP_QUERY_RESPONSE_INTERVAL;
      st.v1Seen = presentUntil();
      group = 0;
    } else {
      maxDelay = code * 100;
      st.v2Seen = presentUntil();
    }
    igmpCancelIfc(inDev);
    igmpv3ClearDelrec(inDev);
    out(code === 0 ? 'v1 querier' : 'v2 querier', { max_delay_ms: maxDelay });
  } else if (len < 12) {
    out('ignored: bogus length');
    return;
  } else if (igmpV1Seen(inDev)) {
    maxDelay = IGMP_QUERY_RESPONSE_INTERVAL;
    group = 0;
    out('v3 query in v1 mode', { max_delay_ms: maxDelay });
  } else if (igmpV2Seen(inDev)) {
    // v3 encoding of the max delay, as more likely intended in a v3 query
    maxDelay = igmpv3Exp(code) * 100 || 1;
    out('v3 query in v2 mode', { max_delay_ms: maxDelay });
  } else {
    const nsrcs = read16(ih, 10);
    if (len < 12 + 4 * nsrcs) {
      out('ignored: truncated source list');
      return;
    }
    for (let i = 0; i < nsrcs; i++) srcs.push(read32(ih, 12 + 4 * i));
    maxDelay = igmpv3Exp(code) * 100 || 1;
    st.maxdelay = maxDelay;
    if (bookProfile(ns)) {
      // 3.x: only a non-zero QRV is taken (QQIC ignored, a zero QRV keeps the previous value).
      if (ih[8]! & 0x07) st.qrv = ih[8]! & 0x07;
    } else {
      // RFC 3376 §4.1.6/4.1.7: zero QRV/QQIC means the default
      st.qrv = ih[8]! & 0x07 || ns.ipv4.sysctl.igmp_qrv;
      st.qi = igmpv3Exp(ih[9]!) * 1000 || IGMP_QUERY_INTERVAL;
      // RFC 3376 §8.3: the query response interval must be less than the query interval
      if (st.qri >= st.qi) st.qri = (st.qi / 1000 - 1) * 1000;
    }
    if (!group) {
      if (nsrcs) {
        out('ignored: general query with sources');
        return;
      }
      out('v3 general query', { max_delay_ms: maxDelay, qrv: st.qrv, qi_ms: st.qi });
      igmpGqStartTimer(inDev);
      return;
    }
    mark = nsrcs !== 0;
    out(mark ? 'v3 group-and-source-specific query' : 'v3 group-specific query', { max_delay_ms: maxDelay, nsrcs });
  }
  for (const im of mcListOf(inDev)) {
    if (group && group !== im.multiaddr) continue;
    if (im.multiaddr === INADDR_ALLHOSTS_GROUP) continue;
    if (isLocalMulticast(im.multiaddr) && !ns.ipv4.sysctl.igmp_link_local_mcast_reports) continue;
    im.gsquery = im.tmRunning ? im.gsquery && mark : mark;
    const changed = !im.gsquery || igmpMarksources(im, srcs);
    if (changed) igmpModTimer(im, maxDelay);
  }
}

/** igmp_heard_report(): another host reported the group, so we need not (v1/v2 suppression). */
export function igmpHeardReport(inDev: InDevice, group: Ipv4Addr): void {
  const ns = inDev.dev.ns;
  if (group === INADDR_ALLHOSTS_GROUP || (isLocalMulticast(group) && !ns.ipv4.sysctl.igmp_link_local_mcast_reports)) return;
  const im = inDev.mcList.get(group);
  ns.emit('igmp_heard_report', 'lookup', { dev: inDev.dev.name, group: formatIpv4(group), decision: im ? 'suppress own report' : 'not a member' });
  if (im) igmpStopTimer(im, 'report heard from another member');
}

/** igmp_rcv() */
export function igmpRcv(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, _rt: Rtable): void {
  const ns = v4.ns;
  const ih = skb.bytes.subarray(info.headerLength, info.totalLength);
  const inDev = skb.dev.inDev;
  if (ih.length < 8) {
    ns.emit('igmp_rcv', 'drop', { reason: 'PKT_TOO_SMALL' }, skb.pkt);
    return;
  }
  if (!checksumOk(ih)) {
    ns.emit('igmp_rcv', 'drop', { reason: 'CSUM' }, skb.pkt);
    return;
  }
  const type = ih[0]!;
  const ev = ns.emit('igmp_rcv', 'call', { dev: skb.dev.name, type, len: ih.length, src: formatIpv4(info.src), dst: formatIpv4(info.dst) }, skb.pkt);
  ns.sim.trace.within(ev, () => {
    switch (type) {
      case IGMP_HOST_MEMBERSHIP_QUERY:
        igmpHeardQuery(inDev, ih, ih.length);
        break;
      case IGMP_HOST_MEMBERSHIP_REPORT:
      case IGMPV2_HOST_MEMBERSHIP_REPORT:
        // our own report looped back (an output route), or a unicast one: not a reason to keep quiet
        if (skb.pktType === 'LOOPBACK') break;
        if (skb.pktType === 'MULTICAST' || skb.pktType === 'BROADCAST') igmpHeardReport(inDev, read32(ih, 4));
        break;
      default:
        break;
    }
  });
}

