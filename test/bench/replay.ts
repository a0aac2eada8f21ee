// Replay benchmark rows (`npm run bench`, or `node dist/test/bench/run.js replay`): a chain run of about
// a million events recorded with a SqliteSink and a ReplayRecorder, then
//   - stateAt at random seqs (p50, p95) against re-running the same scenario to the same seq and
//     capturing its state there (the baseline, measured in the same run, at a few of those seqs);
//   - recording overhead: the same run with the SqliteSink alone, and with neither;
//   - bytes per event on disk, with and without the replay tables, and where they go (dbstat).
// BENCH_REPLAY_PACKETS scales the run (default 1150 datagrams through 100 routers ≈ 1M events);
// BENCH_REPLAY_EVERY sets the snapshot interval (comma-separated values compare several). With
// `node --expose-gc`, the seeks start from a collected heap (the recordings before leave ~GBs of garbage).
// Measured (2 shared cores): snapshot every 2000 / 5000 / 20000 events gave stateAt p95 19 / 16 / 55 ms on a
// 190k-event run and 9.3 / 2.4 bytes per event of snapshots at 1M (every 5000 / 20000): 5000 is the default.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { captureNet } from '../../engine/state/capture.js';
import { DEFAULT_SNAPSHOT_EVERY, ReplayRecorder } from '../../main/host/replay/recorder.js';
import { ReplayReader } from '../../main/host/replay/state-at.js';
import { runRecorded } from '../../main/host/store/record.js';
import { SqliteSink } from '../../main/host/store/sqlite-sink.js';
import { buildChain, chainDuration, DEFAULT_CHAIN, type ChainOptions } from './chain.js';

const SEEKS = 200;

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** mulberry32, for the bench's random seqs. */
function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function record(o: ChainOptions, file: string | null, every: number | null): Promise<{ ms: number; events: number; rec: ReplayRecorder | null }> {
  const { net } = buildChain(o);
  const t0 = performance.now();
  let rec: ReplayRecorder | null = null;
  if (file === null) {
    // In the same slices runRecorded() uses, so the rows differ only by what is recorded.
    while (net.sim.run({ until: chainDuration(o), maxSteps: 2000 }) === 'maxSteps');
    return { ms: performance.now() - t0, events: net.sim.trace.eventCount, rec };
  }
  const sink = await SqliteSink.create(file, { lab: 'chain', seed: o.seed, profile: 'modern' }, { flushIntervalMs: 0 });
  if (every !== null) net.sim.trace.addSink((rec = new ReplayRecorder(net, sink, { snapshotEvery: every })));
  net.sim.trace.addSink(sink);
  await runRecorded(net.sim, sink, chainDuration(o));
  await sink.close({ fingerprint: net.sim.trace.fingerprint(), endedT: net.sim.now });
  return { ms: performance.now() - t0, events: net.sim.trace.eventCount, rec };
}

/** The baseline: the same scenario re-run from the start until event `seq`, and its state captured there. */
function rerunTo(o: ChainOptions, seq: number): number {
  const t0 = performance.now();
  const { net } = buildChain(o);
  while (net.sim.trace.eventCount < seq && net.sim.step());
  captureNet(net);
  return performance.now() - t0;
}

function spaceByObject(db: string): Map<string, number> {
  const r = spawnSync('sqlite3', ['-separator', '\t', db, 'SELECT name, sum(pgsize) FROM dbstat GROUP BY name'], { encoding: 'utf8' });
  return new Map(r.status === 0 ? r.stdout.trim().split('\n').map((l) => [l.split('\t')[0]!, Number(l.split('\t')[1])]) : []);
}

