// net/ipv4/ip_sockglue.c: the IPPROTO_IP options of a socket, including every multicast membership and
// source-filter option (IP_ADD/DROP_MEMBERSHIP, IP_{ADD,DROP}_SOURCE_MEMBERSHIP, IP_{UN,}BLOCK_SOURCE,
// IP_MSFILTER and the protocol-independent MCAST_* twins) with the kernel's length and family checks.

import { Errno, KernelError } from '../net/errno.js';
import type { Ipv4Addr } from '../wire/inet.js';
import { MCAST_EXCLUDE, MCAST_INCLUDE } from '../ipv4/igmp.js';
import {
  IP_ADD_MEMBERSHIP,
  IP_ADD_SOURCE_MEMBERSHIP,
  IP_BLOCK_SOURCE,
  IP_DROP_MEMBERSHIP,
  IP_DROP_SOURCE_MEMBERSHIP,
  IP_MSFILTER,
  IP_UNBLOCK_SOURCE,
  MCAST_BLOCK_SOURCE,
  MCAST_JOIN_GROUP,
  MCAST_JOIN_SOURCE_GROUP,
  MCAST_LEAVE_GROUP,
  MCAST_LEAVE_SOURCE_GROUP,
  MCAST_MSFILTER,
  MCAST_UNBLOCK_SOURCE,
  IP_MULTICAST_ALL,
  IP_MULTICAST_IF,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  IP_OPTIONS,
  IP_TOS,
  IP_TTL,
} from './constants.js';
import type { InetSock, IpMreqn, IpMreqSource } from './inet-sock.js';
import { mcastSockopt, msfilterSize } from './ip_sockglue-mcast.js';
import { ipOptionsGet, ipOptionsUndo, MAX_IPOPTLEN } from '../ipv4/ip_options.js';

/** A socket option value: an int, a string (device names), bytes, or a struct as an object. */
export type SockoptValue = number | boolean | string | Uint8Array | IpMreqn | { [field: string]: number | string | Ipv4Addr | number[] | undefined };

function int(value: SockoptValue): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new KernelError(Errno.EINVAL);
}

/** A network-order address from C bytes. */
function be32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function mreq(value: SockoptValue): IpMreqn {
  // C bytes: struct ip_mreq (8) or ip_mreqn (12, the ifindex in host order).
  if (value instanceof Uint8Array) {
    if (value.length < 8) throw new KernelError(Errno.EINVAL);
    const ifindex = value.length >= 12 ? (value[8]! | (value[9]! << 8) | (value[10]! << 16) | (value[11]! << 24)) : 0;
    return { multiaddr: be32(value, 0), address: be32(value, 4), ifindex };
  }
  if (typeof value !== 'object' || value instanceof Uint8Array || typeof (value as IpMreqn).multiaddr !== 'number') throw new KernelError(Errno.EINVAL);
  return value as IpMreqn;
}

/** net.core.optmem_max of Linux 6.18 (the largest IP_MSFILTER/MCAST_MSFILTER optlen accepted). */
const OPTMEM_MAX = 131072;

function mreqSource(value: SockoptValue): IpMreqSource {
  // C bytes: struct ip_mreq_source is exactly 12 bytes.
  if (value instanceof Uint8Array) {
    if (value.length !== 12) throw new KernelError(Errno.EINVAL);
    return { multiaddr: be32(value, 0), interface: be32(value, 4), sourceaddr: be32(value, 8) };
  }
  const v = value as Partial<IpMreqSource>;
  if (typeof v !== 'object' || typeof v.multiaddr !== 'number' || typeof v.sourceaddr !== 'number') throw new KernelError(Errno.EINVAL);
  return { multiaddr: v.multiaddr, interface: v.interface ?? 0, sourceaddr: v.sourceaddr };
}

