// `ip route get` (iproute2 6.1 iproute_get) and the kernel side it talks to (inet_rtm_getroute): an
// input lookup when `iif` is given, an output lookup otherwise, answered as rt_fill_info() fills the
// reply (or, with `fibmatch`, as fib_dump_info() prints the matching FIB entry).

import { Errno, KernelError } from '../net/errno.js';
import type { Flowi4 } from '../ipv4/fib-types.js';
import { LOOPBACK_IFINDEX } from '../ipv4/fib_rules.js';
import { ipRouteInput, ipRouteOutput, RTCF_NOTIFY, type Rtable } from '../ipv4/route.js';
import { llNameToIndex, type IpCtx } from './ip-context.js';
import { fail1, invarg, IpExit, nodev, rtnlAnswer } from './ip-errors.js';
import { getPrefix, getU32 } from './ip-parse.js';
import { Printer } from './ip-print.js';
import { defaultRouteFilter, printRoute } from './ip-route-print.js';
import { dsfieldA2n, inetProtoA2n } from './ip-rule-names.js';
import { fibDumpInfo, type RouteMsg } from './ip-rtnl-route.js';
import { usageRoute } from './ip-usage.js';
import { matches } from './ip-utils.js';

const RTM_F_NOTIFY = 0x100;
const RTM_F_CLONED = 0x200;
const IPPROTO_UDP = 17;

/** An RTM_GETROUTE request as iproute2 builds it. */
export interface GetRouteRequest {
  dst: number;
  src: number | null;
  iif: number;
  oif: number;
  mark: number;
  tos: number;
  uid: number | null;
  ipProto: number | null;
  sport: number;
  dport: number;
  fibmatch: boolean;
  notify: boolean;
}

/** inet_rtm_getroute(): the reply message, or a KernelError. */
export function inetRtmGetroute(ctx: IpCtx, q: GetRouteRequest): RouteMsg {
  const v4 = ctx.ns.ipv4;
  const src = q.src ?? 0;
  const proto = q.ipProto ?? IPPROTO_UDP;
  const ev = ctx.ns.emit('inet_rtm_getroute', 'lookup', { dst: q.dst, src, iif: q.iif, oif: q.oif, mark: q.mark, fibmatch: q.fibmatch });
  const rt = ctx.ns.sim.trace.within(ev, (): Rtable => {
    if (q.iif) {
      const dev = ctx.ns.devByIndex(q.iif);
      if (!dev) throw new KernelError(Errno.ENODEV);
      const r = ipRouteInput(v4, q.dst, src, q.tos & 0xfc, dev, proto, { mark: q.mark, sport: q.sport, dport: q.dport });
      if (!r.ok) throw new KernelError(r.reason.startsWith('MARTIAN') || r.reason === 'RP_FILTER' || r.reason === 'NOT_JOINED' ? Errno.EINVAL : r.errno);
      return r.rt;
    }
    const fl: Flowi4 = { daddr: q.dst, saddr: src, oif: q.oif, iif: LOOPBACK_IFINDEX, mark: q.mark, tos: q.tos, proto, sport: q.sport, dport: q.dport, uid: q.uid ?? 0, skb: true };
    return ipRouteOutput(v4, fl);
  });
  const uid = q.iif ? q.uid : (q.uid ?? 0);
  const res = rt.res ?? null;
  if (q.fibmatch) {
    if (!res) throw new KernelError(Errno.EHOSTUNREACH);
    const msg = fibDumpInfo(v4, res.route);
    msg.table = rt.table;
    msg.type = rt.type;
    return msg;
  }
  let flags = (((rt.rtFlags ?? 0) & ~0xffff) | RTM_F_CLONED) >>> 0;
  if (q.notify) flags = (flags | RTCF_NOTIFY | RTM_F_NOTIFY) >>> 0;
  const input = q.iif !== 0;
  const lo = ctx.ns.devByName('lo');
  const dev = input && (rt.type === 'local' || rt.type === 'broadcast') && lo ? lo : rt.dev;
  return {
    dstLen: 32,
    tos: rt.tos ?? 0,
    table: rt.table,
    protocol: 0,
    scope: 0,
    type: rt.type,
    flags,
    dst: q.dst,
    priority: null,
    prefsrc: !input && rt.src !== src ? rt.src : null,
    gateway: rt.gw ? rt.gw : null,
    oif: dev.ifindex,
    multipath: null,
    src: q.src,
    mark: q.mark || null,
    uid,
    iif: input ? q.iif : null,
    cloned: true,
    // rt_set_nexthop(): the dst takes the fib_info's metrics.
    metrics: res?.route.metrics ?? null,
  };
}

