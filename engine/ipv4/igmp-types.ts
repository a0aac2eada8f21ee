// The IGMP host-side structures of include/linux/igmp.h and struct in_device (linux/inetdevice.h):
// one ip_mc_list per group joined on an interface, its source list (ip_sf_list) and the interface's
// IGMP state (querier version seen, query intervals, the general-query and state-change timers).

import type { KernelTimer } from '../sim/timer.js';
import type { Nanos } from '../sim/time.js';
import type { Ipv4Addr } from '../wire/inet.js';
import type { InDevice } from './devinet.js';

export const MCAST_EXCLUDE = 0;
export const MCAST_INCLUDE = 1;
export type SfMode = typeof MCAST_EXCLUDE | typeof MCAST_INCLUDE;

/** IGMP_QUERY_INTERVAL, IGMP_QUERY_RESPONSE_INTERVAL (jiffies, HZ = 1000). */
export const IGMP_QUERY_INTERVAL = 125_000;
export const IGMP_QUERY_RESPONSE_INTERVAL = 10_000;
/** IGMP_INITIAL_REPORT_DELAY: one jiffy, so the first unsolicited report leaves 2 jiffies after a join. */
export const IGMP_INITIAL_REPORT_DELAY = 1;

/** struct ip_sf_list */
export interface IpSfList {
  inaddr: Ipv4Addr;
  /** sf_count[MCAST_EXCLUDE], sf_count[MCAST_INCLUDE]: sockets listing this source in each mode. */
  sfCount: [number, number];
  /** Marked by a group-and-source-specific query. */
  gsresp: boolean;
  /** Was "in" the filter before the current change (sf_markstate). */
  oldin: boolean;
  /** Remaining ALLOW/BLOCK retransmissions. */
  crcount: number;
}

/** struct ip_mc_list (also used for the tomb records of left groups, which have no timer). */
export interface IpMcList {
  inDev: InDevice;
  multiaddr: Ipv4Addr;
  users: number;
  sfmode: SfMode;
  /** sfcount[MCAST_EXCLUDE], sfcount[MCAST_INCLUDE]: joins in each mode. */
  sfcount: [number, number];
  sources: IpSfList[];
  tomb: IpSfList[];
  timer: KernelTimer | null;
  tmRunning: boolean;
  reporter: boolean;
  unsolicitCount: number;
  gsquery: boolean;
  crcount: number;
  loaded: boolean;
}

/** The IGMP part of struct in_device (mr_* fields and mc_tomb). Intervals in jiffies (ms). */
export interface IgmpDev {
  /** mr_v1_seen / mr_v2_seen: absolute simulated time until which an older querier is assumed; 0 = never. */
  v1Seen: Nanos;
  v2Seen: Nanos;
  qi: number;
  qri: number;
  qrv: number;
  maxdelay: number;
  gqRunning: boolean;
  gqTimer: KernelTimer;
  ifcTimer: KernelTimer;
  ifcCount: number;
  /** mc_tomb: v3 records of left groups still being reported, newest first. */
  tomb: IpMcList[];
}
