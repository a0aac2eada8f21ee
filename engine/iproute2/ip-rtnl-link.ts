// The kernel side of `ip link`: what rtnl_fill_ifinfo() reports about a device (the RTM_NEWLINK message
// iproute2 prints from) and the attribute handling of do_setlink(), rtnl_newlink() and rtnl_dellink().
// Device operations themselves are net/dev.ts; this file adds rtnetlink's order, checks and extack texts.

import { devClose, devChangeName, devOpen, devSetMac, devSetMtu, devSetUserAllmulti, registerNetdevice, unregisterNetdevice, validIfname } from '../net/dev.js';
import { Errno, KernelError } from '../net/errno.js';
import { IFF_ALLMULTI, IFF_AUTOMEDIA, IFF_DEBUG, IFF_DYNAMIC, IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS, IFF_PORTSEL, IFF_PROMISC, IFF_UP } from '../net/if-flags.js';
import type { DeviceKind, DeviceStats, NetDevice, Operstate } from '../net/netdevice.js';
import type { Netns } from '../net/netns.js';
import { ARPHRD_ETHER, ARPHRD_LOOPBACK, ARPHRD_PIMREG } from './ip-names.js';

/** struct rtnl_link_stats64, with the counters the model keeps and the rest at 0. */
export interface LinkStats64 extends DeviceStats {
  collisions: number;
  rx_length_errors: number;
  rx_over_errors: number;
  rx_crc_errors: number;
  rx_frame_errors: number;
  rx_fifo_errors: number;
  rx_missed_errors: number;
  tx_aborted_errors: number;
  tx_carrier_errors: number;
  tx_fifo_errors: number;
  tx_heartbeat_errors: number;
  tx_window_errors: number;
  rx_compressed: number;
  tx_compressed: number;
  rx_nohandler: number;
  rx_otherhost_dropped: number;
}

/** RTM_NEWLINK as rtnl_fill_ifinfo() builds it, for one requesting namespace. */
export interface LinkMsg {
  ifindex: number;
  /** ifi_type (ARPHRD_*). */
  type: number;
  /** ifi_flags = dev_get_flags(). */
  flags: number;
  ifname: string;
  mtu: number;
  qdisc: string;
  operstate: Operstate;
  linkmode: number;
  group: number;
  txqlen: number;
  address: Uint8Array;
  broadcast: Uint8Array;
  /** IFLA_LINK: present when dev_get_iflink() differs from the ifindex (a veth's peer index). */
  iflink: number | null;
  /** IFLA_LINK_NETNSID: the peer's namespace as this namespace numbers it, when it is another one. */
  linkNetnsid: number | null;
  /** Not an attribute: the namespace behind linkNetnsid, for iproute2's nsid → name lookup. */
  linkNet: Netns | null;
  promiscuity: number;
  allmulti: number;
  minMtu: number;
  maxMtu: number;
  /** IFLA_AF_SPEC has an AF_INET6 part: the device has an inet6_dev (IPv6 compiled in, even if disabled). */
  inet6: boolean;
  /** IFLA_INFO_KIND; loopback has no rtnl_link_ops. */
  kind: string | null;
  numTxQueues: number;
  numRxQueues: number;
  gsoMaxSize: number;
  gsoMaxSegs: number;
  tsoMaxSize: number;
  tsoMaxSegs: number;
  groMaxSize: number;
  stats: LinkStats64;
  carrierChanges: number;
}

/**
 * The model machine's num_possible_cpus(): a veth gets that many queues (veth_get_num_queues).
 * The real value depends on the host, so the oracle normalises it.
 */
export const MODEL_POSSIBLE_CPUS = 2;

const GSO_MAX_SIZE = 524280;
const GSO_LEGACY_MAX_SIZE = 65536;
const GSO_MAX_SEGS = 65535;

/** dev->min_mtu / dev->max_mtu per driver (max 0 = no upper check): ether_setup's 68..65535 for veth. */
export function mtuBounds(kind: DeviceKind): { min: number; max: number } {
  return kind === 'veth' ? { min: 68, max: 65535 } : { min: 0, max: 0 };
}

