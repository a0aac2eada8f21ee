// `ip route` (iproute2 6.1 do_iproute): the listing (`show`/`list`) with its filters and `flush`; the
// commands that change routes are in ip-route-modify.ts, `get` in ip-route-get.ts.

import { KernelError } from '../net/errno.js';
import { llNameToIndex, type IpCtx } from './ip-context.js';
import { dumpTerminated, fail1, fail255, invarg, IpExit, nodev, rtnlAnswer } from './ip-errors.js';
import { rtnTypeA2n, rtnTypeNumber, rtProtA2n, rtScopeA2n, rtTableA2n } from './ip-names.js';
import { getPrefix, getU32, type InetPrefix } from './ip-parse.js';
import { defaultRouteFilter, printRoute, routeMatches, type RouteFilter } from './ip-route-print.js';
import { inetDumpFib } from './ip-rtnl-route.js';
import { iprouteGet } from './ip-route-get.js';
import { iprouteModify, ROUTE_CMD_FLAGS } from './ip-route-modify.js';
import type { FibRoute } from '../ipv4/fib-types.js';
import { fibDumpInfo } from './ip-rtnl-route.js';
import { usageRoute } from './ip-usage.js';
import { Args, matches } from './ip-utils.js';

/** Route listing filter plus the parts print_route() does not need. */
interface ListFilter extends RouteFilter {
  cloned: boolean;
  iifGiven: boolean;
  /** A prefix of another family was given: no IPv4 route can match (filter_nlmsg compares families). */
  otherFamily: boolean;
}

export function doIproute(ctx: IpCtx, argv: readonly string[]): number {
  if (argv.length < 1) return iprouteList(ctx, []);
  const [cmd, ...rest] = argv as [string, ...string[]];
  for (const [c, flags] of ROUTE_CMD_FLAGS) {
    if (matches(cmd, c) || (c === 'change' && cmd === 'chg')) return iprouteModify(ctx, c, flags, rest);
  }
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return iprouteList(ctx, rest);
  if (matches(cmd, 'get')) return iprouteGet(ctx, rest);
  if (matches(cmd, 'flush')) {
    if (rest.length === 0) fail1('"ip route flush" requires arguments.');
    return iprouteFlush(ctx, rest);
  }
  for (const c of ['save', 'restore', 'showdump']) if (matches(cmd, c)) return notModelled(c);
  if (matches(cmd, 'help')) throw new IpExit(255, usageRoute());
  fail255(`Command "${cmd}" is unknown, try "ip route help".`);
}

function notModelled(cmd: string): never {
  fail1(`"ip route ${cmd}" is not modelled by the workbench yet.`);
}

function parseListFilter(ctx: IpCtx, argv: readonly string[]): ListFilter {
  const f: ListFilter = { ...defaultRouteFilter(), cloned: false, iifGiven: false, otherFamily: false };
  // "all"/"any" parse to a prefix of no family, which filters nothing.
  const v4 = (p: InetPrefix): { addr: number; bitlen: number } | null => {
    if (p.family === 'unspec') return null;
    if (p.family !== 'inet') f.otherFamily = true;
    return { addr: p.addr, bitlen: p.bitlen };
  };
  const family = ctx.opts.family;
  let od: string | null = null;
  let id: string | null = null;
  const a = new Args(argv);
  for (; a.more; a.advance()) {
    const w = a.cur;
    if (matches(w, 'table')) {
      const v = a.next();
      const tid = rtTableA2n(v);
      if (tid === null) {
        if (v === 'all') f.tb = 0;
        else if (v === 'cache') f.cloned = true;
        else if (v === 'help') throw new IpExit(255, usageRoute());
        else invarg('table id value is invalid\n', v);
      } else f.tb = tid;
    } else if (matches(w, 'vrf')) {
      const v = a.next();
      invarg('Invalid VRF\n', v);
    } else if (matches(w, 'cached') || matches(w, 'cloned')) f.cloned = true;
    else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const tos = getU32(v);
      if (tos === null || tos > 255) invarg('TOS value is invalid\n', v);
      f.tos = tos;
      f.tosmask = -1;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      f.protocolmask = -1;
      const prot = rtProtA2n(v);
      if (prot === null) {
        if (v !== 'all') invarg('invalid "protocol"\n', v);
        f.protocol = 0;
        f.protocolmask = 0;
      } else f.protocol = prot;
    } else if (matches(w, 'scope')) {
      const v = a.next();
      f.scopemask = -1;
      const scope = rtScopeA2n(v);
      if (scope === null) {
        if (v !== 'all') invarg('invalid "scope"\n', v);
        f.scope = 255;
        f.scopemask = 0;
      } else f.scope = scope;
    } else if (matches(w, 'type')) {
      const v = a.next();
      const t = rtnTypeA2n(v);
      if (t === null) invarg('node type value is invalid\n', v);
      f.typemask = 1 << rtnTypeNumber(t);
    } else if (w === 'dev' || w === 'oif') od = a.next();
    else if (w === 'iif') id = a.next();
    else if (w === 'mark') a.next();
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.next();
      const m = getU32(v);
      if (m === null) invarg('"metric" value is invalid\n', v);
      f.metric = m;
      f.metricmask = -1;
    } else if (w === 'via') {
      let v = a.next();
      if (v === 'inet') v = a.next();
      f.rvia = v4(getPrefix(v, family));
    } else if (w === 'src') {
      f.rprefsrc = v4(getPrefix(a.next(), family));
    } else if (matches(w, 'realms') || matches(w, 'from')) {
      a.next();
    } else {
      let v = w;
      if (matches(v, 'to')) v = a.next();
      if (matches(v, 'root')) {
        f.rdst = v4(getPrefix(a.next(), family));
      } else if (matches(v, 'match')) {
        f.mdst = v4(getPrefix(a.next(), family));
      } else {
        if (matches(v, 'exact')) v = a.next();
        else if (matches(v, 'help')) throw new IpExit(255, usageRoute());
        f.mdst = v4(getPrefix(v, family));
        f.rdst = f.mdst;
      }
    }
  }
  if (id !== null) {
    if (!llNameToIndex(ctx.ns, id)) nodev(id);
    f.iifGiven = true;
  }
  if (od !== null) {
    const idx = llNameToIndex(ctx.ns, od);
    if (!idx) nodev(od);
    f.oif = idx;
    f.oifmask = -1;
  }
  return f;
}

