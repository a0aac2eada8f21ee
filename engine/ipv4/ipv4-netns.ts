// struct netns_ipv4: a namespace's IPv4 state — per-device in_device, devconf all/default, FIB tables,
// namespace-wide sysctls — and the order in which its subsystems react to device events
// (devinet's inetdev_event before fib_netdev_event, as they register at boot).

import { Errno, KernelError } from '../net/errno.js';
import { IFF_LOOPBACK } from '../net/if-flags.js';
import { ipMcDestroyDev, ipMcDown, ipMcUp } from './igmp.js';
import { igmpRcv } from './igmp-rcv.js';
import { IPPROTO_IGMP } from '../wire/ipv4.js';
import type { NetDevice } from '../net/netdevice.js';
import type { NetdevEvent, Netns } from '../net/netns.js';
import { NotifierChain } from '../net/notifier.js';
import type { SkBuff } from '../net/skbuff.js';
import { DevConf } from './devconf.js';
import { InDevice, RT_SCOPE_HOST, inetDelIfa, inetdevChangename, inetInsertIfa, newIfaddr, type InIfaddr, type InetaddrEvent } from './devinet.js';
import { FibTable } from './fib-table.js';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN, type RouteType } from './fib-types.js';
import { protocolInits } from './protocol-inits.js';
import { fibAddIfaddr, fibDelIfaddr, fibSyncDownDev, fibSyncLinkdown, fibSyncUp } from './fib_frontend.js';
import { fibDefaultRules, type FibRule } from './fib_rules.js';
import { ipRcv } from './ip_input.js';
import { UdpTable } from './udp.js';
import type { IcmpMessage } from '../wire/icmp.js';
import { isLbcast, isMulticast, isZeronet, type Ipv4Addr } from '../wire/inet.js';
import type { InputSkb, IpInfo } from './ip_input.js';
import type { Rtable } from './route.js';

/** Namespace-wide net.ipv4.* integers (not per device), with Linux 6.18 defaults. */
export interface Ipv4Sysctls {
  ip_default_ttl: number;
  icmp_echo_ignore_all: number;
  icmp_echo_ignore_broadcasts: number;
  icmp_errors_use_inbound_ifaddr: number;
  igmp_max_memberships: number;
  igmp_max_msf: number;
  igmp_qrv: number;
  igmp_link_local_mcast_reports: number;
  fib_multipath_hash_policy: number;
  fib_multipath_hash_fields: number;
  fib_multipath_use_neigh: number;
  ip_nonlocal_bind: number;
  ip_forward_use_pmtu: number;
  ip_no_pmtu_disc: number;
  fwmark_reflect: number;
  icmp_ratelimit: number;
  icmp_ratemask: number;
}

export class Ipv4Netns {
  readonly devconfAll = DevConf.forAll();
  readonly devconfDefault = new DevConf();
  readonly sysctl: Ipv4Sysctls = {
    ip_default_ttl: 64,
    icmp_echo_ignore_all: 0,
    icmp_echo_ignore_broadcasts: 1,
    icmp_errors_use_inbound_ifaddr: 0,
    igmp_max_memberships: 20,
    igmp_max_msf: 10,
    igmp_qrv: 2,
    igmp_link_local_mcast_reports: 1,
    fib_multipath_hash_policy: 0,
    fib_multipath_hash_fields: 7,
    fib_multipath_use_neigh: 0,
    ip_nonlocal_bind: 0,
    ip_forward_use_pmtu: 0,
    ip_no_pmtu_disc: 0,
    fwmark_reflect: 0,
    icmp_ratelimit: 1000,
    icmp_ratemask: 6168,
  };
  readonly tables = new Map<number, FibTable>();
  /** The IPv4 policy rules (fib_rules_ops.rules_list), sorted by pref. */
  readonly fibRules: FibRule[] = fibDefaultRules();
  /** fib_has_custom_rules: set by the first rule add/delete, never cleared (local/main unmerged from then on). */
  fibHasCustomRules = false;
  /** fib_has_custom_local_routes: a `local` route was added by a user (fib_validate_source's fast path). */
  fibHasCustomLocalRoutes = false;
  /** net.ipv4.fib_multipath_hash_seed (0 = the boot-wide random seed, modelled as the lab's PRNG draw). */
  fibMultipathHashSeed = 0;
  readonly inetaddrChain = new NotifierChain<InetaddrEvent>();
  readonly udp = new UdpTable();
  private readonly inDevs = new Map<NetDevice, InDevice>();
  /** ip_idents: the IP id counter for datagrams this namespace builds. */
  ipId = 0;
  /** inet_peer rate-limit state of icmp_send, by destination. */
  readonly icmpPeers = new Map<Ipv4Addr, { tokens: number; last: number }>();
  /** Receivers of ICMP echo replies and errors (ping sockets, UDP error queues). */
  readonly icmpListeners: Array<(msg: IcmpMessage, info: IpInfo, skb: InputSkb) => void> = [];
  /** Local protocol handlers registered by later subsystems (IGMP, PIM). */
  readonly protocolHandlers = new Map<number, (skb: InputSkb, info: IpInfo, rt: Rtable) => void>();
  /** raw_local_deliver(): raw sockets see a copy first; returns true if one took it. Set by the socket layer. */
  rawDeliver: ((skb: InputSkb, info: IpInfo) => boolean) | null = null;
  /** ip_mr_input(): set when ipmr is initialised in this namespace. */
  mrInput: ((skb: InputSkb, info: IpInfo, rt: Rtable) => void) | null = null;
  /** ipv4_link_failure(): a neighbour never answered. */
  onLinkFailure: ((skb: SkBuff) => void) | null = null;

