// Name tables `ip rule` and `ip route` parse beyond lib/rt_names.c's numeric ones: the DSCP classes of
// /etc/iproute2/rt_dsfield (rtnl_dsfield_a2n reads numbers in base 16) and IP protocol names
// (inet_proto_a2n/n2a, which iproute2 resolves through /etc/protocols); and the fwmark argument both
// `ip rule` and `ip mrule` take.

import { invarg } from './ip-errors.js';
import { dsfieldN2a } from './ip-names.js';
import { getU32, getUnsignedMax } from './ip-parse.js';

/** rtnl_dsfield_a2n(): a class name, or a hex number up to 255 (strtoul base 16). */
export function dsfieldA2n(s: string): number | null {
  for (let v = 0; v < 256; v++) if (dsfieldN2a(v, false) === s && !s.startsWith('0x')) return v;
  const m = /^[ \t\n\v\f\r]*(?:0[xX])?([0-9a-fA-F]+)$/.exec(s);
  if (!m) return null;
  const v = parseInt(m[1]!, 16);
  return v > 255 ? null : v;
}

/** /etc/protocols entries iproute2 meets most (Debian netbase). */
const PROTOS: ReadonlyArray<readonly [number, string]> = [
  [0, 'ip'], [1, 'icmp'], [2, 'igmp'], [4, 'ipencap'], [6, 'tcp'], [17, 'udp'], [41, 'ipv6'], [47, 'gre'], [50, 'esp'], [51, 'ah'],
  [58, 'ipv6-icmp'], [89, 'ospf'], [103, 'pim'], [112, 'vrrp'], [132, 'sctp'], [33, 'dccp'], [136, 'udplite'],
];

/** inet_proto_n2a(): tcp/udp/... by the switch in lib/utils.c, others via getprotobynumber. */
export function inetProtoN2a(p: number, numeric = false): string {
  // -N prints "ipproto-N" (observed: `ipproto ipproto-6`).
  if (numeric) return `ipproto-${p}`;
  return PROTOS.find(([n]) => n === p)?.[1] ?? `ipproto-${p}`;
}

/** inet_proto_a2n(): a name or a number 0..255; -1 (null) if neither. */
export function inetProtoA2n(s: string): number | null {
  const named = PROTOS.find(([, n]) => n === s);
  if (named) return named[0];
  return getUnsignedMax(s, 255);
}

/**
 * `fwmark MARK[/MASK]` as iprule.c parses it for `ip rule` and `ip mrule`; a non-zero mark without a mask
 * means mask 0xffffffff (fib_nl2rule()), a zero mark without one leaves the mask at 0.
 */
export function parseFwmark(v: string): { mark: number; markMask: number | null } {
  const slash = v.indexOf('/');
  const markText = slash >= 0 ? v.slice(0, slash) : v;
  const mark = getU32(markText);
  if (mark === null) invarg('fwmark value is invalid\n', markText);
  if (slash < 0) return { mark, markMask: mark ? 0xffffffff : null };
  const mask = getU32(v.slice(slash + 1));
  if (mask === null) invarg('fwmask value is invalid\n', v.slice(slash + 1));
  return { mark, markMask: mask };
}
