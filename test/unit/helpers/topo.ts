// Small builders for engine tests: addresses and static routes without going through `ip`.

import { devOpen } from '../../../engine/net/dev.js';
import { Network } from '../../../engine/net/network.js';
import type { Netns, NodeRole } from '../../../engine/net/netns.js';
import { MemorySink } from '../../../engine/sim/trace.js';
import { newIfaddr, RT_SCOPE_UNIVERSE } from '../../../engine/ipv4/devinet.js';
import { RTPROT_BOOT, RT_TABLE_MAIN } from '../../../engine/ipv4/fib-types.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';

export function ip4(s: string): number {
  const a = parseIpv4(s);
  if (a === null) throw new Error(`bad address ${s}`);
  return a;
}

/** `ip addr add CIDR dev DEV; ip link set DEV up` */
export function addr(ns: Netns, dev: string, cidr: string): void {
  const [a, l] = cidr.split('/');
  const d = ns.devByName(dev)!;
  ns.ipv4.addAddress(d, newIfaddr(ip4(a!), Number(l), dev));
  devOpen(d);
}

/** `ip route add DST via GW dev DEV` in main. */
export function route(ns: Netns, dst: string, gw: string, dev: string): void {
  const [a, l] = dst === 'default' ? ['0.0.0.0', '0'] : dst.split('/');
  ns.ipv4.fibTable(RT_TABLE_MAIN, true)!.insert({
    table: RT_TABLE_MAIN,
    dst: ip4(a!),
    plen: Number(l),
    tos: 0,
    type: 'unicast',
    protocol: RTPROT_BOOT,
    scope: RT_SCOPE_UNIVERSE,
    priority: 0,
    prefsrc: 0,
    nhs: [{ gw: ip4(gw), dev: ns.devByName(dev)!, weight: 1, flags: 0, scope: 253 }],
  });
}

export function forwarding(ns: Netns, on: boolean): void {
  ns.ipv4.devconfAll.values.forwarding = on ? 1 : 0;
  for (const d of ns.deviceList()) d.inDev.conf.values.forwarding = on ? 1 : 0;
}

/** A network recorded into a MemorySink; `node()` adds a namespace with lo up, as a lab node has it. */
export function tracedNetwork(seed: number): { net: Network; sink: MemorySink; node: (name: string, role?: NodeRole) => Netns } {
  const net = new Network({ seed });
  const sink = new MemorySink();
  net.sim.trace.addSink(sink);
  const node = (name: string, role: NodeRole = 'host'): Netns => {
    const ns = net.addNode(name, role);
    devOpen(ns.devByName('lo')!);
    return ns;
  };
  return { net, sink, node };
}
