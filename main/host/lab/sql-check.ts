// SQL checks: read-only SQL over the run's trace so far, through the trace store itself. The first SQL
// check of a run creates a temporary run file (SqliteSink, the schema `workbench run --db` writes); each
// check feeds it the events and packets the in-memory trace gained since, commits, and queries it through
// a read-only RunReader (one query, `query_only` on). Labs without SQL checks never touch SQLite.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunReader } from '../store/run-reader.js';
import { SqliteSink } from '../store/sqlite-sink.js';
import type { SqlValue } from '../store/sqlite.js';
import type { LabSession } from './session.js';
import type { SqlCheck } from './steps.js';

type Cell = string | number | null;

function cell(v: SqlValue | undefined): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return `x'${Buffer.from(v).toString('hex')}'`;
  return v;
}

const show = (v: unknown): string => JSON.stringify(v);

export class TraceSql {
  private dir: string | null = null;
  private sink: SqliteSink | null = null;
  private reader: RunReader | null = null;
  private fedEvents = 0;
  private fedPacket = 0;

  constructor(
    private readonly session: LabSession,
    private readonly seed: number,
  ) {}

  private async sync(): Promise<RunReader> {
    if (!this.sink) {
      this.dir = mkdtempSync(join(tmpdir(), 'workbench-sql-'));
      // A run that dies on an exception never reaches close(): the temporary store goes at exit anyway.
      process.once('exit', this.removeAtExit);
      this.sink = await SqliteSink.create(join(this.dir, 'run.sqlite'), { lab: this.session.spec.name, seed: this.seed, profile: this.session.spec.profile }, { flushIntervalMs: 0 });
    }
    const mem = this.session.trace;
    for (const p of mem.packets.values()) {
      if (p.id <= this.fedPacket) continue;
      this.sink.packet(p);
      this.fedPacket = p.id;
    }
    const events = mem.events;
    for (; this.fedEvents < events.length; this.fedEvents++) {
      this.sink.event(events[this.fedEvents]!);
      if (!this.sink.writable) await this.sink.drain();
    }
    await this.sink.flush();
    this.reader ??= await RunReader.open(this.sink.file, { markIncomplete: false });
    return this.reader;
  }

  async evaluate(c: SqlCheck): Promise<{ passed: boolean; message: string }> {
    const reader = await this.sync();
    const where = c.at ? `${c.at.file}:${c.at.line}:${c.at.col}: ` : '';
    let rows: Cell[][];
    try {
      const r = await reader.query(c.query, [], { maxRows: 1000, timeoutMs: 10_000 });
      rows = r.rows.map((row) => Object.values(row).map(cell));
    } catch (e) {
      return { passed: false, message: `${where}the check's SQL failed: ${(e as Error).message.replace(/^SQLITE_\w+: /, '')}` };
    }
    const what = `SQL \`${c.query.trim().replace(/\s+/g, ' ')}\``;
    const first = rows[0]?.[0];
    const problems: string[] = [];
    if (c.rows !== undefined) {
      if (typeof c.rows === 'number') {
        if (rows.length !== c.rows) problems.push(`expected ${c.rows} row(s), got ${rows.length}`);
      } else if (show(rows) !== show(c.rows)) problems.push(`expected the rows ${show(c.rows)}`);
    } else if (c.equals !== undefined || c.min !== undefined || c.max !== undefined) {
      if (rows.length === 0) problems.push('expected a row, got none');
      else if (c.equals !== undefined && first !== c.equals && !(typeof c.equals === 'number' && Number(first) === c.equals && first !== null)) problems.push(`expected ${show(c.equals)}`);
      else if (c.min !== undefined && !(typeof first === 'number' && first >= c.min)) problems.push(`expected at least ${c.min}`);
      else if (c.max !== undefined && !(typeof first === 'number' && first <= c.max)) problems.push(`expected at most ${c.max}`);
    } else if (rows.length === 0) problems.push('expected at least one row, got none');
    if (problems.length === 0) return { passed: true, message: `${what}: ${c.rows === undefined ? show(first) : `${rows.length} row(s)`}, as expected` };
    // Expected rows are compared as rows, so they are shown as rows too ([[0,null]], not [0,null]).
    const asRows = Array.isArray(c.rows);
    const got = rows.length === 0 ? 'no rows' : rows.length === 1 && !asRows ? show(rows[0]!.length === 1 ? first : rows[0]) : `${show(rows.slice(0, 5))}${rows.length > 5 ? ` (${rows.length} rows)` : ''}`;
    return { passed: false, message: `${what}: ${problems.join('; ')}, got ${got}` };
  }

  private readonly removeAtExit = (): void => {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  };

  /** Closes the temporary run file and deletes it. */
  async close(): Promise<void> {
    await this.reader?.close();
    await this.sink?.abandon();
    this.removeAtExit();
    process.removeListener('exit', this.removeAtExit);
    this.reader = null;
    this.sink = null;
    this.dir = null;
  }
}
