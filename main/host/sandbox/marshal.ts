// The daemon API's values ↔ the engine's: dotted-quad strings ↔ Ipv4Addr, and the C structs a daemon
// passes to setsockopt (field names as in <linux/mroute.h> and <netinet/in.h>) ↔ the engine's structs.
// Everything here reads plain JSON values that came out of the guest: nothing is trusted.

import { fromHex } from '../../../engine/wire/hex.js';
import * as C from '../../../engine/socket/constants.js';
import { Errno, KernelError } from '../../../engine/net/errno.js';
import type { SockoptValue } from '../../../engine/socket/sockopt.js';
import { SIOCGETSGCNT, SIOCGETVIFCNT, type Mfcctl, type SiocSgReq, type SiocVifReq, type Vifctl } from '../../../engine/ipv4/ipmr-types.js';
import type { IpMreqn, IpMreqSource } from '../../../engine/socket/inet-sock.js';
import { formatIpv4, parseIpv4, type Ipv4Addr } from '../../../engine/wire/inet.js';

/** A mistake in how the API was called (not an errno): thrown into the guest as a TypeError. */
export class ApiUsageError extends Error {
  override readonly name = 'ApiUsageError';
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function intArg(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ApiUsageError(`${what} must be an integer, got ${describe(v)}`);
  return v;
}

export function addrArg(v: unknown, what: string): Ipv4Addr {
  if (typeof v !== 'string') throw new ApiUsageError(`${what} must be a dotted-quad address string, got ${describe(v)}`);
  const a = parseIpv4(v);
  if (a === null) throw new ApiUsageError(`${what}: "${v.slice(0, 64)}" is not an IPv4 address`);
  return a;
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return `"${v.slice(0, 32)}${v.length > 32 ? '…' : ''}"`;
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

const IP_NAMES = new Map<number, string>();
const SOL_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(C)) {
  if (/^(IP|MRT|MCAST)_/.test(name) && name !== 'MRT_BASE' && name !== 'MRT_MAX' && !name.startsWith('IPPROTO')) IP_NAMES.set(value, name);
  if (name.startsWith('SO_')) SOL_NAMES.set(value, name);
}

/** "MRT_ADD_VIF", as the trace and error messages name an option. */
export function optionName(level: number, optname: number): string {
  const n = level === C.SOL_SOCKET ? SOL_NAMES.get(optname) : level === C.IPPROTO_IP ? IP_NAMES.get(optname) : undefined;
  return n ?? String(optname);
}

function optAddr(o: JsonObject, key: string): Ipv4Addr | undefined {
  return o[key] === undefined ? undefined : addrArg(o[key], key);
}

function optInt(o: JsonObject, key: string): number | undefined {
  return o[key] === undefined ? undefined : intArg(o[key], key);
}

/** struct vifctl { vifc_vifi, vifc_flags, vifc_threshold, vifc_rate_limit, vifc_lcl_addr | vifc_lcl_ifindex, vifc_rmt_addr } */
function vifctl(o: JsonObject): Vifctl {
  const v: Vifctl = {
    vifi: intArg(o.vifc_vifi, 'vifc_vifi'),
    flags: optInt(o, 'vifc_flags') ?? 0,
    threshold: optInt(o, 'vifc_threshold') ?? 0,
    rateLimit: optInt(o, 'vifc_rate_limit') ?? 0,
    rmtAddr: optAddr(o, 'vifc_rmt_addr') ?? 0,
  };
  const lcl = optAddr(o, 'vifc_lcl_addr');
  const ifindex = optInt(o, 'vifc_lcl_ifindex');
  if (lcl !== undefined && ifindex !== undefined) throw new ApiUsageError('vifctl: vifc_lcl_addr and vifc_lcl_ifindex share a union; give one');
  if (ifindex !== undefined) v.lclIfindex = ifindex;
  else v.lclAddr = lcl ?? 0;
  return v;
}

/** struct mfcctl { mfcc_origin, mfcc_mcastgrp, mfcc_parent, mfcc_ttls[MAXVIFS] } */
function mfcctl(o: JsonObject): Mfcctl {
  const ttlsIn = o.mfcc_ttls ?? [];
  if (!Array.isArray(ttlsIn) || ttlsIn.length > 32) throw new ApiUsageError('mfcc_ttls must be an array of at most MAXVIFS (32) numbers');
  const ttls = ttlsIn.map((t, i) => {
    // A hole in a sparse array (`ttls[3] = 1`) crosses the bridge as null: an unset slot, 0 as in C.
    if (t === null) return 0;
    const n = intArg(t, `mfcc_ttls[${i}]`);
    if (n < 0 || n > 255) throw new ApiUsageError(`mfcc_ttls[${i}] must be 0..255 (a u8), got ${n}`);
    return n;
  });
  return { origin: addrArg(o.mfcc_origin ?? '0.0.0.0', 'mfcc_origin'), mcastgrp: addrArg(o.mfcc_mcastgrp ?? '0.0.0.0', 'mfcc_mcastgrp'), parent: optInt(o, 'mfcc_parent') ?? 0, ttls };
}

/** struct ip_mreqn { imr_multiaddr, imr_address, imr_ifindex } */
function ipMreqn(o: JsonObject): IpMreqn {
  const m: IpMreqn = { multiaddr: addrArg(o.imr_multiaddr, 'imr_multiaddr') };
  const a = optAddr(o, 'imr_address');
  if (a) m.address = a;
  const i = optInt(o, 'imr_ifindex');
  if (i) m.ifindex = i;
  return m;
}

/** struct ip_mreq_source: group, local interface address, source. */
function ipMreqSource(o: JsonObject): IpMreqSource {
  return { multiaddr: addrArg(o.imr_multiaddr, 'imr_multiaddr'), interface: optAddr(o, 'imr_interface') ?? 0, sourceaddr: addrArg(o.imr_sourceaddr, 'imr_sourceaddr') };
}

/** The engine's value for setsockopt(level, optname, value). */
export function sockoptIn(level: number, optname: number, value: unknown): SockoptValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ApiUsageError(`setsockopt(${optionName(level, optname)}): value must be a finite number`);
    return value;
  }
  // IP_MULTICAST_IF also takes a bare struct in_addr (here its dotted string).
  if (typeof value === 'string' && level === C.IPPROTO_IP && optname === C.IP_MULTICAST_IF) return addrArg(value, 'IP_MULTICAST_IF');
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (!isObject(value)) throw new ApiUsageError(`setsockopt(${optionName(level, optname)}): unsupported value ${describe(value)}`);
  // A Uint8Array (the prelude sends its hex): the option's bytes as C would pass them (IP_OPTIONS).
  if (typeof value.$bytes === 'string' && /^(?:[0-9a-f]{2})*$/.test(value.$bytes)) return fromHex(value.$bytes);
  if (level === C.IPPROTO_IP) {
    switch (optname) {
      case C.MRT_ADD_VIF:
      case C.MRT_DEL_VIF:
        return vifctl(value) as unknown as SockoptValue;
      case C.MRT_ADD_MFC:
      case C.MRT_DEL_MFC:
      case C.MRT_ADD_MFC_PROXY:
      case C.MRT_DEL_MFC_PROXY:
        return mfcctl(value) as unknown as SockoptValue;
      case C.IP_ADD_MEMBERSHIP:
      case C.IP_DROP_MEMBERSHIP:
      case C.IP_MULTICAST_IF:
        return ipMreqn(value);
      case C.IP_ADD_SOURCE_MEMBERSHIP:
      case C.IP_DROP_SOURCE_MEMBERSHIP:
      case C.IP_BLOCK_SOURCE:
      case C.IP_UNBLOCK_SOURCE:
        return ipMreqSource(value) as unknown as SockoptValue;
    }
  }
  // An option that takes an int given a struct: the kernel would read garbage; say EINVAL as it does for bad lengths.
  throw new KernelError(Errno.EINVAL);
}

