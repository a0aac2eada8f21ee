// net/ipv4/igmp.c, host side: the groups an interface has joined (ip_mc_list, newest first), reference
// counted across sockets with the interface filter derived from all sockets' source lists; joining and
// leaving announce themselves (igmp_group_added / __igmp_group_dropped), device up/down re-announce or
// drop every group. Timers are in igmp-timer.ts, report building in igmp-report.ts, the interface's
// IGMP state in igmp-dev.ts, receive processing in igmp-rcv.ts.

import { devMcAdd, devMcDel } from '../net/dev.js';
import { KernelTimer } from '../sim/timer.js';
import { ethMcMap, formatIpv4, INADDR_ALLHOSTS_GROUP, type Ipv4Addr } from '../wire/inet.js';
import { IGMP_HOST_LEAVE_MESSAGE, IGMP_HOST_MEMBERSHIP_REPORT, IGMPV2_HOST_MEMBERSHIP_REPORT, IGMPV3_HOST_MEMBERSHIP_REPORT } from '../wire/igmp.js';
import { IPPROTO_IGMP } from '../wire/ipv4.js';
import type { InDevice } from './devinet.js';
import { igmpDev, igmpV1Seen, igmpV2Seen, mcListOf, reasons, reportable, sysctlQrv } from './igmp-dev.js';
import { igmpSendReport, igmpv3AddDelrec, igmpv3ClearDelrec, igmpv3DelDelrec } from './igmp-report.js';
import { ipMcAdd1Src, ipMcDel1Src, sfMarkstate, sfSetstate, sourceAllowed } from './igmp-sf.js';
import { igmpIfcEvent, igmpStartTimer, igmpStopTimer, igmpTimerExpire } from './igmp-timer.js';
import { IGMP_INITIAL_REPORT_DELAY, IGMP_QUERY_INTERVAL, IGMP_QUERY_RESPONSE_INTERVAL, MCAST_EXCLUDE, MCAST_INCLUDE, type IpMcList, type SfMode } from './igmp-types.js';

export { MCAST_EXCLUDE, MCAST_INCLUDE, type IgmpDev, type IpMcList, type SfMode } from './igmp-types.js';
export { bookProfile, igmpDev, igmpV1Seen, igmpV2Seen, igmpVersion, mcListOf } from './igmp-dev.js';
export { igmpCancelIfc, igmpSendReport, igmpv3ClearDelrec, igmpv3SendReport } from './igmp-report.js';
export { igmpGqStartTimer, igmpModTimer, igmpStopTimer } from './igmp-timer.js';

/** ip_mc_filter_add/del(): arp_mc_map() maps a group to a MAC only on Ethernet-like devices (not lo, not pimreg). */
function hasArpMcMap(inDev: InDevice): boolean {
  return inDev.dev.kind !== 'loopback' && inDev.dev.kind !== 'pimreg';
}

/** igmp_group_added(): program the NIC filter and announce the membership. */
function igmpGroupAdded(im: IpMcList): void {
  const inDev = im.inDev;
  if (!im.loaded) {
    im.loaded = true;
    // ip_mc_filter_add(): arp_mc_map() has no mapping for the loopback device
    if (hasArpMcMap(inDev)) devMcAdd(inDev.dev, ethMcMap(im.multiaddr));
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
    if (hasArpMcMap(inDev)) devMcDel(inDev.dev, ethMcMap(im.multiaddr));
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

/**
 * ip_mc_destroy_dev(): the device is being unregistered (inetdev_destroy marks it dead first, so
 * nothing is announced): groups are dropped, pending leave records cleared, every group freed. The
 * sockets keep their memberships; leaving later succeeds without a device.
 */
export function ipMcDestroyDev(inDev: InDevice): void {
  const ns = inDev.dev.ns;
  const ev = ns.emit('ip_mc_destroy_dev', 'call', { dev: inDev.dev.name, groups: mcListOf(inDev).map((im) => formatIpv4(im.multiaddr)) });
  ns.sim.trace.within(ev, () => {
    for (const im of mcListOf(inDev)) {
      igmpStopTimer(im, 'device unregistered');
      if (im.loaded && hasArpMcMap(inDev)) devMcDel(inDev.dev, ethMcMap(im.multiaddr));
      im.loaded = false;
    }
    const st = igmpDev(inDev);
    st.ifcCount = 0;
    reasons.set(inDev, 'device unregistered');
    st.ifcTimer.del();
    st.gqRunning = false;
    st.gqTimer.del();
    igmpv3ClearDelrec(inDev);
    inDev.mcList.clear();
  });
}

/**
 * ip_mc_rejoin_groups(), igmp_netdev_event(NETDEV_RESEND_IGMP): after a failover (bonding, team,
 * netdev_notify_peers) every reportable group is reported at once, in the interface's current mode.
 */
export function ipMcRejoinGroups(inDev: InDevice): void {
  const ns = inDev.dev.ns;
  const ev = ns.emit('ip_mc_rejoin_groups', 'call', { dev: inDev.dev.name });
  ns.sim.trace.within(ev, () => {
    for (const im of mcListOf(inDev)) {
      if (!reportable(inDev, im.multiaddr)) continue;
      const type = igmpV1Seen(inDev) ? IGMP_HOST_MEMBERSHIP_REPORT : igmpV2Seen(inDev) ? IGMPV2_HOST_MEMBERSHIP_REPORT : IGMPV3_HOST_MEMBERSHIP_REPORT;
      igmpSendReport(inDev, im, type);
    }
  });
}
