import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';

const LAB = join(import.meta.dirname, '..', '..', '..', 'labs', '03-mrt-init.yaml');

function service(): AppService {
  const r = openLabFile(LAB);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return new AppService(r.spec);
}

describe('guide steps with daemon actions and SQL checks (03-mrt-init)', () => {
  it("the starter fails step 1's checks (the SQL one too); the student's fixed daemon, run from the pane, passes", async () => {
    const s = service();
    await s.startDaemon({ node: 'r1', file: 'starter.ts', source: readFileSync(join(LAB, '..', '03-mrt-init', 'starter.ts'), 'utf8') });
    const before = await s.checkStep({ step: 0 });
    expect(before.checks.find((c) => c.name === 'mc-forwarding-on')!.result!.passed).toBe(false);
    expect(before.checks.find((c) => c.name === 'mrt-init-accepted')!.result).toMatchObject({ passed: false });
    await s.startDaemon({ node: 'r1', file: 'daemon.ts', source: readFileSync(join(LAB, '..', '03-mrt-init', 'solution.ts'), 'utf8') });
    const after = await s.checkStep({ step: 0 });
    expect(after.checks.map((c) => [c.name, c.result!.passed])).toEqual([
      ['mc-forwarding-on', true],
      ['mrt-init-accepted', true],
      ['no-vifs-yet', true],
    ]);
  });

  it("a step's extra process runs beside the student's daemon (which keeps its table); stopping both runs mrtsock_destruct", async () => {
    const s = service();
    await s.startDaemon({ node: 'r1', file: 'daemon.ts', source: readFileSync(join(LAB, '..', '03-mrt-init', 'solution.ts'), 'utf8') });
    const second = await s.runStepActions({ step: 1 });
    expect(second.outcomes[0]!.output).toMatch(/^r1: started second\.ts/);
    // The student's daemon was not replaced by the second program.
    expect((await s.listDaemons()).find((d) => d.node === 'r1')).toMatchObject({ file: 'daemon.ts', state: 'running' });
    const c1 = await s.checkStep({ step: 1 });
    expect(c1.checks.map((c) => [c.name, c.result!.passed])).toEqual([
      ['second-gets-eaddrinuse', true],
      ['still-one', true],
    ]);
    const gone = await s.runStepActions({ step: 2 });
    expect(gone.outcomes[0]).toMatchObject({ ok: true, output: 'r1: stopped daemon.ts' });
    expect((await s.listDaemons()).find((d) => d.node === 'r1')!.state).not.toBe('running');
    const c2 = await s.checkStep({ step: 2 });
    expect(c2.checks.map((c) => [c.name, c.result!.passed])).toEqual([
      ['destructed', true],
      ['mc-forwarding-off', true],
    ]);
  });

  it("a step's own-daemon start without a pane script runs the lab's starter; a stop with none running says so", async () => {
    const r = openLabFile(LAB);
    if (!r.ok) throw new Error('lab did not load');
    const spec = { ...r.spec, steps: [{ ...r.spec.steps![0]!, actions: [{ type: 'daemon' as const, node: 'r1', do: 'start' as const }], checks: [] }, ...r.spec.steps!.slice(1)] };
    const s = new AppService(spec);
    const labels = (await s.getGuide()).steps.flatMap((st) => st.actions.filter((a) => a.type === 'daemon').map((a) => a.label));
    expect(labels).toEqual(['start the daemon on r1', 'start the daemon on r1 (second.ts)', 'stop the daemon on r1', 'stop the daemon on r1 (second.ts)']);
    const stop = await s.runStepActions({ step: 2 });
    // A failed action names where the lab wrote it (file:line:col of the action's mapping).
    const lines = readFileSync(LAB, 'utf8').split('\n');
    const at = (text: string): string => {
      const i = lines.findIndex((l) => l.includes(text));
      return `LAB:${i + 1}:${lines[i]!.indexOf('daemon') + 1}`;
    };
    expect(stop.outcomes.map((o) => [o.ok, o.output.replace(LAB, 'LAB')])).toEqual([
      [false, `r1 has no daemon to stop\n(action failed at ${at('- daemon: { node: r1, do: stop }')})`],
      [false, `r1: second.ts is not running\n(action failed at ${at('- daemon: { node: r1, do: stop, script:')})`],
    ]);
    const start = await s.runStepActions({ step: 0 });
    expect(start.outcomes[0]).toMatchObject({ ok: true, output: `r1: started ${r.spec.nodes.find((n) => n.name === 'r1')!.daemon!.script.file}` });
    expect((await s.listDaemons()).find((d) => d.node === 'r1')!.state).toBe('running');
  });
});
