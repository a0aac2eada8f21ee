// net/ipv4/igmp.c: building and sending reports — igmp_send_report (v1/v2 reports, v2 leave),
// igmpv3_send_report (current state) and igmpv3_send_cr (state changes), and the records of left groups
// (igmpv3_add_delrec / del_delrec / clear_delrec) that state-change reports keep announcing.

import { KernelError } from '../net/errno.js';
import { formatIpv4, INADDR_ALLIGMPV3RTRS_GROUP, INADDR_ALLRTRS_GROUP, isLocalMulticast, type Ipv4Addr } from '../wire/inet.js';
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
import { igmpDev, llmReports, mcListOf, reasons, reportable, sysctlQrv } from './igmp-dev.js';
import { addGrec, V3Packets } from './igmp-grec.js';
import { MCAST_EXCLUDE, MCAST_INCLUDE, type IpMcList } from './igmp-types.js';
import { buildDatagram, ipLocalOut } from './ip_output.js';
import { ipRouteOutput } from './route.js';

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
export function igmpv3SendCr(inDev: InDevice): void {
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
export function igmpv3AddDelrec(inDev: InDevice, im: IpMcList): void {
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
export function igmpv3DelDelrec(inDev: InDevice, im: IpMcList): void {
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
