// Trace store benchmark rows (`npm run bench`): the sustained write rate of SqliteSink against the
// sqlite3 shell bulk-inserting the same rows into the same schema (500-row INSERTs, the same commit
// interval, WAL + synchronous=NORMAL), measured in the same run; and bytes per event on disk.
// The stream is the 100-router chain's (events and packet records, in emission order).

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PacketRecord, TraceEvent, TraceSink } from '../../engine/sim/trace.js';
import { KINDS } from '../../main/host/store/schema.js';
import { SqliteSink } from '../../main/host/store/sqlite-sink.js';
import { buildChain, chainDuration, DEFAULT_CHAIN } from './chain.js';

type Item = { ev: TraceEvent } | { pkt: PacketRecord };

class CaptureSink implements TraceSink {
  readonly items: Item[] = [];
  event(ev: TraceEvent): void {
    this.items.push({ ev });
  }
  packet(p: PacketRecord): void {
    this.items.push({ pkt: { ...p, bytes: p.bytes.slice() } });
  }
}

const BATCH = 500;
const COMMIT = 20_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Feeds the stream to a SqliteSink as the engine would, yielding to the event loop every `slice` items. */
async function timeSink(items: readonly Item[], file: string, slice = 1000): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const sink = await SqliteSink.create(file, { lab: 'chain', seed: DEFAULT_CHAIN.seed, profile: 'linux-6.1' }, { batchRows: BATCH, commitRows: COMMIT, flushIntervalMs: 0 });
  for (let i = 0; i < items.length; i += slice) {
    for (const it of items.slice(i, i + slice)) {
      if ('ev' in it) sink.event(it.ev);
      else sink.packet(it.pkt);
    }
    if (sink.writable) await yieldToLoop();
    else await sink.drain();
  }
  await sink.close({ fingerprint: 'bench', endedT: 0 });
  const ms = performance.now() - t0;
  return { ms, bytes: statSync(file).size };
}

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** The same rows as SQL text for the shell, interned as SqliteSink interns them (names and payload texts). */
function shellSql(items: readonly Item[]): { sql: string; rows: number } {
  const nodes = new Map<string, number>();
  const fns = new Map<string, number>();
  const devs = new Map<string, number>();
  const payloads = new Map<string, number>();
  const kinds = new Map<string, number>(KINDS.map((k, i) => [k, i + 1]));
  const tables: Record<string, { cols: string; rows: string[] }> = {
    nodes: { cols: 'id,name', rows: [] },
    fns: { cols: 'id,name', rows: [] },
    devices: { cols: 'id,node,name', rows: [] },
    packets: { cols: 'id,t,dev,bytes,origin', rows: [] },
    payloads: { cols: 'id,data', rows: [] },
    events: { cols: 'seq,t,node,fn,kind,pkt,parent,payload', rows: [] },
  };
  const out: string[] = ['PRAGMA journal_mode=WAL;', 'PRAGMA synchronous=NORMAL;', 'BEGIN;'];
  let sinceCommit = 0;
  let total = 0;
  const flush = (name: string): void => {
    const t = tables[name]!;
    if (t.rows.length === 0) return;
    out.push(`INSERT INTO ${name} (${t.cols}) VALUES ${t.rows.join(',')};`);
    sinceCommit += t.rows.length;
    t.rows = [];
  };
  const add = (name: string, row: string): void => {
    const t = tables[name]!;
    t.rows.push(row);
    total++;
    if (t.rows.length >= BATCH) {
      for (const n of Object.keys(tables)) {
        if (n === name) break;
        flush(n);
      }
      flush(name);
      if (sinceCommit >= COMMIT) {
        out.push('COMMIT;', 'BEGIN;');
        sinceCommit = 0;
      }
    }
  };
  const node = (name: string): number => {
    let id = nodes.get(name);
    if (id === undefined) {
      nodes.set(name, (id = nodes.size + 1));
      add('nodes', `(${id},${q(name)})`);
    }
    return id;
  };
  for (const it of items) {
    if ('ev' in it) {
      const e = it.ev;
      const n = node(e.node);
      let f = fns.get(e.fn);
      if (f === undefined) {
        fns.set(e.fn, (f = fns.size + 1));
        add('fns', `(${f},${q(e.fn)})`);
      }
      const data = JSON.stringify(e.data);
      let pl = data === '{}' ? null : payloads.get(data);
      if (pl === undefined) {
        payloads.set(data, (pl = payloads.size + 1));
        add('payloads', `(${pl},${q(data)})`);
      }
      add('events', `(${e.seq},${e.t},${n},${f},${kinds.get(e.kind)},${e.pkt ?? 'NULL'},${e.parent ?? 'NULL'},${pl ?? 'NULL'})`);
    } else {
      const p = it.pkt;
      const key = `${p.node}\0${p.dev}`;
      let d = devs.get(key);
      if (d === undefined) {
        const n = node(p.node);
        devs.set(key, (d = devs.size + 1));
        add('devices', `(${d},${n},${q(p.dev)})`);
      }
      add('packets', `(${p.id},${p.t},${d},X'${Buffer.from(p.bytes).toString('hex')}',${p.origin ?? 'NULL'})`);
    }
  }
  for (const n of Object.keys(tables)) flush(n);
  out.push('COMMIT;', 'PRAGMA wal_checkpoint(TRUNCATE);');
  return { sql: out.join('\n'), rows: total };
}