/** do_ip_setsockopt() */
export function ipSetsockopt(sk: InetSock, optname: number, value: SockoptValue, optlen?: number): void {
  switch (optname) {
    case IP_OPTIONS: {
      // The option bytes themselves (optlen > 40 is EINVAL); ip_options_get() compiles them or says EINVAL.
      if (!(value instanceof Uint8Array)) throw new KernelError(Errno.EINVAL);
      const bytes = optlen !== undefined && optlen < value.length ? value.subarray(0, Math.max(0, optlen)) : value;
      if (bytes.length > MAX_IPOPTLEN || (optlen !== undefined && optlen > value.length)) throw new KernelError(optlen !== undefined && optlen > value.length && optlen <= MAX_IPOPTLEN ? Errno.EFAULT : Errno.EINVAL);
      sk.ipOpt = ipOptionsGet(bytes, (a) => sk.ns.ipv4.inetAddrType(a) === 'unicast');
      sk.ns.emit('ip_options_get', 'state', { optlen: bytes.length, srr: sk.ipOpt?.srr ?? 0, rr: sk.ipOpt?.rr ?? 0, ts: sk.ipOpt?.ts ?? 0, router_alert: sk.ipOpt?.routerAlert ?? 0 });
      return;
    }
    case IP_TTL: {
      const v = int(value);
      if (v !== -1 && (v < 1 || v > 255)) throw new KernelError(Errno.EINVAL);
      sk.ttl = v;
      return;
    }
    case IP_TOS:
      sk.tos = int(value) & 0xff;
      return;
    case IP_MULTICAST_TTL: {
      let v = int(value);
      if (v === -1) v = 1;
      if (v < 0 || v > 255) throw new KernelError(Errno.EINVAL);
      sk.mcTtl = v;
      return;
    }
    case IP_MULTICAST_LOOP:
      sk.mcLoop = int(value) !== 0;
      return;
    case IP_MULTICAST_ALL:
      sk.mcAll = int(value) !== 0;
      return;
    case IP_MULTICAST_IF: {
      // An ifindex-based ip_mreqn, or an interface address; 0/INADDR_ANY resets to routing's choice.
      if (typeof value === 'number') {
        sk.mcIndex = 0;
        sk.mcAddr = value >>> 0;
        return;
      }
      const m = value as { ifindex?: number; address?: number };
      if (m.ifindex && !sk.ns.devByIndex(m.ifindex)) throw new KernelError(Errno.EADDRNOTAVAIL);
      sk.mcIndex = m.ifindex ?? 0;
      sk.mcAddr = m.address ?? 0;
      return;
    }
    case IP_ADD_MEMBERSHIP:
    case IP_DROP_MEMBERSHIP: {
      // optlen < sizeof(ip_mreq) is EINVAL; shorter than an ip_mreqn, the ifindex is not read.
      if (optlen !== undefined && optlen < 8) throw new KernelError(Errno.EINVAL);
      const m = { ...mreq(value) };
      if (optlen !== undefined && optlen < 12) m.ifindex = 0;
      if (optname === IP_ADD_MEMBERSHIP) sk.join(m);
      else sk.leave(m);
      return;
    }
    case IP_BLOCK_SOURCE:
    case IP_UNBLOCK_SOURCE:
    case IP_ADD_SOURCE_MEMBERSHIP:
    case IP_DROP_SOURCE_MEMBERSHIP: {
      if (optlen !== undefined && optlen !== 12) throw new KernelError(Errno.EINVAL);
      const m = mreqSource(value);
      if (optname === IP_ADD_SOURCE_MEMBERSHIP) {
        try {
          sk.join({ multiaddr: m.multiaddr, address: m.interface, ifindex: 0 }, MCAST_INCLUDE);
        } catch (e) {
          if (!(e instanceof KernelError) || e.errno !== Errno.EADDRINUSE) throw e;
        }
      }
      const omode = optname === IP_BLOCK_SOURCE || optname === IP_UNBLOCK_SOURCE ? MCAST_EXCLUDE : MCAST_INCLUDE;
      sk.source(optname === IP_BLOCK_SOURCE || optname === IP_ADD_SOURCE_MEMBERSHIP, omode, m, 0);
      return;
    }
    case IP_MSFILTER: {
      const v = value as { multiaddr?: number; interface?: number; fmode?: number; slist?: number[]; numsrc?: number };
      if (typeof v !== 'object' || typeof v.multiaddr !== 'number' || !Array.isArray(v.slist)) throw new KernelError(Errno.EINVAL);
      const numsrc = v.numsrc ?? v.slist.length;
      const len = optlen ?? msfilterSize(v.slist.length);
      if (len < msfilterSize(0)) throw new KernelError(Errno.EINVAL);
      if (len > OPTMEM_MAX) throw new KernelError(Errno.ENOBUFS);
      if (numsrc > sk.ns.ipv4.sysctl.igmp_max_msf) throw new KernelError(Errno.ENOBUFS);
      if (msfilterSize(numsrc) > len) throw new KernelError(Errno.EINVAL);
      sk.msfilter({ multiaddr: v.multiaddr, interface: v.interface ?? 0, fmode: v.fmode ?? -1, slist: v.slist.slice(0, numsrc) }, 0);
      return;
    }
    case MCAST_JOIN_GROUP:
    case MCAST_LEAVE_GROUP:
    case MCAST_JOIN_SOURCE_GROUP:
    case MCAST_LEAVE_SOURCE_GROUP:
    case MCAST_BLOCK_SOURCE:
    case MCAST_UNBLOCK_SOURCE:
    case MCAST_MSFILTER:
      mcastSockopt(sk, optname, value, optlen, OPTMEM_MAX);
      return;
    default:
      throw new KernelError(Errno.ENOPROTOOPT);
  }
}

