// The protocol-independent multicast options of ip_sockglue.c (RFC 3678): MCAST_JOIN_GROUP and its
// leave/source/block twins carry sockaddr_storage groups (struct group_req, group_source_req,
// group_filter); for IPv4 they become the same ip_mc_join_group / ip_mc_source / ip_mc_msfilter calls.

import { Errno, KernelError } from '../net/errno.js';
import { MCAST_EXCLUDE, MCAST_INCLUDE } from '../ipv4/igmp.js';
import { AF_INET, MCAST_BLOCK_SOURCE, MCAST_JOIN_GROUP, MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_GROUP, MCAST_MSFILTER, MCAST_UNBLOCK_SOURCE } from './constants.js';
import type { InetSock } from './inet-sock.js';
import type { SockoptValue } from './ip_sockglue.js';

/** sizeof(struct group_req) and sizeof(struct group_source_req) on 64-bit Linux. */
export const GROUP_REQ_SIZE = 136;
export const GROUP_SOURCE_REQ_SIZE = 264;

/** IP_MSFILTER_SIZE(n) */
export function msfilterSize(n: number): number {
  return 16 + 4 * n;
}

/** GROUP_FILTER_SIZE(n) */
export function groupFilterSize(n: number): number {
  return 144 + 128 * n;
}

/** A group_req / group_source_req / group_filter as an object; families default to AF_INET. */
interface McastReq {
  interface?: number;
  group?: number;
  family?: number;
  source?: number;
  sourceFamily?: number;
  fmode?: number;
  slist?: number[];
  numsrc?: number;
}

function req(value: SockoptValue): McastReq {
  const v = value as McastReq;
  if (typeof v !== 'object' || v instanceof Uint8Array || typeof v.group !== 'number') throw new KernelError(Errno.EINVAL);
  return v;
}

export function mcastSockopt(sk: InetSock, optname: number, value: SockoptValue, optlen: number | undefined, optmemMax: number): void {
  switch (optname) {
    case MCAST_JOIN_GROUP:
    case MCAST_LEAVE_GROUP: {
      // ip_mcast_join_leave()
      if (optlen !== undefined && optlen < GROUP_REQ_SIZE) throw new KernelError(Errno.EINVAL);
      const g = req(value);
      if ((g.family ?? AF_INET) !== AF_INET) throw new KernelError(Errno.EINVAL);
      const m = { multiaddr: g.group!, ifindex: g.interface ?? 0 };
      if (optname === MCAST_JOIN_GROUP) sk.join(m);
      else sk.leave(m);
      return;
    }
    case MCAST_MSFILTER: {
      const g = req(value);
      const slist = g.slist ?? [];
      const numsrc = g.numsrc ?? slist.length;
      const len = optlen ?? groupFilterSize(slist.length);
      if (len < groupFilterSize(0)) throw new KernelError(Errno.EINVAL);
      if (len > optmemMax) throw new KernelError(Errno.ENOBUFS);
      if (numsrc > sk.ns.ipv4.sysctl.igmp_max_msf) throw new KernelError(Errno.ENOBUFS);
      if (groupFilterSize(numsrc) > len) throw new KernelError(Errno.EINVAL);
      if ((g.family ?? AF_INET) !== AF_INET || (g.sourceFamily ?? AF_INET) !== AF_INET) throw new KernelError(Errno.EADDRNOTAVAIL);
      sk.msfilter({ multiaddr: g.group!, interface: 0, fmode: g.fmode ?? -1, slist: slist.slice(0, numsrc) }, g.interface ?? 0);
      return;
    }
    default: {
      // do_mcast_group_source(): MCAST_{JOIN,LEAVE}_SOURCE_GROUP, MCAST_{BLOCK,UNBLOCK}_SOURCE
      if (optlen !== undefined && optlen !== GROUP_SOURCE_REQ_SIZE) throw new KernelError(Errno.EINVAL);
      const g = req(value);
      if ((g.family ?? AF_INET) !== AF_INET || (g.sourceFamily ?? AF_INET) !== AF_INET) throw new KernelError(Errno.EADDRNOTAVAIL);
      if (typeof g.source !== 'number') throw new KernelError(Errno.EINVAL);
      const mreqs = { multiaddr: g.group!, interface: 0, sourceaddr: g.source };
      let ifindex = g.interface ?? 0;
      if (optname === MCAST_JOIN_SOURCE_GROUP) {
        const m = { multiaddr: g.group!, address: 0, ifindex };
        try {
          sk.join(m, MCAST_INCLUDE);
        } catch (e) {
          if (!(e instanceof KernelError) || e.errno !== Errno.EADDRINUSE) throw e;
        }
        ifindex = sk.resolveIfindex(m);
      }
      const exclude = optname === MCAST_BLOCK_SOURCE || optname === MCAST_UNBLOCK_SOURCE;
      sk.source(optname === MCAST_BLOCK_SOURCE || optname === MCAST_JOIN_SOURCE_GROUP, exclude ? MCAST_EXCLUDE : MCAST_INCLUDE, mreqs, ifindex);
      return;
    }
  }
}
