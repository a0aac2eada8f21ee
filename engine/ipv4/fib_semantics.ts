// net/ipv4/fib_semantics.c: turning an RTM_NEWROUTE request (struct fib_config) into a route with
// validated next hops (fib_create_info, fib_check_nh), fib_info identity (fib_find_info) and the
// next-hop comparison of a deletion (fib_nh_match). Errors are errno + the kernel's extack text.

import { Errno, KernelError } from '../net/errno.js';
import { prefixMask, type Ipv4Addr } from '../wire/inet.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE } from './devinet.js';
import { RTAX_HOPLIMIT, RTAX_MAX, RTAX_MTU, RTNH_F_DEAD, RTNH_F_LINKDOWN, RTNH_F_ONLINK, RT_TABLE_LOCAL, RT_TABLE_MAIN, type FibNh, type FibRoute, type RouteType } from './fib-types.js';
import { fibRebalance } from './fib_multipath.js';
import { FIB_LOOKUP_IGNORE_LINKSTATE, fibPropsError, fibTableLookup } from './fib_trie.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { fibLookupErr } from './route.js';

/** One next hop of a request (RTA_GATEWAY/RTA_OIF, or one rtnexthop of RTA_MULTIPATH). */
export interface NhConfig {
  gw: Ipv4Addr;
  oif: number;
  /** 1..256 */
  weight: number;
  /** RTNH_F_ONLINK / RTNH_F_PERVASIVE as requested. */
  flags: number;
}

/** struct fib_config, reduced to what IPv4 routes in the model carry. */
export interface FibConfig {
  table: number;
  dst: Ipv4Addr;
  plen: number;
  tos: number;
  /** null: not given (deletion matches any). */
  type: RouteType | null;
  protocol: number;
  scope: number;
  priority: number;
  prefsrc: Ipv4Addr;
  /** RTA_GATEWAY/RTA_OIF of a single-path request (gw 0 and oif 0 when absent). */
  nh: NhConfig;
  /** RTA_MULTIPATH, null when absent. */
  mp: NhConfig[] | null;
  nlflags: number;
  /** RTA_METRICS as (RTAX type, value) pairs, in the order iproute2 put them; absent when none. */
  mx?: Array<[number, number]>;
}

/**
 * ip_metrics_convert() (net/ipv4/metrics.c): RTA_METRICS into fib_metrics. Hop limits above 255 are
 * clamped, and so are MTUs above 65535 - 15 (observed on 6.18: `mtu 70000` shows as 65520).
 */
export function fibConvertMetrics(mx: ReadonlyArray<[number, number]> | undefined): number[] | undefined {
  if (!mx || mx.length === 0) return undefined;
  const m = new Array<number>(RTAX_MAX).fill(0);
  for (const [type, value] of mx) {
    if (!type) continue;
    if (type > RTAX_MAX) inval('Invalid metric type');
    let v = value >>> 0;
    if (type === RTAX_HOPLIMIT && v > 255) v = 255;
    if (type === RTAX_MTU && v > 65535 - 15) v = 65535 - 15;
    m[type - 1] = v;
  }
  return m.some((v) => v !== 0) ? m : undefined;
}

/** fib_metrics_match(): every metric the deletion request names must equal the route's. */
export function fibMetricsMatch(cfg: FibConfig, r: FibRoute): boolean {
  for (const [type, value] of cfg.mx ?? []) {
    if (!type) continue;
    if (type > RTAX_MAX) return false;
    if ((r.metrics?.[type - 1] ?? 0) !== value >>> 0) return false;
  }
  return true;
}

function sameMetrics(a: FibRoute, b: FibRoute): boolean {
  for (let i = 0; i < RTAX_MAX; i++) if ((a.metrics?.[i] ?? 0) !== (b.metrics?.[i] ?? 0)) return false;
  return true;
}

/** fib_props[type].scope: the widest scope a route of that type may have. */
function propsScope(t: RouteType): number {
  switch (t) {
    case 'local':
      return RT_SCOPE_HOST;
    case 'broadcast':
    case 'anycast':
      return RT_SCOPE_LINK;
    case 'nat':
      return RT_SCOPE_NOWHERE;
    default:
      return RT_SCOPE_UNIVERSE;
  }
}

function inval(msg: string): never {
  throw new KernelError(Errno.EINVAL, msg);
}

