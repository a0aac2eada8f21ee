// net/ipv4/fib_frontend.c: the routes the kernel adds and removes by itself when addresses come and go
// (fib_add_ifaddr, fib_del_ifaddr via fib_magic) and when devices go down (fib_disable_ip).
// Facts: shared/kernel/policy-routing.md §4.3 (observed on 6.18).

import { IFF_LOOPBACK } from '../net/if-flags.js';
import type { NetDevice } from '../net/netdevice.js';
import { formatIpv4, isZeronet, prefixMask, type Ipv4Addr } from '../wire/inet.js';
import { IFA_F_NOPREFIXROUTE, IFA_F_SECONDARY, RT_SCOPE_HOST, RT_SCOPE_LINK, inetIfaMatch, type InIfaddr } from './devinet.js';
import { networkOf } from './fib-table.js';
import { fibNhEpoch, RTNH_F_DEAD, RTNH_F_LINKDOWN, RTPROT_KERNEL, RT_TABLE_LOCAL, RT_TABLE_MAIN, type FibRoute, type RouteType } from './fib-types.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { Errno, KernelError } from '../net/errno.js';
import { fibRebalance } from './fib_multipath.js';
import { fibCreateInfo, fibMetricsMatch, fibNhMatch, fibValidKeyLen, sameFibInfo, type FibConfig } from './fib_semantics.js';
import { NLM_F_REPLACE } from './fib_trie.js';
import { RT_SCOPE_NOWHERE } from './devinet.js';

interface MagicRoute {
  type: RouteType;
  dst: Ipv4Addr;
  plen: number;
  prefsrc: Ipv4Addr;
  metric: number;
}

/** The routes fib_add_ifaddr() would install for `ifa` (prim = the primary of its subnet). */
function magicRoutes(ifa: InIfaddr, prim: InIfaddr, dev: NetDevice, devUp: boolean): MagicRoute[] {
  const out: MagicRoute[] = [{ type: 'local', dst: ifa.local, plen: 32, prefsrc: prim.local, metric: 0 }];
  if (!devUp) return out;
  const mask = prefixMask(ifa.prefixlen);
  const prefix = networkOf(ifa.address, ifa.prefixlen);
  if (ifa.broadcast && ifa.broadcast !== 0xffffffff) out.push({ type: 'broadcast', dst: ifa.broadcast, plen: 32, prefsrc: prim.local, metric: 0 });
  if (!isZeronet(prefix) && !(ifa.flags & IFA_F_SECONDARY) && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    if (!(ifa.flags & IFA_F_NOPREFIXROUTE)) {
      out.push({ type: dev.flags & IFF_LOOPBACK ? 'local' : 'unicast', dst: prefix, plen: ifa.prefixlen, prefsrc: prim.local, metric: ifa.metric });
    }
    if (ifa.prefixlen < 31) out.push({ type: 'broadcast', dst: (prefix | ~mask) >>> 0, plen: 32, prefsrc: prim.local, metric: 0 });
  }
  return out;
}

function tableFor(type: RouteType): number {
  return type === 'unicast' ? RT_TABLE_MAIN : RT_TABLE_LOCAL;
}

function sameMagic(r: FibRoute, m: MagicRoute, dev: NetDevice): boolean {
  return r.type === m.type && r.dst === m.dst && r.plen === m.plen && r.protocol === RTPROT_KERNEL && r.nhs.length === 1 && r.nhs[0]!.dev === dev && r.prefsrc === m.prefsrc;
}

/** fib_magic(RTM_NEWROUTE, ...). An identical route already present is left alone (EEXIST, ignored). */
function fibMagicAdd(v4: Ipv4Netns, m: MagicRoute, dev: NetDevice, metricMatters = false): void {
  const table = v4.fibTable(tableFor(m.type), true)!;
  if (table.find((r) => sameMagic(r, m, dev) && (!metricMatters || r.priority === m.metric))) return;
  const route: FibRoute = {
    table: table.id,
    dst: m.dst,
    plen: m.plen,
    tos: 0,
    type: m.type,
    protocol: RTPROT_KERNEL,
    scope: m.type === 'local' ? RT_SCOPE_HOST : RT_SCOPE_LINK,
    priority: m.metric,
    prefsrc: m.prefsrc,
    // A local route's next hop is host scope (RT_SCOPE_NOWHERE in the kernel): never marked linkdown.
    nhs: [{ gw: 0, dev, weight: 1, flags: dev.carrier || m.type === 'local' ? 0 : RTNH_F_LINKDOWN, scope: RT_SCOPE_HOST }],
  };
  table.insert(route);
  v4.ns.emit('fib_table_insert', 'state', { table: table.id, type: m.type, dst: `${formatIpv4(m.dst)}/${m.plen}`, dev: dev.name, src: formatIpv4(m.prefsrc), origin: 'fib_magic' });
}

