// net/ipv4/route.c: input and output route resolution on top of the FIB — fib_lookup() (merged
// local/main until the first rule change, the rule engine after), ip_route_output_key_hash_rcu(),
// ip_route_input_slow() (its fib_validate_source(), rp_filter, is in fib_validate_source.ts), multipath
// selection and source address selection. Facts: shared/kernel/policy-routing.md §4.2, §6, §7, §9.

import { Errno, KernelError } from '../net/errno.js';
import { IFF_LOOPBACK } from '../net/if-flags.js';
import type { NetDevice } from '../net/netdevice.js';
import { formatIpv4, isLbcast, isLocalMulticast, isLoopback, isMulticast, isZeronet, type Ipv4Addr } from '../wire/inet.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, inetSelectAddr } from './devinet.js';
import { RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, type FibResult, type Flowi4, type RouteType } from './fib-types.js';
import { fibMultipathHash, fibSelectMultipath, fibSelectMultipathBook } from './fib_multipath.js';
import { LOOPBACK_IFINDEX, fibRulesLookup } from './fib_rules.js';
import { fibTableLookup } from './fib_trie.js';
import { ipCheckMc } from './igmp.js';
import { devconf, EXDEV, fibValidateSource } from './fib_validate_source.js';
import type { Ipv4Netns } from './ipv4-netns.js';

/** RTCF_* (include/uapi/linux/in_route.h): what `ip route get` prints as `cache <...>`. */
export const RTCF_NOTIFY = 0x00010000;
export const RTCF_DOREDIRECT = 0x01000000;
export const RTCF_BROADCAST = 0x10000000;
export const RTCF_MULTICAST = 0x20000000;
export const RTCF_LOCAL = 0x80000000;

/** What a routing decision yields (struct rtable): where the packet goes and how. */
export interface Rtable {
  type: RouteType;
  /** Output device (for input routes to local: the ingress device; `ip route get` shows lo). */
  dev: NetDevice;
  /** Next-hop gateway, 0 if on-link. */
  gw: Ipv4Addr;
  /** Preferred source address. */
  src: Ipv4Addr;
  /** Input routes: what ip_rcv_finish does with the packet. */
  input?: 'local' | 'forward' | 'mr_input';
  /** The table the lookup answered from (0: none). */
  table: number;
  /** rt_flags: RTCF_* bits. */
  rtFlags?: number;
  /** res.dscp: the matched route's tos. */
  tos?: number;
  /** The FIB result behind the route (fibmatch prints it), null when none. */
  res?: FibResult | null;
}

/** The answer of fib_lookup(): 0 and a result, or an errno. */
export interface FibLookupOutcome {
  errno: Errno | 0;
  res: FibResult | null;
}

/**
 * fib_lookup() (include/net/ip_fib.h). Without custom rules the merged main trie (local's routes
 * inside) is searched, then the default table if main failed; with custom rules, the rule engine.
 */
export function fibLookupErr(v4: Ipv4Netns, fl: Flowi4, flags = 0): FibLookupOutcome {
  if (v4.fibHasCustomRules) {
    const r = fibRulesLookup(v4, fl, flags);
    return { errno: r.errno === Errno.ESRCH ? Errno.ENETUNREACH : r.errno, res: r.errno === 0 ? r.res : null };
  }
  const merged = [v4.tables.get(RT_TABLE_LOCAL), v4.tables.get(RT_TABLE_MAIN)].filter((t) => t !== undefined);
  let out = merged.length > 0 ? fibTableLookup(v4, merged, RT_TABLE_MAIN, fl, flags) : { errno: Errno.ENETUNREACH as Errno | 0, res: null };
  if (out.errno) {
    const def = v4.tables.get(RT_TABLE_DEFAULT);
    if (def) out = fibTableLookup(v4, [def], RT_TABLE_DEFAULT, fl, flags);
  }
  return { errno: out.errno === Errno.EAGAIN ? Errno.ENETUNREACH : out.errno, res: out.errno === 0 ? out.res : null };
}

/** fib_lookup() for callers that only need the result (null on any error). */
export function fibLookup(v4: Ipv4Netns, fl: Flowi4): FibResult | null {
  return fibLookupErr(v4, fl).res;
}

