// `workbench`: the command line for instructors, graders and the differential tests.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCommandLine, runArgv } from '../../../engine/iproute2/shell.js';
import { formatScriptError } from '../../../engine/iproute2/startup.js';
import { buildFromScripts, type NodeScript } from '../node-builder.js';
import { checkCommand } from './check-command.js';
import { exportCommand } from './export-command.js';
import { labCommand } from './lab-command.js';
import { runCommand } from './run-command.js';
import { stateCommand } from './state-command.js';
import { packageVersion } from '../version.js';

export const HELP = `Usage: workbench <command> [options]

A model of the Linux IPv4 routing subsystem (multicast and policy routing) for guided labs.

Commands:
  exec     Build namespaces from node scripts and run a command on one of them
  run      Run a lab file's steps (actions and checks) and print the progress
  check    Grade a lab run with the lab's checks (exit 0 only if all pass; --json, --csv)
  lab      Lab files: 'lab validate LAB.yaml', 'lab schema'
  export   Export a recorded run (RUN.sqlite) as pcapng, CSV, JSON, or an HTML/PDF report
  state    A recorded run's kernel state after any event (ip and /proc views, or JSON)
  help     Show this help

Options:
  -h, --help       Show help (also: workbench <command> --help)
  -V, --version    Print the version

Run 'workbench exec --help' for the options of exec.
`;

export const EXEC_HELP = `Usage: workbench exec [options] -- COMMAND [ARG...]
       workbench exec [options] --batch FILE --jsonl

Builds one network namespace per --script (named after the file: r1.startup -> r1), runs each
script's commands in order (Kathara .startup syntax: ip, sysctl, echo V > /proc/sys/..., ...),
then runs COMMAND on a node and prints what Linux would print, exiting with the same code.

Options:
  --script FILE   A node script; repeatable. The first one's node runs COMMAND unless --node says otherwise.
  --ns NAME       An extra, empty namespace (e.g. the peer side of veth pairs); repeatable.
  --node NAME     The node that runs COMMAND (default: the first script's node).
  --seed N        Seed of the simulation (MAC addresses, IP ids, random timers); default 1.
  --batch FILE    Run every line of FILE as a command (blank lines and # comments skipped).
  --jsonl         With --batch: print one JSON object per command:
                  {"cmd": "...", "rc": 0, "stdout": "...", "stderr": "..."}
  --keep-going    Run COMMAND even if a script line failed (the failures are still printed).
  -h, --help      Show this help.

Exit status: COMMAND's exit status; with --batch, 0 if every command exited 0, else 1;
1 if a script line failed (without --keep-going); 2 for bad usage.
`;

export interface CliIO {
  out(s: string): void;
  err(s: string): void;
  readFile(path: string): string;
  /** stderr is a terminal (progress bars). */
  isTTY?: boolean;
}

// A reader that goes away (`workbench ... | head`) is not an error of ours: stop quietly, like coreutils.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const nodeIO: CliIO = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readFile: (p) => readFileSync(p, 'utf8'),
  isTTY: process.stderr.isTTY === true,
};

class UsageError extends Error {}

/** Runs one CLI invocation; async commands (export) return a promise of their exit status. */
export function main(argv: string[], io: CliIO = nodeIO): number | Promise<number> {
  try {
    const rc = dispatch(argv, io);
    if (typeof rc === 'number') return rc;
    return rc.catch((e: unknown) => {
      io.err(`workbench: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    });
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`workbench: ${e.message}\nTry 'workbench --help'.\n`);
      return 2;
    }
    if (e instanceof Error && 'code' in e && (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES')) {
      io.err(`workbench: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function dispatch(argv: string[], io: CliIO): number | Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '-h' || cmd === '--help') {
    io.out(HELP);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '-V' || cmd === '--version') {
    io.out(`workbench ${packageVersion()}\n`);
    return 0;
  }
  if (cmd === 'exec') return execCommand(rest, io);
  if (cmd === 'run') return runCommand(rest, io);
  if (cmd === 'check') return checkCommand(rest, io);
  if (cmd === 'lab') return labCommand(rest, io);
  if (cmd === 'export') return exportCommand(rest, io);
  if (cmd === 'state') return stateCommand(rest, io);
  throw new UsageError(`unknown command '${cmd}'`);
}

function execCommand(argv: string[], io: CliIO): number {
  const dd = argv.indexOf('--');
  const own = dd >= 0 ? argv.slice(0, dd) : argv;
  const command = dd >= 0 ? argv.slice(dd + 1) : [];
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      script: { type: 'string', multiple: true },
      ns: { type: 'string', multiple: true },
      node: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      jsonl: { type: 'boolean' },
      'keep-going': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(EXEC_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`exec: unexpected argument '${positionals[0]}' (put the command after --)`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`exec: --seed needs an integer, got '${values.seed}'`);
  if (values.batch && command.length > 0) throw new UsageError('exec: give either --batch FILE or -- COMMAND, not both');
  if (!values.batch && command.length === 0) throw new UsageError('exec: no command (workbench exec --script r1.startup -- ip addr show)');
  if (values.jsonl && !values.batch) throw new UsageError('exec: --jsonl goes with --batch');
  const scripts: NodeScript[] = (values.script ?? []).map((file) => ({ file, text: io.readFile(file) }));
  const built = buildFromScripts(scripts, values.ns ?? [], seed);
  if (built.nodes.length === 0) throw new UsageError('exec: no node (give --script FILE or --ns NAME)');
  const nodeName = values.node ?? built.nodes[0]!;
  const ns = built.net.nodes.get(nodeName);
  if (!ns) throw new UsageError(`exec: no node named '${nodeName}' (nodes: ${built.nodes.join(', ')})`);
  for (const e of built.errors) io.err(`${formatScriptError(e)}\n`);
  if (built.errors.length > 0 && !values['keep-going']) return 1;

  if (values.batch) {
    const lines = io.readFile(values.batch).split(/\r?\n/);
    let rc = 0;
    for (const line of lines) {
      const cmd = line.trim();
      if (!cmd || cmd.startsWith('#')) continue;
      const r = runCommandLine(ns, line);
      if (r.rc !== 0) rc = 1;
      if (values.jsonl) io.out(`${JSON.stringify({ cmd, rc: r.rc, stdout: r.stdout, stderr: r.stderr })}\n`);
      else {
        io.out(r.stdout);
        io.err(r.stderr);
      }
    }
    return rc;
  }
  const r = runArgv(ns, command);
  io.out(r.stdout);
  io.err(r.stderr);
  return r.rc;
}
