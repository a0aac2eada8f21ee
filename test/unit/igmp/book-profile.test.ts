// The "book" profile (Linux 3.x, the chapter's kernel) against the modern one, for unsolicited reports:
// 3.x sends IGMP_Unsolicited_Report_Count + 1 = 3 v1/v2 reports (igmp_timer_expire re-arms while the
// count was non-zero) where 6.x sends 2, and retransmits v3 state changes within a fixed 10 s window
// (IGMP_Unsolicited_Report_Interval) where 6.x uses igmpv3_unsolicited_report_interval (1 s).

import { describe, expect, it } from 'vitest';
import { sendIgmpQuery } from '../../../engine/apps/querier.js';
import { NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { ip4 } from '../helpers/topo.js';
import { hostAndRouter, igmpSent, udpSock } from './helpers.js';

/** Times (s) of the reports a host sends after one join, on a fresh lab with `seed`. */
function reportsAfterJoin(seed: number, profile: 'book' | 'modern', version: 2 | 3): number[] {
  const t = hostAndRouter(seed);
  t.net.profile = profile;
  const eth0 = t.h.devByName('eth0')!;
  if (version === 2) eth0.inDev.conf.values.force_igmp_version = 2;
  const start = t.net.sim.now;
  udpSock(t.h).join({ multiaddr: ip4('239.1.1.1'), ifindex: eth0.ifindex });
  t.net.sim.run({ until: start + 40 * NSEC_PER_SEC });
  return igmpSent(t.sink, 'h').filter((p) => p.t >= start).map((p) => (p.t - start) / NSEC_PER_SEC);
}

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);

describe('IGMP "book" profile', () => {
  it('sends three unsolicited v2 reports (3.x) instead of two (6.x)', () => {
    for (const seed of SEEDS) {
      expect(reportsAfterJoin(seed, 'modern', 2)).toHaveLength(2);
      const book = reportsAfterJoin(seed, 'book', 2);
      expect(book).toHaveLength(3);
      // Each repeat within IGMP_Unsolicited_Report_Interval (10 s, plus the 2-jiffy minimum).
      for (let i = 1; i < book.length; i++) expect(book[i]! - book[i - 1]!).toBeLessThanOrEqual(10.002);
    }
  });

  it('retransmits a v3 state change within 10 s in 3.x, within 1 s in 6.x', () => {
    const gap = (profile: 'book' | 'modern'): number[] =>
      SEEDS.map((seed) => {
        const r = reportsAfterJoin(seed, profile, 3);
        expect(r).toHaveLength(2);
        return r[1]! - r[0]!;
      });
    const modern = gap('modern');
    const book = gap('book');
    expect(Math.max(...modern)).toBeLessThanOrEqual(1.002);
    expect(Math.max(...book)).toBeLessThanOrEqual(10.002);
    // Drawn from a 10 s window, some retransmissions come later than 6.x's window allows.
    expect(book.some((g) => g > 1.002)).toBe(true);
  });

  it('takes only a non-zero QRV from v3 queries in 3.x (a zero QRV resets it to igmp_qrv in 6.x)', () => {
    const counts = (profile: 'book' | 'modern'): number => {
      const t = hostAndRouter(3);
      t.net.profile = profile;
      const rEth = t.r.devByName('eth0')!;
      const query = (qrv: number) => sendIgmpQuery(t.r, rEth, { kind: 'query-v3', maxRespCode: 10, group: 0, sFlag: false, qrv, qqic: 0, sources: [] });
      query(5);
      t.net.sim.run({ until: 2 * NSEC_PER_SEC });
      query(0);
      t.net.sim.run({ until: 4 * NSEC_PER_SEC });
      const start = t.net.sim.now;
      udpSock(t.h).join({ multiaddr: ip4('239.1.1.1'), ifindex: t.h.devByName('eth0')!.ifindex });
      t.net.sim.run({ until: start + 60 * NSEC_PER_SEC });
      // The join's state-change report and its retransmissions: robustness variable times.
      return igmpSent(t.sink, 'h').filter((p) => p.t >= start).length;
    };
    expect(counts('modern')).toBe(2);
    expect(counts('book')).toBe(5);
  });
});