function loopbackDev(v4: Ipv4Netns): NetDevice {
  return v4.ns.devByName('lo') ?? v4.ns.devByIndex(LOOPBACK_IFINDEX)!;
}

/**
 * inet_select_addr(): a primary address of `dev` (same subnet as `dst` preferred), else the first
 * primary, non-link-scope address of any device in device order.
 */
export function selectAddr(v4: Ipv4Netns, dev: NetDevice | null, dst: Ipv4Addr, scope: number): Ipv4Addr {
  const a = dev ? inetSelectAddr(dev.inDev, dst, scope) : 0;
  if (a) return a;
  for (const d of v4.ns.deviceList()) {
    for (const ifa of d.inDev?.ifaList ?? []) {
      if (ifa.flags & 0x01 /* IFA_F_SECONDARY */) continue;
      if (ifa.scope !== RT_SCOPE_LINK && ifa.scope <= scope) return ifa.local;
    }
  }
  return 0;
}

/** fib_info_update_nhc_saddr(): the source a next hop would use (route scope, gateway subnet). */
function nhSaddr(v4: Ipv4Netns, res: FibResult, i: number): Ipv4Addr {
  const nh = res.route.nhs[i]!;
  return selectAddr(v4, nh.dev, nh.gw, res.route.scope);
}

/** fib_result_prefsrc() */
function fibResultPrefsrc(v4: Ipv4Netns, res: FibResult): Ipv4Addr {
  return res.route.prefsrc || nhSaddr(v4, res, res.nhSel ?? 0);
}

/** fib_select_path(): multipath choice (hash, or the book's round robin), then the default-route pick. */
function fibSelectPath(v4: Ipv4Netns, res: FibResult, fl: Flowi4, input: boolean): void {
  const r = res.route;
  if (r.nhs.length > 1 && (input || !fl.oif)) {
    let i: number;
    if (v4.ns.net.profile === 'book') i = fibSelectMultipathBook(v4, r);
    else {
      const { hash, fields } = fibMultipathHash(v4, fl, input || fl.skb === true);
      const ev = v4.ns.emit('fib_multipath_hash', 'lookup', { policy: v4.sysctl.fib_multipath_hash_policy, fields, hash });
      i = v4.ns.sim.trace.within(ev, () => fibSelectMultipath(v4, res, hash, input ? 0 : fl.saddr, (k) => nhSaddr(v4, res, k)));
    }
    res.nhSel = i;
    res.nh = r.nhs[i]!;
  } else if (!input && !fl.oif && r.plen === 0 && r.type === 'unicast' && (v4.tables.get(res.table)?.numDefault ?? 0) > 1) {
    // fib_select_default(): among equal-metric default routes the kernel skips gateways that
    // fib_detect_death() finds dead in the ARP cache. The model resolves neighbours instantly and keeps
    // no cache, so every gateway has no entry, which the kernel also counts as alive: the first stays.
    v4.ns.emit('fib_select_default', 'lookup', {
      table: res.table,
      defaults: v4.tables.get(res.table)!.numDefault,
      decision: r.nhs[0]?.gw ? formatIpv4(r.nhs[0].gw) : null,
      reason: 'no neighbour entry for any default gateway (fib_detect_death: alive): the first default route is kept',
    });
  }
}

function outputFail(v4: Ipv4Netns, fl: Flowi4, errno: Errno, reason: string): never {
  v4.ns.emit('ip_route_output_key_hash', 'lookup', { daddr: formatIpv4(fl.daddr), saddr: formatIpv4(fl.saddr), oif: fl.oif, decision: Errno[errno], reason });
  throw new KernelError(errno);
}