/** fib_valid_key_len() */
export function fibValidKeyLen(dst: Ipv4Addr, plen: number): void {
  if (plen > 32) inval('Invalid prefix length');
  if (plen < 32 && ((dst & ~prefixMask(plen)) >>> 0) !== 0) inval('Invalid prefix for given prefix length');
}

/** fib_check_nh(): validate one next hop and fill in its device, scope and flags. */
function fibCheckNh(v4: Ipv4Netns, cfg: FibConfig, nhc: NhConfig): FibNh {
  const ns = v4.ns;
  if (nhc.gw) {
    if (nhc.flags & RTNH_F_ONLINK) {
      if (cfg.scope >= RT_SCOPE_LINK) inval('Nexthop has invalid scope');
      if (!nhc.oif) inval('Nexthop device required for onlink');
      const dev = ns.devByIndex(nhc.oif);
      if (!dev?.inDev) throw new KernelError(Errno.ENODEV);
      if (!dev.isUp) throw new KernelError(Errno.ENETDOWN, 'Nexthop device is not up');
      const tb = v4.tables.get(cfg.table);
      const t = tb ? fibTableLookup(v4, [tb], cfg.table, { daddr: nhc.gw, saddr: 0, oif: 0, iif: 1, mark: 0, tos: 0, proto: 0, sport: 0, dport: 0, uid: 0 }) : null;
      const local = v4.tables.get(RT_TABLE_LOCAL);
      const l = local ? fibTableLookup(v4, [local], RT_TABLE_LOCAL, { daddr: nhc.gw, saddr: 0, oif: 0, iif: 1, mark: 0, tos: 0, proto: 0, sport: 0, dport: 0, uid: 0 }) : null;
      const gwType = l?.res && l.res.route.type !== 'unicast' ? l.res.route.type : (t?.res?.route.type ?? 'unicast');
      if (gwType !== 'unicast') inval('Nexthop has invalid gateway');
      return { gw: nhc.gw, dev, weight: nhc.weight, flags: RTNH_F_ONLINK | (dev.carrier ? 0 : RTNH_F_LINKDOWN), scope: RT_SCOPE_LINK };
    }
    const scope = Math.max(cfg.scope + 1, RT_SCOPE_LINK);
    const fl = { daddr: nhc.gw, saddr: 0, oif: nhc.oif, iif: 1, mark: 0, tos: 0, proto: 0, sport: 0, dport: 0, uid: 0, scope };
    const tb = cfg.table && cfg.table !== RT_TABLE_MAIN ? v4.tables.get(cfg.table) : undefined;
    let found = tb ? fibTableLookup(v4, [tb], cfg.table, fl, FIB_LOOKUP_IGNORE_LINKSTATE) : null;
    if (!found || found.errno) {
      const o = fibLookupErr(v4, fl, FIB_LOOKUP_IGNORE_LINKSTATE);
      found = { errno: o.errno, res: o.res, route: o.res?.route ?? null };
    }
    if (found.errno || !found.res) throw new KernelError(found.errno || Errno.EINVAL, 'Nexthop has invalid gateway');
    const res = found.res;
    if (res.route.type !== 'unicast' && res.route.type !== 'local') inval('Nexthop has invalid gateway');
    const dev = res.nh?.dev ?? null;
    if (!dev) throw new KernelError(Errno.ENETDOWN, 'No egress device for nexthop gateway');
    if (!dev.isUp) throw new KernelError(Errno.ENETDOWN);
    return { gw: nhc.gw, dev, weight: nhc.weight, flags: dev.carrier ? 0 : RTNH_F_LINKDOWN, scope: res.route.scope };
  }
  // fib_check_nh_nongw()
  if (nhc.flags & (RTNH_F_DEAD | RTNH_F_ONLINK)) inval('Invalid flags for nexthop - PERVASIVE and DEAD can not be set');
  const dev = nhc.oif ? ns.devByIndex(nhc.oif) : undefined;
  if (!dev?.inDev) throw new KernelError(Errno.ENODEV);
  if (!dev.isUp) throw new KernelError(Errno.ENETDOWN, 'Device for nexthop is not up');
  return { gw: 0, dev, weight: nhc.weight, flags: dev.carrier ? 0 : RTNH_F_LINKDOWN, scope: RT_SCOPE_HOST };
}

