// net/core/dev.c: creating, opening, closing and deleting devices; allmulti and multicast lists; carrier.
// Each state change is a trace event and a call of the netdevice notifier chain.

import { formatMac } from '../wire/inet.js';
import { IFF_ALLMULTI, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_NOARP, IFF_UP } from './if-flags.js';
import { NetDevice, type DeviceKind, type Operstate } from './netdevice.js';
import type { NetdevEventName, Netns } from './netns.js';
import { Errno, KernelError } from './errno.js';

export const IFNAMSIZ = 16;

export function validIfname(name: string): boolean {
  // dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or whitespace.
  return name.length > 0 && name.length < IFNAMSIZ && name !== '.' && name !== '..' && !/[/:\s]/.test(name);
}

/** eth_hw_addr_random(): a random, locally administered unicast MAC from the run's PRNG. */
export function randomMac(ns: Netns): Uint8Array {
  const mac = new Uint8Array(6);
  for (let i = 0; i < 6; i++) mac[i] = ns.sim.rng.below(256);
  mac[0] = (mac[0]! & 0xfe) | 0x02;
  return mac;
}

function notify(ns: Netns, event: NetdevEventName, dev: NetDevice): void {
  ns.emit(`call_netdevice_notifiers`, 'state', { event, dev: dev.name, ifindex: dev.ifindex });
  ns.netdevChain.call({ event, dev });
}

/** register_netdevice() for the device kinds the workbench has. */
export function registerNetdevice(ns: Netns, name: string, kind: DeviceKind, opts: { mac?: Uint8Array; mtu?: number } = {}): NetDevice {
  if (!validIfname(name)) throw new KernelError(Errno.EINVAL, `invalid device name "${name}"`);
  if (ns.devByName(name)) throw new KernelError(Errno.EEXIST, `device "${name}" exists`);
  const ifindex = ns.allocIfindex();
  const dev =
    kind === 'loopback'
      ? new NetDevice(ns, ifindex, name, kind, { flags: IFF_LOOPBACK, mtu: 65536, mac: new Uint8Array(6), broadcast: new Uint8Array(6), txqlen: 1000, carrier: true })
      : kind === 'pimreg'
      ? // reg_vif_setup(): ARPHRD_PIMREG, no hardware address, NOARP, mtu ETH_DATA_LEN - iphdr - 8.
        new NetDevice(ns, ifindex, name, kind, { flags: IFF_NOARP, mtu: 1472, mac: new Uint8Array(0), broadcast: new Uint8Array(0), txqlen: 1000, carrier: true })
      : new NetDevice(ns, ifindex, name, kind, {
          // dummy_setup() sets NOARP and clears MULTICAST after ether_setup().
          flags: kind === 'dummy' ? IFF_BROADCAST | IFF_NOARP : IFF_BROADCAST | IFF_MULTICAST,
          mtu: opts.mtu ?? 1500,
          mac: opts.mac ?? randomMac(ns),
          broadcast: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
          txqlen: 1000,
          // A dummy always has carrier; a veth gets it when both ends are up (veth_open).
          carrier: kind === 'dummy',
        });
  ns.devices.set(ifindex, dev);
  ns.emit('register_netdevice', 'state', { dev: name, ifindex, kind, mac: formatMac(dev.mac), mtu: dev.mtu });
  ns.ipv4.onRegister(dev);
  notify(ns, 'NETDEV_REGISTER', dev);
  return dev;
}

/** dev_open() — `ip link set DEV up`. Opening an open device is a no-op. */
export function devOpen(dev: NetDevice): void {
  if (dev.isUp) return;
  dev.flags |= IFF_UP;
  dev.everUp = true;
  dev.ns.emit('dev_open', 'state', { dev: dev.name });
  if (dev.kind === 'veth') vethCarrierUpdate(dev);
  notify(dev.ns, 'NETDEV_UP', dev);
}

/** dev_close() — `ip link set DEV down`. */
export function devClose(dev: NetDevice): void {
  if (!dev.isUp) return;
  notify(dev.ns, 'NETDEV_GOING_DOWN', dev);
  dev.flags &= ~IFF_UP;
  dev.ns.emit('dev_close', 'state', { dev: dev.name });
  if (dev.kind === 'veth') vethCarrierUpdate(dev);
  notify(dev.ns, 'NETDEV_DOWN', dev);
}

/** veth_open()/veth_close(): both ends have carrier exactly when both are up. */
function vethCarrierUpdate(dev: NetDevice): void {
  const peer = dev.peer?.dev;
  const on = !!peer && dev.isUp && peer.isUp;
  setCarrier(dev, on, false);
  if (peer) setCarrier(peer, on, false);
  // linkwatch runs after both ends changed, so each end sees its peer's new carrier.
  linkwatchRun(dev);
  if (peer) linkwatchRun(peer);
}

/** netif_carrier_on()/netif_carrier_off(): counted, then linkwatch recomputes operstate and sends NETDEV_CHANGE. */
export function setCarrier(dev: NetDevice, on: boolean, linkwatch = true): void {
  if (dev.carrier === on) return;
  dev.carrier = on;
  dev.carrierChanges++;
  dev.ns.emit(on ? 'netif_carrier_on' : 'netif_carrier_off', 'state', { dev: dev.name });
  if (linkwatch) linkwatchRun(dev);
  if (dev.isUp) notify(dev.ns, 'NETDEV_CHANGE', dev);
}