/** ip_route_output_key_hash_rcu(): the route of a locally generated packet. Throws KernelError. */
export function ipRouteOutput(v4: Ipv4Netns, flIn: Flowi4): Rtable {
  // flowi4_scope as the sender set it (ip_sendmsg_scope: link scope for a strict source route), else universe.
  const fl: Flowi4 = { ...flIn, iif: LOOPBACK_IFINDEX, tos: flIn.tos & 0xfc, scope: flIn.scope ?? RT_SCOPE_UNIVERSE };
  const origOif = fl.oif;
  let devOut: NetDevice | null = null;
  const rtFlags = 0;
  let res: FibResult | null = null;
  let type: RouteType = 'unicast';
  const ns = v4.ns;
  if (fl.saddr) {
    if (isMulticast(fl.saddr) || isLbcast(fl.saddr) || isZeronet(fl.saddr)) outputFail(v4, fl, Errno.EINVAL, 'source is multicast, broadcast or 0.0.0.0/8');
    const owner = [...v4.allIfaddrs()].find((x) => x.ifa.local === fl.saddr)?.dev;
    if (!fl.oif && (isMulticast(fl.daddr) || isLbcast(fl.daddr))) {
      if (!owner) outputFail(v4, fl, Errno.ENETUNREACH, 'source is not a local address');
      fl.oif = owner.ifindex;
      devOut = owner;
      return mkrouteOutput(v4, fl, res, origOif, devOut, rtFlags, 'unicast');
    }
    if (!owner) outputFail(v4, fl, Errno.ENETUNREACH, 'source is not a local address');
  }
  if (fl.oif) {
    devOut = ns.devByIndex(fl.oif) ?? null;
    if (!devOut) outputFail(v4, fl, Errno.ENODEV, 'no such output device');
    if (!devOut.isUp || !devOut.inDev) outputFail(v4, fl, Errno.ENETUNREACH, 'output device is down');
    if (isLocalMulticast(fl.daddr) || isLbcast(fl.daddr) || fl.proto === 2 /* IPPROTO_IGMP */) {
      if (!fl.saddr) fl.saddr = inetSelectAddr(devOut.inDev, 0, RT_SCOPE_LINK);
      return mkrouteOutput(v4, fl, res, origOif, devOut, rtFlags, 'unicast');
    }
    if (!fl.saddr) {
      if (isMulticast(fl.daddr)) fl.saddr = inetSelectAddr(devOut.inDev, 0, RT_SCOPE_UNIVERSE);
      else if (!fl.daddr) fl.saddr = inetSelectAddr(devOut.inDev, 0, RT_SCOPE_HOST);
    }
  }
  if (!fl.daddr) {
    fl.daddr = fl.saddr;
    if (!fl.daddr) fl.daddr = fl.saddr = 0x7f000001;
    devOut = loopbackDev(v4);
    fl.oif = LOOPBACK_IFINDEX;
    return mkrouteOutput(v4, fl, null, origOif, devOut, rtFlags | RTCF_LOCAL, 'local');
  }
  const ev = ns.emit('ip_route_output_key_hash', 'lookup', { daddr: formatIpv4(fl.daddr), saddr: formatIpv4(fl.saddr), oif: fl.oif, mark: fl.mark, tos: fl.tos, uid: fl.uid });
  return ns.sim.trace.within(ev, () => {
    const out = fibLookupErr(v4, fl);
    if (out.errno) {
      if (fl.oif && devOut) {
        // "Apparently, routing tables are wrong. Assume, that the destination is on link."
        if (!fl.saddr) fl.saddr = inetSelectAddr(devOut.inDev, 0, RT_SCOPE_LINK);
        ns.emit('ip_route_output_key_hash', 'lookup', { decision: 'on-link', reason: `fib_lookup failed (${Errno[out.errno]}) but oif is given: assume the destination is on link` });
        return mkrouteOutput(v4, fl, null, origOif, devOut, rtFlags, 'unicast');
      }
      outputFail(v4, fl, out.errno, 'fib_lookup failed');
    }
    res = out.res!;
    type = res.route.type;
    if (type === 'local') {
      if (!fl.saddr) fl.saddr = res.route.prefsrc || fl.daddr;
      devOut = loopbackDev(v4);
      fl.oif = devOut.ifindex;
      return mkrouteOutput(v4, fl, res, res.nh?.dev?.ifindex ?? 0, devOut, rtFlags | RTCF_LOCAL, 'local');
    }
    fibSelectPath(v4, res, fl, false);
    if (!fl.saddr) fl.saddr = fibResultPrefsrc(v4, res);
    devOut = res.nh?.dev ?? null;
    if (!devOut) outputFail(v4, fl, Errno.ENETUNREACH, 'route without a device');
    return mkrouteOutput(v4, fl, res, origOif, devOut, rtFlags, type);
  });
}

