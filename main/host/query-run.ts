// The query console's host side (issue 10 §8): a student's SQL over the session's run file, through the
// same guarded path as the lab's SQL checks (RunReader.query: a read-only connection with `query_only`,
// one SELECT/WITH/VALUES/EXPLAIN, a row cap, and sqlite3's interrupt after a time cap), so a
// `WITH RECURSIVE` without an end cannot hold the lab worker. Each query opens its own connection and
// closes it: the recording's file is deleted on a rebuild, and an open handle would keep it (Windows).

import { checkReadOnlySql, SqlRejected } from './store/readonly-sql.js';
import { RunReader } from './store/run-reader.js';
import type { SqlRow, SqlValue } from './store/sqlite.js';
import { QUERY_MAX_ROWS, QUERY_TIMEOUT_MS, type QueryCell, type QueryResultView } from './query-api.js';

/** A query the student should change: SQLite's own message, or the read-only check's. */
export class QueryFailed extends Error {}

/** Text cells longer than this are shortened (a group_concat over a million events is not for a grid). */
const MAX_CELL_CHARS = 4000;
/** Blob bytes shown as hex. */
const MAX_BLOB_BYTES = 64;
/** A reply carries at most about this many characters of cells; the rest is cut like the row cap. */
const MAX_REPLY_CHARS = 2_000_000;

export function queryCell(v: SqlValue | undefined): QueryCell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) {
    const hex = Buffer.from(v.subarray(0, MAX_BLOB_BYTES)).toString('hex');
    return v.length > MAX_BLOB_BYTES ? `x'${hex}'… (${v.length} bytes)` : `x'${hex}'`;
  }
  if (typeof v === 'string' && v.length > MAX_CELL_CHARS) return `${v.slice(0, MAX_CELL_CHARS)}… (${v.length} characters)`;
  return v;
}

function sqliteMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const interrupted = (e: unknown): boolean => /SQLITE_INTERRUPT|interrupted/.test(sqliteMessage(e));

export interface QueryLimits {
  maxRows?: number;
  timeoutMs?: number;
}

/**
 * Runs one read-only query over the run file `file`. Throws QueryFailed with SQLite's message (a syntax
 * error is reported on the student's own text, not on the wrapper that caps the rows).
 */
export async function runRecordingQuery(file: string, sql: string, limits: QueryLimits = {}): Promise<QueryResultView> {
  const maxRows = limits.maxRows ?? QUERY_MAX_ROWS;
  const timeoutMs = limits.timeoutMs ?? QUERY_TIMEOUT_MS;
  let checked: ReturnType<typeof checkReadOnlySql>;
  try {
    checked = checkReadOnlySql(sql);
  } catch (e) {
    if (e instanceof SqlRejected) throw new QueryFailed(e.message);
    throw e;
  }
  const started = performance.now();
  const reader = await RunReader.open(file, { markIncomplete: false });
  try {
    let rows: SqlRow[];
    let truncated: boolean;
    try {
      ({ rows, truncated } = await reader.query(sql, [], { maxRows, timeoutMs }));
    } catch (e) {
      if (e instanceof SqlRejected) throw new QueryFailed(e.message);
      if (interrupted(e)) {
        throw new QueryFailed(`${sqliteMessage(e)}: stopped at the limit of ${timeoutMs / 1000} s per query — does a recursive CTE lack a LIMIT or an end condition?`);
      }
      // The wrapper `SELECT * FROM (…) LIMIT n` can move SQLite's "near …" to its own text: compile the
      // student's statement alone (EXPLAIN compiles without running) to report the error on it.
      if (checked.wrappable) {
        const own = await reader.query(`EXPLAIN ${checked.sql}`, [], { maxRows: 1, timeoutMs }).then(
          () => null,
          (e2: unknown) => sqliteMessage(e2),
        );
        if (own) throw new QueryFailed(own);
      }
      throw new QueryFailed(sqliteMessage(e));
    }
    let columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
    // No rows: a LEFT JOIN onto the query yields one row of NULLs that still names its columns.
    if (rows.length === 0 && checked.wrappable) {
      const probe = await reader.query(`SELECT q.* FROM (SELECT 1) LEFT JOIN (${checked.sql}) AS q ON 1`, [], { maxRows: 1, timeoutMs }).catch(() => null);
      if (probe?.rows[0]) columns = Object.keys(probe.rows[0]);
    }
    const out: QueryCell[][] = [];
    let chars = 0;
    for (const r of rows) {
      const cells = columns.map((c) => queryCell(r[c]));
      chars += cells.reduce<number>((n, c) => n + (typeof c === 'string' ? c.length : 8), 0);
      if (chars > MAX_REPLY_CHARS && out.length > 0) {
        truncated = true;
        break;
      }
      out.push(cells);
    }
    const view: QueryResultView = { columns, rows: out, truncated, ms: 0 };
    if (truncated && checked.wrappable) {
      // "First N of M rows": count them, within its own time cap; unknown if that runs out.
      const n = await reader.query(`SELECT count(*) AS n FROM (${checked.sql})`, [], { maxRows: 1, timeoutMs }).catch(() => null);
      const total = n?.rows[0]?.['n'];
      if (typeof total === 'number') view.total = total;
    }
    view.ms = Math.round((performance.now() - started) * 10) / 10;
    return view;
  } finally {
    await reader.close();
  }
}
