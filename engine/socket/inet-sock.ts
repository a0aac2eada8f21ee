// struct inet_sock: the IP-level state every IPv4 socket has (ip_sockglue.c): TTLs, TOS, the multicast
// interface and loop flag, and the socket's group memberships with their source filters
// (struct ip_mc_socklist / ip_sf_socklist of net/ipv4/igmp.c: ip_mc_join_group, ip_mc_leave_group,
// ip_mc_source, ip_mc_msfilter, ip_mc_msfget, ip_mc_drop_socket, ip_mc_sf_allow).

import type { IpOptions } from '../ipv4/ip_options.js';
import { SYSCTL_RMEM_DEFAULT } from './sock-rcvbuf.js';
import { Errno, KernelError } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import type { InDevice } from '../ipv4/devinet.js';
import { flow } from '../ipv4/fib-types.js';
import { ipMcAddSrc, ipMcDecGroup, ipMcDelSrc, ipMcIncGroup, MCAST_EXCLUDE, MCAST_INCLUDE, type SfMode } from '../ipv4/igmp.js';
import { ipRouteOutput } from '../ipv4/route.js';
import { formatIpv4, isMulticast, type Ipv4Addr } from '../wire/inet.js';

/** struct ip_mreqn (an ip_mreq is one without ifindex). */
export interface IpMreqn {
  multiaddr: Ipv4Addr;
  address?: Ipv4Addr;
  ifindex?: number;
}

/** struct ip_mreq_source */
export interface IpMreqSource {
  multiaddr: Ipv4Addr;
  interface: Ipv4Addr;
  sourceaddr: Ipv4Addr;
}

/** struct ip_msfilter */
export interface IpMsfilter {
  multiaddr: Ipv4Addr;
  interface: Ipv4Addr;
  fmode: number;
  slist: Ipv4Addr[];
}

/** struct ip_mc_socklist: one membership of this socket. */
export interface McMembership {
  group: Ipv4Addr;
  /** imr_ifindex as resolved at join time. */
  ifindex: number;
  /** imr_address as given at join time. */
  address: Ipv4Addr;
  sfmode: SfMode;
  /** The socket's source list; null until a source option creates it (an empty list is not the same). */
  sflist: Ipv4Addr[] | null;
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
  /** IP_OPTIONS (inet->inet_opt): compiled by ip_options_get(), put into every datagram sent. */
  ipOpt: IpOptions | null = null;
  /** SO_BINDTODEVICE */
  bindDev = 0;
  /** SO_BROADCAST */
  broadcast = false;
  /** IP_MULTICAST_ALL (default 1: a socket receives groups joined by any socket on the port). */
  mcAll = true;
  /** SO_MARK */
  /** sk_rcvbuf (SO_RCVBUF): raw sockets refuse datagrams and upcalls beyond it. */
  rcvbuf = SYSCTL_RMEM_DEFAULT;
  mark = 0;
  /** SO_REUSEADDR */
  reuseAddr = false;
  /** inet->mc_list, newest first. */
  readonly mcList: McMembership[] = [];
  closed = false;

  constructor(readonly ns: Netns) {}

  /** The TTL a datagram to `dst` leaves with. */
  ttlFor(dst: Ipv4Addr): number {
    if (isMulticast(dst)) return this.mcTtl;
    return this.ttl < 0 ? this.ns.ipv4.sysctl.ip_default_ttl : this.ttl;
  }

  /** ip_mc_find_dev(): the interface a request refers to; fills in m.ifindex as the kernel does. */
  private findDev(m: IpMreqn): InDevice | null {
    if (m.ifindex) return this.ns.devByIndex(m.ifindex)?.inDev ?? null;
    let dev = null;
    if (m.address) {
      for (const x of this.ns.ipv4.allIfaddrs()) if (x.ifa.local === m.address) dev = x.dev;
      if (!dev) return null;
    }
    if (!dev) {
      try {
        dev = ipRouteOutput(this.ns.ipv4, flow({ daddr: m.multiaddr })).dev;
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
      }
    }
    if (!dev) return null;
    m.ifindex = dev.ifindex;
    return dev.inDev ?? null;
  }

  /** The ifindex ip_mc_find_dev() resolves a request to (0 if none). */
  resolveIfindex(req: IpMreqn): number {
    const m = { ...req };
    this.findDev(m);
    return m.ifindex ?? 0;
  }

  private trace(fn: string, m: IpMreqn, result: Errno | 0, extra: Record<string, string | number> = {}): void {
    this.ns.emit(fn, 'call', { group: formatIpv4(m.multiaddr), ifindex: m.ifindex ?? 0, ...extra, result: result ? Errno[result] : 'ok' });
  }