/** __mkroute_output() */
function mkrouteOutput(v4: Ipv4Netns, fl: Flowi4, res: FibResult | null, _origOif: number, devOut: NetDevice, flags: number, resType: RouteType): Rtable {
  let type = resType;
  const inDev = devOut.inDev;
  if (isLoopback(fl.saddr) && !(devOut.flags & IFF_LOOPBACK) && !inDev?.conf.values.route_localnet && !v4.devconfAll.values.route_localnet) {
    outputFail(v4, fl, Errno.EINVAL, '127/8 source on a non-loopback device');
  }
  let useRes = res;
  if (isLbcast(fl.daddr)) type = 'broadcast';
  else if (isMulticast(fl.daddr)) type = 'multicast';
  else if (isZeronet(fl.daddr)) outputFail(v4, fl, Errno.EINVAL, 'destination in 0.0.0.0/8');
  if (devOut.flags & IFF_LOOPBACK) flags |= RTCF_LOCAL;
  if (type === 'broadcast') {
    flags |= RTCF_BROADCAST | RTCF_LOCAL;
    useRes = null;
  } else if (type === 'multicast') {
    flags |= RTCF_MULTICAST | RTCF_LOCAL;
    if (!ipCheckMc(inDev, fl.daddr, fl.saddr, fl.proto)) flags &= ~RTCF_LOCAL >>> 0;
    // "If multicast route do not exist use default one, but do not gateway in this case."
    if (useRes && useRes.route.plen < 4) useRes = null;
  }
  const nh = useRes?.nh;
  const gw = nh && nh.gw && nh.scope === RT_SCOPE_LINK ? nh.gw : 0;
  const rt: Rtable = { type, dev: devOut, gw, src: fl.saddr, table: res ? res.table : 0, rtFlags: flags >>> 0, tos: res?.route.tos ?? 0, res };
  v4.ns.emit('ip_route_output_key_hash', 'lookup', {
    daddr: formatIpv4(fl.daddr),
    decision: type,
    dev: devOut.name,
    gw: gw ? formatIpv4(gw) : null,
    src: formatIpv4(fl.saddr),
    table: rt.table,
    prefix: res ? `${formatIpv4(res.route.dst)}/${res.route.plen}` : null,
    rule: res?.rulePref ?? null,
    nh_sel: res?.nhSel ?? null,
  });
  return rt;
}

export type InputResult = { ok: true; rt: Rtable } | { ok: false; reason: string; errno: Errno };

/** The packet fields an input route depends on beyond addresses (skb->mark, the L4 header). */
export interface InputKeys {
  mark?: number;
  sport?: number;
  dport?: number;
  /** A copy looped back by ip_mc_output (dev_loopback_xmit): it keeps its output route, so its source is not validated again. */
  looped?: boolean;
}

/** fib4_rules_early_flow_dissect(): input lookups carry proto/ports only if some rule needs them. */
function rulesRequireFldissect(v4: Ipv4Netns): boolean {
  if (!v4.fibHasCustomRules) return false;
  return v4.fibRules.some((r) => r.iifname !== 'lo' && (r.ipProto !== 0 || r.sportRange !== null || r.dportRange !== null));
}