export async function replayBench(): Promise<void> {
  const o: ChainOptions = { ...DEFAULT_CHAIN, packets: Number(process.env.BENCH_REPLAY_PACKETS ?? 1150) };
  const everies = (process.env.BENCH_REPLAY_EVERY ?? String(DEFAULT_SNAPSHOT_EVERY)).split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'rlw-bench-replay-'));
  try {
    const bare = await record(o, null, null);
    const plainFile = join(dir, 'plain.sqlite');
    const plain = await record(o, plainFile, null);
    const plainBytes = statSync(plainFile).size;
    console.log(`\nReplay benchmark: chain of ${o.routers} routers, ${o.packets} datagrams, ${bare.events.toLocaleString('en-US')} events`);
    console.log(`| recording | ms | µs/event | vs SqliteSink alone |`);
    console.log(`|---|---|---|---|`);
    console.log(`| engine only | ${bare.ms.toFixed(0)} | ${((bare.ms * 1000) / bare.events).toFixed(2)} | |`);
    console.log(`| SqliteSink | ${plain.ms.toFixed(0)} | ${((plain.ms * 1000) / plain.events).toFixed(2)} | 1.00 |`);
    const rows: string[] = [];
    let files: { every: number; file: string; events: number }[] = [];
    for (const every of everies) {
      const file = join(dir, `replay-${every}.sqlite`);
      const r = await record(o, file, every);
      const s = r.rec!.stats;
      console.log(`| SqliteSink + ReplayRecorder (snapshot every ${every}) | ${r.ms.toFixed(0)} | ${((r.ms * 1000) / r.events).toFixed(2)} | ${(r.ms / plain.ms).toFixed(2)} (nodes checked ${s.checks}, parts captured ${s.partsCaptured}, deltas ${s.deltas}, views printed ${s.viewsPrinted}) |`);
      files.push({ every, file, events: r.events });
    }
    console.log(`\n| file | bytes | bytes/event | snapshots | state_deltas | events+indexes |`);
    console.log(`|---|---|---|---|---|---|`);
    const sp0 = spaceByObject(plainFile);
    const evBytes = (m: Map<string, number>): number => [...m].filter(([k]) => k === 'events' || k.startsWith('events_') || k.startsWith('sqlite_autoindex_events')).reduce((n, [, v]) => n + v, 0);
    console.log(`| trace only | ${plainBytes} | ${(plainBytes / plain.events).toFixed(1)} | | | ${evBytes(sp0)} |`);
    for (const f of files) {
      const bytes = statSync(f.file).size;
      const sp = spaceByObject(f.file);
      console.log(`| with replay (every ${f.every}) | ${bytes} | ${(bytes / f.events).toFixed(1)} | ${sp.get('snapshots') ?? '?'} | ${sp.get('state_deltas') ?? '?'} | ${evBytes(sp)} |`);
    }
    const next = rand(42);
    for (const f of files) {
      const replay = await ReplayReader.open(f.file);
      try {
        const to = await replay.replayableTo();
        const from = await replay.replayableFrom();
        const seqs = Array.from({ length: SEEKS }, () => from + Math.floor(next() * (to - from + 1)));
        await replay.stateAt(seqs[0]!); // warm-up
        // Start from a collected heap (run with --expose-gc): the recordings before leave a lot of garbage.
        (globalThis as { gc?: () => void }).gc?.();
        const ms: number[] = [];
        for (const seq of seqs) {
          const t0 = performance.now();
          await replay.stateAt(seq);
          ms.push(performance.now() - t0);
        }
        rows.push(`| stateAt, snapshot every ${f.every} (${SEEKS} random seqs) | ${quantile(ms, 0.5).toFixed(1)} | ${quantile(ms, 0.95).toFixed(1)} | ${Math.max(...ms).toFixed(1)} |`);
        if (f === files[0]) {
          const base: string[] = [];
          for (const frac of [0.1, 0.25, 0.5, 0.75, 0.95]) {
            const seq = Math.floor(to * frac);
            const rerun = rerunTo(o, seq);
            // stateAt's median of 5 (a different snapshot in between, so none is cached), once the re-run's garbage is collected.
            (globalThis as { gc?: () => void }).gc?.();
            const sa: number[] = [];
            for (let i = 0; i < 5; i++) {
              await replay.stateAt(Math.max(from, seq - 3 * DEFAULT_SNAPSHOT_EVERY));
              const t0 = performance.now();
              await replay.stateAt(seq);
              sa.push(performance.now() - t0);
            }
            const m = quantile(sa, 0.5);
            base.push(`| seq ${seq} (${Math.round(frac * 100)} % of the run) | ${rerun.toFixed(0)} | ${m.toFixed(1)} | ${(rerun / m).toFixed(0)}× |`);
          }
          rows.push('', '| baseline: re-run to seq and capture | re-run ms | stateAt ms | speed-up |', '|---|---|---|---|', ...base);
        }
      } finally {
        await replay.close();
      }
    }
    console.log(`\n| replay | p50 ms | p95 ms | max ms |`);
    console.log(`|---|---|---|---|`);
    for (const r of rows) console.log(r);
    files = [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('replay.ts') || process.argv[1]?.endsWith('replay.js')) await replayBench();