/** inet_addr_type_table(addr, tb) == RTN_LOCAL, in the route's table or in local (fib_valid_prefsrc). */
function isLocalIn(v4: Ipv4Netns, addr: Ipv4Addr, tbId: number): boolean {
  for (const id of [tbId, RT_TABLE_LOCAL]) {
    const tb = v4.tables.get(id);
    if (!tb) continue;
    for (const list of tb.candidates(addr)) {
      const r = list[0]!;
      if (r.type === 'local') return true;
      break;
    }
  }
  return false;
}

/** fib_create_info(): the route a request describes, or the kernel's error. */
export function fibCreateInfo(v4: Ipv4Netns, cfg: FibConfig): FibRoute {
  const type = cfg.type ?? 'unicast';
  if (propsScope(type) > cfg.scope) inval('Invalid scope');
  const mp = cfg.mp;
  if (mp && cfg.nh.oif && mp[0] && mp[0].oif && mp[0].oif !== cfg.nh.oif) inval('Nexthop device index does not match RTA_OIF');
  if (mp && cfg.nh.gw && mp[0] && mp[0].gw !== cfg.nh.gw) inval('Nexthop gateway does not match RTA_GATEWAY');
  const route: FibRoute = { table: cfg.table, dst: cfg.dst, plen: cfg.plen, tos: cfg.tos, type, protocol: cfg.protocol, scope: cfg.scope, priority: cfg.priority, prefsrc: cfg.prefsrc, nhs: [] };
  const metrics = fibConvertMetrics(cfg.mx);
  if (metrics) route.metrics = metrics;
  if (fibPropsError(type)) {
    if (cfg.nh.gw || cfg.nh.oif || mp) inval('Gateway, device and multipath can not be specified for this route type');
    return route;
  }
  if (!['unicast', 'local', 'broadcast', 'anycast', 'multicast'].includes(type)) inval('Invalid route type');
  if (cfg.scope > RT_SCOPE_HOST) inval('Invalid scope');
  const wanted = mp ?? [cfg.nh];
  if (cfg.scope === RT_SCOPE_HOST) {
    if (wanted.length !== 1) inval('Route with host scope can not have multiple nexthops');
    const nhc = wanted[0]!;
    if (nhc.gw) inval('Route with host scope can not have a gateway');
    const dev = nhc.oif ? v4.ns.devByIndex(nhc.oif) : undefined;
    if (!dev) throw new KernelError(Errno.ENODEV);
    route.nhs = [{ gw: 0, dev, weight: nhc.weight, flags: 0, scope: RT_SCOPE_NOWHERE }];
  } else {
    route.nhs = wanted.map((nhc) => fibCheckNh(v4, cfg, nhc));
  }
  if (cfg.prefsrc && !(type === 'local' && cfg.plen && cfg.prefsrc === cfg.dst) && !isLocalIn(v4, cfg.prefsrc, cfg.table)) inval('Invalid prefsrc address');
  fibRebalance(v4, route);
  return route;
}

/** fib_find_info(): two routes share their fib_info (and type) — an exact duplicate. */
export function sameFibInfo(a: FibRoute, b: FibRoute): boolean {
  const cmpMask = ~(RTNH_F_DEAD | RTNH_F_LINKDOWN);
  return (
    a.type === b.type && a.protocol === b.protocol && a.scope === b.scope && a.prefsrc === b.prefsrc && a.priority === b.priority && a.nhs.length === b.nhs.length && sameMetrics(a, b) &&
    a.nhs.every((n, i) => {
      const m = b.nhs[i]!;
      return n.gw === m.gw && n.dev === m.dev && n.weight === m.weight && (n.flags & cmpMask) === (m.flags & cmpMask);
    })
  );
}

/** fib_nh_match(): does the deletion request's next-hop part select route `r`? */
export function fibNhMatch(cfg: FibConfig, r: FibRoute): boolean {
  if (cfg.priority && cfg.priority !== r.priority) return false;
  if (cfg.nh.oif || cfg.nh.gw) {
    const nh = r.nhs[0];
    if (!nh) return false;
    if ((!cfg.nh.oif || cfg.nh.oif === (nh.dev?.ifindex ?? 0)) && (!cfg.nh.gw || cfg.nh.gw === nh.gw)) return true;
    return false;
  }
  if (!cfg.mp) return true;
  if (cfg.mp.length !== r.nhs.length) return false;
  return cfg.mp.every((c, i) => {
    const nh = r.nhs[i]!;
    return (!c.oif || c.oif === (nh.dev?.ifindex ?? 0)) && (!c.gw || c.gw === nh.gw) && c.weight === nh.weight;
  });
}
