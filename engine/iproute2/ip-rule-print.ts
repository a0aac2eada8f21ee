// print_rule() of iproute2 6.1 (ip/iprule.c) over the message fib_nl_fill_rule() builds. Rule lines
// carry no trailing space; `-d` adds the protocol of every rule.

import { FIB_RULE_INVERT, FR_ACT_GOTO, FR_ACT_NOP, FR_ACT_TO_TBL, ruleIifDetached, ruleOifDetached, type FibRule } from '../ipv4/fib_rules.js';
import type { Ipv4Netns } from '../ipv4/ipv4-netns.js';
import { formatIpv4 } from '../wire/inet.js';
import type { IpCtx } from './ip-context.js';
import { dsfieldN2a, groupN2a, RTN_NAMES, rtProtN2a, rtTableN2a } from './ip-names.js';
import { inetProtoN2a } from './ip-rule-names.js';

function hex(v: number): string {
  return v === 0 ? '0' : `0x${(v >>> 0).toString(16)}`;
}

/** rtnl_rtrealm_n2a(): no realm names are configured on Debian, so numbers. */
function realm(v: number): string {
  return v === 0 ? 'unknown' : String(v);
}

export function printRule(ctx: IpCtx, v4: Ipv4Netns, r: FibRule): void {
  const p = ctx.out;
  const o = ctx.opts;
  p.openObject();
  p.any('priority', r.pref, `${r.pref}:\t`);
  if (r.flags & FIB_RULE_INVERT) p.any('not', null, 'not ');
  if (r.srcLen) {
    p.fp('from ');
    p.any('src', formatIpv4(r.src), formatIpv4(r.src));
    if (r.srcLen !== 32) p.any('srclen', r.srcLen, `/${r.srcLen}`);
  } else p.any('src', 'all', 'from all');
  if (r.dstLen) {
    p.fp(' to ');
    p.any('dst', formatIpv4(r.dst), formatIpv4(r.dst));
    if (r.dstLen !== 32) p.any('dstlen', r.dstLen, `/${r.dstLen}`);
  }
  if (r.tos) {
    const t = dsfieldN2a(r.tos, o.numeric);
    p.any('tos', t, ` tos ${t}`);
  }
  if (r.mark || r.markMask) {
    p.any('fwmark', hex(r.mark), ` fwmark ${hex(r.mark)}`);
    if (r.markMask !== 0xffffffff) p.any('fwmask', hex(r.markMask), `/${hex(r.markMask)}`);
  }
  if (r.iifname !== null) {
    p.fp(' iif ');
    p.any('iif', r.iifname, r.iifname);
    if (ruleIifDetached(v4, r)) p.any('iif_detached', null, ' [detached]');
  }
  if (r.oifname !== null) {
    p.fp(' oif ');
    p.any('oif', r.oifname, r.oifname);
    if (ruleOifDetached(v4, r)) p.any('oif_detached', null, ' [detached]');
  }
  if (r.l3mdev) p.any('l3mdev', null, ' lookup [l3mdev-table]');
  if (r.uidRange) {
    p.any('uid_start', r.uidRange[0], ` uidrange ${r.uidRange[0]}`);
    p.any('uid_end', r.uidRange[1], `-${r.uidRange[1]}`);
  }
  if (r.ipProto) {
    const n = inetProtoN2a(r.ipProto, o.numeric);
    p.any('ipproto', n, ` ipproto ${n}`);
  }
  for (const [name, range] of [['sport', r.sportRange], ['dport', r.dportRange]] as const) {
    if (!range) continue;
    if (range[0] === range[1]) p.any(name, range[0], ` ${name} ${range[0]}`);
    else {
      p.any(`${name}_start`, range[0], ` ${name} ${range[0]}`);
      p.any(`${name}_end`, range[1], `-${range[1]}`);
    }
  }
  if (r.tunId) p.any('tun_id', Number(r.tunId), ` tun_id ${r.tunId}`);
  if (r.table) {
    const t = rtTableN2a(r.table, o.numeric);
    p.any('table', t, ` lookup ${t}`);
    if (r.suppressPrefixlen !== -1) p.any('suppress_prefixlen', r.suppressPrefixlen, ` suppress_prefixlength ${r.suppressPrefixlen}`);
    if (r.suppressIfgroup !== -1) {
      const g = groupN2a(r.suppressIfgroup, o.numeric);
      p.any('suppress_ifgroup', g, ` suppress_ifgroup ${g}`);
    }
  }
  if (r.tclassid) {
    const from = r.tclassid >>> 16;
    const to = r.tclassid & 0xffff;
    if (from) p.any('flow_from', realm(from), ` realms ${realm(from)}/`);
    else p.fp(' realms ');
    p.any('flow_to', realm(to), realm(to));
  }
  if (r.action === 10 /* RTN_NAT: the kernel no longer keeps the address */) p.any('masquerade', null, ' masquerade');
  else if (r.action === FR_ACT_GOTO) {
    p.any('goto', r.target, ` goto ${r.target}`);
    if (!r.ctarget) p.any('unresolved', null, ' [unresolved]');
  } else if (r.action === FR_ACT_NOP) p.any('nop', null, ' nop');
  else if (r.action !== FR_ACT_TO_TBL) {
    const a = o.numeric ? String(r.action) : (RTN_NAMES[r.action] ?? String(r.action));
    p.any('action', a, ` ${a}`);
  }
  if ((r.protocol && r.protocol !== 2) || o.details) {
    const pr = rtProtN2a(r.protocol, o.numeric);
    p.any('protocol', pr, ` proto ${pr}`);
  }
  p.fp('\n');
  p.closeObject();
}
