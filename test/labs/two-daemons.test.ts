// Checks are written against behaviour: a lab's checks pass for differently written correct daemons
// (test/labs/daemons/), not only for the reference solution — and still fail for the starter.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LabRun } from '../../main/host/lab/lab-run.js';
import { loadLab } from './answers.js';

async function failed(lab: string, node: string, daemonFile: string | null, seed = 1): Promise<string[]> {
  const spec = loadLab(lab);
  const daemons = daemonFile ? new Map([[node, { file: daemonFile, source: readFileSync(daemonFile, 'utf8') }]]) : undefined;
  // solution: true for the steps' solution commands; --daemon replaces the node's daemon either way.
  const report = await new LabRun(spec, { seed, solution: true, daemons }).runAll();
  expect(report.daemonExits.filter((e) => e.crashed).map((e) => e.exit.message)).toEqual([]);
  return report.steps.flatMap((s) => s.checks).filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`);
}

describe('two different correct daemons pass the same checks', () => {
  it('lab 06: the reference and a batched daemon (VIFs by address, numbered from the LAN side)', async () => {
    expect(await failed('labs/06-unresolved-queue.yaml', 'r1', null)).toEqual([]);
    expect(await failed('labs/06-unresolved-queue.yaml', 'r1', 'test/labs/daemons/06-batched.ts')).toEqual([]);
    expect(await failed('labs/06-unresolved-queue.yaml', 'r1', 'test/labs/daemons/06-batched.ts', 2)).toEqual([]);
  });

  it('lab 09: the reference and a daemon that catches EADDRNOTAVAIL', async () => {
    expect(await failed('labs/09-device-removal.yaml', 'r1', null)).toEqual([]);
    expect(await failed('labs/09-device-removal.yaml', 'r1', 'test/labs/daemons/09-catching.ts')).toEqual([]);
  });

  it('the starters still fail (the same checks are not always true)', async () => {
    const starter = async (lab: string, file: string): Promise<string[]> => {
      const report = await new LabRun(loadLab(lab), { daemons: new Map([['r1', { file, source: readFileSync(file, 'utf8') }]]) }).runAll();
      return report.steps.flatMap((s) => s.checks).filter((c) => !c.passed).map((c) => c.name);
    };
    expect(await starter('labs/06-unresolved-queue.yaml', 'labs/06-unresolved-queue/starter.ts')).toEqual(['replayed', 'four-delivered', 'resolved-entry', 'all-delivered', 'no-more-unresolved', 'counters']);
    expect(await starter('labs/09-device-removal.yaml', 'labs/09-device-removal/starter.ts')).toEqual(['daemon-alive', 'new-group-delivered', 'new-entry']);
  });
});
