// The query console's host side (runQuery, query-run.ts): read-only SQL over the live session's recording
// of lab 06. Answers agree with the in-memory trace the session holds; writes, several statements and
// anything but a query are refused with a message naming why; the row cap says "first N of M"; an endless
// recursive CTE is interrupted by the time cap with a message that says so; SQLite's own errors reach the
// caller (on the student's text, not on the wrapper that caps rows).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import type { QueryResultView } from '../../../main/host/query-api.js';
import { QUERY_MAX_ROWS } from '../../../main/host/query-api.js';
import { QueryFailed, queryCell, runRecordingQuery } from '../../../main/host/query-run.js';
import type { RecordingView } from '../../../main/host/state-api.js';

const LABS = join(import.meta.dirname, '..', '..', '..', 'labs');
const dir = mkdtempSync(join(tmpdir(), 'wb-query-'));
let app: AppService;

beforeAll(async () => {
  const r = openLabFile(join(LABS, '06-unresolved-queue.yaml'));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  app = new AppService(r.spec, { runsDir: dir });
  await app.invoke('runStepActions', { step: 0 });
}, 60_000);

afterAll(async () => {
  await app?.closeRecording();
  rmSync(dir, { recursive: true, force: true });
});

const query = (sql: string): Promise<QueryResultView> => app.invoke('runQuery', { sql }) as Promise<QueryResultView>;

