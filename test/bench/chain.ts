// A chain of routers between two hosts, with per-router periodic timers and UDP traffic end to end:
// the scenario behind the determinism test and the engine benchmark.

import { startUdpReceiver, type UdpReceiverHandle } from '../../engine/apps/udp-receiver.js';
import { startUdpSender } from '../../engine/apps/udp-sender.js';
import { newIfaddr, RT_SCOPE_UNIVERSE } from '../../engine/ipv4/devinet.js';
import { RTPROT_STATIC, RT_TABLE_MAIN } from '../../engine/ipv4/fib-types.js';
import { devOpen } from '../../engine/net/dev.js';
import type { Netns } from '../../engine/net/netns.js';
import { Network } from '../../engine/net/network.js';
import { KernelTimer } from '../../engine/sim/timer.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC } from '../../engine/sim/time.js';

export interface ChainOptions {
  routers: number;
  seed: number;
  /** Datagrams the left host sends to the right host. */
  packets: number;
  /** Interval between datagrams. */
  interval: number;
  /** Period of each router's timer (a hello-like housekeeping timer). */
  timerPeriod: number;
}

export const DEFAULT_CHAIN: ChainOptions = { routers: 100, seed: 1, packets: 200, interval: 5 * NSEC_PER_MSEC, timerPeriod: 100 * NSEC_PER_MSEC };

function addr(ns: Netns, dev: string, a: number, plen: number): void {
  const d = ns.devByName(dev)!;
  ns.ipv4.addAddress(d, newIfaddr(a, plen, dev));
  devOpen(d);
}

function route(ns: Netns, dst: number, plen: number, gw: number, dev: string): void {
  ns.ipv4.fibTable(RT_TABLE_MAIN, true)!.insert({
    table: RT_TABLE_MAIN, dst, plen, tos: 0, type: 'unicast', protocol: RTPROT_STATIC, scope: RT_SCOPE_UNIVERSE, priority: 0, prefsrc: 0,
    nhs: [{ gw, dev: ns.devByName(dev)!, weight: 1, flags: 0, scope: 253 }],
  });
}

/** Link i (0..routers) joins node i-1 and node i; it is 10.(i>>6).((i&63)*4).0/30 with .1 left and .2 right. */
function linkNet(i: number): number {
  return ((10 << 24) | ((i >> 6) << 16) | ((i & 63) << 10)) >>> 0;
}

export function buildChain(o: ChainOptions): { net: Network; receiver: UdpReceiverHandle; timers: KernelTimer[] } {
  const net = new Network({ seed: o.seed });
  const names = ['hl', ...Array.from({ length: o.routers }, (_, i) => `r${i}`), 'hr'];
  for (const n of names) net.addNode(n, n.startsWith('r') ? 'router' : 'host');
  for (let i = 0; i < names.length - 1; i++) {
    net.link(names[i]!, 'eth1', names[i + 1]!, 'eth0');
    const base = linkNet(i);
    addr(net.node(names[i]!), 'eth1', base + 1, 30);
    addr(net.node(names[i + 1]!), 'eth0', base + 2, 30);
  }
  const last = names.length - 2;
  const hlNet = linkNet(0);
  const hrNet = linkNet(last);
  for (let i = 0; i < names.length; i++) {
    const ns = net.node(names[i]!);
    if (i > 0) {
      ns.ipv4.devconfAll.values.forwarding = 1;
      for (const d of ns.deviceList()) d.inDev.conf.values.forwarding = 1;
    }
    if (i < last) route(ns, hrNet, 30, linkNet(i) + 2, 'eth1');
    if (i > 1) route(ns, hlNet, 30, linkNet(i - 1) + 1, 'eth0');
  }
  const timers: KernelTimer[] = [];
  for (let i = 1; i <= o.routers; i++) {
    const ns = net.node(names[i]!);
    // A jittered periodic timer per router, like a daemon's hello timer: uses the seeded PRNG.
    const t: KernelTimer = new KernelTimer(net.sim, ns.name, 'hello_timer_expire', () => t.modIn(o.timerPeriod - net.sim.rng.below(o.timerPeriod / 4)));
    t.modIn(net.sim.rng.below(o.timerPeriod));
    timers.push(t);
  }
  const receiver = startUdpReceiver(net.node('hr'), { port: 5001 });
  startUdpSender(net.node('hl'), { dst: hrNet + 2, dport: 5001, count: o.packets, interval: o.interval, ttl: 255, size: 100 });
  return { net, receiver, timers };
}

export function chainDuration(o: ChainOptions): number {
  return o.packets * o.interval + NSEC_PER_SEC;
}
