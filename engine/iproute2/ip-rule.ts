// `ip rule` (iproute2 6.1 ip/iprule.c): add/del build the request as iprule_modify() does and hand it
// to fib_nl_newrule/fib_nl_delrule; list and flush dump the rule list (flush deletes every rule that
// has a priority attribute, i.e. every rule with pref != 0).

import { Errno, KernelError } from '../net/errno.js';
import { emptyRule, FIB_RULE_INVERT, FR_ACT_GOTO, FR_ACT_NOP, FR_ACT_TO_TBL, FR_ACT_UNSPEC, fibNlDelrule, fibNlNewrule, type FibRule, type RuleRequest } from '../ipv4/fib_rules.js';
import { RT_TABLE_MAIN } from '../ipv4/fib-types.js';
import type { IpCtx } from './ip-context.js';
import { fail1, fail255, invarg, IpExit, rtnlAnswer } from './ip-errors.js';
import { groupA2n, rtnTypeA2n, rtnTypeNumber, rtProtA2n, rtTableA2n } from './ip-names.js';
import { getInteger, getPrefix, getU32 } from './ip-parse.js';
import { printRule } from './ip-rule-print.js';
import { dsfieldA2n, inetProtoA2n, parseFwmark } from './ip-rule-names.js';
import { matches } from './ip-utils.js';

export function usageRule(): string {
  return `Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
`;
}

/** sscanf("%u-%u") / ("%hu-%hu"): leading numbers, values truncated to `bits`; how many were read. */
function scanRange(s: string, bits: number): { n: number; a: number; b: number } {
  const num = /^[ \t\n\v\f\r]*([+-]?)(\d+)/;
  const conv = (m: RegExpExecArray): number => {
    let v = BigInt(m[2]!);
    if (m[1] === '-') v = -v;
    const mod = 1n << BigInt(bits);
    return Number(((v % mod) + mod) % mod);
  };
  const m1 = num.exec(s);
  if (!m1) return { n: 0, a: 0, b: 0 };
  const a = conv(m1);
  const rest = s.slice(m1[0].length);
  if (!rest.startsWith('-')) return { n: 1, a, b: 0 };
  const m2 = num.exec(rest.slice(1));
  if (!m2) return { n: 1, a, b: 0 };
  return { n: 2, a, b: conv(m2) };
}

/** check_ifname(): what the kernel would accept as a device name. */
function badIfname(s: string): boolean {
  return s.length === 0 || s.length >= 16 || s === '.' || s === '..' || /[/:\s]/.test(s);
}

