// print_route() of iproute2 6.1 (ip/iproute.c) for IPv4, with the filter_nlmsg() tests of a listing.
// Every element ends in a space, so a text line ends in " " before the newline. `ip route get` and
// the monitor can print their messages with the same function.

import { RTNH_F_DEAD, RTNH_F_LINKDOWN, RTNH_F_OFFLOAD, RTNH_F_ONLINK, RTNH_F_PERVASIVE, RT_TABLE_MAIN } from '../ipv4/fib-types.js';
import { formatIpv4 } from '../wire/inet.js';
import { llIndexToName, type IpCtx } from './ip-context.js';
import { dsfieldN2a, rtnTypeN2a, rtnTypeNumber, rtProtN2a, rtScopeN2a, rtTableN2a } from './ip-names.js';
import { prefixContains } from './ip-rtnl-addr.js';
import type { RouteMsg, RtNexthop } from './ip-rtnl-route.js';

const RTNH_F_TRAP = 64;
const RTM_F_NOTIFY = 0x100;
const RTNH_F_UNRESOLVED = 32;
const RTM_F_OFFLOAD = 0x4000;
const RTM_F_TRAP = 0x8000;
const RTM_F_OFFLOAD_FAILED = 0x20000000;

/** The listing filter (struct filter in iproute.c); a mask of -1 means "selected, so not printed". */
export interface RouteFilter {
  /** Table id asked for; 0 = all (then `table X` is printed for non-main routes). */
  tb: number;
  protocol: number;
  protocolmask: number;
  scope: number;
  scopemask: number;
  /** Bit per RTN_* type; 0 = any. */
  typemask: number;
  oif: number;
  oifmask: number;
  /** `root`/`match`/`exact` prefixes (bitlen -1 = unset). */
  rdst: { addr: number; bitlen: number } | null;
  mdst: { addr: number; bitlen: number } | null;
  rprefsrc: { addr: number; bitlen: number } | null;
  rvia: { addr: number; bitlen: number } | null;
  tos: number;
  tosmask: number;
  metric: number;
  metricmask: number;
}

export function defaultRouteFilter(): RouteFilter {
  return { tb: RT_TABLE_MAIN, protocol: 0, protocolmask: 0, scope: 0, scopemask: 0, typemask: 0, oif: 0, oifmask: 0, rdst: null, mdst: null, rprefsrc: null, rvia: null, tos: 0, tosmask: 0, metric: 0, metricmask: 0 };
}

/** filter_nlmsg() for IPv4 routes. */
export function routeMatches(f: RouteFilter, r: RouteMsg): boolean {
  if (f.tb > 0 && f.tb !== r.table) return false;
  if ((f.protocol ^ r.protocol) & f.protocolmask) return false;
  if ((f.scope ^ r.scope) & f.scopemask) return false;
  if (f.typemask && !(f.typemask & (1 << rtnTypeNumber(r.type)))) return false;
  if (f.rdst && f.rdst.bitlen > r.dstLen) return false;
  if (f.mdst && f.mdst.bitlen >= 0 && f.mdst.bitlen < r.dstLen) return false;
  const dst = r.dst ?? 0;
  if (f.rdst && !prefixContains(f.rdst.addr, f.rdst.bitlen, dst)) return false;
  if (f.mdst && !prefixContains(f.mdst.addr, r.dstLen, dst)) return false;
  if (f.rprefsrc && (r.prefsrc === null || !prefixContains(f.rprefsrc.addr, f.rprefsrc.bitlen, r.prefsrc))) return false;
  if (f.rvia && (r.gateway === null || !prefixContains(f.rvia.addr, f.rvia.bitlen, r.gateway))) return false;
  if (f.oifmask && ((r.oif ?? 0) ^ f.oif) & f.oifmask) return false;
  if ((f.tos ^ r.tos) & f.tosmask) return false;
  if (((r.priority ?? 0) ^ f.metric) & f.metricmask) return false;
  return true;
}

