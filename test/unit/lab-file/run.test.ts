import { describe, expect, it } from 'vitest';
import { loadLabText } from '../../../main/host/lab/lab-file.js';
import { formatLabError } from '../../../main/host/lab/lab-errors.js';
import { LabRun } from '../../../main/host/lab/lab-run.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';
import { memFiles, R1_STARTUP, SMALL_LAB } from './files.js';

function load(text: string): LabSpec {
  const r = loadLabText(text, 'labs/x.yaml', memFiles({ 'labs/r1.startup': R1_STARTUP }));
  if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
  return r.spec;
}

/** SMALL_LAB with its steps replaced. */
function withSteps(steps: string): LabSpec {
  return load(SMALL_LAB.slice(0, SMALL_LAB.indexOf('steps:\n')) + steps);
}

describe('lab run: actions and checks', () => {
  it('counts what a receiver got by (S,G): all 5 datagrams of the joined group, none on a receiver that did not join', async () => {
    const run = new LabRun(load(SMALL_LAB));
    const report = (await run.runAll());
    expect(run.session.startupErrors).toEqual([]);
    expect(report.steps[0]!.actions.every((a) => a.ok)).toBe(true);
    expect(report.steps[0]!.checks.map((c) => [c.name, c.passed])).toEqual([
      ['rx1-got-all', true],
      ['rx2-got-none', true],
    ]);
    expect([report.points, report.total, report.percent, report.passed]).toEqual([2, 2, 100, true]);
  });

  it('says what was expected and what arrived when a delivery check fails', async () => {
    const spec = withSteps(`steps:
  - title: t
    actions:
      - udp-receiver: { name: rx1, node: rcv1, port: 5000, group: 239.1.1.1, iface: eth0 }
      - udp-sender: { node: src, dst: 239.1.1.1, port: 5000, count: 3, interval: 0.1, iface: eth0 }
      - wait: 1s
    checks:
      - { name: want-4, delivery: { receiver: rx1, from: 10.2.0.10, packets: 4 }, hint: count again }
      - { name: none-from-s2, delivery: { receiver: rx1, from: 10.2.0.99, packets: 0 } }
      - { name: at-most-2, points: 3, delivery: { receiver: rx1, max: 2 } }
`);
    const report = (await new LabRun(spec).runAll());
    const [want4, none, atMost] = report.steps[0]!.checks;
    expect(want4).toMatchObject({ passed: false, hint: 'count again', message: 'receiver rx1 on rcv1: datagrams from 10.2.0.10: expected 4, got 3 (it received 3 × 10.2.0.10 -> 239.1.1.1)' });
    expect(none).toMatchObject({ passed: true });
    expect(atMost).toMatchObject({ passed: false, message: 'receiver rx1 on rcv1: datagrams: expected at most 2, got 3 (it received 3 × 10.2.0.10 -> 239.1.1.1)' });
    expect([report.points, report.total, report.percent, report.passed]).toEqual([1, 5, 20, false]);
  });

  it('joins and leaves groups on a node: datagrams reach a port-bound receiver only while the node is a member', async () => {
    // IP_MULTICAST_ALL is 1 by default: a socket bound to the port receives every group its host joined.
    const spec = withSteps(`steps:
  - title: joined
    actions:
      - udp-receiver: { name: rx2, node: rcv2, port: 6000 }
      - join: { node: rcv2, group: 239.2.2.2, iface: eth0 }
      - udp-sender: { node: src, dst: 239.2.2.2, port: 6000, count: 2, interval: 100ms, iface: eth0 }
      - wait: 1s
    checks:
      - { name: got-2, delivery: { receiver: rx2, to: 239.2.2.2, packets: 2 } }
  - title: left
    actions:
      - leave: { node: rcv2, group: 239.2.2.2, iface: eth0 }
      - leave: { node: rcv2, group: 239.2.2.2, iface: eth0 }
      - udp-sender: { node: src, dst: 239.2.2.2, port: 6000, count: 2, interval: 100ms, iface: eth0 }
      - wait: 1s
    checks:
      - { name: still-2, delivery: { receiver: rx2, to: 239.2.2.2, packets: 2 } }
`);
    const report = (await new LabRun(spec).runAll());
    expect(report.steps.map((s) => s.checks.map((c) => c.passed))).toEqual([[true], [true]]);
    const [, second] = report.steps[1]!.actions;
    expect(second).toMatchObject({ ok: false, output: 'rcv2: setsockopt(IP_DROP_MEMBERSHIP): Cannot assign requested address (EADDRNOTAVAIL)' });
  });

  it('checks command output with equals, contains, regex, absent, exit status and stream, and explains failures', async () => {
    const spec = withSteps(`steps:
  - title: t
    checks:
      - { name: eq, command: { node: r1, run: sysctl -n net.ipv4.ip_forward, equals: "0" } }
      - { name: eq-bad, command: { node: r1, run: sysctl -n net.ipv4.ip_forward, equals: "1" } }
      - { name: contains, command: { node: r1, run: ip route, contains: ["10.1.0.0/24 dev eth0", "proto kernel"], absent: "10.2.0.0" } }
      - { name: regex-bad, command: { node: r1, run: ip route, regex: '^default via' } }
      - { name: rc, command: { node: r1, run: ping -c 1 10.9.0.1, rc: 2, stream: stderr, equals: "ping: connect: Network is unreachable" } }
      - { name: rc-default, command: { node: r1, run: cat /proc/sys/net/nope } }
`);
    const checks = (await new LabRun(spec).runAll()).steps[0]!.checks;
    expect(checks.map((c) => [c.name, c.passed])).toEqual([
      ['eq', true],
      ['eq-bad', false],
      ['contains', true],
      ['regex-bad', false],
      ['rc', true],
      ['rc-default', false],
    ]);
    expect(checks[1]!.message).toBe('`sysctl -n net.ipv4.ip_forward` on r1: expected the output "1"; got:\n0');
    expect(checks[3]!.message).toBe('`ip route` on r1: expected the output to match /^default via/; got:\n10.1.0.0/24 dev eth0 proto kernel scope link src 10.1.0.1 linkdown'); // src:eth1, its peer, is down
    expect(checks[5]!.message).toBe('`cat /proc/sys/net/nope` on r1: expected exit status 0, got 1 (cat: /proc/sys/net/nope: No such file or directory); got no output; stderr: cat: /proc/sys/net/nope: No such file or directory');
  });

  it('checks trace events by fn, kind, node and data, in the step or the whole run', async () => {
    const spec = withSteps(`steps:
  - title: down
    actions:
      - link-down: "r1:eth0"
    checks:
      - { name: flushed, trace: { fn: fib_table_flush, node: r1, data: { dst: 10.1.0.0/24 }, count: 1 } }
      - { name: closed, trace: { fn: dev_close, kind: state, node: r1, data: { dev: eth0 } } }
      - { name: not-src, trace: { fn: dev_close, node: src } }
  - title: later
    actions:
      - wait: 1s
    checks:
      - { name: step-scope, trace: { fn: dev_close, node: r1, max: 0 } }
      - { name: run-scope, trace: { fn: dev_close, node: r1, scope: run, count: 1 } }
`);
    const report = (await new LabRun(spec).runAll());
    expect(report.steps.map((s) => s.checks.map((c) => [c.name, c.passed]))).toEqual([
      [['flushed', true], ['closed', true], ['not-src', false]],
      [['step-scope', true], ['run-scope', true]],
    ]);
    expect(report.steps[0]!.checks[2]!.message).toMatch(/^trace events dev_close \(on src\) in this step: expected at least 1, got 0; dev_close ran 1 time\(s\) otherwise, first: \{"node":"r1","kind":"state","data":\{"dev":"eth0"/);
  });

  it('runs the reference solution only when asked, and gives the same report for the same seed', async () => {
    const spec = withSteps(`steps:
  - title: forward
    solution:
      - { node: r1, run: sysctl -w net.ipv4.ip_forward=1 }
    checks:
      - { name: fwd, command: { node: r1, run: sysctl -n net.ipv4.ip_forward, equals: "1" } }
`);
    expect((await new LabRun(spec).runAll()).passed).toBe(false);
    const a = new LabRun(spec, { solution: true, seed: 3 });
    expect((await a.runAll()).passed).toBe(true);
    const b = new LabRun(spec, { solution: true, seed: 3 });
    await b.runAll();
    expect(b.session.net.sim.trace.fingerprint()).toBe(a.session.net.sim.trace.fingerprint());
  });
});