/** iproute_list_flush_or_save(IPROUTE_LIST) */
function iprouteList(ctx: IpCtx, argv: readonly string[]): number {
  const f = parseListFilter(ctx, argv);
  const p = ctx.out;
  p.begin();
  // With IPv6 off (and no route cache entries in the model) only IPv4 FIB routes exist.
  if (ctx.opts.family === 'unspec' || ctx.opts.family === 'inet') {
    if (!f.cloned) {
      let routes;
      try {
        routes = inetDumpFib(ctx.ns.ipv4, f.tb);
      } catch (e) {
        if (e instanceof KernelError) throw dumpTerminated(e);
        throw e;
      }
      for (const r of routes) {
        if (!routeMatches(f, r) || f.iifGiven || f.otherFamily) continue;
        printRoute(ctx, r, f);
      }
    }
  }
  p.end();
  return 0;
}

/** The FIB routes a listing filter selects (in dump order), with their messages. */
function selectRoutes(ctx: IpCtx, f: ListFilter): FibRoute[] {
  const v4 = ctx.ns.ipv4;
  if (f.cloned || f.iifGiven || f.otherFamily || (ctx.opts.family !== 'unspec' && ctx.opts.family !== 'inet')) return [];
  try {
    inetDumpFib(v4, f.tb);
  } catch (e) {
    if (e instanceof KernelError) throw new IpExit(2, `${rtnlAnswer(e).stderr}Flush terminated\n`);
    throw e;
  }
  const tables = f.tb === 0 ? [...v4.tables.values()] : [v4.tables.get(f.tb)].filter((t) => t !== undefined);
  return tables.flatMap((t) => t.routes.filter((r) => routeMatches(f, fibDumpInfo(v4, r))));
}

/** iproute_list_flush_or_save(IPROUTE_FLUSH): dump, delete what matched, repeat until nothing is left. */
function iprouteFlush(ctx: IpCtx, argv: readonly string[]): number {
  const f = parseListFilter(ctx, argv);
  const v4 = ctx.ns.ipv4;
  const stats = ctx.opts.stats > 0;
  for (let round = 1; round <= 10; round++) {
    const victims = selectRoutes(ctx, f);
    if (victims.length === 0) {
      if (stats) ctx.out.fp(round === 1 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round - 1} round${round - 1 > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    for (const r of victims) {
      const t = v4.tables.get(r.table);
      if (t?.remove(r)) ctx.ns.emit('fib_table_delete', 'state', { table: r.table, route: `${r.type} ${r.dst}/${r.plen}`, origin: 'ip route flush' });
    }
    if (stats) ctx.out.fp(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
  }
  fail1('*** Flush not completed after 10 rounds, 0 entries remain ***');
}
