// net/ipv4/route.c (skeleton): input and output route resolution on top of the FIB.
// The lookup walks the three default rules' tables (local, main, default); the routing issue replaces
// fibLookup with the full rules engine, merged local/main trie, multipath and rp_filter.

import { Errno, KernelError } from '../net/errno.js';
import type { NetDevice } from '../net/netdevice.js';
import { formatIpv4, isLbcast, isLocalMulticast, isLoopback, isMulticast, isZeronet, type Ipv4Addr } from '../wire/inet.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, inetSelectAddr } from './devinet.js';
import { RTNH_F_DEAD, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, type FibResult, type Flowi4, type RouteType } from './fib-types.js';
import { ipCheckMc } from './igmp.js';
import type { Ipv4Netns } from './ipv4-netns.js';

/** What a routing decision yields (struct rtable): where the packet goes and how. */
export interface Rtable {
  type: RouteType;
  /** Output device (for input routes to local: the loopback device or the ingress device). */
  dev: NetDevice;
  /** Next-hop gateway, 0 if on-link. */
  gw: Ipv4Addr;
  /** Preferred source address. */
  src: Ipv4Addr;
  /** Input routes: what ip_rcv_finish does with the packet. */
  input?: 'local' | 'forward' | 'mr_input';
  table: number;
}

/** fib_lookup() through the default rules: local (pref 0), main (32766), default (32767). */
export function fibLookup(v4: Ipv4Netns, fl: Flowi4): FibResult | null {
  for (const id of [RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT]) {
    const r = v4.tables.get(id)?.lookup(fl);
    if (!r) continue;
    const nh = r.nhs.find((n) => !(n.flags & RTNH_F_DEAD) && (!fl.oif || n.dev?.ifindex === fl.oif)) ?? null;
    if (fl.oif && r.nhs.length > 0 && !nh) continue;
    return { route: r, nh, table: id };
  }
  return null;
}

function traceLookup(v4: Ipv4Netns, fl: Flowi4, res: FibResult | null): void {
  v4.ns.emit('fib_lookup', 'lookup', {
    daddr: formatIpv4(fl.daddr),
    saddr: formatIpv4(fl.saddr),
    iif: fl.iif,
    oif: fl.oif,
    tos: fl.tos,
    result: res ? res.route.type : 'ENETUNREACH',
    table: res ? res.table : null,
    prefix: res ? `${formatIpv4(res.route.dst)}/${res.route.plen}` : null,
    dev: res?.nh?.dev?.name ?? null,
    gw: res?.nh?.gw ? formatIpv4(res.nh.gw) : null,
  });
}

function loopbackDev(v4: Ipv4Netns): NetDevice {
  return v4.ns.devByName('lo')!;
}

/** ip_route_output_key(): the route of a locally generated packet. Throws ENETUNREACH etc. */
export function ipRouteOutput(v4: Ipv4Netns, fl: Flowi4): Rtable {
  const oifDev = fl.oif ? v4.ns.devByIndex(fl.oif) : undefined;
  if (fl.oif && !oifDev) throw new KernelError(Errno.ENODEV);
  if (fl.saddr && (isMulticast(fl.saddr) || isLbcast(fl.saddr) || isZeronet(fl.saddr))) throw new KernelError(Errno.EINVAL);
  // Multicast and limited broadcast with an explicit device need no FIB lookup (ip_route_output_key_hash_rcu).
  if (oifDev && (isMulticast(fl.daddr) || isLbcast(fl.daddr))) {
    if (!oifDev.isUp) throw new KernelError(Errno.ENETUNREACH);
    const src = fl.saddr || inetSelectAddr(oifDev.inDev, 0, RT_SCOPE_LINK);
    return { type: isLbcast(fl.daddr) ? 'broadcast' : 'multicast', dev: oifDev, gw: 0, src, table: 0 };
  }
  if (!fl.daddr) {
    // No destination: the kernel routes to the loopback (daddr = saddr or 127.0.0.1).
    const lo = loopbackDev(v4);
    return { type: 'local', dev: lo, gw: 0, src: fl.saddr || 0x7f000001, table: RT_TABLE_LOCAL };
  }
  const res = fibLookup(v4, fl);
  traceLookup(v4, fl, res);
  if (!res) throw new KernelError(Errno.ENETUNREACH);
  const r = res.route;
  switch (r.type) {
    case 'local':
      return { type: 'local', dev: loopbackDev(v4), gw: 0, src: fl.saddr || r.prefsrc || fl.daddr, table: res.table };
    case 'blackhole':
      throw new KernelError(Errno.EINVAL);
    case 'unreachable':
      throw new KernelError(Errno.EHOSTUNREACH);
    case 'prohibit':
      throw new KernelError(Errno.EACCES);
    case 'throw':
      throw new KernelError(Errno.EAGAIN);
    default:
      break;
  }
  const nh = res.nh;
  if (!nh || !nh.dev) throw new KernelError(Errno.ENETUNREACH);
  const dev = nh.dev;
  const scope = nh.gw ? RT_SCOPE_LINK : r.scope === RT_SCOPE_HOST ? RT_SCOPE_HOST : RT_SCOPE_LINK;
  const src = fl.saddr || r.prefsrc || inetSelectAddr(dev.inDev, nh.gw || fl.daddr, scope === RT_SCOPE_HOST ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE) || selectAnyAddr(v4);
  const type: RouteType = isMulticast(fl.daddr) ? 'multicast' : r.type;
  return { type, dev, gw: nh.gw, src, table: res.table };
}

