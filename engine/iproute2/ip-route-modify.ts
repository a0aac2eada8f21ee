// `ip route add|change|replace|prepend|append|test|delete` (iproute2 6.1 iproute_modify and
// parse_nexthops): the request is built exactly as iproute2 builds it (defaults for table, scope,
// protocol and type), then handed to the kernel side (inet_rtm_newroute / inet_rtm_delroute).

import { parseRouteMetric, routeMetrics, type MetricsBuilder } from './ip-route-metrics.js';
import { Errno, KernelError } from '../net/errno.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE } from '../ipv4/devinet.js';
import { RTNH_F_ONLINK, RTPROT_BOOT, RT_TABLE_LOCAL, RT_TABLE_MAIN, type RouteType } from '../ipv4/fib-types.js';
import { inetRtmDelroute, inetRtmNewroute } from '../ipv4/fib_frontend.js';
import type { FibConfig, NhConfig } from '../ipv4/fib_semantics.js';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../ipv4/fib_trie.js';
import { llNameToIndex, type IpCtx } from './ip-context.js';
import { duparg2, fail1, fail255, invarg, IpExit, nodev, rtnlAnswer } from './ip-errors.js';
import { dsfieldA2n } from './ip-rule-names.js';
import { rtnTypeA2n, rtProtA2n, rtScopeA2n, rtTableA2n } from './ip-names.js';
import { getAddr, getPrefix, getU32 } from './ip-parse.js';
import { usageRoute } from './ip-usage.js';
import { Args, matches } from './ip-utils.js';

/** The netlink flags of each `ip route` command (do_iproute). */
export const ROUTE_CMD_FLAGS: ReadonlyArray<readonly [string, number]> = [
  ['add', NLM_F_CREATE | NLM_F_EXCL],
  ['change', NLM_F_REPLACE],
  ['replace', NLM_F_CREATE | NLM_F_REPLACE],
  ['prepend', NLM_F_CREATE],
  ['append', NLM_F_CREATE | NLM_F_APPEND],
  ['test', NLM_F_EXCL],
  ['delete', 0],
];

/** Route metrics and options the kernel stores and prints but the model does not keep: refused honestly. */
const VALUE_OPTIONS = new Set(['mtu', 'hoplimit', 'advmss', 'reordering', 'rtt', 'rttvar', 'rto_min', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'ssthresh', 'features', 'quickack', 'congctl', 'fastopen_no_cookie', 'expires', 'realms', 'pref', 'ttl-propagate', 'encap', 'nhid', 'as']);

/** read_family() */
function readFamily(w: string): boolean {
  return ['inet', 'inet6', 'mpls', 'bridge', 'link'].includes(w);
}

/** parse_one_nh(): returns the index of the first word it did not take. */
function parseOneNh(ctx: IpCtx, argv: readonly string[], start: number): { nh: NhConfig; next: number } {
  const nh: NhConfig = { gw: 0, oif: 0, weight: 1, flags: 0 };
  let i = start;
  const next = (): string => {
    if (i + 1 >= argv.length) throw new IpExit(255, 'Command line is not complete. Try option "help"\n');
    return argv[++i]!;
  };
  while (++i < argv.length) {
    const w = argv[i]!;
    if (w === 'via') {
      let v = next();
      if (readFamily(v)) v = next();
      nh.gw = getAddr(v, ctx.opts.family).addr;
    } else if (w === 'dev') {
      const d = next();
      nh.oif = llNameToIndex(ctx.ns, d);
      if (!nh.oif) throw new IpExit(255, `Cannot find device "${d}"\nError: cannot parse nexthop\n`);
    } else if (w === 'weight') {
      const v = next();
      const n = getU32(v);
      if (n === null || n === 0 || n > 256) invarg('"weight" is invalid\n', v);
      nh.weight = n;
    } else if (w === 'onlink') nh.flags |= RTNH_F_ONLINK;
    else if (matches(w, 'realms')) next();
    else break;
  }
  return { nh, next: i };
}

/** parse_nexthops() */
function parseNexthops(ctx: IpCtx, argv: readonly string[]): NhConfig[] {
  const out: NhConfig[] = [];
  let i = 0;
  while (i < argv.length) {
    if (argv[i] !== 'nexthop') fail255(`Error: "nexthop" or end of line is expected instead of "${argv[i]}"`);
    if (i + 1 >= argv.length) fail255('Error: unexpected end of line after "nexthop"');
    const r = parseOneNh(ctx, argv, i);
    out.push(r.nh);
    i = r.next;
  }
  return out;
}