/**
 * getsockopt(IP_MSFILTER) is value-result: `req` carries imsf_multiaddr, imsf_interface and imsf_numsrc
 * (room for that many sources), as an object or the C bytes (at least IP_MSFILTER_SIZE(0)). The answer
 * has the filter mode, the socket's source count and as many sources as there was room for.
 */
function getMsfilter(sk: InetSock, req: SockoptValue | undefined): SockoptValue {
  let multiaddr: number;
  let iface: number;
  let room: number;
  const bytes = req instanceof Uint8Array;
  if (req instanceof Uint8Array) {
    if (req.length < 16) throw new KernelError(Errno.EINVAL);
    const be = (o: number): number => ((req[o]! << 24) | (req[o + 1]! << 16) | (req[o + 2]! << 8) | req[o + 3]!) >>> 0;
    multiaddr = be(0);
    iface = be(4);
    room = (req[12]! | (req[13]! << 8) | (req[14]! << 16) | (req[15]! << 24)) >>> 0;
    // The caller's buffer bounds what is copied back.
    room = Math.min(room, Math.floor((req.length - 16) / 4));
  } else {
    if (typeof req !== 'object' || req === null) throw new KernelError(Errno.EINVAL);
    const o = req as Record<string, unknown>;
    multiaddr = Number(o['multiaddr'] ?? 0) >>> 0;
    iface = Number(o['interface'] ?? 0) >>> 0;
    room = Number(o['numsrc'] ?? 0) >>> 0;
  }
  const msf = sk.msfget(multiaddr, iface, 0);
  const slist = msf.slist.slice(0, room);
  if (!bytes) return { multiaddr, interface: iface, fmode: msf.fmode, numsrc: msf.slist.length, slist };
  // IP_MSFILTER_SIZE(copycount) bytes come back.
  const out = new Uint8Array(16 + 4 * slist.length);
  const put = (o: number, v: number): void => {
    out[o] = v >>> 24;
    out[o + 1] = (v >>> 16) & 0xff;
    out[o + 2] = (v >>> 8) & 0xff;
    out[o + 3] = v & 0xff;
  };
  put(0, multiaddr);
  put(4, iface);
  out.set([msf.fmode & 0xff, 0, 0, 0, msf.slist.length & 0xff, (msf.slist.length >> 8) & 0xff, 0, 0], 8);
  slist.forEach((s, i) => put(16 + 4 * i, s));
  return out;
}

/** do_ip_getsockopt(); `req` is the value-result input of IP_MSFILTER. */
export function ipGetsockopt(sk: InetSock, optname: number, req?: SockoptValue): SockoptValue {
  switch (optname) {
    case IP_OPTIONS:
      // The bytes as set (ip_options_undo puts the source route's first hop back), or none.
      return sk.ipOpt ? ipOptionsUndo(sk.ipOpt) : new Uint8Array(0);
    case IP_MSFILTER:
      return getMsfilter(sk, req);
    case IP_TTL:
      return sk.ttl < 0 ? sk.ns.ipv4.sysctl.ip_default_ttl : sk.ttl;
    case IP_TOS:
      return sk.tos;
    case IP_MULTICAST_TTL:
      return sk.mcTtl;
    case IP_MULTICAST_LOOP:
      return sk.mcLoop ? 1 : 0;
    case IP_MULTICAST_ALL:
      return sk.mcAll ? 1 : 0;
    case IP_MULTICAST_IF:
      return sk.mcAddr;
    default:
      throw new KernelError(Errno.ENOPROTOOPT);
  }
}
