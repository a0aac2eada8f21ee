// A guide step's long actions in the app (issue 9): the worker (serveService) runs them in slices, reports
// progress, and a cancel stops the running wait where it is; the step's remaining actions do not run and
// the response says which. Without a cancel the sliced step gives the same trace as the unsliced one.

import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import type { RunSlicing } from '../../../main/host/lab/session.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';
import type { LabStep } from '../../../main/host/lab/steps.js';
import { AppService } from '../../../main/host/app-service.js';
import type { RunProgress } from '../../../main/host/service-client.js';
import { workerHarness } from './worker-harness.js';
import type { RunStepActionsResponse } from '../../../main/host/guide-api.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC } from '../../../engine/sim/time.js';

const LONG = 3_000_000 * NSEC_PER_SEC;

function withStep(actions: LabStep['actions']): LabSpec {
  return { ...DEFAULT_LAB, steps: [{ title: 'Long wait', text: 'wait', hints: [], solution: [], actions, checks: [] }] };
}

const longStep = withStep([
  { type: 'udp-sender', node: 'src', dst: '10.2.0.22', port: 5000, count: 3 },
  { type: 'wait', duration: LONG },
  { type: 'command', node: 'src', run: 'ip -br addr show dev eth0' },
  { type: 'wait', duration: NSEC_PER_SEC },
]);

const harness = workerHarness;

describe('guide step actions in the lab worker', () => {
  it('a step with a long wait reports progress, and a cancel stops it: time where it stopped, the rest not run', async () => {
    const h = harness(longStep);
    const before = ((await h.call(1, 'getLab', undefined)) as { result: { now: number } }).result.now;
    const running = h.call(2, 'runStepActions', { step: 0 });
    const first = await h.progress();
    expect(first.done).toBe(false);
    expect(first.target - first.start).toBe(LONG);
    h.port.postMessage({ kind: 'cancel' });
    const res = await running;
    expect(res.ok).toBe(true);
    const r = (res as { result: RunStepActionsResponse }).result;
    expect(r.cancelled).toBe(true);
    expect(r.outcomes.map((o) => o.label)).toEqual(['send 3 UDP datagram(s) src → 10.2.0.22:5000', `wait ${LONG / NSEC_PER_SEC} s`]);
    expect(r.outcomes[1]!.ok).toBe(false);
    expect(r.outcomes[1]!.output).toMatch(/^wait cancelled after [\d.]+ s of 3000000 s$/);
    expect(r.notRun).toEqual(['src# ip -br addr show dev eth0', 'wait 1 s']);
    expect(r.now).toBeGreaterThan(before);
    expect(r.now).toBeLessThan(first.start + LONG);
    // The bar closes at the time the run stopped; the lab answers at that time.
    const last = h.out.filter((m): m is { kind: 'progress'; progress: RunProgress } => 'kind' in m).at(-1)!.progress;
    expect(last).toMatchObject({ done: true, now: r.now });
    const lab = (await h.call(3, 'getLab', undefined)) as { result: { now: number } };
    expect(lab.result.now).toBe(r.now);
    const guide = (await h.call(4, 'getGuide', undefined)) as { result: { steps: { actionRuns: number }[] } };
    expect(guide.result.steps[0]!.actionRuns).toBe(1);
  });

  it('without a cancel, the sliced step runs every action and leaves the same trace as an unsliced run', async () => {
    const spec = withStep([
      { type: 'udp-sender', node: 'src', dst: '10.2.0.22', port: 5000, count: 20, interval: 300 * NSEC_PER_MSEC },
      { type: 'wait', duration: 4 * NSEC_PER_SEC },
      { type: 'ping', node: 'src', dst: '10.2.0.21', count: 3 },
      { type: 'wait', duration: 2 * NSEC_PER_SEC },
    ]);
    const plain = new AppService(spec);
    const sliced = new AppService(spec);
    let slices = 0;
    const s: RunSlicing = {
      slice: 41 * NSEC_PER_MSEC,
      between: async () => {
        slices++;
        await new Promise<void>((r) => setImmediate(r));
      },
      cancelled: () => false,
    };
    sliced.slicing = s;
    const a = await plain.runStepActions({ step: 0 });
    const b = await sliced.runStepActions({ step: 0 });
    expect(b).toEqual(a);
    expect(b.cancelled).toBe(false);
    expect(b.notRun).toEqual([]);
    expect(b.outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    expect(slices).toBeGreaterThan(100);
    expect(sliced.session.net.sim.trace.fingerprint()).toBe(plain.session.net.sim.trace.fingerprint());
  });

  it('a cancel that arrives during a short action stops the step before its next action', async () => {
    const s = new AppService(longStep);
    let asked = 0;
    s.slicing = {
      slice: 100 * NSEC_PER_MSEC,
      between: async () => {},
      // The guide asks before each action: cancelled from the second question on (after the sender ran).
      cancelled: () => ++asked > 1,
    };
    const r = await s.runStepActions({ step: 0 });
    expect(r.cancelled).toBe(true);
    expect(r.outcomes.map((o) => o.ok)).toEqual([true]);
    expect(r.notRun).toEqual([`wait ${LONG / NSEC_PER_SEC} s`, 'src# ip -br addr show dev eth0', 'wait 1 s']);
  });
});
