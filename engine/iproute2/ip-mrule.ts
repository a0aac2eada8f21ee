// `ip mrule` (iproute2 6.1: do_multirule → do_iprule with family RTNL_FAMILY_IPMR): the listing of the
// multicast rules (ipmr_rules_init's default rule and any added). Changing mrules is not modelled yet.

import { ipmrNet } from '../ipv4/ipmr.js';
import type { IpCtx } from './ip-context.js';
import { fail1 } from './ip-errors.js';
import { rtTableN2a } from './ip-names.js';
import { matches } from './ip-utils.js';

export function doMultirule(ctx: IpCtx, argv: readonly string[]): number {
  const [cmd] = argv;
  if (cmd === undefined || matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) {
    if (argv.length > 1) fail1('"ip mrule show" with selectors is not modelled by the workbench yet.');
    return mruleList(ctx);
  }
  fail1(`"ip mrule ${cmd}" is not modelled by the workbench yet.`);
}

function mruleList(ctx: IpCtx): number {
  const out = ctx.out;
  out.begin();
  for (const r of ipmrNet(ctx.ns).rules) {
    out.openObject();
    out.any('priority', r.pref, `${r.pref}:\t`);
    out.any('src', 'all', 'from all');
    if (r.iif) out.any('iif', r.iif, ` iif ${r.iif}`);
    if (r.oif) out.any('oif', r.oif, ` oif ${r.oif}`);
    if (r.action === 'table') {
      const name = rtTableN2a(r.table, ctx.opts.numeric);
      out.any('table', name, ` lookup ${name}`);
    } else out.any('action', r.action, ` ${r.action}`);
    out.fp('\n');
    out.closeObject();
  }
  out.end();
  return 0;
}