/** iprule_modify() */
function ipruleModify(ctx: IpCtx, add: boolean, argv: readonly string[]): number {
  if (argv.length === 0) fail1(add ? '"ip rule add" requires arguments.' : '"ip rule del" requires arguments.');
  const rule: FibRule = { ...emptyRule(), action: add ? FR_ACT_TO_TBL : FR_ACT_UNSPEC };
  const req: RuleRequest = { rule, prefGiven: false, realmsGiven: false };
  let tableOk = false;
  const family = ctx.opts.family;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const next = (): string => {
      if (i + 1 >= argv.length) throw new IpExit(255, 'Command line is not complete. Try option "help"\n');
      return argv[++i]!;
    };
    if (w === 'not') rule.flags |= FIB_RULE_INVERT;
    else if (w === 'from' || w === 'to') {
      const p = getPrefix(next(), family);
      const len = p.bitlen < 0 ? 0 : p.bitlen;
      if (w === 'from') {
        rule.src = p.addr;
        rule.srcLen = len;
      } else {
        rule.dst = p.addr;
        rule.dstLen = len;
      }
    } else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = next();
      const n = getU32(v);
      if (n === null) invarg('preference value is invalid\n', v);
      rule.pref = n;
      req.prefGiven = true;
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = next();
      const t = dsfieldA2n(v);
      if (t === null) invarg('TOS value is invalid\n', v);
      rule.tos = t;
    } else if (w === 'fwmark') {
      const f = parseFwmark(next());
      rule.mark = f.mark;
      if (f.markMask !== null) rule.markMask = f.markMask;
    } else if (matches(w, 'realms')) {
      const v = next();
      const m = /^(?:(\d+)\/)?(\d+)$/.exec(v);
      if (!m) invarg('invalid realms\n', v);
      rule.tclassid = ((Number(m[1] ?? 0) << 16) | Number(m[2])) >>> 0;
      req.realmsGiven = true;
    } else if (matches(w, 'protocol')) {
      const v = next();
      const pr = rtProtA2n(v);
      if (pr === null) invarg('"protocol" value is invalid\n', v);
      rule.protocol = pr;
    } else if (matches(w, 'tun_id')) {
      const v = next();
      const n = getU32(v);
      if (n === null) invarg('"tun_id" value is invalid\n', v);
      rule.tunId = BigInt(n);
    } else if (matches(w, 'table') || w === 'lookup') {
      const v = next();
      const t = rtTableA2n(v);
      if (t === null) invarg('invalid table ID\n', v);
      rule.table = t;
      tableOk = true;
    } else if (matches(w, 'suppress_prefixlength') || w === 'sup_pl') {
      const v = next();
      const n = getInteger(v);
      if (n === null || n < 0) invarg('suppress_prefixlength value is invalid\n', v);
      rule.suppressPrefixlen = n;
    } else if (matches(w, 'suppress_ifgroup') || w === 'sup_group') {
      const v = next();
      const g = groupA2n(v);
      if (g === null) invarg('Invalid "suppress_ifgroup" value\n', v);
      rule.suppressIfgroup = g | 0;
    } else if (w === 'dev' || w === 'iif') {
      const v = next();
      if (badIfname(v)) invarg('"iif"/"dev" not a valid ifname', v);
      rule.iifname = v;
    } else if (w === 'oif') {
      const v = next();
      if (badIfname(v)) invarg('"oif" not a valid ifname', v);
      rule.oifname = v;
    } else if (w === 'l3mdev') {
      rule.l3mdev = true;
      tableOk = true;
    } else if (w === 'uidrange') {
      const v = next();
      const r = scanRange(v, 32);
      if (r.n !== 2) invarg('invalid UID range\n', v);
      rule.uidRange = [r.a, r.b];
    } else if (w === 'nat' || matches(w, 'map-to')) {
      next();
      // Stored as action RTN_NAT without its address; lookups through it fail with EINVAL.
      ctx.stderr += 'Warning: route NAT is deprecated\n';
      rule.action = 10;
    } else if (w === 'ipproto') {
      const v = next();
      const pr = inetProtoA2n(v);
      if (pr === null) invarg('Invalid "ipproto" value\n', v);
      rule.ipProto = pr;
    } else if (w === 'sport' || w === 'dport') {
      const v = next();
      const r = scanRange(v, 16);
      if (r.n === 0) invarg('invalid port range\n', v);
      const range: [number, number] = [r.a, r.n === 1 ? r.a : r.b];
      if (w === 'sport') rule.sportRange = range;
      else rule.dportRange = range;
    } else {
      let v = w;
      if (v === 'type') v = next();
      if (matches(v, 'help')) throw new IpExit(255, usageRule());
      if (matches(v, 'goto')) {
        const t = next();
        const n = getU32(t);
        if (n === null) invarg('invalid target\n', t);
        rule.action = FR_ACT_GOTO;
        rule.target = n;
      } else if (matches(v, 'nop')) rule.action = FR_ACT_NOP;
      else {
        const t = rtnTypeA2n(v);
        if (t === null) invarg('Failed to parse rule type', v);
        rule.action = rtnTypeNumber(t);
      }
      tableOk = true;
    }
  }
  if (!tableOk && add) rule.table = RT_TABLE_MAIN;
  // A goto target of 0 is "no FRA_GOTO" for the kernel's checks only if none was sent: keep a flag.
  const v4 = ctx.ns.ipv4;
  try {
    if (rule.action === FR_ACT_GOTO && rule.target === 0) throw new KernelError(Errno.EINVAL, 'Backward goto not supported');
    if (add) fibNlNewrule(v4, req, true);
    else fibNlDelrule(v4, req);
  } catch (e) {
    if (e instanceof KernelError) throw rtnlAnswer(e);
    throw e;
  }
  return 0;
}