/** An empty run file with the schema (and the run row), as the shell's target. */
async function emptyRunFile(file: string): Promise<void> {
  const sink = await SqliteSink.create(file, { lab: 'chain', seed: 1, profile: 'linux-6.1' }, { flushIntervalMs: 0 });
  await sink.abandon();
}

function timeShell(db: string, sqlFile: string): number {
  const fd = openSync(sqlFile, 'r');
  try {
    const t0 = performance.now();
    const r = spawnSync('sqlite3', ['-bail', db], { stdio: [fd, 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`sqlite3 shell failed: ${r.stderr || r.error}`);
    return ms;
  } finally {
    closeSync(fd);
  }
}

/** Bytes per table and index (the shell's dbstat), to say where the bytes go. */
function spaceByObject(db: string): Map<string, number> {
  const r = spawnSync('sqlite3', ['-separator', '\t', db, 'SELECT name, sum(pgsize) FROM dbstat GROUP BY name'], { encoding: 'utf8' });
  return new Map(r.status === 0 ? r.stdout.trim().split('\n').map((l) => [l.split('\t')[0]!, Number(l.split('\t')[1])]) : []);
}

export async function storeBench(reps = Number(process.env.BENCH_REPS ?? 5)): Promise<void> {
  const shell = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  const { net } = buildChain(DEFAULT_CHAIN);
  const cap = new CaptureSink();
  net.sim.trace.addSink(cap);
  net.sim.run({ until: chainDuration(DEFAULT_CHAIN) });
  const items = cap.items;
  const events = items.filter((i) => 'ev' in i).length;
  const dir = mkdtempSync(join(tmpdir(), 'rlw-bench-store-'));
  try {
    const sinkRuns: { ms: number; bytes: number }[] = [];
    await timeSink(items, join(dir, 'warm.sqlite')); // warm-up
    for (let i = 0; i < reps; i++) sinkRuns.push(await timeSink(items, join(dir, `sink-${i}.sqlite`)));
    const { sql, rows } = shellSql(items);
    const sqlFile = join(dir, 'rows.sql');
    writeFileSync(sqlFile, sql);
    const shellMs: number[] = [];
    if (shell.status === 0) {
      for (let i = 0; i <= reps; i++) {
        const db = join(dir, `shell-${i}.sqlite`);
        await emptyRunFile(db);
        const ms = timeShell(db, sqlFile);
        if (i > 0) shellMs.push(ms); // the first is a warm-up
      }
    }
    const ms = median(sinkRuns.map((r) => r.ms));
    const rate = rows / (ms / 1000);
    const shellRate = shellMs.length ? rows / (median(shellMs) / 1000) : NaN;
    const fmt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
    const header = ['store write', 'rows (events)', 'median ms', 'rows/s', 'events/s', 'baseline', 'baseline rows/s', 'ratio (target >= 0.75)'];
    const body = [[
      `SqliteSink, ${DEFAULT_CHAIN.routers}-router chain`,
      `${rows} (${events})`,
      ms.toFixed(1),
      fmt(rate),
      fmt(events / (ms / 1000)),
      shell.status === 0 ? `sqlite3 shell ${shell.stdout.split(' ')[0]}, same rows, ${BATCH}-row INSERTs` : 'sqlite3 shell not installed (apt-get install sqlite3)',
      fmt(shellRate),
      (rate / shellRate).toFixed(3),
    ]];
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(`\nTrace store benchmark (${reps} runs, median; rows = events + packet records + interned names)`);
    console.log(line(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const b of body) console.log(line(b));
    const file = join(dir, 'sink-0.sqlite');
    const bytes = sinkRuns[0]!.bytes;
    const space = spaceByObject(file);
    const sum = (names: string[]): number => names.reduce((n, k) => n + (space.get(k) ?? 0), 0);
    const evIdx = [...space.keys()].filter((k) => k.startsWith('events_'));
    console.log(`bytes per event on disk: ${(bytes / events).toFixed(1)} (whole file ÷ events; aim <= 150)` +
      (space.size ? `; events table ${(sum(['events']) / events).toFixed(1)}, its ${evIdx.length} indexes ${(sum(evIdx) / events).toFixed(1)}, packets ${(sum(['packets']) / events).toFixed(1)}` : ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('store.ts') || process.argv[1]?.endsWith('store.js')) await storeBench();
