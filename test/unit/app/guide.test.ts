import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';

const LABS = join(import.meta.dirname, '..', '..', '..', 'labs');

function lab(file: string): LabSpec {
  const r = openLabFile(join(LABS, file));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.spec;
}

describe('guide API over 02-static-routes', () => {
  it('lists the steps with their actions and checks, nothing checked yet, 0 % of the points', async () => {
    const s = new AppService(lab('02-static-routes.yaml'));
    const g = await s.getGuide();
    expect(g.lab).toBe('02-static-routes');
    expect(g.steps.map((x) => x.title)).toEqual(['Where does the packet stop?', 'A route on r1', 'The way back']);
    expect(g.steps[0]!.actions).toEqual([{ label: 'ping 10.3.0.20 from h1 (1×)', type: 'ping' }]);
    expect(g.steps[1]!.hints[0]).toContain('ip route add 10.3.0.0/24 via 10.0.12.2');
    expect(g.steps.flatMap((x) => x.checks.map((c) => c.result))).toEqual(Array(8).fill(null));
    // Points as the lab file gives them (default 1): 1+1, 2+1+1, 2+2+1.
    expect(g.total).toBe(11);
    expect([g.points, g.percent]).toEqual([0, 0]);
  });

  it("runs step 1's actions in the live session (the ping shows in the trace) and checks them", async () => {
    const s = new AppService(lab('02-static-routes.yaml'));
    const before = (await s.getTrace({ offset: 0, limit: 1 })).total;
    const run = await s.runStepActions({ step: 0 });
    expect(run.outcomes).toHaveLength(1);
    expect(run.outcomes[0]!.output).toContain('Destination Net Unreachable');
    expect((await s.getTrace({ offset: 0, limit: 1 })).total).toBeGreaterThan(before);
    const c = await s.checkStep({ step: 0 });
    expect(c.checks.map((x) => [x.name, x.result?.passed])).toEqual([
      ['no-route-at-r1', true],
      ['net-unreachable', true],
    ]);
    expect([c.points, c.total, c.percent]).toEqual([2, 11, 18]);
    expect((await s.getGuide()).steps[0]!.actionRuns).toBe(1);
  });

  it('fails a check with expected-vs-got and its hint, then passes once the student fixed the route', async () => {
    const s = new AppService(lab('02-static-routes.yaml'));
    const fail = await s.checkStep({ step: 2 });
    const back = fail.checks.find((x) => x.name === 'r2-route-back')!;
    expect(back.result!.passed).toBe(false);
    expect(back.result!.message).toMatch(/expected the output to match .*got/s);
    expect(fail.points).toBe(0);
    await s.runCommand({ node: 'r1', line: 'ip route add 10.3.0.0/24 via 10.0.12.2' });
    await s.runCommand({ node: 'r2', line: 'ip route add 10.1.0.0/24 via 10.0.12.1' });
    const pass = await s.checkStep({ step: 2 });
    expect(pass.checks.map((x) => x.result?.passed)).toEqual([true, true, true]);
    expect([pass.points, pass.percent]).toEqual([5, 45]);
    // The guide view keeps the last results.
    expect((await s.getGuide()).points).toBe(5);
  });

  it('a reset starts the guide over', async () => {
    const s = new AppService(lab('02-static-routes.yaml'));
    await s.runStepActions({ step: 0 });
    await s.checkStep({ step: 0 });
    await s.reset();
    const g = await s.getGuide();
    expect([g.points, g.steps[0]!.actionRuns, g.steps[0]!.checks[0]!.result]).toEqual([0, 0, null]);
  });

  it('refuses a step the lab does not have (ENOENT) and bad arguments (EINVAL)', async () => {
    const s = new AppService(lab('02-static-routes.yaml'));
    await expect(s.invoke('checkStep', { step: 3 })).rejects.toMatchObject({ code: 'ENOENT' });
    for (const [m, arg] of [
      ['runStepActions', { step: -1 }],
      ['runStepActions', { step: 1.5 }],
      ['checkStep', { step: '0' }],
      ['checkStep', { step: 0, extra: 1 }],
      ['checkStep', null],
      ['getGuide', { step: 0 }],
    ] as const) {
      expect(() => parseRequest(m, arg), `${m} ${JSON.stringify(arg)}`).toThrow(ApiError);
    }
    expect(parseRequest('runStepActions', { step: 2 })).toEqual({ method: 'runStepActions', arg: { step: 2 } });
  });

  it('a lab without steps has an empty guide at 100 %', async () => {
    const spec = { ...lab('02-static-routes.yaml'), steps: undefined };
    const g = await new AppService(spec).getGuide();
    expect([g.steps, g.total, g.percent]).toEqual([[], 0, 100]);
  });
});
