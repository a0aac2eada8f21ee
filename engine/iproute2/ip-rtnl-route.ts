// The kernel side of `ip route show`: inet_dump_fib() walks the tables in hash order and
// fib_dump_info() turns each route into an RTM_NEWROUTE message. iproute2's printer works on that
// message, so `ip route add/get` (later) can reuse the printer with messages built the same way.

import { Errno, KernelError } from '../net/errno.js';
import type { FibTable } from '../ipv4/fib-table.js';
import { RTNH_F_DEAD, RTNH_F_LINKDOWN, RTNH_F_OFFLOAD, RTNH_F_ONLINK, RT_TABLE_MAIN, type FibNh, type FibRoute, type RouteType } from '../ipv4/fib-types.js';
import type { Ipv4Netns } from '../ipv4/ipv4-netns.js';
import type { NetDevice } from '../net/netdevice.js';

const RTNH_F_TRAP = 64;

/** One next hop of RTA_MULTIPATH (struct rtnexthop + its RTA_GATEWAY). */
export interface RtNexthop {
  flags: number;
  /** rtnh_hops: weight - 1. */
  hops: number;
  ifindex: number;
  gateway: number | null;
}

/** RTM_NEWROUTE for an IPv4 route. */
export interface RouteMsg {
  dstLen: number;
  tos: number;
  /** RTA_TABLE (rtm_table holds it too when < 256). */
  table: number;
  protocol: number;
  scope: number;
  type: RouteType;
  /** rtm_flags: for a single next hop, its RTNH_F_* flags. */
  flags: number;
  dst: number | null;
  priority: number | null;
  prefsrc: number | null;
  gateway: number | null;
  oif: number | null;
  multipath: RtNexthop[] | null;
  /** `ip route get` replies (rt_fill_info): RTA_SRC, RTA_MARK, RTA_UID, RTA_IIF; RTM_F_CLONED. */
  src?: number | null;
  mark?: number | null;
  uid?: number | null;
  iif?: number | null;
  cloned?: boolean;
  /** RTA_METRICS (rtnetlink_put_metrics): RTAX_* values at index type-1, index 0 the lock mask. */
  metrics?: number[] | null;
}

/** ip_ignore_linkdown(): conf/all or conf/DEV ignore_routes_with_linkdown. */
function ignoreLinkdown(v4: Ipv4Netns, dev: NetDevice | null): boolean {
  if (!dev) return false;
  return v4.devconfAll.values.ignore_routes_with_linkdown !== 0 || (v4.inDev(dev)?.conf.values.ignore_routes_with_linkdown ?? 0) !== 0;
}

/** fib_nexthop_info(): the flags a next hop shows (LINKDOWN also reads as DEAD when linkdown routes are ignored). */
function nexthopFlags(v4: Ipv4Netns, nh: FibNh): number {
  let flags = 0;
  if (nh.flags & RTNH_F_DEAD) flags |= RTNH_F_DEAD;
  if (nh.flags & RTNH_F_LINKDOWN) {
    flags |= RTNH_F_LINKDOWN;
    if (ignoreLinkdown(v4, nh.dev)) flags |= RTNH_F_DEAD;
  }
  return flags | (nh.flags & (RTNH_F_ONLINK | RTNH_F_OFFLOAD | RTNH_F_TRAP));
}

/** fib_dump_info() */
export function fibDumpInfo(v4: Ipv4Netns, r: FibRoute): RouteMsg {
  const msg: RouteMsg = {
    dstLen: r.plen,
    tos: r.tos,
    table: r.table,
    protocol: r.protocol,
    scope: r.scope,
    type: r.type,
    flags: 0,
    dst: r.plen ? r.dst : null,
    priority: r.priority ? r.priority : null,
    prefsrc: r.prefsrc ? r.prefsrc : null,
    gateway: null,
    oif: null,
    multipath: null,
    metrics: r.metrics ?? null,
  };
  if (r.nhs.length === 1) {
    const nh = r.nhs[0]!;
    msg.flags = nexthopFlags(v4, nh);
    msg.gateway = nh.gw ? nh.gw : null;
    msg.oif = nh.dev ? nh.dev.ifindex : null;
  } else if (r.nhs.length > 1) {
    msg.multipath = r.nhs.map((nh) => ({ flags: nexthopFlags(v4, nh), hops: nh.weight - 1, ifindex: nh.dev?.ifindex ?? 0, gateway: nh.gw ? nh.gw : null }));
  }
  return msg;
}

/**
 * inet_dump_fib(): tables in hash-bucket order (id & 255 ascending); a bucket lists its newest table
 * first (hlist_add_head). Tables were created in the Map's insertion order.
 */
export function fibTablesInDumpOrder(v4: Ipv4Netns): FibTable[] {
  const created = [...v4.tables.values()];
  return created
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (a.t.id & 255) - (b.t.id & 255) || b.i - a.i)
    .map((x) => x.t);
}

/**
 * The routes of one dump request: table 0 means every table. A table that was never created is
 * "ipv4: FIB table does not exist" (ENOENT) — except main, which answers empty (observed).
 */
export function inetDumpFib(v4: Ipv4Netns, tableId: number): RouteMsg[] {
  let tables: FibTable[];
  if (tableId === 0) tables = fibTablesInDumpOrder(v4);
  else {
    const t = v4.tables.get(tableId);
    if (!t) {
      if (tableId === RT_TABLE_MAIN) return [];
      throw new KernelError(Errno.ENOENT, 'ipv4: FIB table does not exist');
    }
    tables = [t];
  }
  return tables.flatMap((t) => t.routes.map((r) => fibDumpInfo(v4, r)));
}