/** print_rt_flags(): a JSON "flags" array always, words only when set. */
function printRtFlags(ctx: IpCtx, flags: number): void {
  const p = ctx.out;
  p.openArray(p.json ? 'flags' : null, null);
  const words: Array<[number, string]> = [
    [RTNH_F_DEAD, 'dead'],
    [RTNH_F_ONLINK, 'onlink'],
    [RTNH_F_PERVASIVE, 'pervasive'],
    [RTNH_F_OFFLOAD, 'offload'],
    [RTNH_F_TRAP, 'trap'],
    [RTM_F_NOTIFY, 'notify'],
    [RTNH_F_LINKDOWN, 'linkdown'],
    [RTNH_F_UNRESOLVED, 'unresolved'],
    [RTM_F_OFFLOAD, 'rt_offload'],
    [RTM_F_TRAP, 'rt_trap'],
    [RTM_F_OFFLOAD_FAILED, 'rt_offload_failed'],
  ];
  for (const [bit, word] of words) if (flags & bit) p.any(null, word, `${word} `);
  p.closeArray(null);
}

/** print_rta_gateway() */
function printGateway(ctx: IpCtx, gw: number): void {
  const g = formatIpv4(gw);
  if (ctx.out.json) ctx.out.jsonOnly('gateway', g);
  else ctx.out.fp(`via ${g} `);
}

/** print_rta_ifidx() */
function printIf(ctx: IpCtx, ifindex: number, prefix: string): void {
  const name = llIndexToName(ctx.ns, ifindex);
  if (ctx.out.json) ctx.out.jsonOnly(prefix, name);
  else ctx.out.fp(`${prefix} ${name} `);
}

/** print_rta_multipath() */
function printMultipath(ctx: IpCtx, nhs: readonly RtNexthop[]): void {
  const p = ctx.out;
  p.openArray(p.json ? 'nexthops' : null, null);
  for (const nh of nhs) {
    p.openObject();
    p.fp(`${p.sl}\tnexthop `);
    if (nh.gateway !== null) printGateway(ctx, nh.gateway);
    if (nh.ifindex) printIf(ctx, nh.ifindex, 'dev');
    p.any('weight', nh.hops + 1, `weight ${nh.hops + 1} `);
    printRtFlags(ctx, nh.flags);
    p.closeObject();
  }
  p.closeArray(null);
}

/** mx_names[]: RTAX_* names, index = type. */
const MX_NAMES = ['', 'lock', 'mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss', 'reordering', 'hoplimit', 'initcwnd', 'features', 'rto_min', 'initrwnd', 'quickack', 'congctl', 'fastopen_no_cookie'];

/** print_rta_metrics(): "name [lock ]value " per metric in RTAX order; JSON: one object in "metrics". */
function printRtaMetrics(ctx: IpCtx, m: readonly number[]): void {
  const p = ctx.out;
  const lock = m[0] ?? 0;
  p.openArray(p.json ? 'metrics' : null, null);
  p.openObject();
  for (let i = 2; i < MX_NAMES.length; i++) {
    const val = m[i - 1] ?? 0;
    if (!val && !(lock & (1 << i))) continue;
    p.fp(`${MX_NAMES[i]} ${lock & (1 << i) ? 'lock ' : ''}`);
    p.any(MX_NAMES[i]!, val, `${val} `);
  }
  p.closeObject();
  p.closeArray(null);
}

