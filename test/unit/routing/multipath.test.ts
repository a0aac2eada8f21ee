// Multipath: fib_rebalance bounds (2:1 → 1431655764 / 2147483647, policy-routing.md §9.2), a fixed seed
// gives one hop per flow, the split over many flows follows the weights, and the "book" profile
// reproduces the pre-4.4 per-lookup round robin: 300 lookups at 2:1 are exactly 200/100.

import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { ipRouteInput } from '../../../engine/ipv4/route.js';
import { Network } from '../../../engine/net/network.js';
import type { Netns } from '../../../engine/net/netns.js';
import { ip4 } from '../helpers/topo.js';
import { siphash } from '../../../engine/ipv4/siphash.js';
import { runCommandLine } from '../../../engine/iproute2/shell.js';

function node(profile: 'modern' | 'book' = 'modern'): Netns {
  const net = new Network({ seed: 3 });
  net.profile = profile;
  const ns = net.addNode('a');
  const s = net.addNode('s');
  net.addVethPair(ns, 'v1', s, 'p1');
  net.addVethPair(ns, 'v2', s, 'p2');
  net.addVethPair(ns, 'v3', s, 'p3');
  const cmds = ['link set lo up', 'link set v1 up', 'link set v2 up', 'link set v3 up', 'addr add 192.168.1.1/24 dev v1', 'addr add 192.168.2.1/24 dev v2', 'addr add 172.16.0.1/24 dev v3'];
  for (const c of cmds) expect(ipCommand(ns, c.split(' ')).rc).toBe(0);
  for (const c of ['link set p1 up', 'link set p2 up', 'link set p3 up']) ipCommand(s, c.split(' '));
  expect(ipCommand(ns, 'route add 198.51.0.0/16 nexthop via 192.168.1.254 weight 2 nexthop via 192.168.2.254 weight 1'.split(' ')).rc).toBe(0);
  return ns;
}

const devOf = (ns: Netns, args: string): string => /dev (\S+)/.exec(ipCommand(ns, `route get ${args}`.split(' ')).stdout)?.[1] ?? 'none';

