// Number ↔ name tables of iproute2 (lib/rt_names.c) with the files Debian's iproute2 6.1 installs in
// /etc/iproute2 (rt_tables, rt_protos, rt_scopes, group). -N (numeric) prints numbers instead.

import type { RouteType } from '../ipv4/fib-types.js';
import { getUnsignedMax } from './ip-parse.js';

const TABLES: ReadonlyMap<number, string> = new Map([
  [255, 'local'],
  [254, 'main'],
  [253, 'default'],
  [0, 'unspec'],
]);

const PROTOS: ReadonlyMap<number, string> = new Map([
  [0, 'unspec'], [1, 'redirect'], [2, 'kernel'], [3, 'boot'], [4, 'static'], [8, 'gated'], [9, 'ra'],
  [10, 'mrt'], [11, 'zebra'], [12, 'bird'], [13, 'dnrouted'], [14, 'xorp'], [15, 'ntk'], [16, 'dhcp'],
  [18, 'keepalived'], [42, 'babel'], [99, 'openr'], [186, 'bgp'], [187, 'isis'], [188, 'ospf'],
  [189, 'rip'], [192, 'eigrp'],
]);

const SCOPES: ReadonlyMap<number, string> = new Map([
  [0, 'global'],
  [255, 'nowhere'],
  [254, 'host'],
  [253, 'link'],
  [200, 'site'],
]);

const GROUPS: ReadonlyMap<number, string> = new Map([[0, 'default']]);

function n2a(table: ReadonlyMap<number, string>, id: number, numeric: boolean): string {
  return (!numeric && table.get(id)) || String(id);
}

function a2n(table: ReadonlyMap<number, string>, s: string, max: number): number | null {
  for (const [id, name] of table) if (name === s) return id;
  return getUnsignedMax(s, max);
}

export const rtTableN2a = (id: number, numeric: boolean): string => n2a(TABLES, id, numeric);
export const rtTableA2n = (s: string): number | null => a2n(TABLES, s, 0xffffffff);
export const rtProtN2a = (id: number, numeric: boolean): string => n2a(PROTOS, id, numeric);
export const rtProtA2n = (s: string): number | null => a2n(PROTOS, s, 255);
export const rtScopeN2a = (id: number, numeric: boolean): string => n2a(SCOPES, id, numeric);
export const rtScopeA2n = (s: string): number | null => a2n(SCOPES, s, 255);
export const groupN2a = (id: number, numeric: boolean): string => n2a(GROUPS, id, numeric);
export const groupA2n = (s: string): number | null => a2n(GROUPS, s, 0xffffffff);

/** RTN_* numbers, in rtnetlink order. */
export const RTN_NAMES: readonly (RouteType | 'none' | 'xresolve')[] = [
  'none', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve',
];

export function rtnTypeNumber(t: RouteType): number {
  return RTN_NAMES.indexOf(t);
}

/** rtnl_rtntype_n2a() */
export function rtnTypeN2a(t: RouteType, numeric: boolean): string {
  return numeric ? String(rtnTypeNumber(t)) : t;
}

/** rtnl_rtntype_a2n(): a name or a number. */
export function rtnTypeA2n(s: string): RouteType | null {
  const i = RTN_NAMES.indexOf(s as RouteType);
  if (i > 0 && i < 11) return s as RouteType;
  const n = getUnsignedMax(s, 255);
  return n !== null && n > 0 && n < 11 ? (RTN_NAMES[n] as RouteType) : null;
}

export const ARPHRD_ETHER = 1;
export const ARPHRD_LOOPBACK = 772;
export const ARPHRD_PIMREG = 779;

/** ll_type_n2a() */
export function llTypeN2a(type: number, numeric: boolean): string {
  if (!numeric && type === ARPHRD_ETHER) return 'ether';
  if (!numeric && type === ARPHRD_LOOPBACK) return 'loopback';
  if (!numeric && type === ARPHRD_PIMREG) return 'pimreg';
  return `[${type}]`;
}

/** /etc/iproute2/rt_dsfield (Debian): DSCP class names for the TOS byte. */
const DSFIELDS: ReadonlyMap<number, string> = new Map([
  [0x00, 'default'], [0x28, 'AF11'], [0x30, 'AF12'], [0x38, 'AF13'], [0x48, 'AF21'], [0x50, 'AF22'], [0x58, 'AF23'],
  [0x68, 'AF31'], [0x70, 'AF32'], [0x78, 'AF33'], [0x88, 'AF41'], [0x90, 'AF42'], [0x98, 'AF43'], [0x20, 'CS1'],
  [0x40, 'CS2'], [0x60, 'CS3'], [0x80, 'CS4'], [0xa0, 'CS5'], [0xc0, 'CS6'], [0xe0, 'CS7'], [0xb8, 'EF'],
]);

/** rtnl_dsfield_n2a(): a class name, else "0x%02x". */
export function dsfieldN2a(id: number, numeric: boolean): string {
  return (!numeric && DSFIELDS.get(id)) || `0x${id.toString(16).padStart(2, '0')}`;
}