/** rtnl_fill_ifinfo() for a dump requested from `requester` (peernet2id is relative to it). */
export function rtnlFillIfinfo(dev: NetDevice, requester: Netns): LinkMsg {
  const peer = dev.kind === 'veth' ? dev.peer : null;
  // reg_vif_get_iflink() answers 0: pimreg shows as pimreg@NONE.
  const iflink = dev.kind === 'veth' ? (peer?.dev.ifindex ?? 0) : dev.kind === 'pimreg' ? 0 : dev.ifindex;
  const otherNet = peer && peer.ns !== dev.ns ? peer.ns : null;
  const { min, max } = mtuBounds(dev.kind);
  const s = dev.stats;
  const queues = dev.kind === 'veth' ? MODEL_POSSIBLE_CPUS : 1;
  return {
    ifindex: dev.ifindex,
    type: dev.kind === 'loopback' ? ARPHRD_LOOPBACK : dev.kind === 'pimreg' ? ARPHRD_PIMREG : ARPHRD_ETHER,
    flags: dev.userFlags(),
    ifname: dev.name,
    mtu: dev.mtu,
    qdisc: dev.qdisc(),
    operstate: dev.operstate(),
    linkmode: 0,
    group: dev.group,
    txqlen: dev.txqlen,
    address: dev.mac,
    broadcast: dev.broadcast,
    // Omitted when it names the device itself — unless it is an index in the peer's namespace (observed: e0@if2 on ifindex 2).
    iflink: iflink === dev.ifindex && !otherNet ? null : iflink,
    linkNetnsid: otherNet ? requester.peernet2id(otherNet) : null,
    linkNet: otherNet,
    promiscuity: dev.promiscuity,
    allmulti: dev.allmulti,
    minMtu: min,
    maxMtu: max,
    // addrconf drops the inet6_dev of a device whose MTU falls below IPV6_MIN_MTU (1280) and creates it
    // again when the MTU is raised; loopback keeps its own.
    inet6: dev.kind === 'loopback' || dev.mtu >= 1280,
    // No rtnl_link_ops (no IFLA_LINKINFO) for lo and pimreg.
    kind: dev.kind === 'loopback' || dev.kind === 'pimreg' ? null : dev.kind,
    numTxQueues: queues,
    numRxQueues: queues,
    gsoMaxSize: GSO_LEGACY_MAX_SIZE,
    gsoMaxSegs: GSO_MAX_SEGS,
    // loopback_setup() and veth_setup() raise the TSO limit (netif_set_tso_max_size); dummy does not.
    tsoMaxSize: dev.kind === 'dummy' || dev.kind === 'pimreg' ? GSO_LEGACY_MAX_SIZE : GSO_MAX_SIZE,
    tsoMaxSegs: GSO_MAX_SEGS,
    groMaxSize: GSO_LEGACY_MAX_SIZE,
    stats: {
      rx_packets: s.rx_packets,
      tx_packets: s.tx_packets,
      rx_bytes: s.rx_bytes,
      tx_bytes: s.tx_bytes,
      rx_errors: s.rx_errors,
      tx_errors: s.tx_errors,
      rx_dropped: s.rx_dropped,
      tx_dropped: s.tx_dropped,
      multicast: s.multicast,
      collisions: 0,
      rx_length_errors: 0,
      rx_over_errors: 0,
      rx_crc_errors: 0,
      rx_frame_errors: 0,
      rx_fifo_errors: 0,
      rx_missed_errors: 0,
      tx_aborted_errors: 0,
      tx_carrier_errors: 0,
      tx_fifo_errors: 0,
      tx_heartbeat_errors: 0,
      tx_window_errors: 0,
      rx_compressed: 0,
      tx_compressed: 0,
      rx_nohandler: 0,
      rx_otherhost_dropped: 0,
    },
    carrierChanges: dev.carrierChanges,
  };
}

