// net/core/fib_rules.c + net/ipv4/fib_rules.c: the policy rule list of a namespace (one list, sorted by
// pref, stable for equal prefs), rule matching, the lookup loop with goto/nop/suppressors, rule
// creation (automatic pref, goto resolution, table allocation) and deletion.
// Facts: shared/kernel/policy-routing.md §3.

import { Errno, KernelError } from '../net/errno.js';
import { formatIpv4, prefixMask, type Ipv4Addr } from '../wire/inet.js';
import { RTPROT_KERNEL, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, type FibResult, type Flowi4 } from './fib-types.js';
import { fibTableLookup } from './fib_trie.js';
import type { Ipv4Netns } from './ipv4-netns.js';

export const FR_ACT_UNSPEC = 0;
export const FR_ACT_TO_TBL = 1;
export const FR_ACT_GOTO = 2;
export const FR_ACT_NOP = 3;
export const FR_ACT_BLACKHOLE = 6;
export const FR_ACT_UNREACHABLE = 7;
export const FR_ACT_PROHIBIT = 8;

export const FIB_RULE_PERMANENT = 0x1;
export const FIB_RULE_INVERT = 0x2;
export const FIB_RULE_UNRESOLVED = 0x4;
export const FIB_RULE_IIF_DETACHED = 0x8;
export const FIB_RULE_OIF_DETACHED = 0x10;

export const LOOPBACK_IFINDEX = 1;

/** struct fib_rule + struct fib4_rule. */
export interface FibRule {
  pref: number;
  action: number;
  table: number;
  /** FIB_RULE_INVERT (the stored flags; UNRESOLVED/DETACHED are computed for dumps). */
  flags: number;
  protocol: number;
  src: Ipv4Addr;
  srcLen: number;
  dst: Ipv4Addr;
  dstLen: number;
  /** Legacy tos selector (frh.tos), 0 = any. */
  tos: number;
  iifname: string | null;
  oifname: string | null;
  mark: number;
  markMask: number;
  /** uid_range; null = unset (0..~0). */
  uidRange: [number, number] | null;
  ipProto: number;
  sportRange: [number, number] | null;
  dportRange: [number, number] | null;
  /** FRA_GOTO target pref (0 = none) and the resolved rule. */
  target: number;
  ctarget: FibRule | null;
  suppressPrefixlen: number;
  suppressIfgroup: number;
  l3mdev: boolean;
  /** FRA_FLOW realms (from << 16 | to). */
  tclassid: number;
  tunId: bigint;
}

export function emptyRule(): FibRule {
  return {
    pref: 0, action: FR_ACT_TO_TBL, table: 0, flags: 0, protocol: 0, src: 0, srcLen: 0, dst: 0, dstLen: 0, tos: 0,
    iifname: null, oifname: null, mark: 0, markMask: 0, uidRange: null, ipProto: 0, sportRange: null, dportRange: null,
    target: 0, ctarget: null, suppressPrefixlen: -1, suppressIfgroup: -1, l3mdev: false, tclassid: 0, tunId: 0n,
  };
}

/** fib_default_rules_init(): local (0), main (32766), default (32767), protocol kernel. */
export function fibDefaultRules(): FibRule[] {
  return [
    { ...emptyRule(), pref: 0, table: RT_TABLE_LOCAL, protocol: RTPROT_KERNEL },
    { ...emptyRule(), pref: 0x7ffe, table: RT_TABLE_MAIN, protocol: RTPROT_KERNEL },
    { ...emptyRule(), pref: 0x7fff, table: RT_TABLE_DEFAULT, protocol: RTPROT_KERNEL },
  ];
}

/** iifindex/oifindex: 0 unset, -1 detached (the name resolves to no device now). */
function ifindexOf(v4: Ipv4Netns, name: string | null): number {
  if (name === null) return 0;
  return v4.ns.devByName(name)?.ifindex ?? -1;
}

export function ruleIifDetached(v4: Ipv4Netns, r: FibRule): boolean {
  return ifindexOf(v4, r.iifname) === -1;
}

export function ruleOifDetached(v4: Ipv4Netns, r: FibRule): boolean {
  return ifindexOf(v4, r.oifname) === -1;
}

function portInRange(range: [number, number] | null, port: number): boolean {
  return !range || (port >= range[0] && port <= range[1]);
}

/**
 * fib_rule_match() + fib4_rule_match(): null when every selector matches, else the name of the first
 * selector that failed (what decided, for the trace). Inversion (`not`) is applied by the caller.
 */
