// Exercise 4 of the chapter: the same multicast traffic from two sources reaches an IGMPv2 receiver
// from both (an any-source join: v2 cannot name sources) and an IGMPv3 INCLUDE{S1} receiver only from
// S1 — on the real kernel and in the engine alike. The v3 host drops S2's datagrams at the interface
// filter (ip_check_mc_rcu), before any socket sees them.

import { afterAll, describe, expect, it } from 'vitest';
import { writeProcFile } from '../../engine/iproute2/procfs.js';
import type { Netns } from '../../engine/net/netns.js';
import { MemorySink } from '../../engine/sim/trace.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC } from '../../engine/sim/time.js';
import { IPPROTO_IP, IP_ADD_MEMBERSHIP, IP_ADD_SOURCE_MEMBERSHIP } from '../../engine/socket/constants.js';
import { setsockopt } from '../../engine/socket/sockopt.js';
import { formatIpv4, parseIpv4 } from '../../engine/wire/inet.js';
import { destroyAllLabs, OracleLab, oracleGate } from './harness.js';
import { driver, setRealSysctl, sysctlPath } from './igmp-harness.js';

const gate = oracleGate();
if (!gate.ok) console.log(`kernel-oracle tests skipped: ${gate.reason}`);

const ip = (s: string): number => parseIpv4(s)!;
const GROUP = '232.4.4.4';
const S1 = '10.9.0.1';
const S2 = '10.9.0.2';
const PORT = 5004;

const SETUP = `
s: link set lo up
a: link set lo up
b: link set lo up
s: addr add ${S1}/32 dev lo
s: addr add ${S2}/32 dev lo
s: link add sa0 type veth peer name a0 netns {a}
s: link add sb0 type veth peer name b0 netns {b}
s: addr add 10.1.0.1/24 dev sa0
s: addr add 10.2.0.1/24 dev sb0
a: addr add 10.1.0.2/24 dev a0
b: addr add 10.2.0.2/24 dev b0
s: link set sa0 up
s: link set sb0 up
a: link set a0 up
b: link set b0 up
`;

const SYSCTLS: Array<[string, string, number]> = [
  ['a', 'net.ipv4.conf.a0.force_igmp_version', 2],
  ['a', 'net.ipv4.conf.all.rp_filter', 0],
  ['a', 'net.ipv4.conf.a0.rp_filter', 0],
  ['b', 'net.ipv4.conf.all.rp_filter', 0],
  ['b', 'net.ipv4.conf.b0.rp_filter', 0],
];

// a: IGMPv2 host, any-source join. b: IGMPv3 host, INCLUDE{S1}.
const A_SOCKS = [{ name: 'v2', ops: [{ op: 'join', group: GROUP, ifindex: 2 }] }];
const B_SOCKS = [{ name: 'v3', ops: [{ op: 'add_src', group: GROUP, interface: '10.2.0.2', source: S1 }] }];
// three datagrams from each source out of each link
const SENDS = (dev: string) => [0, 1, 2].flatMap((i) => [S1, S2].map((src, j) => ({ at: 1200 + 100 * i + 10 * j, src, group: GROUP, dev })));

type Counts = Record<string, Record<string, number>>;

function modelRun(nodes: { s: Netns; a: Netns; b: Netns }, sink: MemorySink): { a: Counts; b: Counts } {
  const { s, a, b } = nodes;
  const net = s.net;
  net.sim.run({ until: net.sim.now + NSEC_PER_SEC });
  const t0 = net.sim.now;
  const counts = { a: { v2: {} } as Counts, b: { v3: {} } as Counts };
  const rx = (ns: Netns, name: string, into: Counts, join: (sk: ReturnType<Netns['ipv4']['udp']['create']>) => void) => {
    const sk = ns.ipv4.udp.create(ns);
    sk.reuseAddr = true;
    sk.bind(0, PORT);
    join(sk);
    sk.onMessage = (d) => {
      const c = into[name]!;
      c[formatIpv4(d.src)] = (c[formatIpv4(d.src)] ?? 0) + 1;
    };
  };
  rx(a, 'v2', counts.a, (sk) => setsockopt(sk, IPPROTO_IP, IP_ADD_MEMBERSHIP, { multiaddr: ip(GROUP), ifindex: 2 }));
  rx(b, 'v3', counts.b, (sk) => setsockopt(sk, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, { multiaddr: ip(GROUP), interface: ip('10.2.0.2'), sourceaddr: ip(S1) }, 12));
  for (const dev of ['sa0', 'sb0']) {
    for (const x of SENDS(dev)) {
      net.sim.at(t0 + x.at * NSEC_PER_MSEC, () => {
        const sk = s.ipv4.udp.create(s);
        sk.mcIndex = s.devByName(dev)!.ifindex;
        sk.bind(ip(x.src), 0);
        sk.sendto(new Uint8Array(8).fill(0x78), ip(GROUP), PORT);
        sk.close();
      });
    }
  }
  net.sim.run({ until: t0 + 2500 * NSEC_PER_MSEC });
  expect(sink.events.some((e) => e.node === b.name && e.fn === 'ip_route_input_noref' && e.data.reason === 'NOT_JOINED')).toBe(true);
  return counts;
}

describe.skipIf(!gate.ok)('Exercise 4: IGMPv2 versus IGMPv3 INCLUDE receivers, on the kernel and in the engine', () => {
  afterAll(destroyAllLabs);

  it('the v2 receiver gets both sources, the v3 INCLUDE{S1} receiver only S1', async () => {
    let real: { a: Counts; b: Counts } | undefined;
    let model: { a: Counts; b: Counts } | undefined;
    // The real side runs asynchronous processes, so the lab is managed here rather than by withLab().
    const l = new OracleLab(['s', 'a', 'b'], 'igmp exercise 4');
    try {
      l.script(SETUP);
      expect(l.report()).toBe('');
      const n = (x: string) => l.names.get(x)!;
      for (const [node, key, v] of SYSCTLS) {
        await setRealSysctl(n(node), key, v);
        writeProcFile(l.net.node(n(node)), sysctlPath(key), `${v}\n`);
      }
      const start = Date.now() / 1000 + 2;
      const [ra, rb] = await Promise.all([
        driver<Counts>(n('a'), 'recv', start, ['2500', String(PORT), JSON.stringify(A_SOCKS)]),
        driver<Counts>(n('b'), 'recv', start, ['2500', String(PORT), JSON.stringify(B_SOCKS)]),
        driver<unknown>(n('s'), 'send', start, ['sa0', String(PORT), JSON.stringify(SENDS('sa0'))]),
        driver<unknown>(n('s'), 'send', start, ['sb0', String(PORT), JSON.stringify(SENDS('sb0'))]),
      ]);
      real = { a: ra, b: rb };
      const sink = new MemorySink();
      l.net.sim.trace.addSink(sink);
      model = modelRun({ s: l.net.node(n('s')), a: l.net.node(n('a')), b: l.net.node(n('b')) }, sink);
    } finally {
      l.destroy();
    }
    // The kernel's answer, independently of the model: v2 hears both sources, v3 only S1.
    expect(real).toEqual({ a: { v2: { [S1]: 3, [S2]: 3 } }, b: { v3: { [S1]: 3 } } });
    expect(model).toEqual(real);
  }, 30_000);
});