async function refused(sql: string): Promise<string> {
  try {
    await query(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('EINVAL');
    return (e as ApiError).message;
  }
  throw new Error(`accepted ${sql}`);
}

describe('runQuery over the recorded session (lab 06)', () => {
  it('counts events per kernel function as the in-memory trace does', async () => {
    const r = await query('SELECT fn, count(*) AS n FROM trace GROUP BY fn ORDER BY n DESC, fn');
    expect(r.columns).toEqual(['fn', 'n']);
    expect(r.truncated).toBe(false);
    const counts = new Map<string, number>();
    for (const e of app.session.trace.events) counts.set(e.fn, (counts.get(e.fn) ?? 0) + 1);
    expect(new Map(r.rows.map(([fn, n]) => [fn as string, n as number]))).toEqual(counts);
    expect(r.ms).toBeGreaterThanOrEqual(0);
  });

  it('lists upcalls per (S,G) and drops with their reasons from the payload JSON', async () => {
    const up = await query(
      "SELECT json_extract(data, '$.src') AS S, json_extract(data, '$.dst') AS G, json_extract(data, '$.msgtype') AS msg, count(*) AS n FROM trace WHERE kind = 'upcall' GROUP BY S, G, msg",
    );
    const upcalls = app.session.trace.events.filter((e) => e.kind === 'upcall');
    expect(up.rows).toEqual([['10.1.0.10', '239.1.1.1', 'IGMPMSG_NOCACHE', upcalls.length]]);
    const drops = await query("SELECT node, fn, json_extract(data, '$.reason') AS reason, count(*) AS n FROM trace WHERE kind = 'drop' GROUP BY node, fn, reason ORDER BY n DESC");
    const queueFull = drops.rows.find((r) => r[1] === 'ipmr_cache_unresolved');
    const expected = app.session.trace.events.filter((e) => e.kind === 'drop' && e.fn === 'ipmr_cache_unresolved');
    expect(expected.length).toBeGreaterThan(0);
    expect(queueFull).toEqual(['r1', 'ipmr_cache_unresolved', (expected[0]!.data as { reason: string }).reason, expected.length]);
  });

  it('names the columns of a query with no rows, and shows blobs as shortened hex', async () => {
    const none = await query("SELECT seq, fn AS function FROM trace WHERE fn = 'no_such_function'");
    expect(none).toMatchObject({ columns: ['seq', 'function'], rows: [], truncated: false });
    const p = await query('SELECT id, bytes, len FROM trace_packets ORDER BY id LIMIT 1');
    const [, hex, len] = p.rows[0]!;
    expect(typeof len).toBe('number');
    expect(hex).toMatch(/^x'45[0-9a-f]+'/);
    expect(hex).toContain(`(${len as number} bytes)`);
    expect(queryCell(new Uint8Array([0xef, 1]))).toBe("x'ef01'");
    expect(queryCell(2n ** 70n)).toBe((2n ** 70n).toString());
    expect(queryCell('a'.repeat(5000))).toMatch(/… \(5000 characters\)$/);
  });

  it('caps the rows and says how many there were in all', async () => {
    const all = app.session.trace.events.length;
    expect(all).toBeGreaterThan(10);
    const file = ((await app.invoke('getRecording', undefined)) as RecordingView).file;
    const r = await runRecordingQuery(file, 'SELECT seq, fn FROM trace ORDER BY seq', { maxRows: 10 });
    expect(r.rows).toHaveLength(10);
    expect(r.rows.map((x) => x[0])).toEqual(app.session.trace.events.slice(0, 10).map((e) => e.seq));
    expect(r).toMatchObject({ truncated: true, total: all });
    const big = await query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 2500) SELECT x FROM c');
    expect(big.rows).toHaveLength(QUERY_MAX_ROWS);
    expect(big.rows.at(-1)).toEqual([QUERY_MAX_ROWS]);
    expect(big).toMatchObject({ truncated: true, total: 2500 });
  });

  it('interrupts an endless recursive CTE at the time cap with a message that says so', async () => {
    const file = ((await app.invoke('getRecording', undefined)) as RecordingView).file;
    const endless = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';
    const e = await runRecordingQuery(file, endless, { timeoutMs: 300 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QueryFailed);
    expect((e as Error).message).toMatch(/^SQLITE_INTERRUPT: interrupted: stopped at the limit of 0\.3 s per query/);
    // Without an aggregate the row cap ends it: 1000 rows, the count of the rest runs out of time (unknown).
    const r = await runRecordingQuery(file, 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', { timeoutMs: 300, maxRows: 5 });
    expect(r.rows).toEqual([[1], [2], [3], [4], [5]]);
    expect(r.truncated).toBe(true);
    expect(r.total).toBeUndefined();
    // The connection is usable again afterwards.
    expect((await query('SELECT count(*) AS n FROM events')).rows).toEqual([[app.session.trace.events.length]]);
  });

  it('refuses writes, schema changes, ATTACH, PRAGMA and several statements; the run is unchanged', async () => {
    const before = (await query('SELECT count(*) FROM events')).rows[0]![0];
    expect(await refused("INSERT INTO nodes (name) VALUES ('x')")).toMatch(/read-only SQL: .*not INSERT/);
    expect(await refused('DROP TABLE events')).toMatch(/not DROP/);
    expect(await refused('DELETE FROM events')).toMatch(/not DELETE/);
    expect(await refused("ATTACH DATABASE '/tmp/x.sqlite' AS x")).toMatch(/not ATTACH/);
    expect(await refused('PRAGMA query_only = OFF')).toMatch(/not PRAGMA/);
    expect(await refused('PRAGMA user_version = 9')).toMatch(/not PRAGMA/);
    expect(await refused('WITH t AS (SELECT 1) DELETE FROM events')).toMatch(/DELETE writes/);
    expect(await refused('SELECT 1; DROP TABLE events')).toMatch(/one statement only/);
    expect(await refused('SELECT 1; SELECT 2')).toMatch(/one statement only/);
    // A semicolon inside a literal or a trailing comment is part of the one statement.
    expect((await query("SELECT ';' AS s -- the end; really")).rows).toEqual([[';']]);
    expect((await query('SELECT count(*) FROM events')).rows[0]![0]).toBe(before);
  });

  it("reports SQLite's own message, on the student's text", async () => {
    expect(await refused('SELECT * FROM nope')).toBe('SQLITE_ERROR: no such table: nope');
    expect(await refused('SELECT nocolumn FROM trace')).toBe('SQLITE_ERROR: no such column: nocolumn');
    // Wrapped to cap its rows, this would fail "near )"; compiled alone it fails where the student wrote it.
    expect(await refused('SELECT seq FROM trace WHERE seq >')).toBe('SQLITE_ERROR: incomplete input');
    expect(await refused('SELECT seq FROM trace ORDER BY BY seq')).toBe('SQLITE_ERROR: near "seq": syntax error');
  });

  it('answers for the new session after a reset (its own recording)', async () => {
    const r1 = await query("SELECT count(*) FROM trace WHERE fn = 'ipmr_cache_unresolved'");
    expect(r1.rows[0]![0]).toBeGreaterThan(0);
    await app.invoke('reset', undefined);
    const r2 = await query("SELECT count(*) FROM trace WHERE fn = 'ipmr_cache_unresolved'");
    expect(r2.rows).toEqual([[0]]);
    const all = await query('SELECT count(*) FROM trace');
    expect(all.rows).toEqual([[app.session.trace.events.length]]);
  });
});
