// The commands a node's console and .startup files accept: `ip`, `sysctl`, `cat /proc/...`,
// `echo V > /proc/sys/...`, `ping`, `sleep` (advances simulated time) and `true`. Output, messages and
// exit codes are those of the Linux tools (bash for the shell's own errors).

import type { Netns } from '../net/netns.js';
import { startPing } from '../apps/ping.js';
import { NSEC_PER_SEC, type Nanos } from '../sim/time.js';
import { parseIpv4 } from '../wire/inet.js';
import { ipCommand } from './ip.js';
import { errnoText, readProcFile, writeProcFile } from './procfs.js';
import { sysctlCommand } from './procps-sysctl.js';
import { fail, ok, Output, type CmdResult } from './result.js';
import { tokenize, TokenizeError } from './tokenize.js';

export const SHELL_COMMANDS = ['ip', 'sysctl', 'cat', 'echo', 'ping', 'sleep', 'true', ':'] as const;

/**
 * A command that runs for a while in simulated time (`sleep`, `ping`): the caller advances the simulation
 * to `until` (in one go or in slices, which gives the same trace) and then calls finish(); finish(true) is
 * SIGINT at the current simulated time (^C in the console).
 */
export interface CommandRun {
  until: Nanos | null;
  finish(interrupted: boolean): CmdResult;
}

/** Starts a command line; commands that take no simulated time are done at once (until null). */
export function startCommandLine(ns: Netns, line: string): CommandRun {
  let argv: string[];
  try {
    argv = tokenize(line);
  } catch {
    return done(runCommandLine(ns, line));
  }
  if (argv[0] === 'sleep' && !argv.includes('>')) return startSleep(ns, argv.slice(1));
  if (argv[0] === 'ping' && !argv.includes('>')) return startPingCommand(ns, argv.slice(1));
  return done(runArgv(ns, argv));
}

function done(r: CmdResult): CommandRun {
  return { until: null, finish: () => r };
}

/** Runs a command run to its end in one go. */
function complete(ns: Netns, run: CommandRun): CmdResult {
  if (run.until !== null) ns.sim.run({ until: run.until });
  return run.finish(false);
}

export function runCommandLine(ns: Netns, line: string): CmdResult {
  let argv: string[];
  try {
    argv = tokenize(line);
  } catch (e) {
    if (e instanceof TokenizeError) return fail(2, `bash: -c: line 1: unexpected EOF while looking for matching \`${line[e.column - 1]}'\n`);
    throw e;
  }
  return runArgv(ns, argv);
}

export function runArgv(ns: Netns, argv: string[]): CmdResult {
  if (argv.length === 0) return ok();
  const redirect = argv.indexOf('>');
  if (redirect >= 0) return redirectToFile(ns, argv.slice(0, redirect), argv.slice(redirect + 1));
  const [cmd, ...args] = argv as [string, ...string[]];
  switch (cmd) {
    case 'ip':
      return ipCommand(ns, args);
    case 'sysctl':
      return sysctlCommand(ns, args);
    case 'cat':
      return cat(ns, args);
    case 'echo':
      return ok(`${args.join(' ')}\n`);
    case 'ping':
      return complete(ns, startPingCommand(ns, args));
    case 'sleep':
      return complete(ns, startSleep(ns, args));
    case 'true':
    case ':':
      return ok();
    default:
      return fail(127, `bash: ${cmd}: command not found\n`);
  }
}

function cat(ns: Netns, files: string[]): CmdResult {
  const o = new Output();
  for (const f of files) {
    try {
      o.stdout += readProcFile(ns, f);
    } catch (e) {
      o.err(`cat: ${f}: ${errnoText(e)}`);
      o.rc = 1;
    }
  }
  return o.result();
}

/** `echo 1 > /proc/sys/net/ipv4/ip_forward`, the Kathará .startup idiom. */
function redirectToFile(ns: Netns, left: string[], right: string[]): CmdResult {
  if (right.length !== 1) return fail(1, 'bash: syntax error near unexpected token `newline\'\n');
  const file = right[0]!;
  if (left[0] !== 'echo') return fail(1, `bash: redirection to ${file} is not supported here; use echo VALUE > ${file}\n`);
  try {
    writeProcFile(ns, file, `${left.slice(1).join(' ')}\n`);
    return ok();
  } catch (e) {
    const text = errnoText(e);
    if (text === 'No such file or directory' || text === 'Permission denied') return fail(1, `bash: ${file}: ${text}\n`);
    return fail(1, `bash: echo: write error: ${text}\n`);
  }
}

function startSleep(ns: Netns, args: string[]): CommandRun {
  const s = Number(args[0]);
  if (args.length !== 1 || !Number.isFinite(s) || s < 0) return done(fail(1, `sleep: invalid time interval '${args[0] ?? ''}'\nTry 'sleep --help' for more information.\n`));
  // sleep dies of SIGINT: bash reports 128 + 2.
  return { until: ns.sim.now + Math.round(s * NSEC_PER_SEC), finish: (interrupted) => (interrupted ? fail(130, '') : ok()) };
}

/** ping [-c count] [-i interval] [-s size] [-t ttl] [-I iface] [-W timeout] destination */
function startPingCommand(ns: Netns, args: string[]): CommandRun {
  let count = 4;
  let interval = 1;
  let size = 56;
  let ttl: number | undefined;
  let iface: string | undefined;
  let wait = 2;
  let dest: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = (): string | undefined => args[++i];
    switch (a) {
      case '-c': count = Number(next()); break;
      case '-i': interval = Number(next()); break;
      case '-s': size = Number(next()); break;
      case '-t': ttl = Number(next()); break;
      case '-I': iface = next(); break;
      case '-W': wait = Number(next()); break;
      case '-q': case '-n': break;
      default:
        if (a.startsWith('-')) return done(fail(2, `ping: invalid option -- '${a.slice(1)}'\n`));
        dest = a;
    }
  }
  if (!dest) return done(fail(2, 'ping: usage error: Destination address required\n'));
  const dst = parseIpv4(dest);
  if (dst === null) return done(fail(2, `ping: ${dest}: Name or service not known\n`));
  if (!Number.isInteger(count) || count < 1) return done(fail(1, `ping: invalid argument: '${count}': out of range: 1 <= value <= 9223372036854775807\n`));
  const run = startPing(ns, { dst, count, interval: Math.round(interval * NSEC_PER_SEC), size, ttl, iface, deadlineAfterLast: Math.round(wait * NSEC_PER_SEC) });
  if (run.failure) return done(fail(run.failure.rc, `${run.failure.message}\n`));
  return {
    until: run.endsAt,
    // iputils catches SIGINT, prints its statistics and exits as usual (0 if any reply came, else 1).
    finish: (interrupted) => {
      if (interrupted) run.interrupt();
      return { rc: run.rc(), stdout: [...run.lines, ...run.summary()].join('\n') + '\n', stderr: '' };
    },
  };
}