describe('multipath', () => {
  it('fib_rebalance gives the kernel bounds for weights 2:1', () => {
    const ns = node();
    const r = ns.ipv4.tables.get(254)!.routes.find((x) => x.nhs.length === 2)!;
    expect(r.nhs.map((n) => n.upperBound)).toEqual([1431655764, 2147483647]);
  });

  it('shows the route as iproute2 prints a multipath route', () => {
    const ns = node();
    expect(ipCommand(ns, ['route', 'show', '198.51.0.0/16']).stdout).toBe('198.51.0.0/16 \n\tnexthop via 192.168.1.254 dev v1 weight 2 \n\tnexthop via 192.168.2.254 dev v2 weight 1 \n');
  });

  it('one flow always takes one hop; 300 flows split near 2:1; a seed fixes every choice', () => {
    const ns = node();
    const one = new Set(Array.from({ length: 300 }, () => devOf(ns, '198.51.3.4')));
    expect(one.size).toBe(1);
    const dests = Array.from({ length: 300 }, (_, i) => `198.51.${i >> 8}.${i & 255}`);
    const picks = dests.map((d) => devOf(ns, d));
    const v2 = picks.filter((d) => d === 'v2').length;
    expect(Math.abs(v2 - 100)).toBeLessThanOrEqual(32);
    ns.ipv4.fibMultipathHashSeed = 12345;
    const a = dests.map((d) => devOf(ns, d));
    const other = node();
    other.ipv4.fibMultipathHashSeed = 12345;
    expect(dests.map((d) => devOf(other, d))).toEqual(a);
    other.ipv4.fibMultipathHashSeed = 54321;
    expect(dests.map((d) => devOf(other, d))).not.toEqual(a);
  });

  it('a source equal to a next hop\'s source pins that hop (6.18 scoring)', () => {
    const ns = node();
    const dests = Array.from({ length: 50 }, (_, i) => `198.51.9.${i}`);
    expect(new Set(dests.map((d) => devOf(ns, `${d} from 192.168.2.1`)))).toEqual(new Set(['v2']));
    expect(new Set(dests.map((d) => devOf(ns, `${d} from 192.168.1.1`)))).toEqual(new Set(['v1']));
  });

  it('a dead next hop gets no traffic after the device goes down', () => {
    const ns = node();
    ipCommand(ns, 'link set v2 down'.split(' '));
    const picks = Array.from({ length: 100 }, (_, i) => devOf(ns, `198.51.1.${i}`));
    expect(new Set(picks)).toEqual(new Set(['v1']));
    expect(ipCommand(ns, ['route', 'show', '198.51.0.0/16']).stdout).toContain('dev v2 weight 1 dead linkdown');
  });

  it('book profile: 300 forwarded packets of one flow at 2:1 go exactly 200/100', () => {
    const ns = node('book');
    ns.ipv4.devconfAll.values.forwarding = 1;
    for (const d of ns.deviceList()) d.inDev.conf.values.forwarding = 1;
    const v3 = ns.devByName('v3')!;
    const counts: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const r = ipRouteInput(ns.ipv4, ip4('198.51.7.7'), ip4('172.16.0.9'), 0, v3, 17);
      const dev = r.ok ? r.rt.dev.name : 'drop';
      counts[dev] = (counts[dev] ?? 0) + 1;
    }
    expect(counts).toEqual({ v1: 200, v2: 100 });
  });

  it('SipHash-2-4 gives the reference vectors (key 00..0f: empty message, and 00..0e)', () => {
    const k0 = [0x07060504, 0x03020100] as const;
    const k1 = [0x0f0e0d0c, 0x0b0a0908] as const;
    const hex = ([h, l]: [number, number]): string => h.toString(16).padStart(8, '0') + l.toString(16).padStart(8, '0');
    expect(hex(siphash(new Uint8Array(0), k0[0], k0[1], k1[0], k1[1]))).toBe('726fdb47dd0e0e31');
    expect(hex(siphash(Uint8Array.from({ length: 15 }, (_, i) => i), k0[0], k0[1], k1[0], k1[1]))).toBe('a129ca6149be45e5');
    expect(hex(siphash(Uint8Array.from({ length: 8 }, (_, i) => i), k0[0], k0[1], k1[0], k1[1]))).toBe('93f5f5799a932462');
  });

  it('net.ipv4.fib_multipath_hash_seed is a sysctl: it changes the per-flow choice, 0 returns to the boot seed', () => {
    const ns = node();
    const dests = Array.from({ length: 64 }, (_, i) => `198.51.4.${i}`);
    const boot = dests.map((d) => devOf(ns, d));
    expect(runCommandLine(ns, 'sysctl net.ipv4.fib_multipath_hash_seed').stdout).toBe('net.ipv4.fib_multipath_hash_seed = 0\n');
    expect(runCommandLine(ns, 'sysctl -w net.ipv4.fib_multipath_hash_seed=0x3039').rc).toBe(0);
    expect(ns.ipv4.fibMultipathHashSeed).toBe(12345);
    expect(runCommandLine(ns, 'cat /proc/sys/net/ipv4/fib_multipath_hash_seed').stdout).toBe('12345\n');
    const seeded = dests.map((d) => devOf(ns, d));
    expect(seeded).not.toEqual(boot);
    expect(runCommandLine(ns, 'sysctl -w net.ipv4.fib_multipath_hash_seed=-1').stderr).toBe('sysctl: setting key "net.ipv4.fib_multipath_hash_seed": Invalid argument\n');
    runCommandLine(ns, 'sysctl -w net.ipv4.fib_multipath_hash_seed=0');
    expect(dests.map((d) => devOf(ns, d))).toEqual(boot);
  });
});