/** The attributes of an RTM_NEWLINK request iproute2 builds (iplink_parse). */
export interface LinkReq {
  /** ifi_flags / ifi_change */
  flags: number;
  change: number;
  ifname?: string;
  address?: Uint8Array;
  mtu?: number;
  txqlen?: number;
  group?: number;
}

/** dev_validate_mtu() */
function validateMtu(kind: DeviceKind, mtu: number): void {
  const { min, max } = mtuBounds(kind);
  if (mtu < 0 || mtu < min) throw new KernelError(Errno.EINVAL, 'mtu less than device minimum');
  if (max > 0 && mtu > max) throw new KernelError(Errno.EINVAL, 'mtu greater than device maximum');
}

/** Engine errors carry descriptive texts; rtnetlink only sends the errno for these paths. */
function plain<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KernelError) throw new KernelError(e.errno);
    throw e;
  }
}

/** do_setlink(): attributes in the kernel's order; an error stops there, earlier changes stay. */
export function rtnlSetLink(dev: NetDevice, req: LinkReq): void {
  if (req.address) {
    const mac = req.address;
    plain(() => devSetMac(dev, mac));
  }
  if (req.mtu !== undefined && req.mtu !== dev.mtu) {
    validateMtu(dev.kind, req.mtu);
    const mtu = req.mtu;
    plain(() => devSetMtu(dev, mtu));
  }
  if (req.group !== undefined) dev.group = req.group;
  if (req.ifname !== undefined) {
    const name = req.ifname;
    plain(() => devChangeName(dev, name));
  }
  if (req.flags || req.change) devChangeFlags(dev, combineFlags(dev, req));
  if (req.txqlen !== undefined) dev.txqlen = req.txqlen >>> 0;
}

/** rtnl_dev_combine_flags(): ifi_change == 0 means "all flags as given". */
function combineFlags(dev: NetDevice, req: LinkReq): number {
  if (!req.change) return req.flags;
  const cur = (dev.flags & ~(IFF_PROMISC | IFF_ALLMULTI)) | (dev.gflags & (IFF_PROMISC | IFF_ALLMULTI));
  return (req.flags & req.change) | (cur & ~req.change);
}

const SIMPLE_FLAGS = IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC | IFF_MULTICAST | IFF_PORTSEL | IFF_AUTOMEDIA;

/** __dev_change_flags(): plain flags first, then up/down, then promiscuity and allmulti. */
function devChangeFlags(dev: NetDevice, flags: number): void {
  const old = dev.flags;
  dev.flags = (flags & SIMPLE_FLAGS) | (dev.flags & ~SIMPLE_FLAGS);
  if ((old ^ dev.flags) & SIMPLE_FLAGS) dev.ns.emit('dev_change_flags', 'state', { dev: dev.name, flags: dev.flags });
  if ((old ^ flags) & IFF_UP) {
    if (old & IFF_UP) devClose(dev);
    else devOpen(dev);
  }
  if ((flags ^ dev.gflags) & IFF_PROMISC) {
    dev.gflags ^= IFF_PROMISC;
    dev.promiscuity = Math.max(0, dev.promiscuity + (flags & IFF_PROMISC ? 1 : -1));
    dev.ns.emit('dev_set_promiscuity', 'state', { dev: dev.name, promiscuity: dev.promiscuity });
  }
  if ((flags ^ dev.gflags) & IFF_ALLMULTI) devSetUserAllmulti(dev, (flags & IFF_ALLMULTI) !== 0);
}

/** dev_alloc_name("veth%d"): the first free number in the namespace. */
function allocName(ns: Netns, pattern: string): string {
  for (let i = 0; ; i++) {
    const name = pattern.replace('%d', String(i));
    if (!ns.devByName(name)) return name;
  }
}

export interface NewLinkReq extends LinkReq {
  kind: string;
  /** veth only: VETH_INFO_PEER and the namespace the peer goes to. */
  peer?: LinkReq & { ns: Netns };
}

