// The labs' command checks against the real kernel: each lab's topology is built in real namespaces
// (veth pairs, a bridge namespace per LAN), its start commands, reference solution and actions run with
// the real tools, and every command check is judged on the kernel's output. The kernel must pass the
// reference solution, and the model must pass and fail exactly the checks the kernel does, with and
// without the solution. (Delivery and trace checks read the model's apps and trace: not compared here.)

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeCommand } from '../../main/host/lab/checks.js';
import { loadLabFile } from '../../main/host/lab/lab-file.js';
import { LabRun } from '../../main/host/lab/lab-run.js';
import type { LabSpec } from '../../main/host/lab/spec.js';
import { answered, loadLab } from '../labs/answers.js';
import { oracleGate } from './harness.js';
import { KernelLab, live, sh } from './kernel-lab.js';

// The labs' checks run ping (iputils-ping) besides ip and sysctl.
const base = oracleGate();
const gate = !base.ok ? base : sh(['ping', '-V']).rc !== 0 ? { ok: false as const, reason: '`ping` (iputils-ping) is not installed' } : base;
if (!gate.ok) console.log(`lab check oracle tests skipped: ${gate.reason}`);

/** name → passed, for every command check, in the kernel. */
function kernelChecks(spec: LabSpec, solution: boolean): Map<string, { passed: boolean; message: string }> {
  const out = new Map<string, { passed: boolean; message: string }>();
  const lab = new KernelLab(spec);
  try {
    for (const step of spec.steps ?? []) {
      if (solution) for (const c of step.solution) lab.run(c.node, c.run);
      for (const a of step.actions) lab.action(a);
      for (const c of step.checks) if (c.type === 'command') out.set(c.name, judgeCommand(c, lab.run(c.node, c.run)));
    }
  } finally {
    lab.destroy();
  }
  return out;
}

async function modelChecks(spec: LabSpec, solution: boolean): Promise<Map<string, boolean>> {
  const run = new LabRun(spec, { solution });
  const commandChecks = new Set((spec.steps ?? []).flatMap((s) => s.checks.filter((c) => c.type === 'command').map((c) => c.name)));
  return new Map(
    (await run.runAll())
      .steps.flatMap((s) => s.checks)
      .filter((c) => commandChecks.has(c.name))
      .map((c) => [c.name, c.passed]),
  );
}

const fsIO = { readFile: (p: string) => readFileSync(p, 'utf8') };
const LABS = readdirSync('labs').filter((f) => f.endsWith('.yaml'));
/** Labs whose actions the kernel runner can run (no traffic apps yet). */
const KERNEL_ACTIONS = new Set(['command', 'ping', 'link-down', 'link-up', 'link-delete', 'wait']);

describe.skipIf(!gate.ok)('lab command checks against the kernel', () => {
  afterAll(() => {
    for (const l of [...live]) l.destroy();
  });

  const specs = LABS.map((f) => [f, loadLabFile(`labs/${f}`, fsIO)] as const).flatMap(([f, r]) => (r.ok ? [[f, r.spec] as const] : [])); // test/labs reports load errors
  // Labs with daemons need the sandbox's daemons on the kernel side too: not covered here yet.
  const covered = specs.filter(([, spec]) => spec.nodes.every((n) => !n.daemon) && (spec.steps ?? []).every((s) => s.actions.every((a) => KERNEL_ACTIONS.has(a.type))));
  it('covers the labs whose actions it can run in real namespaces', () => {
    expect(covered.map(([f]) => f)).toContain('01-forwarding.yaml');
  });

  for (const [f, spec] of covered) {
    it(`${f}: the kernel passes the reference solution, and the model agrees with it check by check`, async () => {
      for (const solution of [true, false]) {
        const kernel = kernelChecks(spec, solution);
        const failedInKernel = [...kernel].filter(([, v]) => !v.passed).map(([k, v]) => `${k}: ${v.message}`);
        if (solution) expect(failedInKernel).toEqual([]);
        const model = await modelChecks(spec, solution);
        expect(Object.fromEntries(model), `solution: ${solution}`).toEqual(Object.fromEntries([...kernel].map(([k, v]) => [k, v.passed])));
      }
    }, 120_000);
  }

  // Other answers than the reference solution (test/labs/forwarding-answers.test.ts grades them in the
  // model): the kernel must judge every command check the same way.
  const ANSWERS: Array<[string, Record<string, string[]>]> = [
    ['labs/01-forwarding.yaml', { 'Address the LAN side': ['r1: ip link set dev eth1 up', 'r1: ip address add 10.2.0.1/24 broadcast + dev eth1'], 'Switch forwarding on': ['r1: echo 1 > /proc/sys/net/ipv4/conf/all/forwarding'] }],
    ['labs/01-forwarding.yaml', { 'Address the LAN side': ['r1: ip addr add 10.2.0.2/24 dev eth1', 'r1: ip link set eth1 up'], 'Switch forwarding on': ['r1: sysctl -w net.ipv4.ip_forward=1'] }],
    ['labs/02-static-routes.yaml', { 'A route on r1': ['r1: ip route add default via 10.0.12.2'], 'The way back': ['r2: ip route add default via 10.0.12.1 dev eth0'] }],
    ['labs/02-static-routes.yaml', { 'A route on r1': ['r1: ip route add 10.3.0.0/24 via 10.0.12.2'], 'The way back': ['r2: ip route add 10.9.0.0/24 via 10.0.12.1'] }],
  ];
  ANSWERS.forEach(([file, answers], i) => {
    it(`${file}, answer ${i + 1}: the model judges the command checks as the kernel does`, async () => {
      const spec = answered(loadLab(file), answers);
      const kernel = kernelChecks(spec, true);
      expect(Object.fromEntries(await modelChecks(spec, true))).toEqual(Object.fromEntries([...kernel].map(([k, v]) => [k, v.passed])));
    }, 120_000);
  });
});
