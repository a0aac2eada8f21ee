// Reading a recorded run: metadata, events by range and filters, causal chains, packets, and
// read-only SQL. The file is opened read-only; a run whose writer is gone without closing it is
// reported (and, once, marked in the file) as incomplete.

import { hostname } from 'node:os';
import type { Nanos } from '../../../engine/sim/time.js';
import type { PacketRecord, Payload, TraceEvent, TraceKind } from '../../../engine/sim/trace.js';
import { checkReadOnlySql, SqlRejected } from './readonly-sql.js';
import { migrate, READABLE_FROM, SCHEMA_VERSION, schemaVersion, SchemaError } from './schema.js';
import type { Database, SqlRow, SqlValue } from './sqlite.js';
import { all, closeDb, exec, get, openDb, OPEN_READONLY, OPEN_READWRITE, run } from './sqlite.js';

export type RunStatus = 'running' | 'complete' | 'incomplete';

export interface RunInfo {
  lab: string;
  seed: number;
  profile: string;
  engineVersion: string;
  fingerprint: string | null;
  status: RunStatus;
  startedT: Nanos;
  endedT: Nanos | null;
  /** Events and packets in the file (counted, so also right for an incomplete run). */
  events: number;
  packets: number;
  schemaVersion: number;
}

export interface EventFilter {
  fromSeq?: number;
  /** Inclusive. */
  toSeq?: number;
  node?: string | readonly string[];
  fn?: string | readonly string[];
  kind?: TraceKind | readonly TraceKind[];
  pkt?: number;
  /** Simulated time range, inclusive. */
  tFrom?: Nanos;
  tTo?: Nanos;
  /** Default 1000. */
  limit?: number;
}

export interface DeviceInfo {
  id: number;
  node: string;
  name: string;
}

export interface QueryResult {
  rows: SqlRow[];
  /** True if the query had more rows than `maxRows`. */
  truncated: boolean;
}

interface EventRow {
  seq: number;
  t: number;
  node: string;
  fn: string;
  kind: TraceKind;
  pkt: number | null;
  parent: number | null;
  data: string | null;
}

const EVENT_COLUMNS_V2 = 'e.seq, e.t, n.name AS node, f.name AS fn, k.name AS kind, e.pkt, e.parent, e.data';
const EVENT_FROM_V2 = 'events e JOIN nodes n ON n.id = e.node JOIN fns f ON f.id = e.fn JOIN kinds k ON k.id = e.kind';
// Version 3 interns payloads (schema.ts); rows migrated from older files keep theirs in events.data.
const EVENT_COLUMNS_V3 = 'e.seq, e.t, n.name AS node, f.name AS fn, k.name AS kind, e.pkt, e.parent, coalesce(e.data, p.data) AS data';
const EVENT_FROM_V3 = `${EVENT_FROM_V2} LEFT JOIN payloads p ON p.id = e.payload`;

function toEvent(r: EventRow): TraceEvent {
  return { seq: r.seq, t: r.t, node: r.node, fn: r.fn, kind: r.kind, pkt: r.pkt, parent: r.parent, data: r.data === null ? {} : (JSON.parse(r.data) as Payload) };
}

function list<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

