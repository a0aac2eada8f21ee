// struct inet_sock: the IP-level state every IPv4 socket has (ip_sockglue.c): TTLs, TOS, the multicast
// interface and loop flag, and the socket's group memberships (ip_mc_join_group / ip_mc_leave_group).
// Source filters and IGMP itself come with the IGMP issue.

import { Errno, KernelError } from '../net/errno.js';
import type { NetDevice } from '../net/netdevice.js';
import type { Netns } from '../net/netns.js';
import { flow } from '../ipv4/fib-types.js';
import { ipMcDecGroup, ipMcIncGroup } from '../ipv4/igmp.js';
import { ipRouteOutput } from '../ipv4/route.js';
import { isMulticast, type Ipv4Addr } from '../wire/inet.js';

/** struct ip_mreqn */
export interface IpMreqn {
  multiaddr: Ipv4Addr;
  address?: Ipv4Addr;
  ifindex?: number;
}

export interface McMembership {
  group: Ipv4Addr;
  ifindex: number;
}

export class InetSock {
  /** IP_TTL; -1 means net.ipv4.ip_default_ttl. */
  ttl = -1;
  /** IP_MULTICAST_TTL */
  mcTtl = 1;
  /** IP_MULTICAST_LOOP */
  mcLoop = true;
  /** IP_MULTICAST_IF (ifindex, 0 = let routing choose) and its address form. */
  mcIndex = 0;
  mcAddr: Ipv4Addr = 0;
  /** IP_TOS */
  tos = 0;
  /** SO_BINDTODEVICE */
  bindDev = 0;
  /** SO_BROADCAST */
  broadcast = false;
  /** IP_MULTICAST_ALL (default 1: a socket receives groups joined by any socket on the port). */
  mcAll = true;
  /** SO_MARK */
  mark = 0;
  /** SO_REUSEADDR */
  reuseAddr = false;
  readonly mcList: McMembership[] = [];
  closed = false;

  constructor(readonly ns: Netns) {}

  /** The TTL a datagram to `dst` leaves with. */
  ttlFor(dst: Ipv4Addr): number {
    if (isMulticast(dst)) return this.mcTtl;
    return this.ttl < 0 ? this.ns.ipv4.sysctl.ip_default_ttl : this.ttl;
  }

  /** ip_mc_find_dev(): the interface a join refers to. */
  private findDev(m: IpMreqn): NetDevice | null {
    if (m.ifindex) return this.ns.devByIndex(m.ifindex) ?? null;
    if (m.address) {
      for (const { dev, ifa } of this.ns.ipv4.allIfaddrs()) if (ifa.local === m.address) return dev;
      return null;
    }
    try {
      return ipRouteOutput(this.ns.ipv4, flow({ daddr: m.multiaddr })).dev;
    } catch {
      return null;
    }
  }

  /** ip_mc_join_group() */
  join(m: IpMreqn): void {
    if (!isMulticast(m.multiaddr)) throw new KernelError(Errno.EINVAL);
    const dev = this.findDev(m);
    if (!dev) throw new KernelError(Errno.ENODEV);
    if (this.mcList.some((x) => x.group === m.multiaddr && x.ifindex === dev.ifindex)) throw new KernelError(Errno.EADDRINUSE);
    if (this.mcList.length >= this.ns.ipv4.sysctl.igmp_max_memberships) throw new KernelError(Errno.ENOBUFS);
    this.mcList.push({ group: m.multiaddr, ifindex: dev.ifindex });
    ipMcIncGroup(dev.inDev, m.multiaddr);
  }

  /** ip_mc_leave_group() */
  leave(m: IpMreqn): void {
    const dev = this.findDev(m);
    const i = this.mcList.findIndex((x) => x.group === m.multiaddr && (!dev || x.ifindex === dev.ifindex));
    if (i < 0) throw new KernelError(Errno.EADDRNOTAVAIL);
    const [mem] = this.mcList.splice(i, 1);
    const d = this.ns.devByIndex(mem!.ifindex);
    if (d) ipMcDecGroup(d.inDev, mem!.group);
  }

  /** ip_mc_drop_socket(): closing a socket leaves all its groups. */
  dropMemberships(): void {
    for (const mem of this.mcList.splice(0)) {
      const d = this.ns.devByIndex(mem.ifindex);
      if (d) ipMcDecGroup(d.inDev, mem.group);
    }
  }

  /** ip_mc_sf_allow(): does this socket want (group, src) arriving on ifindex? */
  mcAllows(group: Ipv4Addr, ifindex: number): boolean {
    if (this.mcList.some((x) => x.group === group && x.ifindex === ifindex)) return true;
    return this.mcAll;
  }
}
