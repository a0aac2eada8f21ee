// Frames leaving a device and arriving at another: dev_queue_xmit() → (veth, LAN bridge, loopback) →
// netif_receive_skb() → the protocol handler (ip_rcv). The bridge of a LAN segment floods every frame.

import { formatMac } from '../wire/inet.js';
import { IGMPMSG_WHOLEPKT } from '../wire/igmpmsg.js';
import { LOOPBACK_IFINDEX } from '../ipv4/fib_rules.js';
import { ipmrCacheReport } from '../ipv4/ipmr-report.js';
import { ipmrFibLookup, ipmrNetIfAny } from '../ipv4/ipmr-table.js';
import { Errno, KernelError } from './errno.js';
import type { NetDevice } from './netdevice.js';
import type { Network } from './network.js';
import type { Sim } from '../sim/sim.js';
import { BROADCAST_MAC, isMulticastMac, macEquals, type PktType, type SkBuff } from './skbuff.js';

/** dev_queue_xmit(): count, trace and hand the frame to the link. A down device drops it. */
const ETH_HLEN = 14;

export function devQueueXmit(skb: SkBuff & { dev: NetDevice; dstMac: Uint8Array }): boolean {
  const dev = skb.dev;
  const ns = dev.ns;
  if (!dev.operational) {
    dev.stats.tx_dropped++;
    ns.emit('dev_queue_xmit', 'drop', { dev: dev.name, reason: dev.isUp ? 'NO_CARRIER' : 'DEV_DOWN' }, skb.pkt);
    return false;
  }
  if (dev.kind === 'pimreg') {
    regVifXmit(skb);
    return true;
  }
  dev.stats.tx_packets++;
  dev.stats.tx_bytes += skb.bytes.length + statsHeaderLen(dev);
  const ev = ns.emit('dev_queue_xmit', 'tx', { dev: dev.name, dst_mac: formatMac(skb.dstMac), len: skb.bytes.length }, skb.pkt);
  ns.sim.trace.within(ev, () => {
    if (dev.kind === 'loopback') {
      // loopback_xmit() → __netif_rx(): straight back into the same device's receive path.
      netifRx(dev, { ...skb, pktType: 'LOOPBACK' });
    } else if (dev.kind === 'veth') {
      ns.net.transmit(dev, skb);
    }
    // dummy_xmit(): the frame is consumed and counted, nothing more.
  });
  return true;
}

/**
 * reg_vif_xmit(): what the stack itself sends out of the register VIF device (a route or
 * IP_MULTICAST_IF naming pimreg) goes whole to the daemon as IGMPMSG_WHOLEPKT, tagged with the table's
 * register VIF, and is consumed. The table comes from the multicast rules with oif = pimreg and iif =
 * lo (skb_iif is 0 for local output; the model does not keep the arrival device of a forwarded packet).
 * Unlike ipmr_queue_xmit onto the register VIF, the VIF's own counters do not move, only the device's.
 */
function regVifXmit(skb: SkBuff & { dev: NetDevice }): void {
  const dev = skb.dev;
  const ns = dev.ns;
  const ev = ns.emit('reg_vif_xmit', 'tx', { dev: dev.name, len: skb.bytes.length }, skb.pkt);
  ns.sim.trace.within(ev, () => {
    const net = ipmrNetIfAny(ns);
    if (!net) return;
    let mrt;
    try {
      mrt = ipmrFibLookup(net, { daddr: 0, saddr: 0, oif: dev.ifindex, iif: LOOPBACK_IFINDEX, mark: skb.mark });
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      ns.emit('reg_vif_xmit', 'drop', { dev: dev.name, reason: 'ipmr_fib_lookup failed', errno: Errno[e.errno] }, skb.pkt);
      return;
    }
    dev.stats.tx_bytes += skb.bytes.length;
    dev.stats.tx_packets++;
    ipmrCacheReport(net, mrt, skb.bytes, skb.pkt, mrt.regVifNum, IGMPMSG_WHOLEPKT);
  });
}

export function transmitFrame(net: Network, dev: NetDevice, frame: { pkt: number; bytes: Uint8Array; dstMac: Uint8Array }): void {
  const peer = dev.peer?.dev;
  if (!peer) return;
  net.sim.schedule(net.linkDelay, () => {
    if (!peer.registered) return;
    const seg = peer.segment;
    if (!seg) {
      netifReceiveFrame(peer, frame);
      return;
    }
    // The bridge: a unicast frame goes out of the one port whose node owns the destination MAC (what
    // br_fdb has learnt by the time there is a neighbour entry: the ARP reply came from that port);
    // multicast, broadcast and unknown unicast are flooded out of every other up port.
    const known = isMulticastMac(frame.dstMac) ? undefined : seg.ports.find((p) => p !== peer && p.peer && macEquals(p.peer.dev.mac, frame.dstMac));
    for (const port of known ? [known] : seg.ports) {
      if (port === peer || !port.operational || !port.peer) continue;
      netifReceiveFrame(port.peer.dev, frame);
    }
  });
}

