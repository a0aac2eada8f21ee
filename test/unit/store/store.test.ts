import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../engine/sim/trace.js';
import { RunReader } from '../../../main/host/store/run-reader.js';
import { SqlRejected } from '../../../main/host/store/readonly-sql.js';
import { SCHEMA_VERSION } from '../../../main/host/store/schema.js';
import { closeDb, exec, openDb, OPEN_CREATE, OPEN_READWRITE, run } from '../../../main/host/store/sqlite.js';
import { SqliteSink } from '../../../main/host/store/sqlite-sink.js';
import { recordSynthetic, tempRunFile, type Recorded, removeTempRuns } from '../../store/record-synthetic.js';

let rec: Recorded;
let reader: RunReader;

beforeAll(async () => {
  // batchRows 64 / commitRows 300: many batches and commits, partial batches at the end.
  rec = await recordSynthetic(tempRunFile(), 120, { batchRows: 64, commitRows: 300 });
  reader = await RunReader.open(rec.file);
});
afterAll(async () => {
  await reader?.close();
  removeTempRuns();
});

const seqs = (es: readonly TraceEvent[]): number[] => es.map((e) => e.seq);

describe('recorded run', () => {
  it('is complete, with the fingerprint, end time and counts of the stream', async () => {
    const info = await reader.info();
    expect(info).toMatchObject({ lab: 'synthetic', seed: 7, profile: 'linux-6.1', status: 'complete', fingerprint: rec.fingerprint, endedT: rec.endedT, schemaVersion: SCHEMA_VERSION });
    expect(info.events).toBe(rec.mem.events.length);
    expect(info.packets).toBe(rec.mem.packets.size);
    expect(await reader.nodes()).toEqual(['h1', 'r1', 'r2', 'h2']);
    expect((await reader.devices()).map((d) => `${d.node}:${d.name}`)).toEqual(['h1:', 'h1:eth0', 'r1:eth1', 'r2:eth1']);
  });

  it('gives back every event and packet exactly as emitted', async () => {
    const all: TraceEvent[] = [];
    for await (const page of reader.eventPages(333)) all.push(...page);
    expect(all).toEqual(rec.mem.events);
    const pk = await reader.packets({ limit: 1e6 });
    expect(pk).toEqual([...rec.mem.packets.values()].map((p) => ({ ...p, bytes: new Uint8Array(p.bytes) })));
    expect(await reader.packet(5)).toEqual({ ...rec.mem.packets.get(5)!, bytes: new Uint8Array(rec.mem.packets.get(5)!.bytes) });
    expect(await reader.event(rec.mem.events.length + 1)).toBeUndefined();
  });

  it('filters by node, fn, kind, packet, seq and time range', async () => {
    const ev = rec.mem.events;
    const tMid = ev[Math.floor(ev.length / 2)]!.t;
    const cases: [Parameters<RunReader['events']>[0], (e: TraceEvent) => boolean][] = [
      [{ node: 'r2', limit: 1e6 }, (e) => e.node === 'r2'],
      [{ fn: ['ip_rcv', 'ip_forward'], limit: 1e6 }, (e) => e.fn === 'ip_rcv' || e.fn === 'ip_forward'],
      [{ kind: 'timer_fire', limit: 1e6 }, (e) => e.kind === 'timer_fire'],
      [{ pkt: 7, limit: 1e6 }, (e) => e.pkt === 7],
      [{ fromSeq: 100, toSeq: 150, node: 'r1', limit: 1e6 }, (e) => e.seq >= 100 && e.seq <= 150 && e.node === 'r1'],
      [{ tFrom: tMid, tTo: tMid + 3_000_000, kind: ['rx', 'tx'], limit: 1e6 }, (e) => e.t >= tMid && e.t <= tMid + 3_000_000 && (e.kind === 'rx' || e.kind === 'tx')],
      [{ fn: 'no_such_function' }, () => false],
    ];
    for (const [f, pred] of cases) expect(seqs(await reader.events(f)), JSON.stringify(f)).toEqual(seqs(ev.filter(pred)));
    expect(await reader.events({ limit: 3 })).toEqual(ev.slice(0, 3));
  });

  it('walks causal chains up and down', async () => {
    const ev = rec.mem.events;
    const deliver = ev.filter((e) => e.fn === 'udp_queue_rcv_skb');
    for (const d of deliver.slice(0, 10)) expect(seqs(await reader.ancestors(d.seq))).toEqual(seqs(rec.mem.ancestors(d.seq)));
    const root = ev.find((e) => e.fn === 'udp_sendmsg')!;
    const below = new Set([root.seq]);
    for (const e of ev) if (e.parent !== null && below.has(e.parent)) below.add(e.seq);
    below.delete(root.seq);
    expect(seqs(await reader.descendants(root.seq))).toEqual([...below].sort((a, b) => a - b));
    expect(await reader.descendants(root.seq, 3)).toHaveLength(3);
  });
});