function firstFailingSelector(v4: Ipv4Netns, r: FibRule, fl: Flowi4): string | null {
  const iif = ifindexOf(v4, r.iifname);
  if (iif && iif !== fl.iif) return 'iif';
  const oif = ifindexOf(v4, r.oifname);
  if (oif && oif !== fl.oif) return 'oif';
  if (((r.mark ^ fl.mark) & r.markMask) >>> 0) return 'fwmark';
  if (r.tunId) return 'tun_id';
  // No VRF in the model: an l3mdev rule never finds a master device.
  if (r.l3mdev) return 'l3mdev';
  if (r.uidRange && (fl.uid < r.uidRange[0] || fl.uid > r.uidRange[1])) return 'uidrange';
  if (((fl.saddr ^ r.src) & prefixMask(r.srcLen)) >>> 0) return 'from';
  if (((fl.daddr ^ r.dst) & prefixMask(r.dstLen)) >>> 0) return 'to';
  if (r.tos && r.tos !== (fl.tos & 0x1c)) return 'tos';
  if (r.ipProto && r.ipProto !== fl.proto) return 'ipproto';
  if (!portInRange(r.sportRange, fl.sport)) return 'sport';
  if (!portInRange(r.dportRange, fl.dport)) return 'dport';
  return null;
}

export function fibRuleMatch(v4: Ipv4Netns, r: FibRule, fl: Flowi4): { matched: boolean; decidedBy: string } {
  const fail = firstFailingSelector(v4, r, fl);
  const matched = (fail === null) !== ((r.flags & FIB_RULE_INVERT) !== 0);
  return { matched, decidedBy: (r.flags & FIB_RULE_INVERT ? 'not ' : '') + (fail ?? 'all selectors') };
}

