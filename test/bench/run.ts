// `npm run bench`: engine throughput, each row against a baseline measured in the same run.
// Rows: the 100-router chain (timers + packets through every hop) vs a bare event loop that runs the same
// number of callbacks through the same queue and does nothing else.

import { performance } from 'node:perf_hooks';
import { Sim } from '../../engine/sim/sim.js';
import { buildChain, chainDuration, DEFAULT_CHAIN } from './chain.js';
import { sandboxUpcallRow } from './sandbox-upcalls.js';
import { storeBench } from './store.js';
import { replayBench } from './replay.js';
import { fibRows, printFibRows } from './fib.js';
import { journeyBench } from './journeys.js';

interface Row {
  name: string;
  events: number;
  ms: number;
  baselineName: string;
  baselineMs: number;
  baselineOps: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeChain(): { events: number; steps: number; ms: number; delivered: number } {
  const { net, receiver } = buildChain(DEFAULT_CHAIN);
  const t0 = performance.now();
  net.sim.run({ until: chainDuration(DEFAULT_CHAIN) });
  const ms = performance.now() - t0;
  return { events: net.sim.trace.eventCount, steps: net.sim.steps, ms, delivered: receiver.received.length };
}

/** The same number of queue callbacks, each scheduling the next, with no model work. */
function timeBareLoop(callbacks: number): number {
  const sim = new Sim(1);
  let left = callbacks;
  const tick = (): void => {
    if (--left > 0) sim.schedule(1000, tick);
  };
  // Keep ~as many callbacks pending as the chain does (one per router timer plus packets in flight).
  for (let i = 0; i < 128; i++) sim.schedule(i, tick);
  const t0 = performance.now();
  sim.run();
  return performance.now() - t0;
}

function main(): void {
  const reps = Number(process.env.BENCH_REPS ?? 5);
  timeChain(); // warm-up
  const runs = Array.from({ length: reps }, timeChain);
  const steps = runs[0]!.steps;
  timeBareLoop(steps);
  const bare = Array.from({ length: reps }, () => timeBareLoop(steps));
  const rows: Row[] = [
    {
      name: `chain: ${DEFAULT_CHAIN.routers} routers, ${DEFAULT_CHAIN.packets} pkts, timers (${runs[0]!.delivered} delivered)`,
      events: runs[0]!.events,
      ms: median(runs.map((r) => r.ms)),
      baselineName: `bare event loop, ${steps} callbacks`,
      baselineMs: median(bare),
      baselineOps: steps,
    },
  ];
  // The daemon sandbox (test/bench/sandbox-upcalls.ts): upcalls into a QuickJS daemon vs the same logic as host code.
  const sandbox = sandboxUpcallRow(reps);
  rows.push(sandbox.row);
  const header = ['scenario', 'trace events', 'median ms', 'events/s', 'baseline', 'baseline callbacks/s', 'ratio'];
  const body = rows.map((r) => {
    const eps = r.events / (r.ms / 1000);
    const bps = r.baselineOps / (r.baselineMs / 1000);
    return [r.name, String(r.events), r.ms.toFixed(1), Math.round(eps).toLocaleString('en-US'), r.baselineName, Math.round(bps).toLocaleString('en-US'), (eps / bps).toFixed(3)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`Engine benchmark (node ${process.version}, ${reps} runs, median)`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
  console.log('ratio = engine trace events/s ÷ bare-loop callbacks/s; each chain callback does a model step and emits several events.');
  console.log(sandbox.note);
  printFibRows(fibRows(reps));
}

// `node dist/test/bench/run.js [engine|store|replay|journeys]` runs one group of rows; no argument runs them all.
const only = process.argv[2];
if (!only || only === 'engine') main();
// Trace store rows (test/bench/store.ts): write rate against the sqlite3 shell, bytes per event.
if (!only || only === 'store') await storeBench();
// Replay rows (test/bench/replay.ts): stateAt on a ~1M-event run against re-running it, recording overhead, bytes per event.
if (!only || only === 'replay') await replayBench();
// Group journey rows (test/bench/journeys.ts): one pass over the packet records for 40 datagrams vs journey() per datagram.
if (!only || only === 'journeys') await journeyBench();
// The app's trace pane in Chromium on a ~1M-event run (issue 10's fps, select→state and memory targets):
// ~4 minutes of its own, so a separate script.
if (!only) console.log('\nUI rows (Chromium, trace pane on a ~1M-event run, ~4 min): npm run bench:ui');
