// net/ipv4/igmp.c: an interface's IGMP state (struct in_device's mc_* fields, ip_mc_init_dev) and the
// helpers every part of igmp.c reads: the compatibility mode (IGMP_V1_SEEN/IGMP_V2_SEEN), the robustness
// variable, the unsolicited report interval, and which groups are ever reported.

import type { Netns } from '../net/netns.js';
import { NSEC_PER_MSEC, type Nanos } from '../sim/time.js';
import { KernelTimer } from '../sim/timer.js';
import { INADDR_ALLHOSTS_GROUP, isLocalMulticast, type Ipv4Addr } from '../wire/inet.js';
import type { InDevice } from './devinet.js';
import { igmpGqTimerExpire, igmpIfcTimerExpire } from './igmp-timer.js';
import { IGMP_QUERY_INTERVAL, IGMP_QUERY_RESPONSE_INTERVAL, type IgmpDev, type IpMcList } from './igmp-types.js';

export const JIFFY = NSEC_PER_MSEC; // HZ = 1000

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
export const reasons = new WeakMap<object, string>();

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

export function sysctlQrv(inDev: InDevice): number {
  return igmpDev(inDev).qrv || inDev.dev.ns.ipv4.sysctl.igmp_qrv;
}

export function llmReports(inDev: InDevice): boolean {
  return inDev.dev.ns.ipv4.sysctl.igmp_link_local_mcast_reports !== 0;
}

/** 224.0.0.1 is never reported; other 224.0.0.x only with igmp_link_local_mcast_reports. */
export function reportable(inDev: InDevice, group: Ipv4Addr): boolean {
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
export function unsolicitedReportInterval(inDev: InDevice): number {
  if (bookProfile(inDev.dev.ns)) return 10_000;
  const v = igmpV1Seen(inDev) || igmpV2Seen(inDev) ? inDev.conf.values.igmpv2_unsolicited_report_interval : inDev.conf.values.igmpv3_unsolicited_report_interval;
  return Math.max(1, v);
}

export function rng(inDev: InDevice) {
  return inDev.dev.ns.sim.rng;
}

export function now(inDev: InDevice): Nanos {
  return inDev.dev.ns.sim.now;
}
