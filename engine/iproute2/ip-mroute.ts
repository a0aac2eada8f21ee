// `ip mroute` (iproute2 6.1 ip/ipmroute.c): the RTNL_FAMILY_IPMR route dump printed by print_mroute().
// The kernel side is ipmr_rtm_dumproute/mr_fill_mroute: resolved entries in insertion order, then
// unresolved ones (no iif, no oifs, no stats), table by table.

import { RT_TABLE_DEFAULT, RT_TABLE_MAIN } from '../ipv4/fib-types.js';
import { ipmrNet } from '../ipv4/ipmr.js';
import { mfcDumpOrder } from '../ipv4/ipmr-mfc.js';
import type { MfcCache, MfcUnres, MrTable } from '../ipv4/ipmr-types.js';
import { KernelError, Errno } from '../net/errno.js';
import { formatIpv4 } from '../wire/inet.js';
import { llIndexToName, llNameToIndex, type IpCtx } from './ip-context.js';
import { dumpTerminated, fail1, fail255, invarg, IpExit, nodev } from './ip-errors.js';
import { rtTableA2n, rtTableN2a } from './ip-names.js';
import { Args, matches } from './ip-utils.js';

const USAGE = 'Usage: ip mroute show [ [ to ] PREFIX ] [ from PREFIX ] [ iif DEVICE ]\n                      [ table TABLE_ID ]\nTABLE_ID := [ local | main | default | all | NUMBER ]\n';

export function doMultiroute(ctx: IpCtx, argv: readonly string[]): number {
  if (argv.length < 1) return mrouteList(ctx, []);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return mrouteList(ctx, rest);
  if (matches(cmd, 'help')) throw new IpExit(255, USAGE);
  fail255(`Command "${cmd}" is unknown, try "ip mroute help".`);
}

/** get_prefix() with family RTNL_FAMILY_IPMR: only the catch-all words parse (to nothing). */
function prefix(arg: string): void {
  if (arg === 'default' || arg === 'any' || arg === 'all') return;
  fail1(`Error: ??? prefix is expected rather than "${arg}".`);
}

function mrouteList(ctx: IpCtx, argv: readonly string[]): number {
  // Families without multicast routing print nothing; the model has no IPv6 (ip6mr dumps are empty).
  if (ctx.opts.family !== 'unspec' && ctx.opts.family !== 'inet') return 0;
  let tb = RT_TABLE_DEFAULT; // "for backward compatibility"
  let id: string | null = null;
  const a = new Args(argv);
  for (; a.more; a.advance()) {
    const w = a.cur;
    if (matches(w, 'table')) {
      const v = a.next();
      const tid = rtTableA2n(v);
      if (tid === null) {
        if (v === 'all') tb = 0;
        else if (v === 'help') throw new IpExit(255, USAGE);
        else invarg('table id value is invalid\n', v);
      } else tb = tid;
    } else if (w === 'iif') id = a.next();
    else if (matches(w, 'from')) prefix(a.next());
    else {
      let v = w;
      if (v === 'to') v = a.next();
      if (matches(v, 'help')) throw new IpExit(255, USAGE);
      prefix(v);
    }
  }
  let iif = 0;
  if (id !== null) {
    iif = llNameToIndex(ctx.ns, id);
    if (!iif) nodev(id);
  }
  const net = ipmrNet(ctx.ns);
  let tables: MrTable[];
  if (tb) {
    const mrt = net.tables.get(tb);
    if (!mrt) throw dumpTerminatedRc1(new KernelError(Errno.ENOENT, 'ipv4: MR table does not exist'));
    tables = [mrt];
  } else tables = [...net.tables.values()];
  const out = ctx.out;
  out.begin();
  for (const mrt of tables) {
    for (const c of mfcDumpOrder(net, mrt)) {
      const vif = mrt.vifTable[c.parent];
      const cIif = vif ? vif.dev.ifindex : 0;
      if (iif && cIif !== iif) continue;
      printEntry(ctx, mrt, c, cIif, tb);
    }
    for (const u of mrt.unres) {
      if (iif) continue;
      printEntry(ctx, mrt, u, 0, tb);
    }
  }
  out.end();
  return 0;
}

/** rtnl_dump_filter() failing: the error, "Dump terminated", exit(1). */
function dumpTerminatedRc1(e: KernelError): IpExit {
  return new IpExit(1, dumpTerminated(e).stderr);
}

function isResolved(c: MfcCache | MfcUnres): c is MfcCache {
  return 'parent' in c;
}

/** print_mroute() */
function printEntry(ctx: IpCtx, mrt: MrTable, c: MfcCache | MfcUnres, iif: number, filterTb: number): void {
  const out = ctx.out;
  const ns = ctx.ns;
  const src = formatIpv4(c.origin);
  const dst = formatIpv4(c.mcastgrp);
  out.openObject();
  if (out.json) {
    out.jsonOnly('src', src);
    out.jsonOnly('dst', dst);
  } else out.fp(`(${src},${dst})`.padEnd(32, ' ') + ' Iif: ');
  if (iif) out.any('iif', llIndexToName(ns, iif), `${llIndexToName(ns, iif).padEnd(10, ' ')} `);
  else out.any('iif', 'unresolved', 'unresolved ');
  if (isResolved(c)) {
    out.openArray('multipath', null);
    let first = true;
    for (let ct = c.minvif; ct < c.maxvif; ct++) {
      const v = mrt.vifTable[ct];
      if (!v || c.ttls[ct]! >= 255) continue;
      out.openObject();
      if (first) {
        out.fp('Oifs: ');
        first = false;
      }
      out.any('oif', v.dev.name, v.dev.name);
      const hops = c.ttls[ct]!;
      if (hops > 1) out.any('ttl', hops, `(ttl ${hops}) `);
      else out.fp(' ');
      out.closeObject();
    }
    out.closeArray(null);
  }
  out.any('state', isResolved(c) ? 'resolved' : 'unresolved', ` State: ${isResolved(c) ? 'resolved' : 'unresolved'}`);
  if (isResolved(c) && ctx.opts.stats) {
    out.nl();
    out.any('packets', c.pkt, `  ${c.pkt} packets,`);
    out.any('bytes', c.bytes, ` ${c.bytes} bytes`);
    if (c.wrongIf) out.any('wrong_if', c.wrongIf, `, ${c.wrongIf} arrived on wrong iif.`);
    // RTA_EXPIRES: time since last use in clock ticks (USER_HZ 100), printed as seconds.
    const ticks = Math.floor(Math.max(0, ns.sim.now - c.lastuse) / 10_000_000);
    out.any('expires', ticks / 100, `, Age ${(ticks / 100).toFixed(2)}`);
  }
  if (mrt.id && (mrt.id !== RT_TABLE_MAIN || ctx.opts.details > 0) && !filterTb) {
    const name = rtTableN2a(mrt.id, ctx.opts.numeric);
    out.any('table', name, ` Table: ${name}`);
  }
  out.fp('\n');
  out.closeObject();
}
