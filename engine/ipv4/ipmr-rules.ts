// net/core/fib_rules.c for the RTNL_FAMILY_IPMR family (ipmr_rules_ops_template): `ip mrule add/del`.
// ipmr's family hooks match and compare everything (ipmr_rule_match/compare return 1) and keep no
// addresses, so only the generic selectors count: iif, oif, fwmark; the action and table decide
// (ipmr_rule_action). Rules stay sorted by preference; an equal preference goes after the others.

import { Errno, KernelError } from '../net/errno.js';
import type { IpmrNet, MrRule } from './ipmr-table.js';

/** fib_default_rule_pref(): the second rule's preference minus one, or 0. */
function defaultPref(net: IpmrNet): number {
  const second = net.rules[1];
  return second && second.pref ? second.pref - 1 : 0;
}

/** rule_exists(): every generic field equal (ipmr_rule_compare accepts anything). */
function sameRule(a: MrRule, b: MrRule): boolean {
  return a.pref === b.pref && a.action === b.action && a.table === b.table && a.iif === b.iif && a.oif === b.oif && a.mark === b.mark && a.markMask === b.markMask;
}

/** fib_nl_newrule() with NLM_F_CREATE|NLM_F_EXCL. `pref` null: the default preference. */
export function ipmrRuleAdd(net: IpmrNet, rule: Omit<MrRule, 'pref'>, pref: number | null): MrRule {
  const r: MrRule = { ...rule, pref: pref ?? defaultPref(net) };
  const data = { pref: r.pref, action: r.action, table: r.table, iif: r.iif || null, oif: r.oif || null };
  if (net.rules.some((x) => sameRule(x, r))) {
    net.ns.emit('fib_nl_newrule', 'call', { family: 'RTNL_FAMILY_IPMR', ...data, decision: 'error', errno: 'EEXIST' });
    throw new KernelError(Errno.EEXIST);
  }
  let at = 0;
  while (at < net.rules.length && net.rules[at]!.pref <= r.pref) at++;
  net.rules.splice(at, 0, r);
  net.ns.emit('fib_nl_newrule', 'state', { family: 'RTNL_FAMILY_IPMR', ...data });
  return r;
}

/** What a deletion request carries: only given fields are compared (rule_find). */
export interface MrRuleQuery {
  pref?: number;
  action?: MrRule['action'];
  table?: number;
  iif?: string;
  oif?: string;
  mark?: number;
  markMask?: number;
}

/** fib_nl_delrule(): the first rule matching every given field. */
export function ipmrRuleDel(net: IpmrNet, q: MrRuleQuery): void {
  const i = net.rules.findIndex(
    (r) =>
      (q.action === undefined || r.action === q.action) &&
      (!q.table || r.table === q.table) &&
      (q.pref === undefined || r.pref === q.pref) &&
      (!q.iif || r.iif === q.iif) &&
      (!q.oif || r.oif === q.oif) &&
      (!q.mark || r.mark === q.mark) &&
      (!q.markMask || r.markMask === q.markMask),
  );
  if (i < 0) {
    net.ns.emit('fib_nl_delrule', 'call', { family: 'RTNL_FAMILY_IPMR', ...q, decision: 'error', errno: 'ENOENT' });
    throw new KernelError(Errno.ENOENT);
  }
  const [r] = net.rules.splice(i, 1);
  net.ns.emit('fib_nl_delrule', 'state', { family: 'RTNL_FAMILY_IPMR', pref: r!.pref, action: r!.action, table: r!.table });
}
