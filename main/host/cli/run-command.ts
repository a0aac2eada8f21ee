// `workbench run LAB.yaml`: runs every step of a lab headless (actions, then checks) and prints the
// progress, the actions' output and each check's result, then the score.

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SqliteSink } from '../store/sqlite-sink.js';
import { formatActionOutput, formatCheckLine, formatScore, indent } from '../lab/grading.js';
import { formatStartupError } from '../lab/startup-errors.js';
import { LabRun } from '../lab/lab-run.js';
import { loadOrReport, parseSeed, usage } from '../lab/cli-support.js';
import type { CliIO } from './workbench.js';

export const RUN_HELP = `Usage: workbench run [options] LAB.yaml

Builds the lab's network, runs its nodes' start commands, then each step in order: its actions
(traffic, joins, link faults, commands, waiting) and its checks. Prints the actions' output, each
check's result (with what was expected and what happened) and the completion percentage.

Options:
  --seed N      Seed of the simulation (default: the lab's seed).
  --solution    Run each step's reference solution before its actions (to test a lab).
  --db FILE     Record the run's trace (every event and packet) in FILE, a new SQLite file;
                'workbench export FILE --pcapng' then opens it in Wireshark.
  -h, --help    Show this help.

Exit status: 0 if the lab ran (whatever its checks say; 'workbench check' grades);
1 if the lab file has errors or the recording failed; 2 for bad usage.
`;

export function runCommand(argv: string[], io: CliIO): number | Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seed: { type: 'string' }, solution: { type: 'boolean' }, db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
  const db = values.db;
  if (db === undefined) return runLab(new LabRun(spec, { seed, solution: values.solution }), io);
  if (existsSync(db)) return usage(io, 'run', `--db ${db}: the file exists; a run is recorded into a new file`);
  const runSeed = seed ?? spec.seed;
  return SqliteSink.create(db, { lab: spec.name, seed: runSeed, profile: spec.profile }).then(async (sink) => {
    const run = new LabRun(spec, { seed: runSeed, solution: values.solution, sinks: [sink] });
    const rc = runLab(run, io);
    await sink.close({ fingerprint: run.session.net.sim.trace.fingerprint(), endedT: run.session.now });
    io.out(`recorded: ${db} (fingerprint ${run.session.net.sim.trace.fingerprint()})\n`);
    return rc;
  });
}

function runLab(run: LabRun, io: CliIO): number {
  const spec = run.spec;
  io.out(`${spec.title} (${spec.name}, seed ${run.seed})\n`);
  for (const e of run.session.startupErrors) io.err(`${formatStartupError(e)}\n`);
  const n = run.steps.length;
  const report = run.runAll((p) => {
    if (p.type === 'step') io.out(`\n[${p.index + 1}/${n}] ${p.step.title}\n`);
    else if (p.type === 'action') io.out(`${indent(formatActionOutput(p.outcome), '  ')}\n`);
    else if (p.type === 'check') io.out(`${indent(formatCheckLine(p.result), '  ')}\n`);
    else {
      if (p.result.checks.some((c) => !c.passed)) io.out(p.step.hints.map((h) => `  hint: ${h}\n`).join(''));
      io.out(`  completion: ${run.report().percent}%\n`);
    }
  });
  io.out(`\n${formatScore(report)}\n`);
  return 0;
}