/** inet_select_addr() falling back to any global address of the namespace. */
function selectAnyAddr(v4: Ipv4Netns): Ipv4Addr {
  for (const { ifa } of v4.allIfaddrs()) if (ifa.scope === RT_SCOPE_UNIVERSE) return ifa.local;
  return 0;
}

export type InputResult = { ok: true; rt: Rtable } | { ok: false; reason: string; errno: Errno };

/** ip_route_input_noref(): where an arriving packet goes. */
export function ipRouteInput(v4: Ipv4Netns, daddr: Ipv4Addr, saddr: Ipv4Addr, tos: number, dev: NetDevice, proto: number): InputResult {
  const inDev = dev.inDev;
  if (isMulticast(daddr)) {
    // ip_route_input_mc(): ours if the interface joined the group; to ipmr if multicast forwarding is on.
    const our = ipCheckMc(inDev, daddr, saddr, proto);
    const mforward = v4.devconfAll.values.mc_forwarding !== 0 && inDev.conf.values.mc_forwarding !== 0 && !isLocalMulticast(daddr);
    if (!our && !mforward) return { ok: false, reason: 'NOT_JOINED', errno: Errno.EINVAL };
    if (isMulticast(saddr) || isLbcast(saddr)) return { ok: false, reason: 'MARTIAN_SOURCE', errno: Errno.EINVAL };
    return { ok: true, rt: { type: 'multicast', dev, gw: 0, src: 0, input: mforward ? 'mr_input' : 'local', table: 0 } };
  }
  // ip_route_input_slow(): martians first.
  if (isMulticast(saddr) || isLbcast(saddr)) return { ok: false, reason: 'MARTIAN_SOURCE', errno: Errno.EINVAL };
  if (isLbcast(daddr) || (saddr === 0 && daddr === 0)) {
    return { ok: true, rt: { type: 'broadcast', dev, gw: 0, src: 0, input: 'local', table: 0 } };
  }
  if (isZeronet(saddr)) return { ok: false, reason: 'MARTIAN_SOURCE', errno: Errno.EINVAL };
  if (isZeronet(daddr)) return { ok: false, reason: 'MARTIAN_DESTINATION', errno: Errno.EINVAL };
  if (isLoopback(daddr) || isLoopback(saddr)) {
    if (!inDev.conf.values.route_localnet && !v4.devconfAll.values.route_localnet) return { ok: false, reason: 'MARTIAN_DESTINATION', errno: Errno.EINVAL };
  }
  const fl = { daddr, saddr, oif: 0, iif: dev.ifindex, mark: 0, tos, proto, sport: 0, dport: 0, uid: 0 };
  const res = fibLookup(v4, fl);
  traceLookup(v4, fl, res);
  if (!res) return { ok: false, reason: 'NO_ROUTE', errno: Errno.ENETUNREACH };
  const r = res.route;
  if (r.type === 'broadcast') return { ok: true, rt: { type: 'broadcast', dev, gw: 0, src: 0, input: 'local', table: res.table } };
  if (r.type === 'local') return { ok: true, rt: { type: 'local', dev, gw: 0, src: daddr, input: 'local', table: res.table } };
  if (r.type !== 'unicast') return { ok: false, reason: r.type.toUpperCase(), errno: r.type === 'prohibit' ? Errno.EACCES : r.type === 'unreachable' ? Errno.EHOSTUNREACH : Errno.EINVAL };
  // Forwarding must be on for the ingress device (IN_DEV_FORWARD).
  if (!inDev.conf.values.forwarding) return { ok: false, reason: 'FORWARDING_DISABLED', errno: Errno.EHOSTUNREACH };
  const nh = res.nh;
  if (!nh?.dev) return { ok: false, reason: 'NO_ROUTE', errno: Errno.ENETUNREACH };
  return { ok: true, rt: { type: 'unicast', dev: nh.dev, gw: nh.gw, src: r.prefsrc, input: 'forward', table: res.table } };
}