function writerAlive(pid: number | null, host: string | null): boolean {
  if (pid === null) return false;
  if (host !== hostname()) return false; // another machine's writer: nothing here is writing this copy
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunReader {
  private readonly cols: string;
  private readonly from: string;

  private constructor(
    private readonly db: Database,
    readonly file: string,
    version: number,
  ) {
    this.cols = version >= 3 ? EVENT_COLUMNS_V3 : EVENT_COLUMNS_V2;
    this.from = version >= 3 ? EVENT_FROM_V3 : EVENT_FROM_V2;
  }

  /**
   * Opens a run read-only. A run left 'running' by a writer that no longer exists (killed, crashed)
   * is marked 'incomplete' in the file first (unless `markIncomplete` is false; it then only reads so).
   */
  static async open(file: string, opts: { markIncomplete?: boolean } = {}): Promise<RunReader> {
    if (opts.markIncomplete !== false) {
      try {
        await markIfAbandoned(file);
      } catch (e) {
        // A file we may not write (read-only copy, permissions): info() still reports the status right.
        if (!/SQLITE_(READONLY|PERM|AUTH)/.test((e as Error).message)) throw e;
      }
    }
    const db = await openDb(file, OPEN_READONLY);
    try {
      const v = await schemaVersion(db);
      if (v === 0) throw new SchemaError(`${file}: not a workbench run file`);
      if (v > SCHEMA_VERSION) throw new SchemaError(`${file}: schema version ${v}; this workbench reads up to ${SCHEMA_VERSION}`);
      if (v < READABLE_FROM) throw new SchemaError(`${file}: schema version ${v}; open it once with upgradeRunFile() to migrate it to ${SCHEMA_VERSION}`);
      await exec(db, 'PRAGMA query_only = ON');
      return new RunReader(db, file, v);
    } catch (e) {
      await closeDb(db);
      throw e;
    }
  }

  /** The run's status alone (info() also counts events and packets: ~20 ms on a 1M-event run). */
  async status(): Promise<RunStatus> {
    const r = await get<{ status: RunStatus; writer_pid: number | null; writer_host: string | null }>(this.db, 'SELECT status, writer_pid, writer_host FROM runs WHERE id = 1');
    if (!r) throw new SchemaError(`${this.file}: no run recorded`);
    return r.status === 'running' && !writerAlive(r.writer_pid, r.writer_host) ? 'incomplete' : r.status;
  }

  async info(): Promise<RunInfo> {
    const r = await get<Record<string, SqlValue>>(this.db, 'SELECT * FROM runs WHERE id = 1');
    if (!r) throw new SchemaError(`${this.file}: no run recorded`);
    const counts = await get<{ ev: number; pk: number }>(this.db, 'SELECT (SELECT count(*) FROM events) AS ev, (SELECT count(*) FROM packets) AS pk');
    let status = r['status'] as RunStatus;
    if (status === 'running' && !writerAlive(r['writer_pid'] as number | null, r['writer_host'] as string | null)) status = 'incomplete';
    return {
      lab: r['lab'] as string,
      seed: r['seed'] as number,
      profile: r['profile'] as string,
      engineVersion: r['engine_version'] as string,
      fingerprint: r['fingerprint'] as string | null,
      status,
      startedT: r['started_t'] as number,
      endedT: r['ended_t'] as number | null,
      events: counts!.ev,
      packets: counts!.pk,
      schemaVersion: await schemaVersion(this.db),
    };
  }

  async nodes(): Promise<string[]> {
    return (await all<{ name: string }>(this.db, 'SELECT name FROM nodes ORDER BY id')).map((r) => r.name);
  }

  /** Every device a packet record was seen on, in order of first appearance. */
  async devices(): Promise<DeviceInfo[]> {
    return all<DeviceInfo>(this.db, 'SELECT d.id, n.name AS node, d.name FROM devices d JOIN nodes n ON n.id = d.node ORDER BY d.id');
  }

  async event(seq: number): Promise<TraceEvent | undefined> {
    const r = await get<EventRow>(this.db, `SELECT ${this.cols} FROM ${this.from} WHERE e.seq = ?`, [seq]);
    return r && toEvent(r);
  }

  /** Events matching every given filter, in sequence order. */
  async events(f: EventFilter = {}): Promise<TraceEvent[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const names = (col: string, table: string, v: string | readonly string[]): void => {
      const xs = list(v);
      where.push(`e.${col} IN (SELECT id FROM ${table} WHERE name IN (${xs.map(() => '?').join(',')}))`);
      params.push(...xs);
    };
    const cond = (sql: string, v: SqlValue | undefined): void => {
      if (v === undefined) return;
      where.push(sql);
      params.push(v);
    };
    cond('e.seq >= ?', f.fromSeq);
    cond('e.seq <= ?', f.toSeq);
    // Time never decreases along seq: a time range is a seq range, found on the primary key (no index on t).
    if (f.tFrom !== undefined) cond('e.seq >= ?', await this.firstSeqAtOrAfter(f.tFrom));
    if (f.tTo !== undefined) cond('e.seq < ?', await this.firstSeqAtOrAfter(f.tTo + 1));
    cond('e.pkt = ?', f.pkt);
    if (f.node !== undefined) names('node', 'nodes', f.node);
    if (f.fn !== undefined) names('fn', 'fns', f.fn);
    if (f.kind !== undefined) names('kind', 'kinds', f.kind);
    const sql = `SELECT ${this.cols} FROM ${this.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.seq LIMIT ?`;
    params.push(f.limit ?? 1000);
    return (await all<EventRow>(this.db, sql, params)).map(toEvent);
  }

  /** The first event seq at or after simulated time `t` (one past the last event if none), by binary search on seq. */
  async firstSeqAtOrAfter(t: Nanos): Promise<number> {
    const b = await get<{ lo: number | null; hi: number | null }>(this.db, 'SELECT min(seq) AS lo, max(seq) AS hi FROM events');
    if (b?.lo === null || b?.lo === undefined || b.hi === null) return 1;
    let lo = b.lo;
    let hi = b.hi + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const r = await get<{ seq: number; t: number }>(this.db, 'SELECT seq, t FROM events WHERE seq >= ? ORDER BY seq LIMIT 1', [mid]);
      if (!r) hi = mid;
      else if (r.t >= t) hi = mid;
      else lo = r.seq + 1;
    }
    return lo;
  }

  /** The causal chain up to `seq`: its root cause first, `seq` itself last. */
  async ancestors(seq: number): Promise<TraceEvent[]> {
    const rows = await all<EventRow>(
      this.db,
      `WITH RECURSIVE up(seq) AS (SELECT ? UNION ALL SELECT e.parent FROM events e JOIN up ON e.seq = up.seq WHERE e.parent IS NOT NULL)
       SELECT ${this.cols} FROM ${this.from} WHERE e.seq IN (SELECT seq FROM up) ORDER BY e.seq`,
      [seq],
    );
    return rows.map(toEvent);
  }

  /** Everything `seq` caused, directly or not, in sequence order (at most `limit` events; `seq` excluded). */
  async descendants(seq: number, limit = 10_000): Promise<TraceEvent[]> {
    const rows = await all<EventRow>(
      this.db,
      `WITH RECURSIVE down(seq) AS (SELECT ? UNION ALL SELECT e.seq FROM events e JOIN down ON e.parent = down.seq LIMIT ?)
       SELECT ${this.cols} FROM ${this.from} WHERE e.seq IN (SELECT seq FROM down) AND e.seq <> ? ORDER BY e.seq`,
      [seq, limit + 1, seq],
    );
    return rows.map(toEvent);
  }

  async packet(id: number): Promise<PacketRecord | undefined> {
    return (await this.packets({ fromId: id, limit: 1 })).find((p) => p.id === id);
  }

  /** Packet records in id order, from `fromId` on (pages of `limit`, default 1000). */
  async packets(opts: { fromId?: number; limit?: number } = {}): Promise<PacketRecord[]> {
    const rows = await all<{ id: number; t: number; node: string; dev: string; bytes: Buffer; origin: number | null }>(
      this.db,
      'SELECT p.id, p.t, n.name AS node, d.name AS dev, p.bytes, p.origin FROM packets p JOIN devices d ON d.id = p.dev JOIN nodes n ON n.id = d.node WHERE p.id >= ? ORDER BY p.id LIMIT ?',
      [opts.fromId ?? 0, opts.limit ?? 1000],
    );
    return rows.map((r) => ({ id: r.id, t: r.t, node: r.node, dev: r.dev, bytes: new Uint8Array(r.bytes), origin: r.origin }));
  }

  /** Packet records with their device's id (for exporters), in id order, page by page. */
  async *packetPages(pageSize = 5000): AsyncGenerator<(PacketRecord & { devId: number })[]> {
    let from = 0;
    for (;;) {
      const rows = await all<{ id: number; t: number; node: string; dev: string; devId: number; bytes: Buffer; origin: number | null }>(
        this.db,
        'SELECT p.id, p.t, n.name AS node, d.name AS dev, d.id AS devId, p.bytes, p.origin FROM packets p JOIN devices d ON d.id = p.dev JOIN nodes n ON n.id = d.node WHERE p.id >= ? ORDER BY p.id LIMIT ?',
        [from, pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => ({ ...r, bytes: new Uint8Array(r.bytes) }));
      from = rows[rows.length - 1]!.id + 1;
    }
  }

  /** All events in sequence order, page by page (for exporters). */
  async *eventPages(pageSize = 5000): AsyncGenerator<TraceEvent[]> {
    let from = 0;
    for (;;) {
      const rows = await all<EventRow>(this.db, `SELECT ${this.cols} FROM ${this.from} WHERE e.seq >= ? ORDER BY e.seq LIMIT ?`, [from, pageSize]);
      if (rows.length === 0) return;
      yield rows.map(toEvent);
      from = rows[rows.length - 1]!.seq + 1;
    }
  }

  /**
   * Read-only SQL over the run: the tables and the views `trace` (events with node, fn and kind by
   * name, `data` as JSON text for json_extract) and `trace_packets`. Rejects anything but one query;
   * stops a query running longer than `timeoutMs`.
   */
  async query(sql: string, params: readonly SqlValue[] = [], opts: { maxRows?: number; timeoutMs?: number } = {}): Promise<QueryResult> {
    const q = checkReadOnlySql(sql);
    const maxRows = opts.maxRows ?? 10_000;
    const timer = setTimeout(() => this.db.interrupt(), opts.timeoutMs ?? 5000);
    try {
      const rows = await all<SqlRow>(this.db, q.wrappable ? `SELECT * FROM (${q.sql}) LIMIT ${maxRows + 1}` : q.sql, params);
      return { rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/SQLITE_(READONLY|AUTH)|attempt to write/.test(msg)) throw new SqlRejected(`read-only SQL: ${msg}`);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Trusted SQL from the host's own modules (replay): no read-only-SQL screening, no row limit. Users go through query(). */
  select<T = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return all<T>(this.db, sql, params);
  }

  close(): Promise<void> {
    return closeDb(this.db);
  }
}

/** Marks a run whose writer is gone as incomplete (a no-op for complete runs and live writers). */
export async function markIfAbandoned(file: string): Promise<boolean> {
  const db = await openDb(file, OPEN_READWRITE);
  try {
    if ((await schemaVersion(db)) === 0) return false;
    const r = await get<{ status: string; writer_pid: number | null; writer_host: string | null }>(db, 'SELECT status, writer_pid, writer_host FROM runs WHERE id = 1');
    if (!r || r.status !== 'running' || writerAlive(r.writer_pid, r.writer_host)) return false;
    await run(db, "UPDATE runs SET status = 'incomplete', writer_pid = NULL WHERE id = 1 AND status = 'running'");
    return true;
  } finally {
    await closeDb(db);
  }
}

/** Migrates a run file from an older schema to the current one, in place. */
export async function upgradeRunFile(file: string): Promise<number> {
  const db = await openDb(file, OPEN_READWRITE);
  try {
    return await migrate(db);
  } finally {
    await closeDb(db);
  }
}
