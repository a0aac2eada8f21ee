// `workbench check LAB.yaml`: grades a lab run: every step's actions and checks, then one line per check
// (or JSON, or CSV rows for a gradebook). Exit status 0 only if every check passed, so grading many
// submissions is a shell loop over this command.

import { parseArgs } from 'node:util';
import { CSV_HEADER, formatCheckLine, formatScore, reportCsvRows, reportJson } from '../lab/grading.js';
import { formatStartupError } from '../lab/startup-errors.js';
import { LabRun } from '../lab/lab-run.js';
import { loadOrReport, parseDaemonOptions, parseSeed, usage } from '../lab/cli-support.js';
import { formatDaemonExit } from '../lab/lab-daemons.js';
import type { CliIO } from './workbench.js';

export const CHECK_HELP = `Usage: workbench check [options] LAB.yaml

Runs the lab headless (start commands, every step's actions) and grades it with the lab's checks.

Options:
  --seed N      Seed of the simulation (default: the lab's seed).
  --solution    Run each step's reference solution first, and the reference daemon scripts
                instead of the starters (to test a lab).
  --daemon NODE=FILE
                Grade FILE (a student's TypeScript daemon) as NODE's daemon; repeatable.
  --json        Print the report as JSON.
  --csv         Print one CSV row per check (with a header line; --no-header leaves it out).
  --no-header   With --csv: no header line (to append to a gradebook).
  -h, --help    Show this help.

Exit status: 0 if every check passed; 1 if a check failed or the lab file has errors; 2 for bad usage.
`;

export function checkCommand(argv: string[], io: CliIO): number | Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      solution: { type: 'boolean' },
      daemon: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      'no-header': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  if (positionals.length !== 1) return usage(io, 'check', 'give one lab file (workbench check labs/01-forwarding.yaml)');
  if (values.json && values.csv) return usage(io, 'check', 'give --json or --csv, not both');
  if (values['no-header'] && !values.csv) return usage(io, 'check', '--no-header goes with --csv');
  const seed = parseSeed(values.seed);
  if (seed === null) return usage(io, 'check', `--seed needs a non-negative integer, got '${values.seed}'`);
  const file = positionals[0]!;
  const spec = loadOrReport(io, file);
  if (!spec) return 1;
  const daemons = parseDaemonOptions(io, spec, values.daemon);
  if (typeof daemons === 'string') return usage(io, 'check', daemons);
  return grade(new LabRun(spec, { seed, solution: values.solution, daemons }), io, file, values);
}

async function grade(run: LabRun, io: CliIO, file: string, values: { json?: boolean; csv?: boolean; 'no-header'?: boolean }): Promise<number> {
  for (const e of run.session.startupErrors) io.err(`${formatStartupError(e)}\n`);
  const report = await run.runAll();
  // A crashed daemon is part of the grade's explanation: its file:line:col goes to stderr (stdout stays machine-readable).
  for (const e of report.daemonExits) if (e.crashed) io.err(`${formatDaemonExit(e)}\n`);
  if (values.json) io.out(reportJson(report, file));
  else if (values.csv) {
    if (!values['no-header']) io.out(`${CSV_HEADER}\n`);
    for (const row of reportCsvRows(report, file)) io.out(`${row}\n`);
  } else {
    for (const s of report.steps) for (const c of s.checks) io.out(`${formatCheckLine(c)}\n`);
    io.out(`${formatScore(report)}\n`);
  }
  return report.passed ? 0 : 1;
}
