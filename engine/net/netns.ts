// struct net: one network namespace, which is one node of a lab (a host or a router).

import type { Network } from './network.js';
import type { NetDevice } from './netdevice.js';
import { NotifierChain } from './notifier.js';
import { Ipv4Netns } from '../ipv4/ipv4-netns.js';
import { ipMcRejoinGroups } from '../ipv4/igmp.js';
import type { Payload, TraceKind } from '../sim/trace.js';

export type NodeRole = 'host' | 'router' | 'bridge';

export type NetdevEventName =
  | 'NETDEV_REGISTER'
  | 'NETDEV_UP'
  | 'NETDEV_GOING_DOWN'
  | 'NETDEV_DOWN'
  | 'NETDEV_CHANGE'
  | 'NETDEV_CHANGENAME'
  | 'NETDEV_CHANGEMTU'
  | 'NETDEV_CHANGEADDR'
  | 'NETDEV_UNREGISTER'
  | 'NETDEV_NOTIFY_PEERS'
  | 'NETDEV_RESEND_IGMP';

export interface NetdevEvent {
  event: NetdevEventName;
  dev: NetDevice;
}

export class Netns {
  /** Devices by ifindex; ifindexes are per namespace (dev_index_reserve), lo is 1. */
  readonly devices = new Map<number, NetDevice>();
  private ifindexNext = 1;
  /** netdev_chain: fib, igmp and ipmr subscribe here. */
  readonly netdevChain = new NotifierChain<NetdevEvent>();
  /** peernet2id(): ids this namespace gives other namespaces, allocated on first use from 0. */
  private readonly nsids = new Map<Netns, number>();
  readonly ipv4: Ipv4Netns;

  constructor(
    readonly net: Network,
    readonly name: string,
    readonly role: NodeRole,
  ) {
    this.ipv4 = new Ipv4Netns(this);
    // igmp_notifier (igmp.c): its own block on netdev_chain, which only acts on NETDEV_RESEND_IGMP.
    this.netdevChain.register(igmpNetdevEvent);
  }

  /**
   * netdev_notify_peers(): what bonding/team failover and virtual NIC drivers (virtio_net announce,
   * netvsc, xen-netfront, ibmvnic reset) call after the path to the switch changed: gratuitous ARP
   * (NETDEV_NOTIFY_PEERS) and an immediate IGMP report for every group (NETDEV_RESEND_IGMP). None of
   * the model's device kinds (veth, lo, pimreg) has such a driver, so nothing inside the engine calls
   * this: it is the hook for a lab step or a test that simulates a failover.
   */
  netdevNotifyPeers(dev: NetDevice): void {
    for (const event of ['NETDEV_NOTIFY_PEERS', 'NETDEV_RESEND_IGMP'] as const) {
      this.emit('call_netdevice_notifiers', 'state', { event, dev: dev.name, ifindex: dev.ifindex });
      this.netdevChain.call({ event, dev });
    }
  }

  get sim() {
    return this.net.sim;
  }

  devByName(name: string): NetDevice | undefined {
    for (const d of this.devices.values()) if (d.name === name) return d;
    return undefined;
  }

  devByIndex(ifindex: number): NetDevice | undefined {
    return this.devices.get(ifindex);
  }

  /** Devices in ifindex order, the order `ip link show` dumps them. */
  deviceList(): NetDevice[] {
    return [...this.devices.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  allocIfindex(): number {
    while (this.devices.has(this.ifindexNext)) this.ifindexNext++;
    return this.ifindexNext++;
  }

  peernet2id(other: Netns): number {
    let id = this.nsids.get(other);
    if (id === undefined) {
      id = this.nsids.size;
      this.nsids.set(other, id);
    }
    return id;
  }

  /** Emits a trace event attributed to this node. */
  emit(fn: string, kind: TraceKind, data: Payload = {}, pkt: number | null = null): number {
    return this.net.sim.trace.emit(this.name, fn, kind, data, pkt);
  }
}

/** igmp_netdev_event(): NETDEV_RESEND_IGMP → ip_mc_rejoin_groups() on the device's in_device, if it has one. */
function igmpNetdevEvent({ event, dev }: NetdevEvent): void {
  if (event === 'NETDEV_RESEND_IGMP' && dev.inDev) ipMcRejoinGroups(dev.inDev);
}
