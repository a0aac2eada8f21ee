// net/ipv4/ip_sockglue.c: the IPPROTO_IP options of a socket. The multicast membership options here are
// the any-source ones; source-specific options (IP_ADD_SOURCE_MEMBERSHIP, IP_MSFILTER, MCAST_*) come with
// the IGMP issue and answer ENOPROTOOPT until then.

import { Errno, KernelError } from '../net/errno.js';
import type { Ipv4Addr } from '../wire/inet.js';
import {
  IP_ADD_MEMBERSHIP,
  IP_DROP_MEMBERSHIP,
  IP_MULTICAST_ALL,
  IP_MULTICAST_IF,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  IP_TOS,
  IP_TTL,
} from './constants.js';
import type { InetSock, IpMreqn } from './inet-sock.js';

/** A socket option value: an int, a string (device names), bytes, or a struct as an object. */
export type SockoptValue = number | boolean | string | Uint8Array | IpMreqn | { [field: string]: number | string | Ipv4Addr | number[] | undefined };

function int(value: SockoptValue): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new KernelError(Errno.EINVAL);
}

function mreq(value: SockoptValue): IpMreqn {
  if (typeof value !== 'object' || value instanceof Uint8Array || typeof (value as IpMreqn).multiaddr !== 'number') throw new KernelError(Errno.EINVAL);
  return value as IpMreqn;
}

/** do_ip_setsockopt() */
export function ipSetsockopt(sk: InetSock, optname: number, value: SockoptValue, _optlen?: number): void {
  switch (optname) {
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
      sk.join(mreq(value));
      return;
    case IP_DROP_MEMBERSHIP:
      sk.leave(mreq(value));
      return;
    default:
      throw new KernelError(Errno.ENOPROTOOPT);
  }
}

/** do_ip_getsockopt() */
export function ipGetsockopt(sk: InetSock, optname: number): SockoptValue {
  switch (optname) {
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