/**
 * rtnl_newlink() for the kinds the workbench has (veth, dummy): the device goes to `ns`; a veth peer
 * without its own `netns` stays in `src`, the namespace the request came from.
 */
export function rtnlNewLink(ns: Netns, req: NewLinkReq, src: Netns = ns): NetDevice {
  // ifla_policy: IFLA_IFNAME holds at most IFNAMSIZ - 1 characters.
  if ((req.ifname?.length ?? 0) > 15 || (req.peer?.ifname?.length ?? 0) > 15) throw new KernelError(Errno.EINVAL, 'Attribute failed policy validation');
  if (req.kind !== 'veth' && req.kind !== 'dummy') throw new KernelError(Errno.EOPNOTSUPP, 'Unknown device type');
  if (req.ifname !== undefined && ns.devByName(req.ifname)) throw new KernelError(Errno.EEXIST);
  if (req.ifname !== undefined && !validIfname(req.ifname)) throw new KernelError(Errno.EINVAL);
  let dev: NetDevice;
  if (req.kind === 'dummy') {
    if (req.mtu !== undefined) plain(() => validateMtu('dummy', req.mtu!));
    dev = plain(() => registerNetdevice(ns, req.ifname ?? allocName(ns, 'dummy%d'), 'dummy', { mac: req.address, mtu: req.mtu }));
  } else {
    const p = req.peer ?? { flags: 0, change: 0, ns: src };
    // The peer is created (and named) first, in its namespace.
    const peerName = p.ifname ?? allocName(p.ns, 'veth%d');
    if (p.ifname !== undefined && !validIfname(p.ifname)) throw new KernelError(Errno.EINVAL);
    if (p.ns.devByName(peerName) || (p.ns === ns && peerName === req.ifname)) throw new KernelError(Errno.EEXIST);
    // rtnl_create_link() validates the MTU but the error reaches userspace without its message (observed).
    if (p.mtu !== undefined) plain(() => validateMtu('veth', p.mtu!));
    if (req.mtu !== undefined) plain(() => validateMtu('veth', req.mtu!));
    const name = req.ifname ?? (p.ns === ns ? allocNameExcept(ns, 'veth%d', peerName) : allocName(ns, 'veth%d'));
    [dev] = plain(() => ns.net.addVethPair(ns, name, p.ns, peerName, { aMac: req.address, bMac: p.address }));
    const peerDev = dev.peer!.dev;
    // rtnl_create_link() applies MTU, txqlen and group before registration; nothing is up yet, so
    // setting them right after is equivalent.
    if (p.mtu !== undefined) plain(() => devSetMtu(peerDev, p.mtu!));
    if (p.txqlen !== undefined) peerDev.txqlen = p.txqlen >>> 0;
    if (p.group !== undefined) peerDev.group = p.group;
    if (p.flags || p.change) devChangeFlags(peerDev, combineFlags(peerDev, p));
  }
  if (req.mtu !== undefined) plain(() => devSetMtu(dev, req.mtu!));
  if (req.txqlen !== undefined) dev.txqlen = req.txqlen >>> 0;
  if (req.group !== undefined) dev.group = req.group;
  // rtnl_configure_link(): `ip link add ... up`
  if (req.flags || req.change) devChangeFlags(dev, combineFlags(dev, req));
  return dev;
}

function allocNameExcept(ns: Netns, pattern: string, taken: string): string {
  for (let i = 0; ; i++) {
    const name = pattern.replace('%d', String(i));
    if (name !== taken && !ns.devByName(name)) return name;
  }
}

/** rtnl_dellink(): loopback has no dellink operation. */
export function rtnlDelLink(dev: NetDevice): void {
  // lo and pimreg have no rtnl_link_ops: rtnl_dellink() answers EOPNOTSUPP.
  if (dev.kind === 'loopback' || dev.kind === 'pimreg') throw new KernelError(Errno.EOPNOTSUPP);
  plain(() => unregisterNetdevice(dev));
}
