import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { LabSession, type RunSlicing } from '../../../main/host/lab/session.js';
import type { RunProgress } from '../../../main/host/service-client.js';
import { workerHarness, type WorkerHarness } from './worker-harness.js';
import type { RunCommandResponse } from '../../../main/host/api.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC } from '../../../engine/sim/time.js';

const slicing = (slice: number, onBetween?: () => void): RunSlicing => ({
  slice,
  between: async () => onBetween?.(),
  cancelled: () => false,
});

describe('long commands run in slices of simulated time', () => {
  const line = 'ping -c 6 -i 0.3 10.2.0.22';
  it('gives the same output, clock and trace fingerprint sliced as in one go', async () => {
    const whole = new LabSession(DEFAULT_LAB);
    const r0 = whole.runCommand('src', line);
    expect(r0.stdout).toContain('6 packets transmitted, 6 received');
    for (const slice of [7 * NSEC_PER_MSEC, 250 * NSEC_PER_MSEC, 333_333_337]) {
      const sliced = new LabSession(DEFAULT_LAB);
      let slices = 0;
      const r = await sliced.runCommandSliced('src', line, slicing(slice, () => slices++));
      expect(slices).toBeGreaterThan(1);
      expect({ rc: r.rc, stdout: r.stdout, stderr: r.stderr, interrupted: r.interrupted }).toEqual({ ...r0, interrupted: false });
      expect(sliced.now).toBe(whole.now);
      expect(sliced.net.sim.trace.fingerprint()).toBe(whole.net.sim.trace.fingerprint());
    }
  });

  it('interrupts ping at the current simulated time with the statistics iputils prints after ^C', async () => {
    const s = new LabSession(DEFAULT_LAB);
    const t0 = s.now;
    let stop = false;
    const r = await s.runCommandSliced('src', 'ping -c 100 -i 0.2 10.2.0.22', {
      slice: 100 * NSEC_PER_MSEC,
      between: async ({ now, start }) => {
        if (now - start >= NSEC_PER_SEC) stop = true;
      },
      cancelled: () => stop,
    });
    expect(r.interrupted).toBe(true);
    expect(s.now - t0).toBe(NSEC_PER_SEC);
    // Sends at 0, 0.2 ... 1.0 s: six requests; the one sent at the instant of ^C has no reply yet. The time
    // is what elapsed up to the ^C.
    expect(r.stdout).toContain('6 packets transmitted, 5 received, 17% packet loss, time 1000ms');
    expect(r.stdout).toMatch(/rtt min\/avg\/max\/mdev = /);
    expect(r.rc).toBe(0);
    // The lab goes on consistently: no stray requests from the cancelled run.
    const next = s.runCommand('src', 'ping -c 2 10.2.0.22');
    expect(next.stdout).toContain('2 packets transmitted, 2 received');
    expect(next.stdout).not.toContain('icmp_seq=7');
  });
});

const harness = (): WorkerHarness => workerHarness(DEFAULT_LAB);

describe('lab worker protocol: progress and cancel', () => {
  it('reports progress of a long `sleep`, stops it on cancel with rc 130, and keeps serving', async () => {
    const h = harness();
    const running = h.call(1, 'runCommand', { node: 'src', line: 'sleep 3000000' });
    const first = await h.progress();
    expect(first.done).toBe(false);
    expect(first.target - first.start).toBe(3_000_000 * NSEC_PER_SEC);
    // A request sent during the run waits for it rather than interleaving with the simulation.
    const queued = h.call(2, 'runCommand', { node: 'src', line: 'ip -br addr show dev eth0' });
    h.port.postMessage({ kind: 'cancel' });
    const res = await running;
    expect(res.ok).toBe(true);
    const r = (res as { result: RunCommandResponse }).result;
    expect(r.rc).toBe(130);
    expect(r.now).toBeLessThan(first.target);
    const last = h.out.filter((m): m is { kind: 'progress'; progress: RunProgress } => 'kind' in m).at(-1)!.progress;
    expect(last).toMatchObject({ done: true, now: r.now, target: first.target });
    const q = await queued;
    expect(q.ok && (q.result as RunCommandResponse).stdout).toContain('eth0');
    expect(q.ok && (q.result as RunCommandResponse).now).toBe(r.now);
  });

  it('a cancel with no run in progress does not touch the next run', async () => {
    const h = harness();
    h.port.postMessage({ kind: 'cancel' });
    const res = await h.call(1, 'runCommand', { node: 'src', line: 'sleep 2' });
    expect(res.ok && (res.result as RunCommandResponse)).toMatchObject({ rc: 0, now: expect.any(Number) as number });
    expect(res.ok && (res.result as RunCommandResponse).now).toBeGreaterThanOrEqual(2 * NSEC_PER_SEC);
  });

  it('cancels a long ping mid-run: statistics for what was sent, the lab still answers', async () => {
    const h = harness();
    const running = h.call(1, 'runCommand', { node: 'src', line: 'ping -c 100000 -i 0.2 10.2.0.22' });
    let p = await h.progress();
    while (p.now - p.start < NSEC_PER_SEC) p = await h.progress();
    h.port.postMessage({ kind: 'cancel' });
    const res = await running;
    const r = (res as { result: RunCommandResponse }).result;
    const m = /(\d+) packets transmitted, (\d+) received/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(5);
    expect(Number(m![1])).toBeLessThan(100000);
    expect(r.rc).toBe(0);
    const after = await h.call(2, 'runCommand', { node: 'src', line: 'ping -c 1 10.2.0.22' });
    expect(after.ok && (after.result as RunCommandResponse).stdout).toContain('1 packets transmitted, 1 received');
  });
});