/** print_cache_flags(): the RTCF_* bits of a cloned route (`ip route get`). */
function printCacheFlags(ctx: IpCtx, flags: number): void {
  const p = ctx.out;
  let f = (flags & ~0xffff) >>> 0;
  if (p.json) p.openArray('cache', null);
  else {
    p.fp(`${p.sl}    cache `);
    if (f === 0) return;
    p.fp('<');
  }
  const names: Array<[number, string]> = [
    [0x80000000, 'local'], [0x40000000, 'reject'], [0x20000000, 'mc'], [0x10000000, 'brd'], [0x08000000, 'dst-nat'], [0x00800000, 'src-nat'],
    [0x00400000, 'masq'], [0x00020000, 'dst-direct'], [0x04000000, 'src-direct'], [0x00040000, 'redirected'], [0x01000000, 'redirect'],
    [0x00200000, 'fastroute'], [0x00010000, 'notify'], [0x00080000, 'tproxy'],
  ];
  for (const [bit, name] of names) {
    if (!(f & bit)) continue;
    f = (f & ~bit) >>> 0;
    if (p.json) p.any(null, name, '');
    else p.fp(`${name}${f ? ',' : ''}`);
  }
  if (f) p.fp(`${f.toString(16)}`);
  if (p.json) p.closeArray(null);
  else p.fp('> ');
}

export function printRoute(ctx: IpCtx, r: RouteMsg, f: RouteFilter): void {
  const p = ctx.out;
  const o = ctx.opts;
  p.openObject();
  if ((r.type !== 'unicast' || o.details) && (!f.typemask || f.typemask & (1 << rtnTypeNumber(r.type)))) {
    const t = rtnTypeN2a(r.type, o.numeric);
    p.any('type', t, `${t} `);
  }
  let dst: string;
  if (r.dst !== null) dst = r.dstLen !== 32 ? `${formatIpv4(r.dst)}/${r.dstLen}` : formatIpv4(r.dst);
  else if (r.dstLen) dst = `0/${r.dstLen} `;
  else dst = 'default';
  p.any('dst', dst, `${dst} `);
  if (r.src !== undefined && r.src !== null) {
    const src = formatIpv4(r.src);
    p.any('from', src, `from ${src} `);
  }
  if (r.tos && f.tosmask !== -1) {
    const tos = dsfieldN2a(r.tos, o.numeric);
    p.any('tos', tos, `tos ${tos} `);
  }
  if (r.gateway !== null && !(f.rvia && f.rvia.bitlen === 32)) printGateway(ctx, r.gateway);
  if (r.oif !== null && f.oifmask !== -1) printIf(ctx, r.oif, 'dev');
  if (r.table && (r.table !== RT_TABLE_MAIN || o.details) && !f.tb) {
    const t = rtTableN2a(r.table, o.numeric);
    p.any('table', t, `table ${t} `);
  }
  if (!r.cloned) {
    if (r.protocol !== 3 /* RTPROT_BOOT */ || o.details) {
      if (f.protocolmask !== -1) {
        const proto = rtProtN2a(r.protocol, o.numeric);
        p.any('protocol', proto, `proto ${proto} `);
      }
    }
    if ((r.scope !== 0 || o.details) && f.scopemask !== -1) {
      const scope = rtScopeN2a(r.scope, o.numeric);
      p.any('scope', scope, `scope ${scope} `);
    }
  }
  if (r.prefsrc !== null && !(f.rprefsrc && f.rprefsrc.bitlen === 32)) {
    const src = formatIpv4(r.prefsrc);
    if (p.json) p.jsonOnly('prefsrc', src);
    else p.fp(`src ${src} `);
  }
  if (r.priority !== null && f.metricmask !== -1) p.any('metric', r.priority, `metric ${r.priority} `);
  printRtFlags(ctx, r.flags);
  // iproute2 prints marks below 16 in decimal and the others as 0x-hex (observed); JSON has the number.
  if (r.mark) p.any('mark', r.mark, `mark ${r.mark < 16 ? r.mark : `0x${r.mark.toString(16)}`} `);
  if (r.uid !== undefined && r.uid !== null) p.any('uid', r.uid, `uid ${r.uid} `);
  if (r.cloned) printCacheFlags(ctx, r.flags);
  if (r.metrics) printRtaMetrics(ctx, r.metrics);
  if (r.iif !== undefined && r.iif !== null) printIf(ctx, r.iif, 'iif');
  if (r.multipath) printMultipath(ctx, r.multipath);
  p.fp('\n');
  p.closeObject();
}
