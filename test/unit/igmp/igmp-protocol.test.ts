// The IGMP protocol machinery on the engine's own clock: counts, intervals and header form of reports
// (multicast.md §12.1, §12.5–12.8), compatibility-mode timeouts, device down/up, and the trace.

import { describe, expect, it } from 'vitest';
import { devClose, devOpen } from '../../../engine/net/dev.js';
import { readProcFile, writeProcFile } from '../../../engine/iproute2/procfs.js';
import { sendIgmpQuery } from '../../../engine/apps/querier.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { ip4 } from '../helpers/topo.js';
import { describeIgmp, hostAndRouter, igmpSent, udpSock } from './helpers.js';

const G = ip4('239.7.7.7');

function joined(seed = 1, sysctls: Record<string, number> = {}) {
  const t = hostAndRouter(seed);
  for (const [k, v] of Object.entries(sysctls)) writeProcFile(t.h, `/proc/sys/${k.replace(/\./g, '/')}`, `${v}\n`);
  const sk = udpSock(t.h);
  const ifindex = t.h.devByName('eth0')!.ifindex;
  return { ...t, sk, ifindex, join: (g = G) => sk.join({ multiaddr: g, ifindex }) };
}

const ms = (t: number) => t / NSEC_PER_MSEC;

describe('IGMP reports', () => {
  it('v2 mode: two unsolicited reports, then one leave to 224.0.0.2, with the kernel header form', () => {
    const t = joined(1, { 'net.ipv4.conf.eth0.force_igmp_version': 2 });
    t.join();
    t.net.sim.run({ until: 11 * NSEC_PER_SEC });
    t.sk.leave({ multiaddr: G, ifindex: t.ifindex });
    t.net.sim.run({ until: 30 * NSEC_PER_SEC });
    const sent = igmpSent(t.sink, 'h');
    expect(sent.map(describeIgmp)).toEqual(['report-v2 239.7.7.7 -> 239.7.7.7', 'report-v2 239.7.7.7 -> 239.7.7.7', 'leave-v2 239.7.7.7 -> 224.0.0.2']);
    // first report 2 jiffies after the join; the repeat within igmpv2_unsolicited_report_interval (10 s)
    expect(ms(sent[0]!.t)).toBe(2);
    expect(ms(sent[1]!.t)).toBeGreaterThanOrEqual(4);
    expect(ms(sent[1]!.t)).toBeLessThanOrEqual(10_003);
    for (const p of sent) expect([p.ihl, p.tos, p.ttl, p.df, p.id, p.src]).toEqual([6, 0xc0, 1, true, 0, '10.0.0.2']);
  });

  it('v3 mode: igmp_qrv state-change reports; 224.0.0.1 never reported; link-local only with the sysctl', () => {
    const t = joined(3, { 'net.ipv4.igmp_qrv': 3 });
    // mr_qrv is copied from the sysctl when the device comes up (ip_mc_reset)
    devClose(t.h.devByName('eth0')!);
    devOpen(t.h.devByName('eth0')!);
    t.join();
    t.join(ip4('224.0.0.1'));
    t.net.sim.run({ until: 5 * NSEC_PER_SEC });
    expect(igmpSent(t.sink, 'h').map(describeIgmp)).toEqual(Array(3).fill('v3 TO_EX 239.7.7.7 {} -> 224.0.0.22'));
    writeProcFile(t.h, '/proc/sys/net/ipv4/igmp_link_local_mcast_reports', '0\n');
    t.join(ip4('224.0.0.251'));
    t.net.sim.run({ until: 10 * NSEC_PER_SEC });
    expect(igmpSent(t.sink, 'h')).toHaveLength(3);
  });

  it('a v2 query puts the interface in v2 mode for qrv*qi + qri = 260 s, then v3 again', () => {
    const t = joined();
    t.join();
    t.net.sim.run({ until: NSEC_PER_SEC });
    const r0 = t.r.devByName('eth0')!;
    sendIgmpQuery(t.r, r0, { kind: 'query-v2', maxRespTime: 10, group: 0 });
    t.net.sim.run({ until: 2 * NSEC_PER_SEC });
    const querier = () => /^2\teth0\s+:\s+\d+\s+(V\d)$/m.exec(readProcFile(t.h, '/proc/net/igmp'))![1];
    expect(querier()).toBe('V2');
    expect(igmpSent(t.sink, 'h').map(describeIgmp).slice(2)).toEqual(['report-v2 239.7.7.7 -> 239.7.7.7']);
    t.net.sim.run({ until: (1 + 259) * NSEC_PER_SEC });
    expect(querier()).toBe('V2');
    t.net.sim.run({ until: (1 + 261) * NSEC_PER_SEC });
    expect(querier()).toBe('V3');
  });

  it('the "book" profile (Linux 3.x) keeps an old querier present for 400 s', () => {
    const t = joined();
    (t.net as unknown as { profile: string }).profile = 'book';
    t.join();
    sendIgmpQuery(t.r, t.r.devByName('eth0')!, { kind: 'query-v1', group: 0 });
    t.net.sim.run({ until: 399 * NSEC_PER_SEC });
    expect(readProcFile(t.h, '/proc/net/igmp')).toMatch(/eth0 {6}: {5}2 {6}V1\n/);
    t.net.sim.run({ until: 401 * NSEC_PER_SEC });
    expect(readProcFile(t.h, '/proc/net/igmp')).toMatch(/eth0 {6}: {5}2 {6}V3\n/);
  });

  it('device down stops reporting; up announces every group afresh', () => {
    const t = joined();
    t.join();
    t.net.sim.run({ until: 3 * NSEC_PER_SEC });
    devClose(t.h.devByName('eth0')!);
    t.net.sim.run({ until: 6 * NSEC_PER_SEC });
    expect(igmpSent(t.sink, 'h')).toHaveLength(2); // the v3 leave records of the down are never sent
    // the group stays on the interface's list; only 224.0.0.1 is left (ip_mc_down)
    expect(readProcFile(t.h, '/proc/net/igmp')).toMatch(/\n2\teth0 {6}: {5}1 {6}V3\n\t{4}070707EF {5}1 0:00000000\t\t0\n$/);
    devOpen(t.h.devByName('eth0')!);
    t.net.sim.run({ until: 10 * NSEC_PER_SEC });
    const sent = igmpSent(t.sink, 'h');
    expect(sent.map(describeIgmp)).toEqual(Array(4).fill('v3 TO_EX 239.7.7.7 {} -> 224.0.0.22'));
    expect(ms(sent[2]!.t)).toBe(6002);
  });

  it('report delays come from the seeded PRNG: same seed same times, another seed other times', () => {
    const times = (seed: number) => {
      const t = joined(seed);
      t.join();
      t.net.sim.run({ until: 5 * NSEC_PER_SEC });
      return igmpSent(t.sink, 'h').map((p) => p.t);
    };
    expect(times(7)).toEqual(times(7));
    expect(times(7)[1]).not.toBe(times(8)[1]);
  });

  it('traces the join, the timers and the reports under their kernel names, with causal parents', () => {
    const t = joined(1, { 'net.ipv4.conf.eth0.force_igmp_version': 2 });
    t.join();
    t.net.sim.run({ until: 11 * NSEC_PER_SEC });
    const fns = new Set(t.sink.events.filter((e) => e.node === 'h').map((e) => e.fn));
    for (const fn of ['ip_mc_join_group', 'ip_mc_inc_group', 'igmp_timer_expire', 'igmp_send_report']) expect(fns).toContain(fn);
    const arms = t.sink.byFn('mod_timer').filter((e) => e.node === 'h' && e.data.timer === 'igmp_timer_expire');
    expect(arms.map((e) => e.data.reason)).toEqual(['join: unsolicited report', 'unsolicited report repeat']);
    const send = t.sink.byFn('igmp_send_report')[0]!;
    expect(t.sink.ancestors(send.seq).map((e) => e.fn)).toContain('igmp_timer_expire');
  });
});
