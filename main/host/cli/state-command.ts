// `workbench state RUN.sqlite [--seq N | --time T] [--node NODE] [--view VIEW] [--json]`: the kernel state
// of a recorded run's nodes after any event, rebuilt from its snapshots and deltas (nothing is re-run):
// each node's `ip` and `/proc` views as they printed at that moment, or the whole state as JSON.

import { parseArgs } from 'node:util';
import { NoReplayState, ReplayReader } from '../replay/state-at.js';

export const STATE_HELP = `Usage: workbench state RUN.sqlite [--seq N | --time T] [--node NODE] [--view VIEW] [--json]

Prints the kernel state of a recorded run (workbench run LAB --db RUN.sqlite) after one event:
each node's ip and /proc views exactly as they printed then (ip route show table all, ip rule show,
ip mroute show, cat /proc/net/ip_mr_vif, cat /proc/net/ip_mr_cache, ...).

Options:
  --seq N       After event N (default: the end of the run; 0 is before the first event).
  --time T      After the last event at or before simulated time T (seconds, e.g. 1.5).
  --node NODE   Only this node (default: every node).
  --view VIEW   Only this view, named by its command (e.g. 'cat /proc/net/ip_mr_cache').
  --json        The state as JSON ({"seq", "t", "nodes": {NODE: {links, addrs, fib, ipmr, igmp, ...}}}).
  -h, --help    Show this help.

Exit status: 0 on success, 1 if the run cannot be read or has no replay state, 2 for bad usage.
`;

export interface StateIO {
  out(s: string): void;
  err(s: string): void;
}

function usage(io: StateIO, msg: string): number {
  io.err(`workbench: state: ${msg}\nTry 'workbench state --help'.\n`);
  return 2;
}

export function stateCommand(argv: string[], io: StateIO): number | Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seq: { type: 'string' }, time: { type: 'string' }, node: { type: 'string' }, view: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(STATE_HELP);
    return 0;
  }
  if (positionals.length !== 1) return usage(io, 'give one run file (workbench state run.sqlite --seq 120)');
  if (values.seq !== undefined && values.time !== undefined) return usage(io, 'give --seq or --time, not both');
  const seq = values.seq === undefined ? undefined : Number(values.seq);
  if (seq !== undefined && (!/^\d+$/.test(values.seq!) || !Number.isSafeInteger(seq))) return usage(io, `--seq needs a non-negative integer, got '${values.seq}'`);
  const time = values.time === undefined ? undefined : Number(values.time);
  if (time !== undefined && (!Number.isFinite(time) || time < 0)) return usage(io, `--time needs a non-negative number of seconds, got '${values.time}'`);
  if (values.json && values.view !== undefined) return usage(io, '--view prints text; leave out --json');
  return show(positionals[0]!, { seq, time, node: values.node, view: values.view, json: values.json === true }, io);
}

async function show(file: string, o: { seq?: number; time?: number; node?: string; view?: string; json: boolean }, io: StateIO): Promise<number> {
  let replay: ReplayReader;
  try {
    replay = await ReplayReader.open(file);
  } catch (e) {
    io.err(`workbench: state: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  try {
    const seq = o.seq ?? (o.time !== undefined ? await replay.seqAtTime(Math.round(o.time * 1e9)) : await replay.replayableTo());
    const state = await replay.stateAt(seq);
    const names = o.node === undefined ? Object.keys(state.nodes) : [o.node];
    if (o.node !== undefined && !state.nodes[o.node]) {
      io.err(`workbench: state: no node '${o.node}' at seq ${seq} (nodes: ${Object.keys(state.nodes).join(', ')})\n`);
      return 1;
    }
    if (o.json) {
      io.out(`${JSON.stringify({ seq: state.seq, t: state.t, nodes: Object.fromEntries(names.map((n) => [n, state.nodes[n]])) }, null, 1)}\n`);
      return 0;
    }
    io.out(`# state after event ${state.seq} (t = ${(state.t / 1e9).toFixed(9)} s)\n`);
    for (const n of names) {
      const views = state.nodes[n]!.views;
      const which = o.view === undefined ? Object.keys(views) : [o.view];
      if (o.view !== undefined && views[o.view] === undefined) {
        io.err(`workbench: state: no view '${o.view}' (views: ${Object.keys(views).join(', ')})\n`);
        return 1;
      }
      for (const v of which) io.out(`\n## ${n}: ${v}\n${views[v]}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof RangeError || e instanceof NoReplayState) {
      io.err(`workbench: state: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    await replay.close();
  }
}