describe('read-only SQL', () => {
  it('answers queries over the trace view with JSON functions', async () => {
    const r = await reader.query("SELECT node, count(*) AS n FROM trace WHERE fn = 'ip_rcv' AND json_extract(data, '$.dev') = 'eth0' GROUP BY node ORDER BY node");
    const count = (n: string): number => rec.mem.events.filter((e) => e.fn === 'ip_rcv' && e.node === n).length;
    expect(r).toEqual({ rows: [{ node: 'r1', n: count('r1') }, { node: 'r2', n: count('r2') }], truncated: false });
    const p = await reader.query('SELECT id, node, dev, len FROM trace_packets WHERE id = ?', [2]);
    expect(p.rows).toEqual([{ id: 2, node: 'h1', dev: 'eth0', len: rec.mem.packets.get(2)!.bytes.length }]);
    const capped = await reader.query('SELECT seq FROM trace -- comment at the end', [], { maxRows: 5 });
    expect(capped.rows).toHaveLength(5);
    expect(capped.truncated).toBe(true);
    expect((await reader.query('EXPLAIN QUERY PLAN SELECT * FROM events WHERE node = 2;')).rows.length).toBeGreaterThan(0);
  });

  it('rejects anything that is not one query, and writes hidden in a query', async () => {
    for (const sql of [
      'DELETE FROM events',
      "UPDATE runs SET status = 'complete'",
      'SELECT 1; DROP TABLE events',
      "ATTACH DATABASE '/tmp/x.sqlite' AS x",
      'PRAGMA query_only = OFF',
      'WITH x AS (SELECT 1) DELETE FROM events',
      'WITH x AS (SELECT 1) INSERT INTO nodes (name) SELECT 1 FROM x',
      '  ',
    ]) {
      await expect(reader.query(sql), sql).rejects.toThrow(SqlRejected);
    }
    // A semicolon inside a string is not a second statement.
    expect((await reader.query("SELECT ';' AS s")).rows).toEqual([{ s: ';' }]);
    // Nor are the words of a write inside strings, names or a function call.
    expect((await reader.query("SELECT replace('delete me', 'delete', 'keep') AS \"update\"")).rows).toEqual([{ update: 'keep me' }]);
    await expect(reader.query('WITH x AS (SELECT 1) REPLACE INTO nodes (id, name) VALUES (1, 2)')).rejects.toThrow(SqlRejected);
    expect((await reader.info()).events).toBe(rec.mem.events.length);
  });
});

describe('writer', () => {
  it('pushes back when the backlog is over the high-water mark, and refuses to grow past the hard limit', async () => {
    const sink = await SqliteSink.create(tempRunFile(), { lab: 'bp', seed: 1, profile: 'linux-6.1' }, { batchRows: 10, highWaterRows: 50, hardLimitRows: 200, flushIntervalMs: 0 });
    // A few payloads repeated, so each event is one row (a new payload text adds a payloads row).
    const ev = (seq: number): TraceEvent => ({ seq, t: seq, node: 'n', fn: 'f', kind: 'call', pkt: null, parent: null, data: { i: seq % 2 } });
    let seq = 0;
    while (sink.writable) sink.event(ev(++seq));
    expect(seq).toBeGreaterThanOrEqual(45);
    expect(seq).toBeLessThan(60);
    await sink.drain();
    expect(sink.writable).toBe(true);
    expect(sink.pending).toBeLessThan(10 * 3);
    expect(() => {
      for (let i = 0; i < 1000; i++) sink.event(ev(++seq));
    }).toThrow(/await drain\(\)/);
    await sink.abandon();
  });

  it('reports what each commit made durable', async () => {
    const marks: number[] = [];
    const file = tempRunFile();
    const sink = await SqliteSink.create(file, { lab: 'c', seed: 1, profile: 'linux-6.1' }, { batchRows: 10, commitRows: 25, flushIntervalMs: 0, onCommit: (m) => marks.push(m.get('events') ?? 0) });
    for (let seq = 1; seq <= 95; seq++) sink.event({ seq, t: 0, node: 'n', fn: 'f', kind: 'call', pkt: null, parent: null, data: {} });
    await sink.drain();
    // Batches of 10 rows (plus the first batch's node and fn rows): commits after 30, 60 and 90 events.
    expect(marks).toEqual([30, 60, 90]);
    await sink.flush();
    expect(sink.committed.seq).toBe(95);
    await sink.close({ fingerprint: 'x', endedT: 0 });
  });

  it('will not overwrite an existing file', async () => {
    const r = await recordSynthetic(tempRunFile(), 2);
    await expect(SqliteSink.create(r.file, { lab: 'x', seed: 1, profile: 'p' })).rejects.toThrow(/file exists/);
  });
});