/**
 * rfc2863_policy()/default_operstate(): without carrier, a device whose iflink names another device
 * is LOWERLAYERDOWN when that device has no carrier either. The iflink (a veth's peer ifindex) is
 * looked up in the device's own namespace, even when the peer lives elsewhere — the kernel's quirk.
 */
export function linkwatchRun(dev: NetDevice): void {
  let state: Operstate;
  if (dev.carrier) state = 'UP';
  else {
    const iflink = dev.kind === 'veth' ? (dev.peer?.dev.ifindex ?? 0) : dev.ifindex;
    const lower = iflink === dev.ifindex ? undefined : dev.ns.devByIndex(iflink);
    state = lower && !lower.carrier ? 'LOWERLAYERDOWN' : 'DOWN';
  }
  dev.linkOperstate = state;
}

/**
 * dev_set_allmulti(dev, inc): ipmr calls it per VIF; userspace's `allmulticast on` is one more
 * reference recorded in gflags. The NIC listens to every group while the count is non-zero.
 */
export function devSetAllmulti(dev: NetDevice, inc: number): void {
  const before = dev.allmulti;
  dev.allmulti = Math.max(0, dev.allmulti + inc);
  if ((before === 0) !== (dev.allmulti === 0)) {
    dev.ns.emit('dev_set_allmulti', 'state', { dev: dev.name, allmulti: dev.allmulti, inc });
  }
}

/** `ip link set DEV allmulticast on|off` (dev_change_flags with IFF_ALLMULTI). */
export function devSetUserAllmulti(dev: NetDevice, on: boolean): void {
  const had = (dev.gflags & IFF_ALLMULTI) !== 0;
  if (had === on) return;
  dev.gflags = on ? dev.gflags | IFF_ALLMULTI : dev.gflags & ~IFF_ALLMULTI;
  devSetAllmulti(dev, on ? 1 : -1);
}

/** dev_mc_add(): reference-counted hardware multicast address (ip_mc_filter_add for a joined group). */
export function devMcAdd(dev: NetDevice, mac: Uint8Array): void {
  const key = formatMac(mac);
  const n = dev.mc.get(key) ?? 0;
  dev.mc.set(key, n + 1);
  if (n === 0) dev.ns.emit('dev_mc_add', 'state', { dev: dev.name, addr: key });
}

export function devMcDel(dev: NetDevice, mac: Uint8Array): void {
  const key = formatMac(mac);
  const n = dev.mc.get(key) ?? 0;
  if (n <= 1) {
    if (n === 1) {
      dev.mc.delete(key);
      dev.ns.emit('dev_mc_del', 'state', { dev: dev.name, addr: key });
    }
  } else dev.mc.set(key, n - 1);
}

export function devChangeName(dev: NetDevice, name: string): void {
  if (!validIfname(name)) throw new KernelError(Errno.EINVAL, `invalid device name "${name}"`);
  if (dev.name === name) return;
  if (dev.ns.devByName(name)) throw new KernelError(Errno.EEXIST, `device "${name}" exists`);
  // Since 6.2 ("allow live renaming when an interface is up") an up device may be renamed (observed on 6.18).
  const old = dev.name;
  dev.name = name;
  dev.ns.emit('dev_change_name', 'state', { dev: name, old });
  notify(dev.ns, 'NETDEV_CHANGENAME', dev);
}

export function devSetMtu(dev: NetDevice, mtu: number): void {
  // veth and dummy accept 68..65535 (ETH_MIN_MTU..ETH_MAX_MTU); lo accepts up to 65536... keep the common range.
  const max = dev.kind === 'loopback' ? 65536 : 65535;
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > max) throw new KernelError(Errno.EINVAL, `mtu ${mtu} out of range`);
  if (dev.mtu === mtu) return;
  dev.mtu = mtu;
  dev.ns.emit('dev_set_mtu', 'state', { dev: dev.name, mtu });
  notify(dev.ns, 'NETDEV_CHANGEMTU', dev);
}

export function devSetMac(dev: NetDevice, mac: Uint8Array): void {
  if ((mac[0]! & 1) === 1 || mac.every((b) => b === 0)) throw new KernelError(Errno.EADDRNOTAVAIL, 'invalid unicast address');
  dev.mac = mac;
  dev.ns.emit('dev_set_mac_address', 'state', { dev: dev.name, mac: formatMac(mac) });
  notify(dev.ns, 'NETDEV_CHANGEADDR', dev);
}

/** unregister_netdevice(): a veth takes its peer with it (veth_dellink). */
export function unregisterNetdevice(dev: NetDevice): void {
  if (dev.kind === 'loopback') throw new KernelError(Errno.EOPNOTSUPP, 'cannot delete loopback');
  const peer = dev.peer;
  unregisterOne(dev);
  if (peer && peer.dev.registered) {
    peer.dev.peer = null;
    unregisterOne(peer.dev);
  }
}

function unregisterOne(dev: NetDevice): void {
  devClose(dev);
  const ns = dev.ns;
  notify(ns, 'NETDEV_UNREGISTER', dev);
  ns.ipv4.onUnregister(dev);
  ns.devices.delete(dev.ifindex);
  dev.registered = false;
  if (dev.segment) {
    const i = dev.segment.ports.indexOf(dev);
    if (i >= 0) dev.segment.ports.splice(i, 1);
  }
  ns.emit('unregister_netdevice', 'state', { dev: dev.name, ifindex: dev.ifindex });
}
