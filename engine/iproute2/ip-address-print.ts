// print_addrinfo() of iproute2 6.1 (ip/ipaddress.c) for IPv4: one `inet ...` entry of `ip addr`, in
// text (two lines), -o (one line), -br (ADDR/LEN only) and JSON forms, plus the show filters it applies.

import {
  IFA_F_DADFAILED, IFA_F_DEPRECATED, IFA_F_HOMEADDRESS, IFA_F_MANAGETEMPADDR, IFA_F_MCAUTOJOIN, IFA_F_NODAD, IFA_F_NOPREFIXROUTE,
  IFA_F_OPTIMISTIC, IFA_F_PERMANENT, IFA_F_SECONDARY, IFA_F_TENTATIVE, INFINITY_LIFE_TIME,
} from '../ipv4/devinet.js';
import { formatIpv4 } from '../wire/inet.js';
import { llIndexToName, type IpCtx } from './ip-context.js';
import { rtScopeN2a } from './ip-names.js';
import type { AddrMsg } from './ip-rtnl-addr.js';
import { prefixContains } from './ip-rtnl-addr.js';

/** The filter `ip addr show|flush` builds from its arguments (struct link_filter). */
export interface AddrFilter {
  ifindex: number;
  scope: number;
  scopemask: number;
  flags: number;
  flagmask: number;
  label: string | null;
  /** `to PREFIX` */
  pfx: { addr: number; bitlen: number } | null;
  up: boolean;
}

export function emptyAddrFilter(): AddrFilter {
  return { ifindex: 0, scope: 0, scopemask: 0, flags: 0, flagmask: 0, label: null, pfx: null, up: false };
}

/** ifa_flag_names[] in print order; "temporary" shares the secondary bit and never prints for IPv4. */
export const IFA_FLAG_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['secondary', IFA_F_SECONDARY],
  ['temporary', IFA_F_SECONDARY],
  ['nodad', IFA_F_NODAD],
  ['optimistic', IFA_F_OPTIMISTIC],
  ['dadfailed', IFA_F_DADFAILED],
  ['home', IFA_F_HOMEADDRESS],
  ['deprecated', IFA_F_DEPRECATED],
  ['tentative', IFA_F_TENTATIVE],
  ['permanent', IFA_F_PERMANENT],
  ['mngtmpaddr', IFA_F_MANAGETEMPADDR],
  ['noprefixroute', IFA_F_NOPREFIXROUTE],
  ['autojoin', IFA_F_MCAUTOJOIN],
  ['stable-privacy', 0x800],
];

/** fnmatch(pattern, s, 0) for the label filter: *, ? and [...] classes. */
export function fnmatch(pattern: string, s: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(s);
}

/** The per-address tests of print_addrinfo() (and ipaddr_filter()). */
export function addrMatches(f: AddrFilter, a: AddrMsg): boolean {
  if (f.ifindex && f.ifindex !== a.ifindex) return false;
  if ((f.scope ^ a.scope) & f.scopemask) return false;
  if ((f.flags ^ a.flags) & f.flagmask) return false;
  if (f.label !== null && !fnmatch(f.label, a.label)) return false;
  if (f.pfx && !prefixContains(f.pfx.addr, f.pfx.bitlen, a.local)) return false;
  return true;
}

/** print_ifa_flags() */
function printIfaFlags(ctx: IpCtx, flags: number): void {
  const p = ctx.out;
  for (const [name, mask] of IFA_FLAG_NAMES) {
    if (mask === IFA_F_PERMANENT) {
      if (!(flags & mask)) p.any('dynamic', true, 'dynamic ');
    } else if (flags & mask) {
      p.fp(`${name} `);
      p.jsonOnly(name, true);
    }
    flags &= ~mask;
  }
  if (flags) {
    const hex = flags.toString(16).padStart(2, '0');
    p.any('ifa_flags', hex, `flags ${hex} `);
  }
}

/** print_addrinfo(): nothing (but the caller's empty JSON object) when the filter rejects it. */
export function printAddrinfo(ctx: IpCtx, a: AddrMsg, f: AddrFilter): void {
  if (!addrMatches(f, a)) return;
  const p = ctx.out;
  const o = ctx.opts;
  if (!o.brief) {
    if (o.oneline) {
      const dev = llIndexToName(ctx.ns, a.ifindex);
      if (p.json) {
        p.jsonOnly('index', a.ifindex);
        p.jsonOnly('dev', dev);
      } else p.fp(`${a.ifindex}: ${dev}`);
    }
    p.any('family', 'inet', '    inet ');
  }
  const local = formatIpv4(a.local);
  p.any('local', local, local);
  if (a.address !== a.local) {
    p.fp(' peer ');
    const peer = formatIpv4(a.address);
    p.any('address', peer, peer);
  }
  p.any('prefixlen', a.prefixlen, `/${a.prefixlen} `);
  if (a.metric !== null) p.any('metric', a.metric, `metric ${a.metric} `);
  if (o.brief) return;
  if (a.broadcast !== null) {
    p.fp('brd ');
    const brd = formatIpv4(a.broadcast);
    p.any('broadcast', brd, `${brd} `);
  }
  const scope = rtScopeN2a(a.scope, o.numeric);
  p.any('scope', scope, `scope ${scope} `);
  printIfaFlags(ctx, a.flags);
  p.any('label', a.label, a.label);
  p.nl();
  p.fp('       valid_lft ');
  if (a.validLft === INFINITY_LIFE_TIME) {
    p.jsonOnly('valid_life_time', INFINITY_LIFE_TIME);
    p.fp('forever');
  } else p.any('valid_life_time', a.validLft, `${a.validLft}sec`);
  p.fp(' preferred_lft ');
  if (a.preferredLft === INFINITY_LIFE_TIME) {
    p.jsonOnly('preferred_life_time', INFINITY_LIFE_TIME);
    p.fp('forever');
  } else p.any('preferred_life_time', a.preferredLft, `${a.preferredLft}sec`);
  p.fp('\n');
}