/** ip_route_input_noref(): where an arriving packet goes. */
export function ipRouteInput(v4: Ipv4Netns, daddr: Ipv4Addr, saddr: Ipv4Addr, tos: number, dev: NetDevice, proto: number, keys: InputKeys = {}): InputResult {
  const inDev = dev.inDev;
  if (isMulticast(daddr)) {
    // ip_route_input_mc(): ours if the interface joined the group; to ipmr if multicast forwarding is on.
    const our = ipCheckMc(inDev, daddr, saddr, proto);
    const mforward = v4.devconfAll.values.mc_forwarding !== 0 && inDev.conf.values.mc_forwarding !== 0 && !isLocalMulticast(daddr);
    if (!our && !mforward) return { ok: false, reason: 'NOT_JOINED', errno: Errno.EINVAL };
    return ipRouteInputMc(v4, daddr, saddr, tos, dev, proto, keys, our, mforward);
  }
  const ev = v4.ns.emit('ip_route_input_slow', 'lookup', { daddr: formatIpv4(daddr), saddr: formatIpv4(saddr), dev: dev.name, tos, mark: keys.mark ?? 0 });
  return v4.ns.sim.trace.within(ev, () => {
    const r = ipRouteInputSlow(v4, daddr, saddr, tos, dev, proto, keys);
    v4.ns.emit('ip_route_input_slow', 'lookup', r.ok ? { decision: r.rt.input ?? r.rt.type, type: r.rt.type, dev: r.rt.dev.name, gw: r.rt.gw ? formatIpv4(r.rt.gw) : null, table: r.rt.table } : { decision: 'drop', reason: r.reason, errno: Errno[r.errno] ?? r.errno });
    return r;
  });
}

function ipRouteInputSlow(v4: Ipv4Netns, daddr: Ipv4Addr, saddr: Ipv4Addr, tos: number, dev: NetDevice, proto: number, keys: InputKeys): InputResult {
  const mark = keys.mark ?? 0;
  const l4 = { proto, sport: keys.sport ?? 0, dport: keys.dport ?? 0 };
  const martianSrc: InputResult = { ok: false, reason: 'MARTIAN_SOURCE', errno: Errno.EINVAL };
  if (isMulticast(saddr) || isLbcast(saddr)) return martianSrc;
  const brd = (): InputResult => {
    if (saddr && fibValidateSource(v4, saddr, 0, tos, 0, dev, mark, l4) < 0) return martianSrc;
    return { ok: true, rt: { type: 'broadcast', dev, gw: 0, src: 0, input: 'local', table: 0, rtFlags: (RTCF_BROADCAST | RTCF_LOCAL) >>> 0, res: null } };
  };
  if (isLbcast(daddr) || (saddr === 0 && daddr === 0)) return brd();
  if (isZeronet(saddr)) return martianSrc;
  if (isZeronet(daddr)) return { ok: false, reason: 'MARTIAN_DESTINATION', errno: Errno.EINVAL };
  if (isLoopback(daddr)) {
    if (!devconf(v4, dev, 'route_localnet')) return { ok: false, reason: 'MARTIAN_DESTINATION', errno: Errno.EINVAL };
  } else if (isLoopback(saddr) && !devconf(v4, dev, 'route_localnet')) return martianSrc;
  const dissect = rulesRequireFldissect(v4);
  const fl: Flowi4 = { daddr, saddr, oif: 0, iif: dev.ifindex, mark, tos, proto: dissect ? proto : 0, sport: dissect ? l4.sport : 0, dport: dissect ? l4.dport : 0, uid: 0, scope: RT_SCOPE_UNIVERSE };
  const forwarding = devconf(v4, dev, 'forwarding');
  const out = fibLookupErr(v4, fl);
  if (out.errno || !out.res) {
    const errno = forwarding ? (out.errno as Errno) : Errno.EHOSTUNREACH;
    return { ok: false, reason: forwarding ? 'NO_ROUTE' : 'NO_ROUTE_FORWARDING_DISABLED', errno };
  }
  const res = out.res;
  const r = res.route;
  if (r.type === 'broadcast') {
    const b = brd();
    if (b.ok) b.rt.table = res.table;
    return b;
  }
  if (r.type === 'local') {
    if (fibValidateSource(v4, saddr, daddr, tos, 0, dev, mark, l4) < 0) return martianSrc;
    return { ok: true, rt: { type: 'local', dev, gw: 0, src: daddr, input: 'local', table: res.table, rtFlags: RTCF_LOCAL, tos: r.tos, res } };
  }
  if (!forwarding) return { ok: false, reason: 'FORWARDING_DISABLED', errno: Errno.EHOSTUNREACH };
  if (r.type !== 'unicast') return { ok: false, reason: 'MARTIAN_DESTINATION', errno: Errno.EINVAL };
  // ip_mkroute_input(): the multipath hash comes from the packet itself.
  fibSelectPath(v4, res, { ...fl, proto, sport: l4.sport, dport: l4.dport }, true);
  const nh = res.nh;
  if (!nh?.dev) return { ok: false, reason: 'NO_ROUTE', errno: Errno.ENETUNREACH };
  const err = fibValidateSource(v4, saddr, daddr, tos, nh.dev.ifindex, dev, mark, l4);
  if (err < 0) return { ok: false, reason: 'RP_FILTER', errno: Errno.EINVAL };
  let rtFlags = 0;
  if (nh.dev === dev && err && devconf(v4, dev, 'send_redirects')) rtFlags |= RTCF_DOREDIRECT;
  const gw = nh.gw && nh.scope === RT_SCOPE_LINK ? nh.gw : 0;
  return { ok: true, rt: { type: 'unicast', dev: nh.dev, gw, src: r.prefsrc, input: 'forward', table: res.table, rtFlags, tos: r.tos, res } };
}