function fibMagicDel(v4: Ipv4Netns, m: MagicRoute, dev: NetDevice): void {
  const table = v4.fibTable(tableFor(m.type), false);
  const r = table?.find((x) => sameMagic(x, m, dev));
  if (!table || !r) return;
  table.remove(r);
  v4.ns.emit('fib_table_delete', 'state', { table: table.id, type: m.type, dst: `${formatIpv4(m.dst)}/${m.plen}`, dev: dev.name, origin: 'fib_magic' });
}

function primaryOf(v4: Ipv4Netns, ifa: InIfaddr, dev: NetDevice): InIfaddr | undefined {
  if (!(ifa.flags & IFA_F_SECONDARY)) return ifa;
  return v4.inDev(dev)?.ifaList.find((p) => !(p.flags & IFA_F_SECONDARY) && p.prefixlen === ifa.prefixlen && inetIfaMatch(ifa.address, p));
}

export function fibAddIfaddr(v4: Ipv4Netns, ifa: InIfaddr, dev: NetDevice): void {
  const prim = primaryOf(v4, ifa, dev);
  if (!prim) return; // "fib_add_ifaddr: bug: prim == NULL"
  for (const m of magicRoutes(ifa, prim, dev, dev.isUp)) fibMagicAdd(v4, m, dev);
}

/**
 * fib_del_ifaddr(): remove the routes `ifa` brought, except those another remaining address of the
 * namespace still implies (the kernel's LOCAL_OK/BRD_OK bookkeeping).
 */
export function fibDelIfaddr(v4: Ipv4Netns, ifa: InIfaddr, dev: NetDevice): void {
  const prim = primaryOf(v4, ifa, dev) ?? ifa;
  const stillWanted: Array<{ m: MagicRoute; dev: NetDevice }> = [];
  for (const d of v4.ns.deviceList()) {
    const inDev = v4.inDev(d);
    if (!inDev) continue;
    for (const other of inDev.ifaList) {
      if (other === ifa) continue;
      const p = primaryOf(v4, other, d);
      if (p) for (const m of magicRoutes(other, p, d, d.isUp)) stillWanted.push({ m, dev: d });
    }
  }
  for (const m of magicRoutes(ifa, prim, dev, true)) {
    const kept = stillWanted.some((w) => w.dev === dev && w.m.type === m.type && w.m.dst === m.dst && w.m.plen === m.plen && w.m.prefsrc === m.prefsrc);
    if (!kept) fibMagicDel(v4, m, dev);
  }
}

/**
 * fib_sync_down_dev(): next hops through `dev` die. Host-scope next hops (local routes) survive an
 * admin down unless `force` (unregister). A route whose next hops are all dead is flushed.
 */
export function fibSyncDownDev(v4: Ipv4Netns, dev: NetDevice, force: boolean): void {
  for (const table of v4.tables.values()) {
    for (const r of [...table.routes]) {
      let touched = false;
      for (const nh of r.nhs) {
        if (nh.dev !== dev) continue;
        if (!force && nh.scope === RT_SCOPE_HOST && r.type === 'local') continue;
        nh.flags |= RTNH_F_DEAD | RTNH_F_LINKDOWN;
        touched = true;
      }
      if (touched && r.nhs.every((nh) => nh.flags & RTNH_F_DEAD)) {
        table.remove(r);
        v4.ns.emit('fib_table_flush', 'state', { table: table.id, type: r.type, dst: `${formatIpv4(r.dst)}/${r.plen}`, dev: dev.name });
      } else if (touched) fibRebalance(v4, r);
    }
  }
  fibNhEpoch.value++; // next-hop flags changed in place: tries re-read their first aliases
}

/** fib_sync_up(): next hops through `dev` come back (multipath routes that survived). */
export function fibSyncUp(v4: Ipv4Netns, dev: NetDevice): void {
  for (const table of v4.tables.values()) {
    for (const r of table.routes) {
      if (!r.nhs.some((nh) => nh.dev === dev)) continue;
      for (const nh of r.nhs) if (nh.dev === dev) nh.flags &= ~(RTNH_F_DEAD | (dev.carrier ? RTNH_F_LINKDOWN : 0));
      fibRebalance(v4, r);
    }
  }
  fibNhEpoch.value++; // next-hop flags changed in place: tries re-read their first aliases
}

