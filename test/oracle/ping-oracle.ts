// ping in both worlds: the gate (oracle gate plus an iputils ping binary), the output masked where the model
// cannot agree (round-trip times and the summary's total time are simulated), and one comparison.

import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { runCommandLine } from '../../engine/iproute2/shell.js';
import { oracleGate, type OracleLab } from './harness.js';

/** True if ping oracle tests can run; otherwise prints the one line saying why they skip. */
export function pingGate(what: string): boolean {
  const gate = oracleGate();
  const ok = gate.ok && spawnSync('ping', ['-V']).status === 0;
  if (!ok) console.log(`${what} kernel-oracle tests skipped: ${gate.ok ? 'no ping binary' : gate.reason}`);
  return ok;
}

export function maskPing(out: string): string {
  return out
    .replace(/time[=<][0-9.]+ ?ms/g, 'time=T ms')
    .replace(/time \d+ms/g, 'time Tms')
    .replace(/^rtt .*$/gm, 'rtt …');
}

/** Runs `cmd` (a ping command line) on `node` in the kernel and in the model; exit code, output and errors must match. */
export function expectSamePing(lab: OracleLab, node: string, cmd: string): void {
  const ns = lab.names.get(node)!;
  const real = spawnSync('ip', ['netns', 'exec', ns, ...cmd.split(' ')], { encoding: 'utf8' });
  const model = runCommandLine(lab.net.node(ns), cmd);
  expect({ rc: model.rc, stdout: maskPing(model.stdout), stderr: model.stderr }, cmd).toEqual({ rc: real.status, stdout: maskPing(real.stdout), stderr: real.stderr });
}
