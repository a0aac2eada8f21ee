// struct net_device: what a device is. Operations on it (open, close, allmulti, multicast lists,
// carrier, unregister) live in dev.ts, as in net/core/dev.c.

import { IFF_ALLMULTI, IFF_DORMANT, IFF_LOWER_UP, IFF_PROMISC, IFF_RUNNING, IFF_UP } from './if-flags.js';
import type { Netns } from './netns.js';
import type { InDevice } from '../ipv4/devinet.js';
import type { Segment } from './segment.js';

/** 'pimreg': ipmr's register VIF device (reg_vif_setup), created by MRT_ADD_VIF with VIFF_REGISTER. */
export type DeviceKind = 'loopback' | 'dummy' | 'veth' | 'pimreg';

/** RFC 2863 operational states the workbench's devices reach (IF_OPER_*). */
export type Operstate = 'UNKNOWN' | 'DOWN' | 'LOWERLAYERDOWN' | 'UP';

export interface DeviceStats {
  rx_packets: number;
  tx_packets: number;
  rx_bytes: number;
  tx_bytes: number;
  rx_errors: number;
  tx_errors: number;
  rx_dropped: number;
  tx_dropped: number;
  multicast: number;
}

export function emptyStats(): DeviceStats {
  return { rx_packets: 0, tx_packets: 0, rx_bytes: 0, tx_bytes: 0, rx_errors: 0, tx_errors: 0, rx_dropped: 0, tx_dropped: 0, multicast: 0 };
}

/** Where a device's frames go: its veth peer (possibly a port of a LAN segment), or nowhere. */
export interface VethPeer {
  ns: Netns;
  dev: NetDevice;
}

export class NetDevice {
  /** dev->flags as set by the administrator and the driver (IFF_UP, IFF_BROADCAST, ...). */
  flags: number;
  /** dev->gflags: PROMISC/ALLMULTI requested by userspace (`ip link set allmulticast on`). */
  gflags = 0;
  /** dev->allmulti: reference count of dev_set_allmulti() callers (ipmr per VIF, userspace once). */
  allmulti = 0;
  promiscuity = 0;
  /** netif_carrier_ok() */
  carrier: boolean;
  mtu: number;
  mac: Uint8Array;
  broadcast: Uint8Array;
  txqlen: number;
  group = 0;
  /** Hardware multicast filter (dev->mc): MAC (hex with colons) → reference count. */
  readonly mc = new Map<string, number>();
  readonly stats: DeviceStats = emptyStats();
  /** veth peer; for a LAN segment the peer is a port of the segment's bridge. */
  peer: VethPeer | null = null;
  /** Set on a segment's own ports (the bridge side), never on a node's device. */
  segment: Segment | null = null;
  /** The IPv4 side of the device (struct in_device), created when the device registers. */
  inDev!: InDevice;
  /** dev->operstate as linkwatch last set it (rfc2863_policy); devices that never lose carrier stay UNKNOWN. */
  linkOperstate: Operstate = 'UNKNOWN';
  /** carrier_up_count + carrier_down_count (IFLA_CARRIER_CHANGES, `ip -s -s link` "transns"). */
  carrierChanges = 0;
  /** True once the device has been opened at least once (a qdisc is attached). */
  everUp = false;
  registered = true;

  constructor(
    readonly ns: Netns,
    readonly ifindex: number,
    public name: string,
    readonly kind: DeviceKind,
    init: { flags: number; mtu: number; mac: Uint8Array; broadcast: Uint8Array; txqlen: number; carrier: boolean },
  ) {
    this.flags = init.flags;
    this.mtu = init.mtu;
    this.mac = init.mac;
    this.broadcast = init.broadcast;
    this.txqlen = init.txqlen;
    this.carrier = init.carrier;
  }

  get isUp(): boolean {
    return (this.flags & IFF_UP) !== 0;
  }

  /** netif_running() && netif_carrier_ok(): frames can flow. */
  get operational(): boolean {
    return this.isUp && this.carrier;
  }

  /** dev_get_flags(): the flags userspace sees. ALLMULTI shows only when userspace asked for it. */
  userFlags(): number {
    let f = (this.flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT)) | (this.gflags & (IFF_PROMISC | IFF_ALLMULTI));
    if (this.isUp && this.carrier) f |= IFF_RUNNING | IFF_LOWER_UP;
    return f >>> 0;
  }

  /** The kernel's view: does the NIC accept frames for every multicast group? */
  get acceptsAllMulticast(): boolean {
    return this.allmulti > 0 || this.promiscuity > 0;
  }

  /** IFLA_OPERSTATE: DOWN while not running, else what linkwatch last computed. */
  operstate(): Operstate {
    return this.isUp ? this.linkOperstate : 'DOWN';
  }

  /** Qdisc iproute2 shows: noop until first opened; these virtual devices then get noqueue. */
  qdisc(): 'noop' | 'noqueue' {
    return this.everUp ? 'noqueue' : 'noop';
  }
}