  /** __ip_mc_join_group(): IP_ADD_MEMBERSHIP (EXCLUDE{}) or the implicit join of a source option (INCLUDE). */
  join(req: IpMreqn, mode: SfMode = MCAST_EXCLUDE): void {
    const m = { ...req };
    const err = this.joinErr(m, mode);
    this.trace('ip_mc_join_group', m, err, { mode: mode === MCAST_INCLUDE ? 'INCLUDE' : 'EXCLUDE' });
    if (err) throw new KernelError(err);
  }

  private joinErr(m: IpMreqn, mode: SfMode): Errno | 0 {
    if (!isMulticast(m.multiaddr)) return Errno.EINVAL;
    const inDev = this.findDev(m);
    if (!inDev) return Errno.ENODEV;
    const ifindex = m.ifindex ?? 0;
    if (this.mcList.some((x) => x.group === m.multiaddr && x.ifindex === ifindex)) return Errno.EADDRINUSE;
    if (this.mcList.length >= this.ns.ipv4.sysctl.igmp_max_memberships) return Errno.ENOBUFS;
    this.mcList.unshift({ group: m.multiaddr, ifindex, address: m.address ?? 0, sfmode: mode, sflist: null });
    ipMcIncGroup(inDev, m.multiaddr, mode);
    return 0;
  }

  /** ip_mc_leave_group() */
  leave(req: IpMreqn): void {
    const err = this.leaveErr({ ...req });
    if (err) throw new KernelError(err);
  }

  private leaveErr(m: IpMreqn): Errno | 0 {
    const err = this.leaveGroup(m);
    this.trace('ip_mc_leave_group', m, err);
    return err;
  }

  private leaveGroup(m: IpMreqn): Errno | 0 {
    const inDev = this.findDev(m);
    if (!m.ifindex && !m.address && !inDev) return Errno.ENODEV;
    const i = this.mcList.findIndex((x) => {
      if (x.group !== m.multiaddr) return false;
      if (m.ifindex) return x.ifindex === m.ifindex;
      return !m.address || m.address === x.address;
    });
    if (i < 0) return Errno.EADDRNOTAVAIL;
    const [iml] = this.mcList.splice(i, 1);
    if (inDev) {
      this.leaveSrc(iml!, inDev);
      ipMcDecGroup(inDev, m.multiaddr);
    }
    return 0;
  }

  /** ip_mc_leave_src(): withdraw this socket's contribution to the interface filter. */
  private leaveSrc(iml: McMembership, inDev: InDevice): void {
    ipMcDelSrc(inDev, iml.group, iml.sfmode, iml.sflist ?? [], false);
    iml.sflist = null;
  }

  /** ip_mc_source(): add/remove one source in mode `omode` (IP_{ADD,DROP}_SOURCE_MEMBERSHIP, IP_{UN,}BLOCK_SOURCE, MCAST_*). */
  source(add: boolean, omode: SfMode, mreqs: IpMreqSource, ifindex: number): void {
    const imr: IpMreqn = { multiaddr: mreqs.multiaddr, address: mreqs.interface, ifindex };
    const err = this.sourceErr(add, omode, mreqs, imr);
    this.trace('ip_mc_source', imr, err, { op: add ? 'add' : 'del', mode: omode === MCAST_INCLUDE ? 'INCLUDE' : 'EXCLUDE', source: formatIpv4(mreqs.sourceaddr) });
    if (err) throw new KernelError(err);
  }

  private sourceErr(add: boolean, omode: SfMode, mreqs: IpMreqSource, imr: IpMreqn): Errno | 0 {
    if (!isMulticast(mreqs.multiaddr)) return Errno.EINVAL;
    const inDev = this.findDev(imr);
    if (!inDev) return Errno.ENODEV;
    const pmc = this.mcList.find((x) => x.group === imr.multiaddr && x.ifindex === imr.ifindex);
    if (!pmc) return Errno.EINVAL; // must have a prior join
    if (pmc.sflist) {
      if (pmc.sfmode !== omode) return Errno.EINVAL;
    } else if (pmc.sfmode !== omode) {
      // allow mode switches for empty-set filters
      ipMcAddSrc(inDev, mreqs.multiaddr, omode, [], false);
      ipMcDelSrc(inDev, mreqs.multiaddr, pmc.sfmode, [], false);
      pmc.sfmode = omode;
    }
    const psl = pmc.sflist;
    if (!add) {
      if (!psl) return Errno.EADDRNOTAVAIL;
      const i = psl.indexOf(mreqs.sourceaddr);
      if (i < 0) return Errno.EADDRNOTAVAIL;
      // special case: (INCLUDE, empty) == LEAVE_GROUP
      if (psl.length === 1 && omode === MCAST_INCLUDE) return this.leaveErr(imr);
      ipMcDelSrc(inDev, mreqs.multiaddr, omode, [mreqs.sourceaddr], true);
      psl.splice(i, 1);
      return 0;
    }
    if (psl && psl.length >= this.ns.ipv4.sysctl.igmp_max_msf) return Errno.ENOBUFS;
    pmc.sflist ??= [];
    if (pmc.sflist.includes(mreqs.sourceaddr)) return Errno.EADDRNOTAVAIL;
    pmc.sflist.push(mreqs.sourceaddr);
    ipMcAddSrc(inDev, mreqs.multiaddr, omode, [mreqs.sourceaddr], true);
    return 0;
  }