describe('run status', () => {
  it('a run whose writer died is reported and marked incomplete; one whose writer lives stays running', async () => {
    const r = await recordSynthetic(tempRunFile(), 20, { close: false });
    await r.sink.flush();
    const live = await RunReader.open(r.file);
    expect((await live.info()).status).toBe('running');
    await live.close();
    // Pretend the writer was another process that has exited since.
    const dead = spawnSync('true').pid!;
    const db = await openDb(r.file, OPEN_READWRITE);
    await run(db, 'UPDATE runs SET writer_pid = ? WHERE id = 1', [dead]);
    await closeDb(db);
    const peek = await RunReader.open(r.file, { markIncomplete: false });
    expect((await peek.info()).status).toBe('incomplete');
    expect((await peek.query("SELECT status FROM runs")).rows).toEqual([{ status: 'running' }]);
    await peek.close();
    const opened = await RunReader.open(r.file);
    expect((await opened.query('SELECT status FROM runs')).rows).toEqual([{ status: 'incomplete' }]);
    expect((await opened.info()).events).toBe(r.mem.events.length);
    await opened.close();
    await r.sink.abandon();
  });

  it('refuses a file from a newer schema and a file that is not a run', async () => {
    const newer = (await recordSynthetic(tempRunFile(), 1)).file;
    const db = await openDb(newer, OPEN_READWRITE);
    await exec(db, `PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    await closeDb(db);
    await expect(RunReader.open(newer)).rejects.toThrow(`schema version ${SCHEMA_VERSION + 1}`);
    const empty = tempRunFile();
    await closeDb(await openDb(empty, OPEN_READWRITE | OPEN_CREATE));
    await expect(RunReader.open(empty)).rejects.toThrow('not a workbench run file');
  });
});

describe('values that are hard to write', () => {
  it('keeps quotes, SQL, NUL, non-ASCII and large numbers exactly', async () => {
    const file = tempRunFile();
    const sink = await SqliteSink.create(file, { lab: "it's", seed: 1, profile: 'linux-6.1' }, { flushIntervalMs: 0 });
    const evs: TraceEvent[] = [
      { seq: 1, t: 2 ** 53 - 1, node: "o'neil", fn: 'a\u0000b', kind: 'log', pkt: null, parent: null, data: { msg: "'); DROP TABLE events; --", nul: 'x\u0000y', uni: 'é ∀ 😀 \u2028', big: 2 ** 53 - 1, neg: -1.5e-7 } },
      { seq: 2, t: 2 ** 53 - 1, node: '', fn: 'run', kind: 'state', pkt: null, parent: 1, data: {} },
    ];
    for (const e of evs) sink.event(e);
    sink.packet({ id: 1, t: 5, node: "o'neil", dev: 'eth 0', bytes: Uint8Array.of(0, 39, 255, 0), origin: null });
    await sink.close({ fingerprint: 'f', endedT: 2 ** 53 - 1 });
    const r = await RunReader.open(file);
    expect(await r.events()).toEqual(evs);
    expect(await r.packet(1)).toEqual({ id: 1, t: 5, node: "o'neil", dev: 'eth 0', bytes: Uint8Array.of(0, 39, 255, 0), origin: null });
    expect((await r.info()).lab).toBe("it's");
    expect((await r.query("SELECT json_extract(data, '$.msg') AS m FROM trace WHERE seq = 1")).rows).toEqual([{ m: "'); DROP TABLE events; --" }]);
    await r.close();
  });
});
