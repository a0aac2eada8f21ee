// The daemon and traffic labs against the real kernel: each lab's topology in real namespaces (KernelLab),
// its daemons — the same sandboxed TypeScript the model runs — on real kernel sockets in the router's
// namespace (lab-driver/), its traffic actions by a driver process per namespace, in real time. The
// kernel must pass the reference solution's command and delivery checks, and the model must pass and
// fail exactly the checks the kernel does, with and without the solution. (Trace and SQL checks read the
// model's trace: not compared here.)

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeCommand } from '../../main/host/lab/checks.js';
import { loadLabFile } from '../../main/host/lab/lab-file.js';
import { LabRun } from '../../main/host/lab/lab-run.js';
import type { LabSpec } from '../../main/host/lab/spec.js';
import { loadQuickJS } from '../../main/host/sandbox/quickjs.js';
import { oracleGate } from './harness.js';
import { live, sh } from './kernel-lab.js';
import { KernelLabRun } from './lab-driver/kernel-lab-run.js';
import { closeAllDrivers } from './lab-driver/ns-driver.js';

const base = oracleGate();
const gate = !base.ok ? base : sh(['python3', '--version']).rc !== 0 ? { ok: false as const, reason: '`python3` is not installed' } : sh(['ping', '-V']).rc !== 0 ? { ok: false as const, reason: '`ping` (iputils-ping) is not installed' } : base;
if (!gate.ok) console.log(`lab daemon oracle tests skipped: ${gate.reason}`);

/**
 * The labs judged here: every lab with daemons or traffic actions, except 11-igmpv2 and 15-dense-mode (their
 * waits add up to 308 s and 260 s of real time) and 12-igmpv3-sources: on this kernel (6.18) one of s1's
 * datagrams now and then (4 runs of about 25, all on a loaded machine) reaches r1's eth0 but never
 * ip_mr_forward ((s1,G) counts 4 of 5; the daemon answered the NOCACHE upcall within 3 ms), so its delivery
 * checks are not reproducible yet.
 */
const LABS = [
  '00-tour', '03-mrt-init', '04-vifs', '05-static-mfc', '06-unresolved-queue', '07-expiry', '08-rpf-wrongvif', '09-device-removal',
  '10-daemon-exit', '13-own-static-daemon', '14-igmp-proxy', '16-policy-routing', '17-multipath', '17-multipath-book', '18-mrt-table',
];

type Verdicts = Map<string, { passed: boolean; message: string }>;
const judged = (spec: LabSpec): Set<string> => new Set((spec.steps ?? []).flatMap((s) => s.checks.filter((c) => c.type === 'command' || c.type === 'delivery').map((c) => c.name)));

const runs = new Set<KernelLabRun>();

async function kernelChecks(spec: LabSpec, solution: boolean): Promise<{ checks: Verdicts; exits: string[]; lag: string }> {
  const out: Verdicts = new Map();
  const run = new KernelLabRun(spec, await loadQuickJS());
  runs.add(run);
  try {
    run.startDaemons(solution);
    for (const step of spec.steps ?? []) {
      if (solution) for (const c of step.solution) run.lab.run(c.node, c.run);
      for (const a of step.actions) await run.action(a);
      for (const c of step.checks) {
        if (c.type === 'command') out.set(c.name, judgeCommand(c, run.lab.run(c.node, c.run)));
        else if (c.type === 'delivery') out.set(c.name, run.delivery(c));
      }
    }
    // How late the daemons may have answered the kernel, for whoever reads a failure.
    const lag = `the test's event loop was up to ${run.waitLagMs.toFixed(0)} ms late while traffic flowed`;
    return { checks: out, exits: [...run.exits], lag };
  } finally {
    runs.delete(run);
    run.destroy();
  }
}

async function modelChecks(spec: LabSpec, solution: boolean): Promise<Map<string, boolean>> {
  const names = judged(spec);
  const report = await new LabRun(spec, { solution }).runAll();
  return new Map(report.steps.flatMap((s) => s.checks).filter((c) => names.has(c.name)).map((c) => [c.name, c.passed]));
}

const fsIO = { readFile: (p: string) => readFileSync(p, 'utf8') };

describe.skipIf(!gate.ok)('daemon and traffic labs against the kernel', () => {
  afterAll(() => {
    for (const r of [...runs]) r.destroy();
    closeAllDrivers();
    for (const l of [...live]) l.destroy();
  });

  for (const name of LABS) {
    it(`${name}: the kernel passes the reference solution, and the model agrees with it check by check`, async () => {
      const loaded = loadLabFile(`labs/${name}.yaml`, fsIO);
      if (!loaded.ok) throw new Error(`labs/${name}.yaml does not load`);
      const spec = loaded.spec;
      // Labs without either are lab-checks.test.ts's.
      expect(spec.nodes.some((n) => n.daemon) || (spec.steps ?? []).some((s) => s.actions.some((a) => a.type === 'udp-sender' || a.type === 'daemon'))).toBe(true);
      for (const solution of [true, false]) {
        const kernel = await kernelChecks(spec, solution);
        const failedInKernel = [...kernel.checks].filter(([, v]) => !v.passed).map(([k, v]) => `${k}: ${v.message}`);
        if (solution) {
          expect(kernel.exits, 'the reference daemons do not crash on the kernel').toEqual([]);
          expect(failedInKernel, kernel.lag).toEqual([]);
          expect(kernel.checks.size).toBe(judged(spec).size);
        }
        const model = await modelChecks(spec, solution);
        expect(Object.fromEntries(model), `solution: ${solution}; ${kernel.lag}; kernel: ${failedInKernel.join(' | ')}`).toEqual(Object.fromEntries([...kernel.checks].map(([k, v]) => [k, v.passed])));
      }
    }, 240_000);
  }
});