const ACTION_NAMES: Record<number, string> = { 1: 'lookup', 2: 'goto', 3: 'nop', 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' };

function actionName(a: number): string {
  return ACTION_NAMES[a] ?? `action ${a}`;
}

/** One line of the trace's `tried` list: a rule, or a run of consecutive rules that failed alike. */
type TriedEntry = {
  pref: number;
  /** A run: the last rule's pref and how many rules the run holds (all failed on `selector`). */
  to_pref?: number;
  rules?: number;
  action?: string;
  matched: boolean;
  selector: string;
  result?: string;
};

/**
 * Appends a rule that did not match. Consecutive misses on the same selector fold into one run entry,
 * so the trace of a long rule list stays short while still saying, for every rule, why it did not match.
 */
function pushMiss(tried: TriedEntry[], r: FibRule, selector: string): void {
  const last = tried[tried.length - 1];
  if (last && !last.matched && last.result === undefined && last.selector === selector) {
    if (last.rules === undefined) {
      delete last.action;
      last.rules = 1;
    }
    last.to_pref = r.pref;
    last.rules++;
    return;
  }
  tried.push({ pref: r.pref, action: actionName(r.action), matched: false, selector });
}

export interface RulesLookup {
  errno: Errno | 0;
  res: FibResult | null;
  rule: FibRule | null;
}

/**
 * fib_rules_lookup() with fib4_rule_action() and fib4_rule_suppress(). ESRCH (no rule gave an answer) is
 * returned as is; fib_lookup() turns it into ENETUNREACH.
 */
export function fibRulesLookup(v4: Ipv4Netns, fl: Flowi4, flags = 0): RulesLookup {
  const rules = v4.fibRules;
  const tried: TriedEntry[] = [];
  const ev = v4.ns.emit('fib_rules_lookup', 'lookup', {
    daddr: formatIpv4(fl.daddr), saddr: formatIpv4(fl.saddr), iif: fl.iif, oif: fl.oif, mark: fl.mark, tos: fl.tos, proto: fl.proto, sport: fl.sport, dport: fl.dport, uid: fl.uid,
  });
  const out = v4.ns.sim.trace.within(ev, (): RulesLookup => {
    for (let i = 0; i < rules.length; i++) {
      let r = rules[i]!;
      for (;;) {
        const fail = firstFailingSelector(v4, r, fl);
        const inverted = (r.flags & FIB_RULE_INVERT) !== 0;
        if ((fail === null) === inverted) {
          pushMiss(tried, r, inverted ? `not ${fail ?? 'all selectors'}` : fail!);
          break;
        }
        const entry: TriedEntry = { pref: r.pref, action: actionName(r.action), matched: true, selector: (inverted ? 'not ' : '') + (fail ?? 'all selectors') };
        tried.push(entry);
        if (r.action === FR_ACT_GOTO) {
          if (!r.ctarget) {
            entry.result = 'unresolved goto: next rule';
            break;
          }
          entry.result = `goto ${r.target}`;
          r = r.ctarget;
          i = rules.indexOf(r);
          continue;
        }
        if (r.action === FR_ACT_NOP) {
          entry.result = 'nop';
          break;
        }
        let errno: Errno | 0;
        let res: FibResult | null = null;
        if (r.action === FR_ACT_TO_TBL) {
          const tb = v4.tables.get(r.table);
          if (tb) {
            const t = fibTableLookup(v4, [tb], r.table, fl, flags);
            errno = t.errno;
            res = t.res;
          } else errno = Errno.EAGAIN;
        } else errno = r.action === FR_ACT_UNREACHABLE ? Errno.ENETUNREACH : r.action === FR_ACT_PROHIBIT ? Errno.EACCES : Errno.EINVAL;
        if (errno === 0 && res) {
          const plen = res.route.plen;
          if (plen <= r.suppressPrefixlen) {
            entry.result = `suppressed: prefix length ${plen} <= suppress_prefixlength ${r.suppressPrefixlen}`;
            break;
          }
          if (r.suppressIfgroup !== -1 && res.nh?.dev && res.nh.dev.group === r.suppressIfgroup) {
            entry.result = `suppressed: device group ${r.suppressIfgroup}`;
            break;
          }
        }
        if (errno === Errno.EAGAIN) {
          entry.result = v4.tables.has(r.table) ? 'no route in table: next rule' : 'table does not exist: next rule';
          break;
        }
        entry.result = errno === 0 ? `route in table ${r.table}` : Errno[errno];
        if (res) res.rulePref = r.pref;
        return { errno, res, rule: r };
      }
    }
    return { errno: Errno.ESRCH, res: null, rule: null };
  });
  v4.ns.sim.trace.within(ev, () => v4.ns.emit('fib_rules_lookup', 'lookup', { decision: out.errno === 0 ? 'found' : Errno[out.errno] ?? out.errno, rule: out.rule?.pref ?? null, tried }));
  return out;
}

/** fib_default_rule_pref(): the second rule's pref minus one (0 if there is no second rule or it is 0). */
export function fibDefaultRulePref(v4: Ipv4Netns): number {
  const second = v4.fibRules[1];
  return second && second.pref ? second.pref - 1 : 0;
}

function sameRange(a: [number, number] | null, b: [number, number] | null): boolean {
  return (a?.[0] ?? 0) === (b?.[0] ?? 0) && (a?.[1] ?? 0) === (b?.[1] ?? 0);
}

/** What a request carried, so that deletion compares only what was given (rule_find). */
export interface RuleRequest {
  rule: FibRule;
  prefGiven: boolean;
  realmsGiven: boolean;
}

/** rule_exists(): NLM_F_EXCL duplicate check (the `not` flag is not compared, as in the kernel). */
function ruleExists(v4: Ipv4Netns, q: FibRule): boolean {
  return v4.fibRules.some(
    (r) =>
      r.action === q.action && r.table === q.table && r.pref === q.pref && r.iifname === q.iifname && r.oifname === q.oifname &&
      r.mark === q.mark && r.suppressIfgroup === q.suppressIfgroup && r.suppressPrefixlen === q.suppressPrefixlen && r.markMask === q.markMask &&
      r.tunId === q.tunId && r.l3mdev === q.l3mdev && sameRange(r.uidRange, q.uidRange) && r.ipProto === q.ipProto && r.protocol === q.protocol &&
      sameRange(r.sportRange, q.sportRange) && sameRange(r.dportRange, q.dportRange) && fib4RuleCompare(r, q, true),
  );
}

/** fib4_rule_compare(): the request's zero lengths/tos mean "any". */
function fib4RuleCompare(r: FibRule, q: FibRule, realmsGiven: boolean): boolean {
  if (q.srcLen && r.srcLen !== q.srcLen) return false;
  if (q.dstLen && r.dstLen !== q.dstLen) return false;
  if (q.tos && r.tos !== q.tos) return false;
  if (realmsGiven && r.tclassid !== q.tclassid) return false;
  if (q.srcLen && r.src !== q.src) return false;
  if (q.dstLen && r.dst !== q.dst) return false;
  return true;
}

/** fib_unmerge() + fib_has_custom_rules: from the first rule change on, local and main are separate. */
function markCustomRules(v4: Ipv4Netns): void {
  if (!v4.fibHasCustomRules) v4.ns.emit('fib_unmerge', 'state', { reason: 'first rule change: local and main tables are looked up separately from now on' });
  v4.fibHasCustomRules = true;
}

/** fib_nl_newrule() for IPv4 (fib_nl2rule + fib4_rule_configure). Throws KernelError. */
export function fibNlNewrule(v4: Ipv4Netns, req: RuleRequest, excl: boolean): FibRule {
  const rule: FibRule = { ...req.rule, ctarget: null };
  if (!req.prefGiven) rule.pref = fibDefaultRulePref(v4);
  if (rule.target) {
    if (rule.action !== FR_ACT_GOTO) throw new KernelError(Errno.EINVAL, 'Unexpected goto');
    if (rule.target <= rule.pref) throw new KernelError(Errno.EINVAL, 'Backward goto not supported');
  } else if (rule.action === FR_ACT_GOTO) throw new KernelError(Errno.EINVAL, 'Missing goto target for action goto');
  if (rule.l3mdev && rule.table) throw new KernelError(Errno.EINVAL, 'l3mdev and table are mutually exclusive');
  if (rule.uidRange && ((rule.uidRange[0] === 0 && rule.uidRange[1] === 0xffffffff) || rule.uidRange[0] > rule.uidRange[1])) throw new KernelError(Errno.EINVAL, 'Invalid uid range');
  const validPorts = (p: [number, number] | null): boolean => !p || (p[0] <= p[1] && p[0] > 0 && p[1] < 0xffff);
  if (!validPorts(rule.sportRange)) throw new KernelError(Errno.EINVAL, 'Invalid sport range');
  if (!validPorts(rule.dportRange)) throw new KernelError(Errno.EINVAL, 'Invalid dport range');
  if (excl && ruleExists(v4, rule)) throw new KernelError(Errno.EEXIST);
  // fib4_rule_configure()
  if (rule.tos & 0x03) throw new KernelError(Errno.EINVAL, 'Invalid dsfield (tos): ECN bits must be 0');
  if (rule.tos & ~0x1e) throw new KernelError(Errno.EINVAL, 'Invalid tos');
  markCustomRules(v4);
  if (rule.action === FR_ACT_TO_TBL && rule.table === 0 && !rule.l3mdev) {
    // fib_empty_table(): the first unused id from 1 on, created now.
    let id = 1;
    while (v4.tables.has(id)) id++;
    v4.fibTable(id, true);
    rule.table = id;
  }
  rule.ctarget = v4.fibRules.find((r) => r.pref === rule.target) ?? null;
  if (rule.action !== FR_ACT_GOTO) rule.ctarget = null;
  let at = 0;
  while (at < v4.fibRules.length && v4.fibRules[at]!.pref <= rule.pref) at++;
  v4.fibRules.splice(at, 0, rule);
  for (const r of v4.fibRules) if (r.action === FR_ACT_GOTO && r.target === rule.pref && !r.ctarget) r.ctarget = rule;
  v4.ns.emit('fib_nl_newrule', 'state', { pref: rule.pref, action: actionName(rule.action), table: rule.table, goto_resolved: rule.action === FR_ACT_GOTO ? rule.ctarget !== null : null });
  return rule;
}

/** rule_find() + fib_nl_delrule(). Throws ENOENT when nothing matches. */
export function fibNlDelrule(v4: Ipv4Netns, req: RuleRequest): FibRule {
  const q = req.rule;
  const rule = v4.fibRules.find(
    (r) =>
      (!q.action || r.action === q.action) && (!q.table || r.table === q.table) && (!req.prefGiven || r.pref === q.pref) &&
      (q.iifname === null || r.iifname === q.iifname) && (q.oifname === null || r.oifname === q.oifname) && (!q.mark || r.mark === q.mark) &&
      (q.suppressIfgroup === -1 || r.suppressIfgroup === q.suppressIfgroup) && (q.suppressPrefixlen === -1 || r.suppressPrefixlen === q.suppressPrefixlen) &&
      (!q.markMask || r.markMask === q.markMask) && (!q.tunId || r.tunId === q.tunId) && (!q.l3mdev || r.l3mdev === q.l3mdev) &&
      (!q.uidRange || sameRange(r.uidRange, q.uidRange)) && (!q.ipProto || r.ipProto === q.ipProto) && (!q.protocol || r.protocol === q.protocol) &&
      (!q.sportRange || sameRange(r.sportRange, q.sportRange)) && (!q.dportRange || sameRange(r.dportRange, q.dportRange)) && fib4RuleCompare(r, q, req.realmsGiven),
  );
  if (!rule) throw new KernelError(Errno.ENOENT);
  markCustomRules(v4);
  const i = v4.fibRules.indexOf(rule);
  v4.fibRules.splice(i, 1);
  // Gotos aimed at the deleted rule move to the next rule of the same pref, or become unresolved.
  const next = v4.fibRules[i];
  const heir = next && next.pref === rule.pref ? next : null;
  for (const r of v4.fibRules) if (r.ctarget === rule) r.ctarget = heir;
  v4.ns.emit('fib_nl_delrule', 'state', { pref: rule.pref, action: actionName(rule.action), table: rule.table });
  return rule;
}
