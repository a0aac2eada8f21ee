// Every lab in labs/ (every labs/*.yaml, found at run time: new labs are covered without editing this file)
// runs headless: it validates, its starter fails its checks, and its reference solution (commands and
// daemon scripts) passes all of them, on two seeds, without a daemon crashing.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatLabError } from '../../main/host/lab/lab-errors.js';
import { loadLabFile } from '../../main/host/lab/lab-file.js';
import { formatDaemonExit } from '../../main/host/lab/lab-daemons.js';
import { LabRun } from '../../main/host/lab/lab-run.js';

const fsIO = { readFile: (p: string) => readFileSync(p, 'utf8') };
const LABS = readdirSync('labs')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('labs', () => {
  it('exist', () => {
    expect(LABS.length).toBeGreaterThan(0);
  });

  for (const f of LABS) {
    describe(f, () => {
      const r = loadLabFile(`labs/${f}`, fsIO);
      it('validates', () => {
        expect(r.errors.map(formatLabError)).toEqual([]);
      });
      if (!r.ok) return;
      const failed = async (run: LabRun): Promise<string[]> =>
        (await run.runAll()).steps
          .flatMap((s) => s.checks)
          .filter((c) => !c.passed)
          .map((c) => `${c.name}: ${c.message}`);

      it('has steps with checks, and its start commands run without error', () => {
        expect((r.spec.steps ?? []).flatMap((s) => s.checks).length).toBeGreaterThan(0);
        expect(new LabRun(r.spec).session.startupErrors).toEqual([]);
      });
      it('starter fails its checks', async () => {
        expect((await failed(new LabRun(r.spec))).length).toBeGreaterThan(0);
      });
      for (const seed of [1, 2]) {
        it(`reference solution passes every check (seed ${seed})`, async () => {
          const run = new LabRun(r.spec, { seed, solution: true });
          expect(await failed(run)).toEqual([]);
          // The solution's commands succeed; actions may run commands that fail on purpose, but none is broken.
          expect(run.results.flatMap((s) => [...s.solution, ...s.actions.filter((a) => a.rc === undefined)]).filter((a) => !a.ok)).toEqual([]);
          // No reference daemon crashes (a lab may stop one, or run a lab script that fails on purpose: not the node's own).
          const own = new Set(r.spec.nodes.flatMap((n) => (n.daemon ? [n.daemon.solution?.file ?? n.daemon.script.file] : [])));
          expect(run.report().daemonExits.filter((e) => e.crashed && own.has(e.file)).map(formatDaemonExit)).toEqual([]);
        }, 60_000);
      }
    });
  }
});
