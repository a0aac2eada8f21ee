// A router for ipmr unit tests: s (10.0.0.2) — r0 r r1 — h1 (10.1.0.2), r2 — h2 (10.2.0.2), a trace
// sink, and the daemon's raw IGMP socket with VIFs 0..2 on r0..r2 when asked.

import { devOpen } from '../../../engine/net/dev.js';
import { Network } from '../../../engine/net/network.js';
import type { Netns } from '../../../engine/net/netns.js';
import { MemorySink } from '../../../engine/sim/trace.js';
import { AF_INET, IPPROTO_IGMP, IPPROTO_IP, MRT_ADD_MFC, MRT_ADD_VIF, MRT_INIT, SOCK_RAW } from '../../../engine/socket/constants.js';
import { setsockopt, socket, type Socket } from '../../../engine/socket/socket.js';
import type { RawSocket } from '../../../engine/socket/raw.js';
import type { UdpSocket } from '../../../engine/ipv4/udp.js';
import { addr, ip4 } from '../helpers/topo.js';

export interface MrLab {
  net: Network;
  sink: MemorySink;
  r: Netns;
  node(n: string): Netns;
  /** socket(AF_INET, SOCK_RAW, IPPROTO_IGMP) on r, MRT_INIT, VIF i on ri for each i < vifs. */
  daemon(vifs?: number): RawSocket;
  mfc(d: Socket, src: string, grp: string, parent: number, ttls: Record<number, number>): void;
  /** A UDP sender on `from` with IP_MULTICAST_TTL `ttl` out of its only interface. */
  sender(from: 's' | 'h1' | 'h2', ttl: number): UdpSocket;
  run(ms?: number): void;
}

export function mrLab(seed = 1): MrLab {
  const net = new Network({ seed });
  const sink = new MemorySink();
  net.sim.trace.addSink(sink);
  const r = net.addNode('r', 'router');
  devOpen(r.devByName('lo')!);
  const peers = [
    ['s', 'r0', '10.0.0'],
    ['h1', 'r1', '10.1.0'],
    ['h2', 'r2', '10.2.0'],
  ] as const;
  for (const [h, rdev, net24] of peers) {
    devOpen(net.addNode(h).devByName('lo')!);
    net.link('r', rdev, h, 'eth0');
    addr(r, rdev, `${net24}.1/24`);
    addr(net.node(h), 'eth0', `${net24}.2/24`);
  }
  net.sim.run();
  const lab: MrLab = {
    net,
    sink,
    r,
    node: (n) => net.node(n),
    daemon(vifs = 3) {
      const d = socket(r, AF_INET, SOCK_RAW, IPPROTO_IGMP) as RawSocket;
      setsockopt(d, IPPROTO_IP, MRT_INIT, 1);
      for (let i = 0; i < vifs; i++) setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, { vifi: i, flags: 0, threshold: 1, rateLimit: 0, lclAddr: ip4(`10.${i}.0.1`), rmtAddr: 0 });
      return d;
    },
    mfc(d, src, grp, parent, ttls) {
      const t: number[] = [];
      for (const [v, x] of Object.entries(ttls)) t[Number(v)] = x;
      setsockopt(d, IPPROTO_IP, MRT_ADD_MFC, { origin: ip4(src), mcastgrp: ip4(grp), parent, ttls: Array.from({ length: 32 }, (_, i) => t[i] ?? 0) });
    },
    sender(from, ttl) {
      const ns = net.node(from);
      const u = ns.ipv4.udp.create(ns);
      u.mcTtl = ttl;
      u.mcIndex = ns.devByName('eth0')!.ifindex;
      return u;
    },
    run(ms = 50) {
      net.sim.run({ until: net.sim.now + ms * 1_000_000 });
    },
  };
  return lab;
}