  /** ip_mc_msfilter(): replace the socket's whole filter for a group (IP_MSFILTER / MCAST_MSFILTER). */
  msfilter(msf: IpMsfilter, ifindex: number): void {
    const imr: IpMreqn = { multiaddr: msf.multiaddr, address: msf.interface, ifindex };
    const err = this.msfilterErr(msf, imr);
    this.trace('ip_mc_msfilter', imr, err, { mode: msf.fmode === MCAST_INCLUDE ? 'INCLUDE' : 'EXCLUDE', sources: msf.slist.map(formatIpv4).join(',') });
    if (err) throw new KernelError(err);
  }

  private msfilterErr(msf: IpMsfilter, imr: IpMreqn): Errno | 0 {
    if (!isMulticast(msf.multiaddr)) return Errno.EINVAL;
    if (msf.fmode !== MCAST_INCLUDE && msf.fmode !== MCAST_EXCLUDE) return Errno.EINVAL;
    const mode = msf.fmode as SfMode;
    const inDev = this.findDev(imr);
    if (!inDev) return Errno.ENODEV;
    // special case: (INCLUDE, empty) == LEAVE_GROUP
    if (mode === MCAST_INCLUDE && msf.slist.length === 0) return this.leaveErr(imr);
    const pmc = this.mcList.find((x) => x.group === msf.multiaddr && x.ifindex === imr.ifindex);
    if (!pmc) return Errno.EINVAL; // must have a prior join
    const newpsl = msf.slist.length ? [...msf.slist] : null;
    ipMcAddSrc(inDev, msf.multiaddr, mode, newpsl ?? [], false);
    ipMcDelSrc(inDev, msf.multiaddr, pmc.sfmode, pmc.sflist ?? [], false);
    pmc.sflist = newpsl;
    pmc.sfmode = mode;
    return 0;
  }

  /** ip_mc_msfget(): the socket's filter for a group (getsockopt IP_MSFILTER). */
  msfget(multiaddr: Ipv4Addr, iface: Ipv4Addr, ifindex: number): IpMsfilter {
    if (!isMulticast(multiaddr)) throw new KernelError(Errno.EINVAL);
    const imr: IpMreqn = { multiaddr, address: iface, ifindex };
    const inDev = this.findDev(imr);
    if (!inDev) throw new KernelError(Errno.ENODEV);
    const pmc = this.mcList.find((x) => x.group === multiaddr && x.ifindex === imr.ifindex);
    if (!pmc) throw new KernelError(Errno.EADDRNOTAVAIL);
    return { multiaddr, interface: iface, fmode: pmc.sfmode, slist: [...(pmc.sflist ?? [])] };
  }

  /** ip_mc_drop_socket(): closing a socket leaves all its groups. */
  dropMemberships(): void {
    for (const iml of this.mcList.splice(0)) {
      const inDev = this.ns.devByIndex(iml.ifindex)?.inDev;
      if (!inDev) continue;
      this.leaveSrc(iml, inDev);
      ipMcDecGroup(inDev, iml.group);
    }
  }

  /** Kept for callers written before source filters (raw.ts): ip_mc_sf_allow without the source address. Pass `src`. */
  mcAllows(group: Ipv4Addr, ifindex: number, src: Ipv4Addr = 0): boolean {
    return this.mcSfAllow(group, src, ifindex);
  }

  /** ip_mc_sf_allow(): does this socket want a datagram to `loc` from `rmt` arriving on `dif`? */
  mcSfAllow(loc: Ipv4Addr, rmt: Ipv4Addr, dif: number): boolean {
    if (!isMulticast(loc)) return true;
    const pmc = this.mcList.find((x) => x.group === loc && x.ifindex === dif);
    let ret: boolean;
    let reason: string;
    if (!pmc) {
      ret = this.mcAll;
      reason = ret ? 'not joined here, IP_MULTICAST_ALL' : 'not joined here';
    } else if (!pmc.sflist) {
      ret = pmc.sfmode === MCAST_EXCLUDE;
      reason = ret ? 'any-source join' : 'INCLUDE with no sources';
    } else {
      const listed = pmc.sflist.includes(rmt);
      ret = pmc.sfmode === MCAST_INCLUDE ? listed : !listed;
      reason = `${pmc.sfmode === MCAST_INCLUDE ? 'INCLUDE' : 'EXCLUDE'} ${listed ? 'lists' : 'does not list'} the source`;
    }
    this.ns.emit('ip_mc_sf_allow', 'lookup', { group: formatIpv4(loc), source: formatIpv4(rmt), ifindex: dif, decision: ret ? 'allow' : 'deny', reason });
    return ret;
  }
}
