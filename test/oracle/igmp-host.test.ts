// Differential tests of the IGMP host side: a real namespace and the engine perform the same joins,
// leaves and source-filter changes and hear the same queries; the IGMP datagrams that reach the router
// side must be byte-identical and in the same order, each inside the kernel's timing window, and every
// errno and /proc/net/igmp + /proc/net/mcfilter snapshot equal.

import { afterAll, describe, expect, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { MADDR_CMDS, normaliseProc, runIgmpScenario, type HostStep, type IgmpRun, type IgmpScenario } from './igmp-harness.js';
import { decodeIgmp, type IgmpMessage } from '../../engine/wire/igmp.js';
import { decodeIpv4 } from '../../engine/wire/ipv4.js';
import { formatIpv4, parseIpv4 } from '../../engine/wire/inet.js';

const ip = (s: string): number => parseIpv4(s)!;

const gate = oracleGate();
if (!gate.ok) console.log(`kernel-oracle tests skipped: ${gate.reason}`);

/** Real timers run late by scheduling noise; never early. */
const SLACK_MS = 150;

function describePkt(hex: string): string {
  const ip = decodeIpv4(Uint8Array.from(Buffer.from(hex, 'hex')));
  const m = decodeIgmp(ip.payload).message;
  const body =
    m.kind === 'report-v3'
      ? m.records.map((r) => `${r.type}:${formatIpv4(r.group)}{${r.sources.map(formatIpv4).join(',')}}`).join(' ')
      : 'group' in m
        ? formatIpv4(m.group)
        : '';
  return `${m.kind} ${body} -> ${formatIpv4(ip.header.dst)}`;
}

function check(sc: Checked, real: IgmpRun, model: IgmpRun): void {
  const show = (r: IgmpRun) => r.packets.map((p) => `${p.t.toFixed(1)} ${describePkt(p.hex)}`).join('\n');
  expect(model.results.map((r) => r.err ?? 'dump')).toEqual(real.results.map((r) => r.err ?? 'dump'));
  real.results.forEach((r, i) => {
    if (r.op !== 'dump') return;
    expect(normaliseProc(model.results[i]!.igmp!), `/proc/net/igmp at step ${i}`).toBe(normaliseProc(r.igmp!));
    expect(model.results[i]!.mcfilter, `/proc/net/mcfilter at step ${i}`).toBe(r.mcfilter);
    MADDR_CMDS.forEach((c, j) => expect(model.results[i]!.maddr![j], `ip ${c} at step ${i}`).toBe(r.maddr![j]));
  });
  if (!sc.windows) return;
  expect(model.packets.map((p) => describePkt(p.hex)), `kernel:\n${show(real)}\nmodel:\n${show(model)}`).toEqual(real.packets.map((p) => describePkt(p.hex)));
  expect(model.packets.map((p) => p.hex)).toEqual(real.packets.map((p) => p.hex));
  expect(real.packets.length).toBe(sc.windows.length);
  sc.windows.forEach(([lo, hi], i) => {
    expect(real.packets[i]!.t, `kernel packet ${i}`).toBeGreaterThanOrEqual(lo);
    expect(real.packets[i]!.t, `kernel packet ${i}`).toBeLessThanOrEqual(hi + SLACK_MS);
    expect(model.packets[i]!.t, `model packet ${i}`).toBeGreaterThanOrEqual(lo);
    expect(model.packets[i]!.t, `model packet ${i}`).toBeLessThanOrEqual(hi);
  });
}

const IF = 2; // h0's ifindex in the host namespace
const H = '10.0.0.2';

const G0: IgmpMessage = { kind: 'query-v3', maxRespCode: 10, group: 0, sFlag: false, qrv: 2, qqic: 125, sources: [] };

type Checked = IgmpScenario & { windows: Array<[number, number]> | null };

const SCENARIOS: Checked[] = [
  {
    title: 'v3 any-source join, block and unblock a source, leave',
    steps: [
      { at: 100, op: 'join', sock: 'a', group: '239.1.2.3', ifindex: IF },
      // another socket joins a group with the same MAC (01:00:5e:01:02:03) and the same group: users 2
      { at: 100, op: 'join', sock: 'b', group: '224.1.2.3', ifindex: IF },
      { at: 100, op: 'join', sock: 'b', group: '239.1.2.3', ifindex: IF },
      { at: 1400, op: 'dump' },
      { at: 1420, op: 'leave', sock: 'b', group: '224.1.2.3', ifindex: IF },
      { at: 1420, op: 'leave', sock: 'b', group: '239.1.2.3', ifindex: IF },
      { at: 2900, op: 'block', sock: 'a', group: '239.1.2.3', interface: H, source: '10.9.9.1' },
      { at: 4300, op: 'dump' },
      { at: 4400, op: 'unblock', sock: 'a', group: '239.1.2.3', interface: H, source: '10.9.9.1' },
      { at: 5800, op: 'leave', sock: 'a', group: '239.1.2.3', ifindex: IF },
      { at: 7200, op: 'dump' },
    ],
    duration: 7400,
    // each change: at once (2 jiffies), then one retransmission within igmpv3_unsolicited_report_interval (1 s)
    windows: [[100, 103], [103, 1105], [1420, 1423], [1423, 2425], [2900, 2903], [2903, 3905], [4400, 4403], [4403, 5405], [5800, 5803], [5803, 6805]],
  },
  {
    title: 'v3 source-specific joins, source changes, IP_MSFILTER to EXCLUDE, close',
    steps: [
      { at: 100, op: 'add_src', sock: 'a', group: '232.1.1.1', interface: H, source: '10.9.9.1' },
      { at: 1500, op: 'add_src', sock: 'a', group: '232.1.1.1', interface: H, source: '10.9.9.2' },
      { at: 2900, op: 'dump' },
      { at: 3000, op: 'drop_src', sock: 'a', group: '232.1.1.1', interface: H, source: '10.9.9.1' },
      { at: 4400, op: 'msfilter', sock: 'a', group: '232.1.1.1', interface: H, fmode: 0, sources: ['10.9.9.3'] },
      { at: 5800, op: 'dump' },
      { at: 5900, op: 'close', sock: 'a' },
      { at: 7300, op: 'dump' },
    ],
    duration: 7400,
    windows: [[100, 103], [103, 1105], [1500, 1503], [1503, 2505], [3000, 3003], [3003, 4005], [4400, 4403], [4403, 5405], [5900, 5903], [5903, 6905]],
  },
  {
    title: 'v2 (force_igmp_version=2): unsolicited reports, query answer, suppression, leave only by the last reporter',
    hostSysctls: { 'net.ipv4.conf.h0.force_igmp_version': 2, 'net.ipv4.conf.h0.igmpv2_unsolicited_report_interval': 300 },
    steps: [
      { at: 100, op: 'join', sock: 'a', group: '239.2.2.2', ifindex: IF },
      { at: 2800, op: 'dump' },
      { at: 3000, op: 'leave', sock: 'a', group: '239.2.2.2', ifindex: IF },
      { at: 3100, op: 'join', sock: 'a', group: '239.2.2.3', ifindex: IF },
      { at: 3600, op: 'leave', sock: 'a', group: '239.2.2.3', ifindex: IF },
      { at: 3700, op: 'dump' },
    ],
    queries: [
      { at: 1000, dst: '224.0.0.1', msg: { kind: 'query-v2', maxRespTime: 10, group: 0 } },
      { at: 2500, dst: '224.0.0.1', msg: { kind: 'query-v2', maxRespTime: 50, group: 0 } },
      // another member's report: ours is suppressed, so we are not the last reporter
      { at: 2510, dst: '239.2.2.2', msg: { kind: 'report-v2', group: ip('239.2.2.2') } },
    ],
    duration: 4000,
    windows: [[100, 103], [103, 403], [1000, 2003], [3100, 3103], [3103, 3403], [3600, 3601]],
  },
  {
    title: 'v3 general, group-and-source-specific and group-specific queries',
    steps: [
      { at: 100, op: 'join', sock: 'a', group: '239.3.3.3', ifindex: IF },
      { at: 1500, op: 'add_src', sock: 'b', group: '232.3.3.3', interface: H, source: '10.9.9.1' },
      { at: 1500, op: 'add_src', sock: 'b', group: '232.3.3.3', interface: H, source: '10.9.9.2' },
      { at: 6400, op: 'dump' },
      // closing both: one report with the left INCLUDE sources (newest first) and the left ASM group
      { at: 6500, op: 'close', sock: 'b' },
      { at: 6500, op: 'close', sock: 'a' },
      { at: 7900, op: 'dump' },
    ],
    queries: [
      { at: 3000, dst: '224.0.0.1', msg: G0 },
      { at: 4200, dst: '232.3.3.3', msg: { ...G0, group: ip('232.3.3.3'), sFlag: false, sources: [ip('10.9.9.2'), ip('10.9.9.9')] } },
      { at: 5300, dst: '239.3.3.3', msg: { ...G0, group: ip('239.3.3.3') } },
    ],
    duration: 8000,
    windows: [[100, 103], [103, 1105], [1500, 1503], [1503, 2505], [3000, 4003], [4200, 5203], [5300, 6303], [6500, 6503], [6503, 7505]],
  },
  {
    title: 'a v2 querier switches a v3 host to v2 mode: v2 reports and leaves',
    hostSysctls: { 'net.ipv4.conf.h0.igmpv2_unsolicited_report_interval': 200 },
    steps: [
      { at: 100, op: 'join', sock: 'a', group: '239.4.4.4', ifindex: IF },
      { at: 1800, op: 'dump' },
      { at: 1900, op: 'join', sock: 'b', group: '239.4.4.5', ifindex: IF },
      { at: 2300, op: 'leave', sock: 'b', group: '239.4.4.5', ifindex: IF },
      { at: 2400, op: 'leave', sock: 'a', group: '239.4.4.4', ifindex: IF },
      { at: 2500, op: 'dump' },
    ],
    queries: [{ at: 1200, dst: '224.0.0.1', msg: { kind: 'query-v2', maxRespTime: 5, group: 0 } }],
    duration: 2600,
    windows: [[100, 103], [103, 1105], [1200, 1703], [1900, 1903], [1903, 2103], [2300, 2301], [2400, 2401]],
  },
  {
    title: 'v1 (force_igmp_version=1): v1 reports, and no leave message',
    hostSysctls: { 'net.ipv4.conf.h0.force_igmp_version': 1, 'net.ipv4.conf.h0.igmpv2_unsolicited_report_interval': 300 },
    steps: [
      { at: 100, op: 'join', sock: 'a', group: '239.7.7.1', ifindex: IF },
      { at: 500, op: 'dump' },
      { at: 600, op: 'leave', sock: 'a', group: '239.7.7.1', ifindex: IF },
      { at: 900, op: 'dump' },
    ],
    duration: 1000,
    windows: [[100, 103], [103, 403]],
  },
  {
    title: 'device down keeps the groups and sends nothing; up reports them afresh',
    steps: [
      { at: 100, op: 'join', sock: 'a', group: '239.8.8.8', ifindex: IF },
      { at: 1400, op: 'dump' },
      { at: 1500, op: 'ip', args: 'link set h0 down' },
      { at: 1600, op: 'dump' },
      { at: 2000, op: 'ip', args: 'link set h0 up' },
      { at: 3100, op: 'dump' },
    ],
    duration: 3200,
    windows: [[100, 103], [103, 1105], [2000, 2003], [2003, 3005]],
  },
  {
    title: 'v3 reports are split at the device MTU (mtu 80: six 8-byte records per packet)',
    setup: 'h: link set h0 mtu 80\n',
    steps: [...Array.from({ length: 10 }, (_, i): HostStep => ({ at: 100, op: 'join', sock: 'a', group: `239.6.6.${i + 1}`, ifindex: IF })), { at: 2700, op: 'dump' }],
    queries: [{ at: 1500, dst: '224.0.0.1', msg: G0 }],
    duration: 2800,
    windows: [[100, 103], [100, 103], [103, 1105], [103, 1105], [1500, 2503], [1500, 2503]],
  },
  {
    title: 'errnos of the membership and source-filter options',
    steps: [
      { at: 100, op: 'join', sock: 'a', group: '239.5.5.1', ifindex: IF },
      { at: 150, op: 'join', sock: 'a', group: '239.5.5.1', ifindex: IF },
      { at: 200, op: 'join', sock: 'a', group: '10.1.1.1', ifindex: IF },
      { at: 250, op: 'join', sock: 'a', group: '239.5.5.2', ifindex: 99 },
      { at: 300, op: 'join', sock: 'a', group: '239.5.5.2' },
      { at: 350, op: 'join', sock: 'a', group: '239.5.5.2', address: '10.0.0.2' },
      { at: 400, op: 'leave', sock: 'a', group: '239.9.9.9', ifindex: IF },
      { at: 450, op: 'leave', sock: 'a', group: '239.9.9.9' },
      { at: 500, op: 'add_src', sock: 'a', group: '239.5.5.1', interface: H, source: '10.9.9.1' },
      { at: 550, op: 'block', sock: 'a', group: '239.5.5.1', interface: H, source: '10.9.9.2' },
      { at: 600, op: 'drop_src', sock: 'a', group: '239.5.5.1', interface: H, source: '10.9.9.9' },
      { at: 650, op: 'unblock', sock: 'b', group: '239.5.5.1', interface: H, source: '10.9.9.1' },
      { at: 700, op: 'block', sock: 'a', group: '239.5.5.2', interface: H, source: '10.9.9.2' },
      { at: 750, op: 'unblock', sock: 'a', group: '239.5.5.2', interface: H, source: '10.9.9.2' },
      { at: 800, op: 'unblock', sock: 'a', group: '239.5.5.2', interface: H, source: '10.9.9.2' },
      { at: 850, op: 'add_src', sock: 'a', group: '239.5.5.2', interface: H, source: '10.9.9.2' },
      ...Array.from({ length: 5 }, (_, i): HostStep => ({ at: 900 + 10 * i, op: 'add_src', sock: 'c', group: '232.5.5.5', interface: H, source: `10.9.9.${i + 1}` })),
      { at: 960, op: 'add_src', sock: 'c', group: '232.5.5.5', interface: H, source: '10.9.9.1' },
      ...Array.from({ length: 6 }, (_, i): HostStep => ({ at: 1000 + 10 * i, op: 'add_src', sock: 'c', group: '232.5.5.5', interface: H, source: `10.9.9.${i + 6}` })),
      { at: 1100, op: 'add_src', sock: 'c', group: '232.5.5.5', interface: H, source: '10.9.9.1' },
      { at: 1150, op: 'msfilter', sock: 'd', group: '239.5.5.7', interface: H, fmode: 0, sources: ['10.9.9.1'] },
      { at: 1200, op: 'msfilter', sock: 'd', group: '239.5.5.7', interface: H, fmode: 2, sources: ['10.9.9.1'] },
      { at: 1250, op: 'msfilter', sock: 'd', group: '239.5.5.7', interface: H, fmode: 1, sources: [] },
      { at: 1300, op: 'msfilter', sock: 'd', group: '10.5.5.7', interface: H, fmode: 1, sources: ['10.9.9.1'] },
      { at: 1350, op: 'msfilter', sock: 'a', group: '239.5.5.1', interface: H, fmode: 1, sources: Array.from({ length: 11 }, (_, i) => `10.9.8.${i + 1}`) },
      { at: 1400, op: 'drop_src', sock: 'c', group: '232.5.5.5', interface: H, source: '10.9.9.3' },
      { at: 1500, op: 'dump' },
      { at: 1550, op: 'close', sock: 'c' },
      { at: 1600, op: 'dump' },
    ],
    duration: 1700,
    // many changes close together: their aggregation into reports depends on HZ; compare errnos and /proc only
    windows: null,
  },
];

describe.skipIf(!gate.ok)('IGMP host side against the kernel', () => {
  afterAll(destroyAllLabs);
  for (const sc of SCENARIOS) {
    it(sc.title, async () => {
      const { real, model } = await runIgmpScenario(sc);
      if (process.env.IGMP_ORACLE_DEBUG) console.log(JSON.stringify({ real, model }, null, 1));
      check(sc, real, model);
    }, 30_000);
  }
});