/** Carrier change: LINKDOWN on next hops through the device (ignore_routes_with_linkdown acts on it). */
export function fibSyncLinkdown(v4: Ipv4Netns, dev: NetDevice): void {
  for (const table of v4.tables.values()) {
    for (const r of table.routes) {
      for (const nh of r.nhs) {
        if (nh.dev !== dev || r.type === 'local') continue; // fib_sync_down_dev skips host-scope next hops
        nh.flags = dev.carrier ? nh.flags & ~RTNH_F_LINKDOWN : nh.flags | RTNH_F_LINKDOWN;
      }
      if (r.nhs.some((nh) => nh.dev === dev)) fibRebalance(v4, r);
    }
  }
  fibNhEpoch.value++; // next-hop flags changed in place: tries re-read their first aliases
}

/**
 * fib_modify_prefix_metric(): `ip addr replace ... metric N` on an existing address moves its prefix
 * route to the new metric (add the new route, delete the old one).
 */
export function fibModifyPrefixMetric(v4: Ipv4Netns, ifa: InIfaddr, dev: NetDevice, newMetric: number): void {
  const prefix = networkOf(ifa.address, ifa.prefixlen);
  if (!dev.isUp || ifa.flags & (IFA_F_SECONDARY | IFA_F_NOPREFIXROUTE) || isZeronet(prefix) || (prefix === ifa.local && ifa.prefixlen === 32)) return;
  const m: MagicRoute = { type: 'unicast', dst: prefix, plen: ifa.prefixlen, prefsrc: ifa.local, metric: ifa.metric };
  const table = v4.fibTable(RT_TABLE_MAIN, false);
  const old = table?.find((r) => sameMagic(r, m, dev) && r.priority === ifa.metric);
  fibMagicAdd(v4, { ...m, metric: newMetric }, dev, true);
  if (table && old) {
    table.remove(old);
    v4.ns.emit('fib_table_delete', 'state', { table: table.id, type: 'unicast', dst: `${formatIpv4(prefix)}/${ifa.prefixlen}`, dev: dev.name, origin: 'fib_magic' });
  }
}

function routeText(r: FibRoute): string {
  return `${r.type} ${formatIpv4(r.dst)}/${r.plen}`;
}

/** inet_rtm_newroute() → fib_table_insert(). Throws KernelError (errno + extack). */
export function inetRtmNewroute(v4: Ipv4Netns, cfg: FibConfig): FibRoute {
  fibValidKeyLen(cfg.dst, cfg.plen);
  const route = fibCreateInfo(v4, cfg);
  const table = v4.fibTable(cfg.table, true)!;
  const old = table.insertWithFlags(route, cfg.nlflags, sameFibInfo);
  if (route.type === 'local') v4.fibHasCustomLocalRoutes = true;
  v4.ns.emit('fib_table_insert', 'state', {
    table: table.id,
    route: routeText(route),
    metric: route.priority,
    tos: route.tos,
    replace: (cfg.nlflags & NLM_F_REPLACE) !== 0,
    replaced: old ? routeText(old) : null,
    nexthops: route.nhs.map((nh) => ({ gw: nh.gw ? formatIpv4(nh.gw) : null, dev: nh.dev?.name ?? null, weight: nh.weight, upper_bound: nh.upperBound ?? null })),
  });
  return route;
}

/** inet_rtm_delroute() → fib_table_delete(): the first alias of the prefix that matches what was given. */
export function inetRtmDelroute(v4: Ipv4Netns, cfg: FibConfig): FibRoute {
  const table = v4.tables.get(cfg.table);
  if (!table) throw new KernelError(Errno.ESRCH, 'FIB table does not exist');
  fibValidKeyLen(cfg.dst, cfg.plen);
  const victim = table
    .aliasesOf(cfg.dst, cfg.plen)
    .find(
      (r) =>
        r.tos === cfg.tos &&
        (cfg.type === null || r.type === cfg.type) &&
        (cfg.scope === RT_SCOPE_NOWHERE || r.scope === cfg.scope) &&
        (!cfg.prefsrc || r.prefsrc === cfg.prefsrc) &&
        (!cfg.protocol || r.protocol === cfg.protocol) &&
        fibNhMatch(cfg, r) &&
        fibMetricsMatch(cfg, r),
    );
  if (!victim) throw new KernelError(Errno.ESRCH);
  table.remove(victim);
  v4.ns.emit('fib_table_delete', 'state', { table: table.id, route: routeText(victim), metric: victim.priority });
  return victim;
}
