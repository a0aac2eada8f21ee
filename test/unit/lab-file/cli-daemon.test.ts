import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../main/host/cli/workbench.js';
import { LabRun } from '../../../main/host/lab/lab-run.js';
import { ProgressBar } from '../../../main/host/lab/progress-bar.js';
import type { LabAction } from '../../../main/host/lab/steps.js';
import { loadLab } from '../../labs/answers.js';

function io(isTTY = false, files: Record<string, string> = {}) {
  const o = { stdout: '', stderr: '' };
  const cli: CliIO = { out: (s) => void (o.stdout += s), err: (s) => void (o.stderr += s), readFile: (p) => files[p] ?? readFileSync(p, 'utf8'), isTTY };
  return { o, cli };
}

const LAB = 'labs/06-unresolved-queue.yaml';

describe('workbench run/check --daemon', () => {
  it('grades a student daemon: the reference solution given as --daemon passes, the starter fails', async () => {
    const good = io();
    expect(await main(['check', LAB, '--daemon', 'r1=labs/06-unresolved-queue/solution.ts'], good.cli)).toBe(0);
    expect(good.o.stdout).toMatch(/all checks passed\n$/);
    const bad = io();
    expect(await main(['check', LAB, '--daemon', 'r1=labs/06-unresolved-queue/starter.ts', '--solution'], bad.cli)).toBe(1);
    expect(bad.o.stdout).toContain('FAIL four-delivered');
  });

  it('reports a crashing daemon with its file:line:col (run: as it happens; check: on stderr)', async () => {
    const files = { 'mine.ts': 'const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);\nmr.setsockopt(IPPROTO_IP, MRT_INIT, 1);\nsetTimeout(() => {\n  throw new Error(`giving up on fd ${mr.fd}`);\n}, 500);\n' };
    const r = io(false, files);
    expect(await main(['run', LAB, '--daemon', 'r1=mine.ts'], r.cli)).toBe(0);
    expect(r.o.stderr).toMatch(/^ {2}r1: daemon mine\.ts crashed at t=0\.500 s: mine\.ts:4:18: uncaught Error: giving up on fd 3 \(in a timer callback\)\n/m);
    const c = io(false, files);
    expect(await main(['check', LAB, '--daemon', 'r1=mine.ts', '--json'], c.cli)).toBe(1);
    expect(c.o.stderr).toMatch(/^r1: daemon mine\.ts crashed at .*: mine\.ts:4:18: /);
    const report = JSON.parse(c.o.stdout);
    expect(report.passed).toBe(false);
    expect(report.daemonExits).toEqual([{ node: 'r1', file: 'mine.ts', crashed: true, reason: 'exception', message: expect.stringMatching(/^mine\.ts:4:18: uncaught Error: giving up/), t: 0.5 }]);
  });
});

describe('progress bar', () => {
  it('draws steps and simulated time against the planned time', () => {
    let err = '';
    const bar = new ProgressBar({ err: (s) => void (err += s) }, 4, 10e9);
    bar.update({ step: 2, now: 5e9, title: 'Traffic' });
    expect(bar.render()).toBe('[############............]  50%  step 3/4  t=5.0/10.0 s  Traffic');
    expect(err).toBe(`\r\x1b[K${bar.render()}`);
    bar.clear();
    expect(err.endsWith('\r\x1b[K')).toBe(true);
  });

  it('runs on a terminal without changing stdout, and plain lines only when not a terminal', async () => {
    const tty = io(true);
    const plain = io(false);
    expect(await main(['run', LAB, '--solution'], tty.cli)).toBe(0);
    expect(await main(['run', LAB, '--solution'], plain.cli)).toBe(0);
    expect(tty.o.stdout).toBe(plain.o.stdout);
    expect(plain.o.stderr).toBe('');
    expect(tty.o.stderr).toContain('step 2/2  t=2.0/2.0 s  With the route in place');
    expect(tty.o.stderr.endsWith('\r\x1b[K')).toBe(true); // the bar is gone at the end
  });

  it('advancing a wait in slices runs the same events as in one go (same fingerprint)', async () => {
    const spec = loadLab(LAB);
    // The same lab with every wait cut into 0.1 s waits.
    const sliced = {
      ...spec,
      steps: spec.steps!.map((s) => ({
        ...s,
        actions: s.actions.flatMap((a): LabAction[] => (a.type === 'wait' ? Array.from({ length: Math.round(a.duration / 1e8) }, () => ({ type: 'wait', duration: 1e8 })) : [a])),
      })),
    };
    const a = new LabRun(spec, { solution: true });
    const b = new LabRun(sliced, { solution: true });
    await a.runAll();
    await b.runAll();
    expect(b.session.net.sim.trace.eventCount).toBe(a.session.net.sim.trace.eventCount);
    expect(b.session.net.sim.trace.fingerprint()).toBe(a.session.net.sim.trace.fingerprint());
  });
});
