// `workbench run LAB.yaml`: runs every step of a lab headless (actions, then checks) and prints the
// progress, the actions' output and each check's result, then the score.

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SqliteSink } from '../store/sqlite-sink.js';
import { ReplayRecorder } from '../replay/recorder.js';
import { labRunAnnotations, writeRunAnnotations } from '../export/report-annotations.js';
import { formatActionOutput, formatCheckLine, formatScore, indent } from '../lab/grading.js';
import { formatStartupError } from '../lab/startup-errors.js';
import { LabRun } from '../lab/lab-run.js';
import { loadOrReport, parseDaemonOptions, parseSeed, usage } from '../lab/cli-support.js';
import { formatDaemonExit } from '../lab/lab-daemons.js';
import { ProgressBar } from '../lab/progress-bar.js';
import type { CliIO } from './workbench.js';

export const RUN_HELP = `Usage: workbench run [options] LAB.yaml

Builds the lab's network, runs its nodes' start commands, then each step in order: its actions
(traffic, joins, link faults, commands, waiting) and its checks. Prints the actions' output, each
check's result (with what was expected and what happened) and the completion percentage.

Options:
  --seed N      Seed of the simulation (default: the lab's seed).
  --solution    Run each step's reference solution before its actions, and the reference
                daemon scripts instead of the starters (to test a lab).
  --daemon NODE=FILE
                Run FILE (TypeScript) as NODE's daemon instead of the lab's starter; repeatable.
  --db FILE     Record the run's trace (every event and packet) in FILE, a new SQLite file;
                'workbench export FILE --pcapng' then opens it in Wireshark.
  -h, --help    Show this help.

On a terminal a progress bar (steps and simulated time) runs on stderr.

Exit status: 0 if the lab ran (whatever its checks say; 'workbench check' grades);
1 if the lab file has errors or the recording failed; 2 for bad usage.
`;

export function runCommand(argv: string[], io: CliIO): number | Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seed: { type: 'string' }, solution: { type: 'boolean' }, db: { type: 'string' }, daemon: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1) return usage(io, 'run', 'give one lab file (workbench run labs/01-forwarding.yaml)');
  const seed = parseSeed(values.seed);
  if (seed === null) return usage(io, 'run', `--seed needs a non-negative integer, got '${values.seed}'`);
  const file = positionals[0]!;
  const spec = loadOrReport(io, file);
  if (!spec) return 1;
  const daemons = parseDaemonOptions(io, spec, values.daemon);
  if (typeof daemons === 'string') return usage(io, 'run', daemons);
  const db = values.db;
  if (db === undefined) return runLab(new LabRun(spec, { seed, solution: values.solution, daemons }), io);
  if (existsSync(db)) return usage(io, 'run', `--db ${db}: the file exists; a run is recorded into a new file`);
  const runSeed = seed ?? spec.seed;
  return SqliteSink.create(db, { lab: spec.name, seed: runSeed, profile: spec.profile }).then(async (sink) => {
    // The recorder keeps the state snapshots and deltas `workbench state` and the app's replay read.
    const run = new LabRun(spec, { seed: runSeed, solution: values.solution, daemons, sinks: [sink], recorders: [(net) => new ReplayRecorder(net, sink)] });
    const rc = await runLab(run, io);
    await sink.close({ fingerprint: run.session.net.sim.trace.fingerprint(), endedT: run.session.now });
    // The lab's title and the checks' results, for the report (workbench export FILE --html).
    await writeRunAnnotations(db, labRunAnnotations(spec, run.report())).catch((e: Error) => io.err(`workbench: run: ${db}: check results not recorded: ${e.message}\n`));
    io.out(`recorded: ${db} (fingerprint ${run.session.net.sim.trace.fingerprint()})\n`);
    return rc;
  });
}

async function runLab(run: LabRun, io: CliIO): Promise<number> {
  const spec = run.spec;
  const n = run.steps.length;
  const bar = io.isTTY ? new ProgressBar(io, n, run.plannedTime) : null;
  // Output clears the bar and redraws it after, so the two never mix on a terminal.
  const out = (s: string): void => {
    bar?.clear();
    io.out(s);
  };
  const err = (s: string): void => {
    bar?.clear();
    io.err(s);
  };
  out(`${spec.title} (${spec.name}, seed ${run.seed})\n`);
  for (const e of run.session.startupErrors) err(`${formatStartupError(e)}\n`);
  const report = await run.runAll((p) => {
    if (p.type === 'step') out(`\n[${p.index + 1}/${n}] ${p.step.title}\n`);
    else if (p.type === 'action') out(`${indent(formatActionOutput(p.outcome), '  ')}\n`);
    else if (p.type === 'check') out(`${indent(formatCheckLine(p.result), '  ')}\n`);
    else if (p.type === 'daemon-exit') (p.exit.crashed ? err : out)(`  ${formatDaemonExit(p.exit)}\n`);
    else if (p.type === 'step-done') {
      if (p.result.checks.some((c) => !c.passed)) out(p.step.hints.map((h) => `  hint: ${h}\n`).join(''));
      out(`  completion: ${run.report().percent}%\n`);
    }
    if (p.type === 'step') bar?.update({ step: p.index, title: p.step.title, now: run.session.now });
    else if (p.type === 'step-done') bar?.update({ step: p.result.index + 1, now: run.session.now });
    else bar?.update({ now: run.session.now });
  });
  bar?.clear();
  out(`\n${formatScore(report)}\n`);
  return 0;
}

