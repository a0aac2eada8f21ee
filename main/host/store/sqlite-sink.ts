// SqliteSink: the engine's trace stream (events and packet records) written to a run database.
// The engine calls event()/packet() synchronously; rows go through a BatchWriter. The producer
// (whatever advances the simulation) awaits drain() when `writable` turns false, and close() when
// the run ends: close() commits the rest, writes the fingerprint and marks the run complete. A run
// that is never closed stays 'running' in the file; RunReader reports it incomplete once its writer is gone.

import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Nanos } from '../../../engine/sim/time.js';
import type { PacketRecord, TraceEvent, TraceSink } from '../../../engine/sim/trace.js';
import { packageVersion } from '../version.js';
import { BatchWriter, type BatchWriterOptions, type TableSpec } from './batch-writer.js';
import { configureWriter, KINDS, migrate } from './schema.js';
import type { Database } from './sqlite.js';
import { closeDb, openDb, OPEN_CREATE, OPEN_READWRITE, run } from './sqlite.js';

export interface RunMeta {
  lab: string;
  seed: number;
  /** Kernel profile the engine ran ('linux-6.1', a 'book' profile, ...). */
  profile: string;
  /** Defaults to the workbench's package version. */
  engineVersion?: string;
  /** Simulated time the recording starts at. */
  startedT?: Nanos;
}

export interface RunEnd {
  fingerprint: string;
  /** Simulated time the run ended at. */
  endedT: Nanos;
}

/** Distinct payload texts remembered for interning (~100 bytes each). */
const MAX_PAYLOADS_KEPT = 200_000;

const KIND_IDS = new Map<string, number>(KINDS.map((k, i) => [k, i + 1]));

const TABLES: readonly TableSpec[] = [
  { name: 'nodes', columns: [['id', 'int'], ['name', 'text']] },
  { name: 'fns', columns: [['id', 'int'], ['name', 'text']] },
  { name: 'devices', columns: [['id', 'int'], ['node', 'int'], ['name', 'text']] },
  { name: 'packets', columns: [['id', 'int'], ['t', 'int'], ['dev', 'int'], ['bytes', 'blob'], ['origin', 'int']], markColumn: 'id' },
  // Replay state goes before events: a commit that holds event N holds the state rows written before it
  // (the recorder writes the state after event N-1 when event N arrives), so a killed run replays up to N-1.
  // Snapshot parts before the snapshots that refer to them (schema version 3).
  { name: 'state_parts', columns: [['id', 'int'], ['data', 'blob']] },
  { name: 'snapshots', columns: [['seq', 'int'], ['t', 'int'], ['format', 'text'], ['state', 'blob']] },
  { name: 'state_deltas', columns: [['seq', 'int'], ['node', 'int'], ['patch', 'text']] },
  // Interned payload texts (schema version 3) before the events that refer to them.
  { name: 'payloads', columns: [['id', 'int'], ['data', 'text']] },
  { name: 'events', columns: [['seq', 'int'], ['t', 'int'], ['node', 'int'], ['fn', 'int'], ['kind', 'int'], ['pkt', 'int'], ['parent', 'int'], ['payload', 'int']], markColumn: 'seq' },
  { name: 'node_views', columns: [['node', 'text'], ['view', 'text'], ['text', 'text']] },
];

/** Rows of the replay tables (schema versions 2 and 3), written by a recorder through its sink. */
export type StateRow =
  | { table: 'state_parts'; id: number; data: Uint8Array }
  | { table: 'snapshots'; seq: number; t: Nanos; format: string; state: Uint8Array }
  | { table: 'state_deltas'; seq: number; node: string; patch: string }
  | { table: 'node_views'; node: string; view: string; text: string };