/** iproute_modify() */
export function iprouteModify(ctx: IpCtx, cmd: string, nlflags: number, argv: readonly string[]): number {
  const del = cmd === 'delete';
  const family = ctx.opts.family;
  const cfg: FibConfig = {
    table: RT_TABLE_MAIN,
    dst: 0,
    plen: 0,
    tos: 0,
    type: del ? null : 'unicast',
    protocol: del ? 0 : RTPROT_BOOT,
    scope: del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE,
    priority: 0,
    prefsrc: 0,
    nh: { gw: 0, oif: 0, weight: 1, flags: 0 },
    mp: null,
    nlflags,
  };
  let gwOk = false;
  let dstOk = false;
  let tableOk = false;
  let scopeOk = false;
  let nhsAt = -1;
  let dev: string | null = null;
  const metrics: MetricsBuilder = { mx: [], lock: 0 };
  const a = new Args(argv);
  for (; a.more; a.advance()) {
    const w = a.cur;
    if (w === 'src') cfg.prefsrc = getAddr(a.next(), family).addr;
    else if (w === 'via') {
      if (gwOk) invarg('use nexthop syntax to specify multiple via\n', w);
      gwOk = true;
      let v = a.next();
      if (readFamily(v)) v = a.next();
      cfg.nh.gw = getAddr(v, family).addr;
    } else if (w === 'from') getPrefix(a.next(), family);
    else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const tos = dsfieldA2n(v);
      if (tos === null) invarg('"tos" value is invalid\n', v);
      cfg.tos = tos;
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.next();
      const m = getU32(v);
      if (m === null) invarg('"metric" value is invalid\n', v);
      cfg.priority = m;
    } else if (w === 'scope') {
      const v = a.next();
      const s = rtScopeA2n(v);
      if (s === null) invarg('invalid "scope" value\n', v);
      cfg.scope = s;
      scopeOk = true;
    } else if (w === 'onlink') cfg.nh.flags |= RTNH_F_ONLINK;
    else if (w === 'nexthop') {
      nhsAt = argv.length - a.remaining.length;
      break;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = rtProtA2n(v);
      if (p === null) invarg('"protocol" value is invalid\n', v);
      cfg.protocol = p;
    } else if (matches(w, 'table')) {
      const v = a.next();
      const t = rtTableA2n(v);
      if (t === null) invarg('"table" value is invalid\n', v);
      cfg.table = t;
      tableOk = true;
    } else if (matches(w, 'vrf')) invarg('Invalid VRF\n', a.next());
    else if (w === 'dev' || w === 'oif') dev = a.next();
    else if (parseRouteMetric(a, metrics)) continue;
    else if (VALUE_OPTIONS.has(w) || matches(w, 'realms')) fail1(`"ip route ${cmd} ... ${w}" is not modelled by the workbench yet.`);
    else {
      let v = w;
      if (v === 'to') v = a.next();
      const t = (v[0]! < '0' || v[0]! > '9') ? rtnTypeA2n(v) : null;
      if (t !== null) {
        v = a.next();
        cfg.type = t;
      }
      if (matches(v, 'help')) throw new IpExit(255, usageRoute());
      if (dstOk) duparg2('to', v);
      const p = getPrefix(v, family);
      cfg.dst = p.addr;
      cfg.plen = p.bitlen;
      dstOk = true;
    }
  }
  if (!dstOk) throw new IpExit(255, usageRoute());
  const mx = routeMetrics(metrics);
  if (mx) cfg.mx = mx;
  if (dev !== null) {
    cfg.nh.oif = llNameToIndex(ctx.ns, dev);
    if (!cfg.nh.oif) nodev(dev);
  }
  if (nhsAt >= 0) {
    const mp = parseNexthops(ctx, argv.slice(nhsAt));
    if (mp.length > 0) cfg.mp = mp;
  }
  const type: RouteType | null = cfg.type;
  if (!tableOk && (type === 'local' || type === 'broadcast' || type === 'nat' || type === 'anycast')) cfg.table = RT_TABLE_LOCAL;
  if (!scopeOk) {
    if (type === 'local' || type === 'nat') cfg.scope = RT_SCOPE_HOST;
    else if (type === 'broadcast' || type === 'multicast' || type === 'anycast') cfg.scope = RT_SCOPE_LINK;
    else if (type === 'unicast' || type === null) {
      if (del) cfg.scope = RT_SCOPE_NOWHERE;
      else if (!gwOk && nhsAt < 0) cfg.scope = RT_SCOPE_LINK;
    }
  }
  // rtm_to_fib_config(): table 0 is main; ECN bits are refused.
  if (cfg.table === 0) cfg.table = RT_TABLE_MAIN;
  try {
    if (cfg.tos & 0x03) throw new KernelError(Errno.EINVAL, 'Invalid dsfield (tos): ECN bits must be 0');
    cfg.tos &= 0xfc;
    if (del) inetRtmDelroute(ctx.ns.ipv4, cfg);
    else inetRtmNewroute(ctx.ns.ipv4, cfg);
  } catch (e) {
    if (e instanceof KernelError) throw rtnlAnswer(e);
    throw e;
  }
  return 0;
}