/** ip_route_input_mc(): validate the source (ip_mc_validate_source), then a multicast route to us and/or ipmr. */
function ipRouteInputMc(v4: Ipv4Netns, daddr: Ipv4Addr, saddr: Ipv4Addr, tos: number, dev: NetDevice, proto: number, keys: InputKeys, our: boolean, mforward: boolean): InputResult {
  const ev = v4.ns.emit('ip_route_input_mc', 'lookup', { daddr: formatIpv4(daddr), saddr: formatIpv4(saddr), dev: dev.name, our, mforward });
  return v4.ns.sim.trace.within(ev, () => {
    const err = keys.looped ? null : ipMcValidateSource(v4, daddr, saddr, tos, dev, proto, keys);
    if (err) {
      // -EXDEV (rp_filter) is what ip_rcv_finish_core() counts as IPRPFILTER; the rest are martians.
      const r: InputResult = { ok: false, reason: err.errno === EXDEV ? 'RP_FILTER' : 'MARTIAN_SOURCE', errno: Errno.EINVAL };
      v4.ns.emit('ip_route_input_mc', 'lookup', { decision: 'drop', reason: r.reason, why: err.why });
      return r;
    }
    const input = mforward ? 'mr_input' : 'local';
    v4.ns.emit('ip_route_input_mc', 'lookup', { decision: input });
    return { ok: true, rt: { type: 'multicast', dev, gw: 0, src: 0, input, table: 0, rtFlags: RTCF_MULTICAST | (our ? RTCF_LOCAL : 0) } };
  });
}

/**
 * ip_mc_validate_source(): martian sources, then the reverse-path check with daddr 0 and oif 0 (so with
 * rp_filter off only the cheap "is it one of ours" test runs). A zero-net source is accepted only for
 * link-local groups (224.0.0.0/24) or IGMP, without any reverse lookup.
 */
function ipMcValidateSource(v4: Ipv4Netns, daddr: Ipv4Addr, saddr: Ipv4Addr, tos: number, dev: NetDevice, proto: number, keys: InputKeys): { errno: number; why: string } | null {
  if (isMulticast(saddr) || isLbcast(saddr)) return { errno: Errno.EINVAL, why: 'source is multicast or broadcast' };
  if (isLoopback(saddr) && !devconf(v4, dev, 'route_localnet')) return { errno: Errno.EINVAL, why: 'source is loopback (route_localnet off)' };
  if (isZeronet(saddr)) {
    if (!isLocalMulticast(daddr) && proto !== 2 /* IPPROTO_IGMP */) return { errno: Errno.EINVAL, why: 'source is 0.0.0.0/8 and the packet is not IGMP' };
    return null;
  }
  const ret = fibValidateSource(v4, saddr, 0, tos, 0, dev, keys.mark ?? 0, { proto, sport: keys.sport ?? 0, dport: keys.dport ?? 0 });
  return ret < 0 ? { errno: -ret, why: ret === -EXDEV ? 'rp_filter: no acceptable route back to the source' : 'fib_validate_source rejected the source' } : null;
}