export class SqliteSink implements TraceSink {
  private readonly nodeIds = new Map<string, number>();
  private readonly fnIds = new Map<string, number>();
  private readonly devIds = new Map<string, number>();
  private readonly payloadIds = new Map<string, number>();
  private lastPayloadId = 0;
  private events = 0;
  private packets = 0;
  private lastEventSeq = 0;
  private readonly closeHooks: (() => void)[] = [];
  private closed = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly db: Database,
    private readonly writer: BatchWriter,
    readonly file: string,
  ) {}

  /**
   * Creates `file` (which must not exist) with the current schema and a run row in state 'running'.
   * `flushIntervalMs` (default 1000; 0 = never) commits buffered rows when the producer goes quiet.
   */
  static async create(file: string, meta: RunMeta, opts: BatchWriterOptions & { flushIntervalMs?: number } = {}): Promise<SqliteSink> {
    if (existsSync(file)) throw new Error(`${file}: file exists; a run file is written once`);
    const db = await openDb(file, OPEN_READWRITE | OPEN_CREATE);
    try {
      await configureWriter(db);
      await migrate(db);
      await run(db, 'INSERT INTO runs (id, lab, seed, profile, engine_version, status, started_t, writer_pid, writer_host) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)', [
        meta.lab, meta.seed, meta.profile, meta.engineVersion ?? packageVersion(), 'running', meta.startedT ?? 0, process.pid, hostname(),
      ]);
      const writer = new BatchWriter(db, TABLES, opts);
      const sink = new SqliteSink(db, writer, file);
      const every = opts.flushIntervalMs ?? 1000;
      if (every > 0) {
        sink.timer = setInterval(() => {
          if (sink.writer.pending > 0 && !sink.writer.error) sink.writer.flush().catch(() => undefined);
        }, every);
        sink.timer.unref();
      }
      return sink;
    } catch (e) {
      await closeDb(db);
      throw e;
    }
  }

  /** After close() or abandon() the run is over: later events are not part of it and are ignored. */
  event(ev: TraceEvent): void {
    if (this.closed) return;
    const node = this.nodeId(ev.node);
    let fn = this.fnIds.get(ev.fn);
    if (fn === undefined) {
      fn = this.fnIds.size + 1;
      this.fnIds.set(ev.fn, fn);
      this.writer.add('fns', [fn, ev.fn]);
    }
    const kind = KIND_IDS.get(ev.kind);
    if (kind === undefined) throw new Error(`trace store: unknown event kind '${ev.kind}' (schema.ts KINDS)`);
    const data = JSON.stringify(ev.data);
    this.writer.add('events', [ev.seq, ev.t, node, fn, kind, ev.pkt, ev.parent, data === '{}' ? null : this.payloadId(data)]);
    this.events++;
    this.lastEventSeq = ev.seq;
  }

  /** The seq of the last event written (0 before the first). */
  get lastSeq(): number {
    return this.lastEventSeq;
  }

  /** Writes a replay row (snapshots, state deltas, final node views) in the run's transaction stream. */
  state(row: StateRow): void {
    if (this.closed) return;
    if (row.table === 'state_parts') this.writer.add('state_parts', [row.id, row.data]);
    else if (row.table === 'snapshots') this.writer.add('snapshots', [row.seq, row.t, row.format, row.state]);
    else if (row.table === 'state_deltas') this.writer.add('state_deltas', [row.seq, this.nodeId(row.node), row.patch]);
    else this.writer.add('node_views', [row.node, row.view, row.text]);
  }

  /** `hook` runs at the start of close(), before the last rows are committed (a recorder writes the final state there). */
  onClose(hook: () => void): void {
    this.closeHooks.push(hook);
  }

  packet(p: PacketRecord): void {
    if (this.closed) return;
    const key = `${p.node}\0${p.dev}`;
    let dev = this.devIds.get(key);
    if (dev === undefined) {
      const node = this.nodeId(p.node);
      dev = this.devIds.size + 1;
      this.devIds.set(key, dev);
      this.writer.add('devices', [dev, node, p.dev]);
    }
    // Encoded (hex) at once: the record keeps the bytes as they were, whatever the engine does with its buffer later.
    this.writer.add('packets', [p.id, p.t, dev, p.bytes, p.origin]);
    this.packets++;
  }

  /**
   * The payloads row of a payload text, written the first time the text is seen. The texts kept are
   * bounded: past MAX_PAYLOADS_KEPT they are forgotten (a text seen again gets a new row).
   */
  private payloadId(data: string): number {
    let id = this.payloadIds.get(data);
    if (id === undefined) {
      if (this.payloadIds.size >= MAX_PAYLOADS_KEPT) this.payloadIds.clear();
      id = ++this.lastPayloadId;
      this.payloadIds.set(data, id);
      this.writer.add('payloads', [id, data]);
    }
    return id;
  }

  private nodeId(name: string): number {
    let id = this.nodeIds.get(name);
    if (id === undefined) {
      id = this.nodeIds.size + 1;
      this.nodeIds.set(name, id);
      this.writer.add('nodes', [id, name]);
    }
    return id;
  }

  /** False while too many rows wait to be written: the producer should `await drain()` before going on. */
  get writable(): boolean {
    return this.writer.writable;
  }

  /** Rows accepted but not yet written. */
  get pending(): number {
    return this.writer.pending;
  }

  /** Highest event seq and packet id made durable by a commit (0 if none yet). */
  get committed(): { seq: number; packet: number } {
    return { seq: this.writer.committed.get('events') ?? 0, packet: this.writer.committed.get('packets') ?? 0 };
  }

  drain(): Promise<void> {
    return this.writer.drain();
  }

  /** Writes and commits every row accepted so far. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Commits the rest, records the fingerprint and end time, marks the run complete and closes the file. */
  async close(end: RunEnd): Promise<void> {
    if (this.closed) return;
    for (const hook of this.closeHooks) hook();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    try {
      await this.writer.close();
      await run(this.db, "UPDATE runs SET status = 'complete', fingerprint = ?, ended_t = ?, events = ?, packets = ?, writer_pid = NULL WHERE id = 1", [
        end.fingerprint, end.endedT, this.events, this.packets,
      ]);
      await run(this.db, 'PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      await closeDb(this.db);
    }
  }

  /** Closes the file without marking the run complete (a run that failed or was cancelled: it reads as incomplete). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    try {
      if (!this.writer.error) await this.writer.flush();
      await run(this.db, "UPDATE runs SET status = 'incomplete', writer_pid = NULL WHERE id = 1");
    } finally {
      await closeDb(this.db);
    }
  }
}
