// Labs 16 and 17 against the real kernel. test/oracle/lab-checks.test.ts skips labs with traffic apps, and
// these have some; but their command checks (`ip route get` with from/iif/oif/mark/tos, `ip route show`
// of a multipath route, pings) do not depend on that traffic. So: build the lab in real namespaces, run
// the start commands, the reference solution (or not) and the console actions, judge every command check
// on the kernel's output, and require the model to judge each one the same way. Root only (oracleGate).

import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { CmdResult } from '../../engine/iproute2/result.js';
import { judgeCommand } from '../../main/host/lab/checks.js';
import { LabRun } from '../../main/host/lab/lab-run.js';
import type { LabSpec } from '../../main/host/lab/spec.js';
import { oracleGate } from '../oracle/harness.js';
import { loadLab } from './answers.js';

const ENV = { ...process.env, LC_ALL: 'C', LANG: 'C' };
function sh(args: string[]): CmdResult {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', env: ENV, timeout: 30_000 });
  return { rc: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const base = oracleGate();
const gate = !base.ok ? base : sh(['ping', '-V']).rc !== 0 ? { ok: false as const, reason: '`ping` (iputils-ping) is not installed' } : base;
if (!gate.ok) console.log(`lab 16/17 kernel tests skipped: ${gate.reason}`);

const created: string[] = [];
let counter = 0;

/** name → passed for every command check, on the real kernel. Namespaces are named lbk-PID-N-*. */
function kernelChecks(spec: LabSpec, solution: boolean): Map<string, { passed: boolean; message: string }> {
  const prefix = `lbk-${process.pid}-${counter++}`;
  const names = new Map<string, string>();
  const mine: string[] = [];
  const must = (args: string[]): void => {
    const r = sh(args);
    if (r.rc !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  };
  const add = (name: string): string => {
    must(['ip', 'netns', 'add', name]);
    mine.push(name);
    created.push(name);
    must(['ip', 'netns', 'exec', name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    return name;
  };
  const run = (node: string, line: string): CmdResult => sh(['ip', 'netns', 'exec', names.get(node)!, 'sh', '-c', line]);
  const out = new Map<string, { passed: boolean; message: string }>();
  try {
    spec.nodes.forEach((n, i) => names.set(n.name, add(`${prefix}-n${i}`)));
    for (const { endpoints: [a, b] } of spec.links) must(['ip', '-n', names.get(a.node)!, 'link', 'add', a.iface, 'type', 'veth', 'peer', 'name', b.iface, 'netns', names.get(b.node)!]);
    spec.segments.forEach((s, i) => {
      const br = add(`${prefix}-lan${i}`);
      must(['ip', '-n', br, 'link', 'add', 'br0', 'type', 'bridge']);
      must(['ip', '-n', br, 'link', 'set', 'br0', 'up']);
      s.members.forEach((m, j) => {
        must(['ip', '-n', br, 'link', 'add', `p${j}`, 'type', 'veth', 'peer', 'name', m.iface, 'netns', names.get(m.node)!]);
        must(['ip', '-n', br, 'link', 'set', `p${j}`, 'master', 'br0', 'up']);
      });
    });
    for (const n of spec.nodes) {
      must(['ip', '-n', names.get(n.name)!, 'link', 'set', 'lo', 'up']);
      for (const c of n.startup) {
        const r = run(n.name, c);
        if (r.rc !== 0) throw new Error(`${n.name}: ${c}: ${r.stderr}`);
      }
    }
    for (const step of spec.steps ?? []) {
      if (solution) for (const c of step.solution) run(c.node, c.run);
      for (const a of step.actions) {
        if (a.type === 'command') run(a.node, a.run);
        else if (a.type === 'ping') run(a.node, `ping -c ${a.count} -W 1${a.interval ? ` -i ${a.interval / 1e9}` : ''} ${a.dst}`);
      }
      for (const c of step.checks) if (c.type === 'command') out.set(c.name, judgeCommand(c, run(c.node, c.run)));
    }
  } finally {
    for (const n of mine.reverse()) sh(['ip', 'netns', 'del', n]);
  }
  return out;
}

async function modelChecks(spec: LabSpec, solution: boolean): Promise<Map<string, boolean>> {
  const names = new Set((spec.steps ?? []).flatMap((s) => s.checks.filter((c) => c.type === 'command').map((c) => c.name)));
  const report = await new LabRun(spec, { solution }).runAll();
  return new Map(report.steps.flatMap((s) => s.checks).filter((c) => names.has(c.name)).map((c) => [c.name, c.passed]));
}

describe.skipIf(!gate.ok)('labs 16 and 17: command checks against the kernel', () => {
  afterAll(() => {
    for (const n of created) sh(['ip', 'netns', 'del', n]);
  });

  for (const file of ['labs/16-policy-routing.yaml', 'labs/17-multipath.yaml']) {
    it(`${file}: the kernel passes the reference solution, and the model agrees check by check`, async () => {
      const spec = loadLab(file);
      for (const solution of [true, false]) {
        const kernel = kernelChecks(spec, solution);
        if (solution) expect([...kernel].filter(([, v]) => !v.passed).map(([k, v]) => `${k}: ${v.message}`)).toEqual([]);
        expect(Object.fromEntries(await modelChecks(spec, solution)), `solution: ${solution}`).toEqual(Object.fromEntries([...kernel].map(([k, v]) => [k, v.passed])));
      }
    }, 120_000);
  }
});
