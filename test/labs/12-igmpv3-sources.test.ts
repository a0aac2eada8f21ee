// Lab 12 (Exercise 4) asserted explicitly: with the same traffic from two sources, the IGMPv2 receiver
// gets both and the IGMPv3 INCLUDE {s1} receiver one — and so does a receiver in EXCLUDE {s2} mode
// (join, then IP_BLOCK_SOURCE), another correct answer; the any-source starter gets both.

import { describe, expect, it } from 'vitest';
import { LabRun } from '../../main/host/lab/lab-run.js';
import { loadLab } from './answers.js';

const lab = loadLab('labs/12-igmpv3-sources.yaml');

async function run(source: string | null, seed = 1): Promise<{ failed: string[]; got: (rx: string) => Record<string, number> }> {
  const daemons = source === null ? undefined : new Map([['rv3', { file: 'receiver.ts', source }]]);
  const r = new LabRun(lab, { seed, solution: source === null, daemons });
  const report = await r.runAll();
  expect(report.daemonExits.filter((e) => e.crashed)).toEqual([]);
  return {
    failed: report.steps.flatMap((s) => s.checks).filter((c) => !c.passed).map((c) => c.name),
    got: (rx) => Object.fromEntries(r.apps.receivers.get(rx)!.handle.counts),
  };
}

describe('12-igmpv3-sources: Exercise 4', () => {
  it('reference: the v2 receiver gets both sources, the INCLUDE {s1} receiver only s1', async () => {
    for (const seed of [1, 2]) {
      const r = await run(null, seed);
      expect(r.failed).toEqual([]);
      expect(r.got('rv2')).toEqual({ '10.1.0.11 -> 232.1.1.1': 5, '10.1.0.12 -> 232.1.1.1': 5 });
      expect(r.got('rv3')).toEqual({ '10.1.0.11 -> 232.1.1.1': 5 });
    }
  });

  it('EXCLUDE {s2} (join, then block s2) is another correct answer', async () => {
    const r = await run(`
const s = socket(AF_INET, SOCK_DGRAM, 0);
s.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: '232.1.1.1', imr_address: '10.3.0.22' });
s.setsockopt(IPPROTO_IP, IP_BLOCK_SOURCE, { imr_multiaddr: '232.1.1.1', imr_interface: '10.3.0.22', imr_sourceaddr: '10.1.0.12' });
`);
    expect(r.failed).toEqual([]);
    expect(r.got('rv3')).toEqual({ '10.1.0.11 -> 232.1.1.1': 5 });
  });

  it('the any-source starter gets both sources, on its LAN and in its sockets', async () => {
    const r = await run(`
const s = socket(AF_INET, SOCK_DGRAM, 0);
s.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: '232.1.1.1', imr_address: '10.3.0.22' });
`);
    expect(r.failed).toEqual(['rv3-none-from-s2', 'lan-b-no-s2', 'lan-b-s1-only', 's2-not-to-rv3', 'no-s2-on-lan-b']);
    expect(r.got('rv3')).toEqual({ '10.1.0.11 -> 232.1.1.1': 5, '10.1.0.12 -> 232.1.1.1': 5 });
  });
});
