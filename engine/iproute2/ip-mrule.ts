// `ip mrule` (iproute2 6.1: do_multirule → do_iprule with family RTNL_FAMILY_IPMR): list, add, del and
// flush the multicast rules that pick the mr_table for a packet (ipmr_fib_lookup). iproute2 parses
// them as `ip rule` does, so its messages say "ip rule"; prefixes (from/to) cannot be parsed for this
// family ("??? prefix"), and the kernel keeps only the generic selectors (iif, oif, fwmark).

import { ipmrNet } from '../ipv4/ipmr.js';
import { ipmrRuleAdd, ipmrRuleDel, type MrRuleQuery } from '../ipv4/ipmr-rules.js';
import type { MrRule } from '../ipv4/ipmr-table.js';
import { KernelError } from '../net/errno.js';
import type { IpCtx } from './ip-context.js';
import { fail1, incomplete, invarg, rtnlAnswer } from './ip-errors.js';
import { rtTableA2n, rtTableN2a } from './ip-names.js';
import { getU32 } from './ip-parse.js';
import { parseFwmark } from './ip-rule-names.js';
import { matches } from './ip-utils.js';

const ACTIONS: Record<string, MrRule['action']> = { unreachable: 'unreachable', prohibit: 'prohibit', blackhole: 'blackhole' };

export function doMultirule(ctx: IpCtx, argv: readonly string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) {
    if (rest.length > 0) fail1('"ip mrule show" with selectors is not modelled by the workbench yet.');
    return mruleList(ctx);
  }
  if (matches(cmd, 'add')) return mruleModify(ctx, true, rest);
  if (matches(cmd, 'delete')) return mruleModify(ctx, false, rest);
  if (matches(cmd, 'flush')) {
    if (rest.length > 0) fail1('"ip mrule flush" with selectors is not modelled by the workbench yet.');
    // iproute2's flush deletes every rule with a non-zero preference, the default rule included.
    const net = ipmrNet(ctx.ns);
    for (const r of net.rules.filter((x) => x.pref !== 0)) ipmrRuleDel(net, { pref: r.pref, action: r.action, table: r.table, iif: r.iif, oif: r.oif, mark: r.mark, markMask: r.markMask });
    return 0;
  }
  fail1(`"ip mrule ${cmd}" is not modelled by the workbench yet.`);
}

function mruleModify(ctx: IpCtx, add: boolean, argv: readonly string[]): number {
  if (argv.length === 0) fail1(add ? '"ip rule add" requires arguments.' : '"ip rule del" requires arguments.');
  const q: MrRuleQuery = {};
  let tableGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const next = (): string => {
      if (i + 1 >= argv.length) incomplete();
      return argv[++i]!;
    };
    if (w === 'from' || w === 'to') {
      // get_prefix() with family RTNL_FAMILY_IPMR knows no address syntax.
      fail1(`Error: ??? prefix is expected rather than "${next()}".`);
    } else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = next();
      const n = getU32(v);
      if (n === null) invarg('preference value is invalid\n', v);
      q.pref = n;
    } else if (w === 'fwmark') {
      const f = parseFwmark(next());
      q.mark = f.mark;
      if (f.markMask !== null) q.markMask = f.markMask;
    } else if (matches(w, 'table') || w === 'lookup') {
      const v = next();
      const t = rtTableA2n(v);
      if (t === null) invarg('invalid table ID\n', v);
      q.table = t;
      tableGiven = true;
    } else if (w === 'dev' || w === 'iif') q.iif = next();
    else if (w === 'oif') q.oif = next();
    else if (ACTIONS[w]) q.action = ACTIONS[w];
    else if (matches(w, 'help')) fail1('"ip mrule help" is not modelled by the workbench yet.');
    else if (['not', 'tos', 'dsfield', 'realms', 'goto', 'nop', 'nat', 'map-to', 'uidrange', 'ipproto', 'sport', 'dport', 'protocol', 'suppress_prefixlength', 'suppress_ifgroup', 'l3mdev', 'tun_id'].includes(w)) {
      fail1(`"ip mrule ... ${w}" is not modelled by the workbench yet.`);
    } else invarg('Failed to parse rule type', w);
  }
  const net = ipmrNet(ctx.ns);
  try {
    if (add) {
      // iprule_modify(): an added lookup rule without a table looks up main; an action rule none.
      const action = q.action ?? 'table';
      const rule: Omit<MrRule, 'pref'> = {
        action,
        table: tableGiven ? q.table! : action === 'table' ? 254 : 0,
        iif: q.iif ?? '',
        oif: q.oif ?? '',
        mark: q.mark ?? 0,
        markMask: q.markMask ?? 0,
        proto: 0,
      };
      ipmrRuleAdd(net, rule, q.pref ?? null);
    } else ipmrRuleDel(net, q);
  } catch (e) {
    if (e instanceof KernelError) throw rtnlAnswer(e);
    throw e;
  }
  return 0;
}

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

function mruleList(ctx: IpCtx): number {
  const out = ctx.out;
  out.begin();
  for (const r of ipmrNet(ctx.ns).rules) {
    out.openObject();
    out.any('priority', r.pref, `${r.pref}:\t`);
    out.any('src', 'all', 'from all');
    if (r.mark || r.markMask) {
      out.any('fwmark', hex(r.mark), ` fwmark ${hex(r.mark)}`);
      if (r.markMask !== 0xffffffff) out.any('fwmask', hex(r.markMask), `/${hex(r.markMask)}`);
    }
    for (const [key, name] of [['iif', r.iif], ['oif', r.oif]] as const) {
      if (!name) continue;
      out.fp(` ${key} `);
      out.any(key, name, name);
      if (!ctx.ns.devByName(name)) out.any(`${key}_detached`, null, ' [detached]');
    }
    if (r.table) {
      const name = rtTableN2a(r.table, ctx.opts.numeric);
      out.any('table', name, ` lookup ${name}`);
    }
    if (r.action !== 'table') out.any('action', r.action, ` ${r.action}`);
    if ((r.proto && r.proto !== 2) || ctx.opts.details) {
      const pr = r.proto === 2 ? 'kernel' : 'unspec';
      out.any('protocol', pr, ` proto ${pr}`);
    }
    out.fp('\n');
    out.closeObject();
  }
  out.end();
  return 0;
}