/** A getsockopt answer as the daemon sees it (addresses as strings). */
export function sockoptOut(level: number, optname: number, v: SockoptValue): Json {
  if (level === C.IPPROTO_IP && optname === C.IP_MULTICAST_IF && typeof v === 'number') return formatIpv4(v);
  if (v instanceof Uint8Array) return [...v];
  return v as Json;
}

/** The struct as the trace shows it: the daemon's own JSON, bounded. */
export function traceValue(value: unknown): Json {
  const s = JSON.stringify(value) ?? 'undefined';
  return s.length <= 512 ? (JSON.parse(s) as Json) : `${s.slice(0, 512)}…`;
}

export function ioctlName(request: number): string {
  return request === SIOCGETVIFCNT ? 'SIOCGETVIFCNT' : request === SIOCGETSGCNT ? 'SIOCGETSGCNT' : `0x${request.toString(16)}`;
}

/** struct sioc_vif_req { vifi } or struct sioc_sg_req { src, grp }, the fields the caller fills in. */
export function ioctlIn(request: number, arg: unknown): SiocVifReq | SiocSgReq {
  const o = isObject(arg) ? arg : {};
  if (request === SIOCGETSGCNT) return { src: addrArg(o.src, 'src'), grp: addrArg(o.grp, 'grp'), pktcnt: 0, bytecnt: 0, wrongIf: 0 };
  // Any other request goes to the engine with a sioc_vif_req, which answers EINVAL/ENOIOCTLCMD as Linux does.
  return { vifi: intArg(o.vifi ?? 0, 'vifi'), icount: 0, ocount: 0, ibytes: 0, obytes: 0 };
}

export function ioctlOut(req: SiocVifReq | SiocSgReq): Json {
  if ('grp' in req) return { src: formatIpv4(req.src), grp: formatIpv4(req.grp), pktcnt: req.pktcnt, bytecnt: req.bytecnt, wrong_if: req.wrongIf };
  return { vifi: req.vifi, icount: req.icount, ocount: req.ocount, ibytes: req.ibytes, obytes: req.obytes };
}