/** iprule_list_flush_or_save(): the filter is parsed like a rule (a subset is applied). */
function ipruleListOrFlush(ctx: IpCtx, argv: readonly string[], flush: boolean): number {
  if (flush && argv.length > 0) {
    // `ip rule flush x` fails on the prefix (observed); flushing by a selector is not modelled.
    if (!['pref', 'preference', 'priority', 'order', 'table', 'lookup', 'not', 'from', 'to', 'iif', 'oif', 'dev', 'fwmark', 'tos', 'l3mdev', 'uidrange', 'ipproto', 'sport', 'dport', 'protocol'].includes(argv[0]!)) getPrefix(argv[0]!, 'inet');
    fail1('"ip rule flush" with a selector is not modelled by the workbench yet.');
  }
  const v4 = ctx.ns.ipv4;
  const f: { pref: number | null; table: number | null; not: boolean; iif: string | null; oif: string | null; from: { addr: number; len: number } | null; to: { addr: number; len: number } | null } = {
    pref: null, table: null, not: false, iif: null, oif: null, from: null, to: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const next = (): string => {
      if (i + 1 >= argv.length) throw new IpExit(255, 'Command line is not complete. Try option "help"\n');
      return argv[++i]!;
    };
    if (w === 'not') f.not = true;
    else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = next();
      const n = getU32(v);
      if (n === null) invarg('preference value is invalid\n', v);
      f.pref = n;
    } else if (matches(w, 'table') || w === 'lookup') {
      const v = next();
      const t = rtTableA2n(v);
      if (t === null) invarg('table id value is invalid\n', v);
      f.table = t;
    } else if (w === 'iif' || w === 'dev') f.iif = next();
    else if (w === 'oif') f.oif = next();
    else if (w === 'from' || w === 'to') {
      const p = getPrefix(next(), 'inet');
      const x = { addr: p.addr, len: p.bitlen < 0 ? 0 : p.bitlen };
      if (w === 'from') f.from = x;
      else f.to = x;
    } else if (matches(w, 'help')) throw new IpExit(255, usageRule());
    else fail1(`"ip rule show ... ${w}": this filter is not modelled by the workbench yet.`);
  }
  const selected = v4.fibRules.filter(
    (r) =>
      (f.pref === null || r.pref === f.pref) && (f.table === null || r.table === f.table) && (!f.not || (r.flags & FIB_RULE_INVERT) !== 0) &&
      (f.iif === null || r.iifname === f.iif) && (f.oif === null || r.oifname === f.oif) &&
      (!f.from || (r.srcLen >= f.from.len && ((r.src ^ f.from.addr) >>> (32 - f.from.len || 32)) === 0) || (f.from.len === 0 && r.srcLen >= 0)) &&
      (!f.to || (r.dstLen >= f.to.len && ((r.dst ^ f.to.addr) >>> (32 - f.to.len || 32)) === 0) || (f.to.len === 0 && r.dstLen >= 0)),
  );
  if (flush) {
    for (const r of selected) {
      if (r.pref === 0) continue;
      try {
        fibNlDelrule(v4, { rule: { ...r, ctarget: null, uidRange: r.uidRange, flags: 0 }, prefGiven: true, realmsGiven: r.tclassid !== 0 });
      } catch (e) {
        if (e instanceof KernelError) throw rtnlAnswer(e);
        throw e;
      }
    }
    return 0;
  }
  const p = ctx.out;
  p.begin();
  for (const r of selected) printRule(ctx, v4, r);
  p.end();
  return 0;
}

/** do_iprule() */
export function doIprule(ctx: IpCtx, argv: readonly string[]): number {
  if (argv.length < 1) return ipruleListOrFlush(ctx, [], false);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'list') || matches(cmd, 'lst') || matches(cmd, 'show')) return ipruleListOrFlush(ctx, rest, false);
  if (matches(cmd, 'save') || matches(cmd, 'restore')) fail1(`"ip rule ${cmd}" is not modelled by the workbench yet.`);
  if (matches(cmd, 'flush')) return ipruleListOrFlush(ctx, rest, true);
  if (matches(cmd, 'add')) return ipruleModify(ctx, true, rest);
  if (matches(cmd, 'delete')) return ipruleModify(ctx, false, rest);
  if (matches(cmd, 'help')) throw new IpExit(255, usageRule());
  fail255(`Command "${cmd}" is unknown, try "ip rule help".`);
}