/**
 * Link-header bytes in the driver's byte counters: veth_xmit() and dummy_xmit() count skb->len with the
 * Ethernet header on (an 84-byte ping is 98 bytes in `ip -s link`); loopback_xmit() counts after
 * eth_type_trans() has pulled it (84); pimreg has none.
 */
export function statsHeaderLen(dev: NetDevice): number {
  return dev.kind === 'veth' || dev.kind === 'dummy' ? ETH_HLEN : 0;
}

/** eth_type_trans(): classify the frame by destination MAC. */
export function classifyFrame(dev: NetDevice, dstMac: Uint8Array): PktType {
  if (isMulticastMac(dstMac)) return macEquals(dstMac, BROADCAST_MAC) ? 'BROADCAST' : 'MULTICAST';
  return macEquals(dstMac, dev.mac) ? 'HOST' : 'OTHERHOST';
}

function netifReceiveFrame(dev: NetDevice, frame: { pkt: number; bytes: Uint8Array; dstMac: Uint8Array }): void {
  if (!dev.operational) return;
  netifReceiveSkb(dev, { pkt: frame.pkt, bytes: frame.bytes, dev, pktType: classifyFrame(dev, frame.dstMac), mark: 0, dstMac: frame.dstMac });
}

/**
 * The one modelled CPU's bottom-half state, one per simulation (a lab's nodes share a CPU, as they share
 * the clock). A system call (a socket's sendmsg, MRT_ADD_MFC) runs in process context with BH enabled
 * (processContext); the receive path runs in the NET_RX softirq (netifReceiveSkb); everything else the
 * simulation runs (timers) counts as softirq too. JS runs one call stack, so counters suffice.
 */
interface BottomHalves {
  taskDepth: number;
  softirqDepth: number;
  /** The backlog while process_backlog runs from local_bh_enable() in process context; null otherwise. */
  backlog: (() => void)[] | null;
}

const cpus = new WeakMap<Sim, BottomHalves>();

function cpuOf(sim: Sim): BottomHalves {
  let cpu = cpus.get(sim);
  if (!cpu) {
    cpu = { taskDepth: 0, softirqDepth: 0, backlog: null };
    cpus.set(sim, cpu);
  }
  return cpu;
}

/** Runs a system call's work in process context: bottom halves enabled unless a softirq is already running. */
export function processContext<T>(sim: Sim, fn: () => T): T {
  const cpu = cpuOf(sim);
  cpu.taskDepth++;
  try {
    return fn();
  } finally {
    cpu.taskDepth--;
  }
}

/**
 * netif_rx() / __netif_rx(): enqueue_to_backlog(). Since 5.18 netif_rx() brackets this with
 * local_bh_disable()/local_bh_enable() when called with BH enabled, and loopback_xmit() calls __netif_rx()
 * inside __dev_queue_xmit()'s rcu_read_lock_bh(): either way, from process context the NET_RX softirq
 * runs process_backlog until the backlog is empty before the call returns, so a socket's looped-back copy
 * is received (and what that sends through lo in turn) before its original is transmitted. From softirq
 * (forwarding, timers) the packet waits in the backlog until the current work is done. A
 * dev_loopback_xmit() copy (countRx false) is not counted by a driver.
 */
export function netifRx(dev: NetDevice, skb: SkBuff, countRx = true): void {
  const sim = dev.ns.sim;
  const cpu = cpuOf(sim);
  const cause = sim.trace.current;
  const rx = (): void => sim.trace.within(cause, () => netifReceiveSkb(dev, skb, countRx));
  if (cpu.backlog) {
    cpu.backlog.push(rx);
    return;
  }
  if (cpu.taskDepth === 0 || cpu.softirqDepth > 0) {
    sim.schedule(0, rx);
    return;
  }
  const queue = [rx];
  cpu.backlog = queue;
  try {
    for (let next = queue.shift(); next; next = queue.shift()) next();
  } finally {
    cpu.backlog = null;
  }
}

/**
 * netif_receive_skb(): count and pass to IPv4. veth, like the bridge, has no multicast MAC filter, so
 * every multicast frame reaches ip_rcv, where ip_route_input_mc() decides. A looped-back copy
 * (dev_loopback_xmit) is not counted as received by the driver.
 */
export function netifReceiveSkb(dev: NetDevice, skb: SkBuff, countRx = true): void {
  const ns = dev.ns;
  if (countRx) {
    dev.stats.rx_packets++;
    dev.stats.rx_bytes += skb.bytes.length + statsHeaderLen(dev);
  }
  const ev = ns.emit('netif_receive_skb', 'rx', { dev: dev.name, pkt_type: skb.pktType, len: skb.bytes.length }, skb.pkt);
  const cpu = cpuOf(ns.sim);
  cpu.softirqDepth++;
  try {
    ns.sim.trace.within(ev, () => ns.ipv4.ipRcv({ ...skb, dev }));
  } finally {
    cpu.softirqDepth--;
  }
}