/** iproute_get() */
export function iprouteGet(ctx: IpCtx, argv: readonly string[]): number {
  const family = ctx.opts.family;
  const q: GetRouteRequest = { dst: 0, src: null, iif: 0, oif: 0, mark: 0, tos: 0, uid: null, ipProto: null, sport: 0, dport: 0, fibmatch: false, notify: false };
  let idev: string | null = null;
  let odev: string | null = null;
  let found = false;
  let connected = false;
  let fromOk = false;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const next = (): string => {
      if (i + 1 >= argv.length) throw new IpExit(255, 'Command line is not complete. Try option "help"\n');
      return argv[++i]!;
    };
    if (w === 'tos' || matches(w, 'dsfield')) {
      const v = next();
      const t = dsfieldA2n(v);
      if (t === null) invarg('TOS value is invalid\n', v);
      q.tos = t;
    } else if (matches(w, 'from')) {
      const v = next();
      if (matches(v, 'help')) throw new IpExit(255, usageRoute());
      const p = getPrefix(v, family);
      q.src = p.family === 'inet' ? p.addr : null;
      fromOk = true;
    } else if (matches(w, 'iif')) idev = next();
    else if (matches(w, 'mark')) {
      const v = next();
      const m = getU32(v);
      if (m === null) invarg('invalid mark value', v);
      q.mark = m;
    } else if (matches(w, 'oif') || w === 'dev') odev = next();
    else if (matches(w, 'notify')) q.notify = true;
    else if (matches(w, 'connected')) connected = true;
    else if (matches(w, 'vrf')) invarg('Invalid VRF\n', next());
    else if (matches(w, 'uid')) {
      const v = next();
      const u = getU32(v);
      if (u === null) invarg('invalid UID\n', v);
      q.uid = u;
    } else if (matches(w, 'fibmatch')) q.fibmatch = true;
    else if (w === 'sport' || w === 'dport') {
      const v = next();
      const n = getU32(v);
      if (n === null || n > 0xffff) invarg(`invalid ${w}\n`, v);
      if (w === 'sport') q.sport = n;
      else q.dport = n;
    } else if (matches(w, 'ipproto')) {
      const v = next();
      const p = inetProtoA2n(v);
      if (p === null) invarg('Invalid "ipproto" value\n', v);
      q.ipProto = p;
    } else {
      let v = w;
      if (v === 'to') v = next();
      if (matches(v, 'help')) throw new IpExit(255, usageRoute());
      const p = getPrefix(v, family);
      if (p.family === 'inet6') throw new IpExit(2, 'RTNETLINK answers: Network is unreachable\n');
      if ((p.family === 'inet' || p.family === 'unspec') && p.bitlen !== 32) ctx.stderr += `Warning: /${p.bitlen} as prefix is invalid, only /32 (or none) is supported.\n`;
      q.dst = p.addr;
      found = true;
    }
  }
  if (!found) fail1('need at least a destination address');
  if (idev !== null) {
    q.iif = llNameToIndex(ctx.ns, idev);
    if (!q.iif) nodev(idev);
  }
  if (odev !== null) {
    q.oif = llNameToIndex(ctx.ns, odev);
    if (!q.oif) nodev(odev);
  }
  let msg: RouteMsg;
  try {
    msg = inetRtmGetroute(ctx, q);
  } catch (e) {
    if (e instanceof KernelError) throw rtnlAnswer(e);
    throw e;
  }
  ctx.out.begin();
  printRoute(ctx, msg, { ...defaultRouteFilter(), tb: 0 });
  ctx.out.end();
  if (connected && !fromOk) return connectRoute(ctx, q, msg);
  return 0;
}

/**
 * `connected` without `from`: iproute2 6.1 wants to ask again from the answer's source address, but it
 * retypes RTA_PREFSRC in the answer and then resends the original request, so the same question is
 * asked twice (observed on 6.18: the second answer repeats the first, printed as text even with -j).
 * An answer with no source (fibmatch) fails before the second question.
 */
function connectRoute(ctx: IpCtx, q: GetRouteRequest, first: RouteMsg): number {
  if (first.prefsrc === null && (first.src ?? null) === null) {
    ctx.stderr += 'Failed to connect the route\n';
    return 1;
  }
  let msg: RouteMsg;
  try {
    msg = inetRtmGetroute(ctx, q);
  } catch (e) {
    if (e instanceof KernelError) throw rtnlAnswer(e);
    throw e;
  }
  const text = new Printer({ json: false, pretty: false, oneline: ctx.opts.oneline });
  printRoute({ ...ctx, out: text }, msg, { ...defaultRouteFilter(), tb: 0 });
  ctx.out.out += text.out;
  return 0;
}
