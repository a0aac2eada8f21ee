// The querier app: general queries (startup burst at a quarter interval), election by the lowest
// address, membership learnt from v3 reports and dropped after a leave's last-member queries.

import { describe, expect, it } from 'vitest';
import { igmpv3Code, startQuerier } from '../../../engine/apps/querier.js';
import { NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { ip4 } from '../helpers/topo.js';
import { hostAndRouter, igmpSent, udpSock } from './helpers.js';

function queriesBy(t: ReturnType<typeof hostAndRouter>, node: string) {
  return igmpSent(t.sink, node).filter((p) => p.msg.kind.startsWith('query'));
}

describe('IGMP querier', () => {
  it('encodes MRC/QQIC as RFC 3376 floating point above 127', () => {
    expect(igmpv3Code(100)).toBe(100);
    expect(igmpv3Code(125)).toBe(125);
    // 0x80 | exp 1 << 4 | mant 0: (0 | 0x10) << (1 + 3) = 256
    expect(igmpv3Code(256)).toBe(0x90);
    // 0x80 | exp 2 << 4 | mant 15: (15 | 0x10) << (2 + 3) = 992, the nearest value not above 1000
    expect(igmpv3Code(1000)).toBe(0xaf);
  });

  it('queries at start-up, learns a member from its v3 report, and forgets it after a leave', () => {
    const t = hostAndRouter();
    const q = startQuerier(t.r, { dev: 'eth0', queryInterval: 20 * NSEC_PER_SEC });
    const sk = udpSock(t.h);
    const ifindex = t.h.devByName('eth0')!.ifindex;
    sk.join({ multiaddr: ip4('239.6.6.6'), ifindex });
    t.net.sim.run({ until: 12 * NSEC_PER_SEC });
    // RFC 3376 §8.6–8.7: startup query count = robustness (2), a quarter query interval (5 s) apart
    expect(queriesBy(t, 'r').map((p) => p.t / NSEC_PER_SEC)).toEqual([0, 5]);
    expect(queriesBy(t, 'r').every((p) => p.dst === '224.0.0.1' && p.msg.kind === 'query-v3')).toBe(true);
    expect(q.querier).toBe(true);
    expect([...q.groups.keys()]).toContain(ip4('239.6.6.6'));
    sk.close();
    t.net.sim.run({ until: 15 * NSEC_PER_SEC });
    expect(queriesBy(t, 'r').filter((p) => p.dst === '239.6.6.6')).toHaveLength(2);
    expect(q.groups.has(ip4('239.6.6.6'))).toBe(false);
    // then one general query per query interval
    t.net.sim.run({ until: 26 * NSEC_PER_SEC });
    expect(queriesBy(t, 'r').filter((p) => p.dst === '224.0.0.1').map((p) => p.t / NSEC_PER_SEC)).toEqual([0, 5, 25]);
    q.stop();
  });

  it('the higher address falls silent when it hears the lower one', () => {
    const t = hostAndRouter();
    const winner = startQuerier(t.r, { dev: 'eth0' }); // 10.0.0.1: the lowest address wins
    const loser = startQuerier(t.h, { dev: 'eth0' }); // 10.0.0.2 loses the election
    t.net.sim.run({ until: 60 * NSEC_PER_SEC });
    expect(winner.querier).toBe(true);
    expect(loser.querier).toBe(false);
    const fromH = queriesBy(t, 'h');
    expect(fromH).toHaveLength(1); // its first query, before it heard 10.0.0.1
    winner.stop();
    loser.stop();
  });
});
