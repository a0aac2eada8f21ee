// Durability: a process recording a run is killed with SIGKILL at random points, 20 times. Each time
// the file must pass PRAGMA integrity_check, hold every batch the writer reported committed (and
// nothing torn: events and packets form gap-free prefixes of the stream, equal to a re-run of the same
// seed), be marked incomplete when opened, and still be readable and exportable.
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../engine/sim/trace.js';
import { MemorySink } from '../../engine/sim/trace.js';
import { exportCommand } from '../../main/host/cli/export-command.js';
import { RunReader } from '../../main/host/store/run-reader.js';
import { all, closeDb, openDb, OPEN_READONLY } from '../../main/host/store/sqlite.js';
import { tempRunFile, removeTempRuns } from './record-synthetic.js';
import { syntheticSim } from './synthetic.js';
import { recordAndKillChild } from './kill-child.js';
// mulberry32: the kill delays are seeded, so a failing run names its delay.
import { prng } from '../unit/wire/helpers.js';

const KILLS = 20;
const PARALLEL = 2;


interface Killed {
  file: string;
  seed: number;
  delayMs: number;
  committedSeq: number;
  committedPkt: number;
}

/** Kills a recording child after `commits` commits (see kill-child.ts) and reads its last commit line. */
async function recordAndKill(file: string, seed: number, delayMs: number, commits: number): Promise<Killed> {
  const out = await recordAndKillChild('test/store/durability-child.ts', [file, String(seed)], commits, delayMs);
  let committedSeq = 0;
  let committedPkt = 0;
  for (const line of out.split('\n')) {
    const m = /^C (\d+) (\d+)$/.exec(line);
    if (m) [committedSeq, committedPkt] = [Number(m[1]), Number(m[2])];
  }
  return { file, seed, delayMs, committedSeq, committedPkt };
}

/** The stream the child produced, re-run in memory up to `events` events. */
function reference(seed: number, events: number): TraceEvent[] {
  const sim = syntheticSim({ journeys: 10_000_000, seed });
  const mem = new MemorySink();
  sim.trace.addSink(mem);
  while (sim.trace.eventCount < events) sim.run({ maxSteps: 100 });
  return mem.events.slice(0, events);
}

async function verify(k: Killed): Promise<void> {
  const what = `kill ${k.delayMs} ms after a commit of seq ${k.committedSeq} (seed ${k.seed}, ${k.file})`;
  const raw = await openDb(k.file, OPEN_READONLY);
  try {
    expect(await all(raw, 'PRAGMA integrity_check'), what).toEqual([{ integrity_check: 'ok' }]);
    const [ev] = await all<{ n: number; max: number | null }>(raw, 'SELECT count(*) AS n, max(seq) AS max FROM events');
    const [pk] = await all<{ n: number; max: number | null }>(raw, 'SELECT count(*) AS n, max(id) AS max FROM packets');
    // Every committed batch is there, and what is there is a gap-free prefix (no torn transaction).
    expect(ev!.max ?? 0, what).toBeGreaterThanOrEqual(k.committedSeq);
    expect(ev!.n, what).toBe(ev!.max ?? 0);
    expect(pk!.max ?? 0, what).toBeGreaterThanOrEqual(k.committedPkt);
    expect(pk!.n, what).toBe(pk!.max ?? 0);
  } finally {
    await closeDb(raw);
  }
  const reader = await RunReader.open(k.file);
  try {
    const info = await reader.info();
    expect(info.status, what).toBe('incomplete');
    expect((await reader.query('SELECT status FROM runs')).rows, what).toEqual([{ status: 'incomplete' }]);
    const got: TraceEvent[] = [];
    for await (const page of reader.eventPages(20_000)) got.push(...page);
    expect(got.length, what).toBe(info.events);
    expect(got, what).toEqual(reference(k.seed, got.length));
    if (got.length > 0) expect((await reader.ancestors(got.at(-1)!.seq)).at(-1)!.seq, what).toBe(got.at(-1)!.seq);
  } finally {
    await reader.close();
  }
}

describe('durability under SIGKILL', () => {
  afterAll(removeTempRuns);

  it(`${KILLS} recordings killed at random points stay consistent, complete up to the last commit, and readable`, { timeout: 240_000 }, async () => {
    const rand = prng(20261125);
    // After 0 to 12 commits, then 0 to 40 ms more: anywhere in a batch, a transaction or a commit.
    const jobs = Array.from({ length: KILLS }, (_, i) => ({ file: tempRunFile(`kill-${i}.sqlite`), seed: 1 + i, commits: Math.floor(rand() * 13), delayMs: Math.floor(rand() * 40) }));
    const killed: Killed[] = [];
    for (let i = 0; i < jobs.length; i += PARALLEL) {
      killed.push(...(await Promise.all(jobs.slice(i, i + PARALLEL).map((j) => recordAndKill(j.file, j.seed, j.delayMs, j.commits)))));
    }
    for (const k of killed) await verify(k);
    // The kills landed at different points of the stream (the commits they followed differ).
    expect(new Set(killed.map((k) => k.committedSeq)).size).toBeGreaterThanOrEqual(5);
    // An interrupted run still exports.
    const last = killed.reduce((a, b) => (b.committedSeq > a.committedSeq ? b : a));
    let err = '';
    expect(await exportCommand([last.file, '--pcapng', '-o', `${last.file}.pcapng`], { out: () => undefined, err: (s) => (err += s) })).toBe(0);
    expect(err).toMatch(/warning: .* the run is incomplete/);
  });
});
