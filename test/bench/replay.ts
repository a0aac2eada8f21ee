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
// 190k-event run and 9.3 / 2.4 bytes per event of snapshots at 1M (every 5000 / 20000) with whole-node
// chunks. With snapshot parts (part-codec.ts: a part unchanged since the snapshot before is not written
// again) every 1000 / 5000 cost 2.8 / 0.8 bytes per event and full materialisation p50 1.1 / 2.3 ms:
// 1000 is the default.
// Where a seek's time went with one JSON snapshot (1M run, 100-node chain, 876 KB of JSON, loaded machine):
// JSON.parse 4.0 ms, reading ~540 deltas 1.8, applying them 1.5, inflate 1.1, parsing patches 0.8, the
// snapshot row 0.55, the event's t 0.5. Hence per-node chunks decoded when read (snapshot-codec.ts),
// the two queries in flight together, and apply() without a defineProperty per key. Reading every node
// still parses all of them (~3 ms of JSON.parse alone): the 'all nodes read' rows show that cost.

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
    const baseRows: string[] = [];
    let files: { every: number; file: string; events: number }[] = [];
    for (const every of everies) {
      const file = join(dir, `replay-${every}.sqlite`);
      const r = await record(o, file, every);
      const s = r.rec!.stats;
      console.log(`| SqliteSink + ReplayRecorder (snapshot every ${every}) | ${r.ms.toFixed(0)} | ${((r.ms * 1000) / r.events).toFixed(2)} | ${(r.ms / plain.ms).toFixed(2)} (nodes checked ${s.checks}, parts captured ${s.partsCaptured}, deltas ${s.deltas}, views printed ${s.viewsPrinted}, snapshot parts written ${s.partsWritten}) |`);
      files.push({ every, file, events: r.events });
    }
    console.log(`\n| file | bytes | bytes/event | snapshots (+ state_parts) | state_deltas | events+indexes | payloads |`);
    console.log(`|---|---|---|---|---|---|---|`);
    const sp0 = spaceByObject(plainFile);
    const evBytes = (m: Map<string, number>): number => [...m].filter(([k]) => k === 'events' || k.startsWith('events_') || k.startsWith('sqlite_autoindex_events')).reduce((n, [, v]) => n + v, 0);
    console.log(`| trace only | ${plainBytes} | ${(plainBytes / plain.events).toFixed(1)} | | | ${evBytes(sp0)} | ${sp0.get('payloads') ?? '?'} |`);
    for (const f of files) {
      const bytes = statSync(f.file).size;
      const sp = spaceByObject(f.file);
      console.log(`| with replay (every ${f.every}) | ${bytes} | ${(bytes / f.events).toFixed(1)} | ${sp.get('snapshots') ?? '?'} (+ ${sp.get('state_parts') ?? '?'}) | ${sp.get('state_deltas') ?? '?'} | ${evBytes(sp)} | ${sp.get('payloads') ?? '?'} |`);
    }
    const next = rand(42);
    for (const f of files) {
      const replay = await ReplayReader.open(f.file);
      try {
        const to = await replay.replayableTo();
        const from = await replay.replayableFrom();
        const seqs = Array.from({ length: SEEKS }, () => from + Math.floor(next() * (to - from + 1)));
        const names = Object.keys((await replay.stateAt(seqs[0]!)).nodes); // warm-up
        // Start from a collected heap (run with --expose-gc): the recordings before leave a lot of garbage.
        (globalThis as { gc?: () => void }).gc?.();
        // Cold: a seek in another snapshot first (untimed), so the reader's cached snapshot is never the one asked for.
        const away = (seq: number): number => (seq - from > to - seq ? from : to);
        const cold: number[] = [];
        const full: number[] = [];
        const one: number[] = [];
        const second: number[] = [];
        const warm: number[] = [];
        for (const seq of seqs) {
          await replay.stateAt(away(seq));
          let t0 = performance.now();
          const s = await replay.stateAt(seq);
          cold.push(performance.now() - t0);
          t0 = performance.now();
          for (const n of names) void s.nodes[n];
          full.push(cold[cold.length - 1]! + performance.now() - t0);
          // Scrubbing a few events on, in the same snapshot: its chunks are inflated once; a node's parsed
          // value is kept from its second read on (that read parses and copies), and copied from then on.
          t0 = performance.now();
          const w2 = await replay.stateAt(Math.min(to, seq + 3));
          for (const n of names) void w2.nodes[n];
          second.push(performance.now() - t0);
          t0 = performance.now();
          const w = await replay.stateAt(Math.min(to, seq + 6));
          for (const n of names) void w.nodes[n];
          warm.push(performance.now() - t0);
          await replay.stateAt(away(seq));
          t0 = performance.now();
          await replay.nodeAt(seq, names[Math.floor(next() * names.length)]!);
          one.push(performance.now() - t0);
        }
        const q = (xs: number[]): string => `${quantile(xs, 0.5).toFixed(1)} | ${quantile(xs, 0.95).toFixed(1)} | ${Math.max(...xs).toFixed(1)}`;
        rows.push(`| stateAt, cold (nodes decoded when read), snapshot every ${f.every} (${SEEKS} random seqs) | ${q(cold)} |`);
        rows.push(`| stateAt + reading all ${names.length} nodes, cold | ${q(full)} |`);
        rows.push(`| stateAt + reading all nodes, 2nd seek in the same snapshot | ${q(second)} |`);
        rows.push(`| stateAt + reading all nodes, 3rd and later seeks in the same snapshot (warm) | ${q(warm)} |`);
        rows.push(`| nodeAt (one random node), cold | ${q(one)} |`);
        if (f === files[0]) {
          const base: string[] = [];
          for (const frac of [0.1, 0.25, 0.5, 0.75, 0.95]) {
            const seq = Math.floor(to * frac);
            const rerun = rerunTo(o, seq);
            // Medians of 5 (a seek in another snapshot before each, so none is cached), once the re-run's garbage is collected.
            (globalThis as { gc?: () => void }).gc?.();
            const sa: number[] = [];
            const sf: number[] = [];
            const na: number[] = [];
            const fresh: number[] = [];
            for (let i = 0; i < 5; i++) {
              // A reader just opened (no part decoded yet): open, seek, read every node.
              const t1 = performance.now();
              const r2 = await ReplayReader.open(f.file);
              const s2 = await r2.stateAt(seq);
              for (const n of names) void s2.nodes[n];
              fresh.push(performance.now() - t1);
              await r2.close();
              await replay.stateAt(away(seq));
              let t0 = performance.now();
              const s = await replay.stateAt(seq);
              sa.push(performance.now() - t0);
              for (const n of names) void s.nodes[n];
              sf.push(performance.now() - t0);
              await replay.stateAt(away(seq));
              t0 = performance.now();
              await replay.nodeAt(seq, names[i % names.length]!);
              na.push(performance.now() - t0);
            }
            const [m, mf, mn, mo] = [quantile(sa, 0.5), quantile(sf, 0.5), quantile(na, 0.5), quantile(fresh, 0.5)];
            const x = (v: number): string => `${(rerun / v).toFixed(0)}×`;
            base.push(`| seq ${seq} (${Math.round(frac * 100)} % of the run) | ${rerun.toFixed(0)} | ${m.toFixed(2)} | ${x(m)} | ${mf.toFixed(1)} | ${x(mf)} | ${mn.toFixed(2)} | ${x(mn)} | ${mo.toFixed(1)} | ${x(mo)} |`);
          }
          baseRows.push(
            '',
            '| baseline: re-run to seq and capture (all nodes) | re-run ms | stateAt ms | speed-up | stateAt + all nodes read (full materialisation) ms | speed-up | nodeAt ms | speed-up | reader just opened: open + stateAt + all nodes ms | speed-up |',
            '|---|---|---|---|---|---|---|---|---|---|',
            ...base,
          );
        }
      } finally {
        await replay.close();
      }
    }
    console.log(`\n| replay | p50 ms | p95 ms | max ms |`);
    console.log(`|---|---|---|---|`);
    for (const r of [...rows, ...baseRows]) console.log(r);
    files = [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('replay.ts') || process.argv[1]?.endsWith('replay.js')) await replayBench();
