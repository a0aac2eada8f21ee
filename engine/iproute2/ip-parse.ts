// iproute2's argument parsers (lib/utils.c): numbers through strtoul/strtol with base 0 (so 0x10 and
// 010 work), IPv4 addresses through get_addr_ipv4 (so "10.1" is 10.1.0.0), prefixes with a length
// or a dotted netmask. Their failures print iproute2's own messages.

import { fail1 } from './ip-errors.js';
import { familyName, type Family } from './ip-options.js';

const UINT32_MAX = 0xffffffff;
const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;
const ULONG_MAX = 18446744073709551615n;

/**
 * strtoul/strtol(s, &end, 0) requiring the whole string to be consumed (iproute2 rejects trailing
 * characters). Returns the value the C call would store, or null. Unsigned conversion of "-N"
 * wraps modulo 2^64, as strtoul does.
 */
function strto(s: string, signed: boolean): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (body.length > 1 && body.startsWith('0')) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  if (m[1] === '-') {
    if (signed) return -v;
    if (v > ULONG_MAX) return null; // ERANGE
    return v === 0n ? 0n : ULONG_MAX + 1n - v;
  }
  if (!signed && v > ULONG_MAX) return null;
  return v;
}

/** get_u32() / get_unsigned(): 0..2^32-1. */
export function getU32(s: string): number | null {
  const v = strto(s, false);
  return v === null || v > BigInt(UINT32_MAX) ? null : Number(v);
}

/** get_integer(): INT_MIN..INT_MAX. */
export function getInteger(s: string): number | null {
  const v = strto(s, true);
  return v === null || v > BigInt(INT32_MAX) || v < BigInt(INT32_MIN) ? null : Number(v);
}

/** get_u8()-style bounded unsigned (rtnl_*_a2n number fallbacks). */
export function getUnsignedMax(s: string, max: number): number | null {
  const v = strto(s, false);
  return v === null || v > BigInt(max) ? null : Number(v);
}

/** get_addr_ipv4(): up to four base-0 numbers separated by dots; missing trailing bytes are 0. */
export function getAddrIpv4(s: string): number | null {
  const bytes = [0, 0, 0, 0];
  let rest = s;
  for (let i = 0; i < 4; i++) {
    const m = /^[ \t\n\v\f\r]*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(rest);
    if (!m) return null;
    const n = strto(m[0], false);
    if (n === null || n > 255n) return null;
    bytes[i] = Number(n);
    rest = rest.slice(m[0].length);
    if (rest === '') break;
    if (i === 3 || !rest.startsWith('.')) return null;
    rest = rest.slice(1);
  }
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/** inet_prefix, reduced to what IPv4 needs. bitlen is -1 for "no prefix length", -2 for "default". */
export interface InetPrefix {
  family: Family;
  addr: number;
  bitlen: number;
  /** PREFIXLEN_SPECIFIED: the text carried a /LEN. */
  lenGiven: boolean;
}

/** get_addr_1(): null when the text is no address of `family`. IPv6 parses only far enough to be refused. */
export function getAddr1(s: string, family: Family): InetPrefix | null {
  if (s === 'default') {
    if (family === 'mpls') return null;
    return { family: family === 'unspec' ? 'inet' : family, addr: 0, bitlen: -2, lenGiven: false };
  }
  if (s === 'all' || s === 'any') {
    if (family === 'mpls') return null;
    return { family, addr: 0, bitlen: -2, lenGiven: false };
  }
  if (family === 'inet6' || s.includes(':')) {
    if (family !== 'unspec' && family !== 'inet6') return null;
    return /^[0-9a-fA-F:.]+$/.test(s) ? { family: 'inet6', addr: 0, bitlen: -1, lenGiven: false } : null;
  }
  if (family !== 'unspec' && family !== 'inet') return null;
  const a = getAddrIpv4(s);
  return a === null ? null : { family: 'inet', addr: a, bitlen: -1, lenGiven: false };
}

/** get_netmask(): a length, or a dotted netmask (mask2bits: the host part must be 2^n - 1). */
function getNetmask(s: string): number | null {
  const n = getU32(s);
  if (n !== null) return n;
  const a = getAddr1(s, 'inet');
  if (!a || a.family !== 'inet') return null;
  const host = ~a.addr >>> 0;
  if (((host & ((host + 1) >>> 0)) >>> 0) !== 0) return null;
  return a.addr === 0 ? 0 : Math.clz32(host);
}

/** get_prefix_1(): ADDR[/LEN]; null on any error. */
export function getPrefix1(s: string, family: Family): InetPrefix | null {
  const slash = s.indexOf('/');
  const dst = getAddr1(slash >= 0 ? s.slice(0, slash) : s, family);
  if (!dst) return null;
  const maxLen = dst.family === 'inet6' ? 128 : 32;
  if (slash >= 0) {
    if (dst.bitlen === -2) return null;
    const plen = getNetmask(s.slice(slash + 1));
    if (plen === null || plen > maxLen) return null;
    return { ...dst, bitlen: plen, lenGiven: true };
  }
  return { ...dst, bitlen: dst.bitlen === -2 ? 0 : maxLen };
}

/** family_name_verbose(): what the error messages call the expected family. */
function verbose(family: Family): string {
  return family === 'unspec' ? 'any valid' : familyName(family);
}

/** get_prefix(): exits with status 1 on failure. */
export function getPrefix(s: string, family: Family): InetPrefix {
  const p = getPrefix1(s, family);
  if (!p) fail1(`Error: ${verbose(family)} prefix is expected rather than "${s}".`);
  return p;
}

/** get_addr(): exits with status 1 on failure. */
export function getAddr(s: string, family: Family): InetPrefix {
  const p = getAddr1(s, family);
  if (!p) fail1(`Error: ${verbose(family)} address is expected rather than "${s}".`);
  return { ...p, bitlen: p.bitlen === -2 ? 0 : p.family === 'inet6' ? 128 : 32 };
}