  constructor(readonly ns: Netns) {
    // A fresh namespace has no local or default table: fib_new_table() creates a table with its first
    // route (`ip route show table local` fails until then, observed). main answers empty from the start.
    this.tables.set(RT_TABLE_MAIN, new FibTable(RT_TABLE_MAIN));
    ns.netdevChain.register((ev) => this.netdevEvent(ev));
    this.protocolHandlers.set(IPPROTO_IGMP, (skb, info, rt) => igmpRcv(this, skb, info, rt));
    for (const init of protocolInits) init(this);
    this.inetaddrChain.register((ev) => this.inetaddrEvent(ev));
  }

  /** net.ipv4.ip_forward is conf/all/forwarding (devinet_sysctl_forward). */
  get ipForward(): number {
    return this.devconfAll.values.forwarding;
  }

  fibTable(id: number, create: boolean): FibTable | undefined {
    let t = this.tables.get(id);
    if (!t && create) {
      t = new FibTable(id);
      this.tables.set(id, t);
    }
    return t;
  }

  inDev(dev: NetDevice): InDevice | undefined {
    return this.inDevs.get(dev);
  }

  /** inetdev_init() on NETDEV_REGISTER (called directly so the in_device exists before any notifier). */
  onRegister(dev: NetDevice): void {
    const inDev = new InDevice(dev, this.devconfDefault);
    this.inDevs.set(dev, inDev);
    dev.inDev = inDev;
  }

  /** inetdev_destroy() */
  onUnregister(dev: NetDevice): void {
    const inDev = this.inDevs.get(dev);
    if (!inDev) return;
    while (inDev.ifaList.length > 0) this.delAddress(dev, inDev.ifaList[inDev.ifaList.length - 1]!);
    this.inDevs.delete(dev);
  }

  addAddress(dev: NetDevice, ifa: InIfaddr): void {
    const inDev = this.inDevs.get(dev);
    if (!inDev) throw new KernelError(Errno.ENODEV);
    inetInsertIfa(inDev, ifa, (ev) => this.inetaddrChain.call(ev));
  }

  delAddress(dev: NetDevice, ifa: InIfaddr): void {
    const inDev = this.inDevs.get(dev);
    if (!inDev) throw new KernelError(Errno.ENODEV);
    inetDelIfa(inDev, ifa, (ev) => this.inetaddrChain.call(ev), false);
  }

  /** All addresses of the namespace, for source selection and "is this address mine". */
  *allIfaddrs(): Generator<{ dev: NetDevice; ifa: InIfaddr }> {
    for (const dev of this.ns.deviceList()) {
      const inDev = this.inDevs.get(dev);
      if (inDev) for (const ifa of inDev.ifaList) yield { dev, ifa };
    }
  }

  /** inet_addr_type() == RTN_LOCAL: is `addr` one of this namespace's addresses? */
  isLocalAddress(addr: Ipv4Addr): boolean {
    for (const { ifa } of this.allIfaddrs()) if (ifa.local === addr) return true;
    return false;
  }

  /** inet_addr_type(): what `addr` is to this namespace, by the local table (unicast when it has no entry). */
  inetAddrType(addr: Ipv4Addr): RouteType {
    if (isZeronet(addr) || isLbcast(addr)) return 'broadcast';
    if (isMulticast(addr)) return 'multicast';
    for (const list of this.tables.get(RT_TABLE_LOCAL)?.candidates(addr) ?? []) return list[0]!.type;
    return 'unicast';
  }

  ipRcv(skb: SkBuff): void {
    ipRcv(this, skb);
  }

  private netdevEvent({ event, dev }: NetdevEvent): void {
    const inDev = this.inDevs.get(dev);
    if (!inDev) return;
    // devinet: inetdev_event()
    if (event === 'NETDEV_UP' && dev.flags & IFF_LOOPBACK && !inDev.ifaList.some((i) => i.local === 0x7f000001)) {
      this.addAddress(dev, newIfaddr(0x7f000001, 8, dev.name, { scope: RT_SCOPE_HOST }));
    }
    if (event === 'NETDEV_CHANGENAME') inetdevChangename(inDev);
    // ip_mc_up/ip_mc_down run for every device, IFF_MULTICAST or not (lo is in 224.0.0.1, observed).
    if (event === 'NETDEV_UP') ipMcUp(inDev);
    else if (event === 'NETDEV_DOWN') ipMcDown(inDev);
    // inetdev_event(NETDEV_UNREGISTER) → inetdev_destroy() → ip_mc_destroy_dev()
    else if (event === 'NETDEV_UNREGISTER') ipMcDestroyDev(inDev);
    // fib: fib_netdev_event()
    switch (event) {
      case 'NETDEV_UP':
        for (const ifa of inDev.ifaList) fibAddIfaddr(this, ifa, dev);
        fibSyncUp(this, dev);
        break;
      case 'NETDEV_DOWN':
        fibSyncDownDev(this, dev, false);
        break;
      case 'NETDEV_UNREGISTER':
        fibSyncDownDev(this, dev, true);
        break;
      case 'NETDEV_CHANGE':
        fibSyncLinkdown(this, dev);
        break;
      default:
        break;
    }
  }

  /** fib_inetaddr_event() */
  private inetaddrEvent({ event, ifa, dev }: InetaddrEvent): void {
    if (event === 'NETDEV_UP') fibAddIfaddr(this, ifa, dev);
    else {
      fibDelIfaddr(this, ifa, dev);
      // Last address gone: fib_disable_ip() flushes the routes through the device.
      if (this.inDevs.get(dev)?.ifaList.length === 0) fibSyncDownDev(this, dev, true);
    }
  }
}
