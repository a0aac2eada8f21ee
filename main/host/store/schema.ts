// The run database's schema and its migrations. One file holds one run. Names that repeat on every
// event (node, kernel function, kind, device) are interned into small tables, which keeps events and
// their indexes small; the `trace` and `trace_packets` views give them back by name for SQL users
// (lab checks, the query console).

import type { Database } from './sqlite.js';
import { exec, get } from './sqlite.js';

/** The kinds of TraceKind, in a fixed order: their ids are part of the file format. */
export const KINDS = ['call', 'lookup', 'rx', 'tx', 'deliver', 'drop', 'timer_arm', 'timer_fire', 'timer_cancel', 'upcall', 'state', 'log'] as const;

const V1 = `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  lab TEXT NOT NULL,
  seed INTEGER NOT NULL,
  profile TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  fingerprint TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'incomplete')),
  started_t INTEGER NOT NULL,
  ended_t INTEGER,
  events INTEGER,
  packets INTEGER,
  writer_pid INTEGER,
  writer_host TEXT
);
CREATE TABLE nodes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE fns (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE kinds (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE devices (id INTEGER PRIMARY KEY, node INTEGER NOT NULL, name TEXT NOT NULL, UNIQUE (node, name));
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  t INTEGER NOT NULL,
  node INTEGER NOT NULL,
  fn INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  pkt INTEGER,
  parent INTEGER,
  data TEXT
);
CREATE TABLE packets (
  id INTEGER PRIMARY KEY,
  t INTEGER NOT NULL,
  dev INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  origin INTEGER
);
CREATE INDEX events_node ON events (node);
CREATE INDEX events_fn ON events (fn);
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_t ON events (t);
CREATE INDEX events_pkt ON events (pkt) WHERE pkt IS NOT NULL;
CREATE INDEX events_parent ON events (parent) WHERE parent IS NOT NULL;
CREATE VIEW trace AS
  SELECT e.seq, e.t, n.name AS node, f.name AS fn, k.name AS kind, e.pkt, e.parent, coalesce(e.data, '{}') AS data
  FROM events e JOIN nodes n ON n.id = e.node JOIN fns f ON f.id = e.fn JOIN kinds k ON k.id = e.kind;
CREATE VIEW trace_packets AS
  SELECT p.id, p.t, n.name AS node, d.name AS dev, p.bytes, length(p.bytes) AS len, p.origin
  FROM packets p JOIN devices d ON d.id = p.dev JOIN nodes n ON n.id = d.node;
${KINDS.map((k, i) => `INSERT INTO kinds (id, name) VALUES (${i + 1}, '${k}');`).join('\n')}
`;

/**
 * Version 2: replay state (main/host/replay/). `snapshots` holds every node's state after event `seq`
 * (JSON, deflated when `format` says so); `state_deltas` the per-node patch of the parts that changed
 * with event `seq` (engine/state/state-diff.ts); `node_views` each node's `ip` and `/proc` views when
 * the run ended. The t and kind indexes go (22 bytes per event): time ranges are seq ranges found on the
 * primary key (RunReader.firstSeqAtOrAfter), and a kind (12 values) selects too much for an index to
 * beat a scan in seq order — with them, `kind IN (...) ORDER BY seq LIMIT n` sorted every match first
 * (EXPLAIN QUERY PLAN: USE TEMP B-TREE); the report's kind queries took 0.13/0.16 s with and 0.09/0.18 s
 * without on a 190k-event run (test/bench/replay.ts notes).
 */
const V2 = `
DROP INDEX events_t;
DROP INDEX events_kind;
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, format TEXT NOT NULL, state BLOB NOT NULL);
CREATE TABLE state_deltas (seq INTEGER NOT NULL, node INTEGER NOT NULL, patch TEXT NOT NULL, PRIMARY KEY (seq, node)) WITHOUT ROWID;
CREATE TABLE node_views (node TEXT NOT NULL, view TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (node, view));
`;

/**
 * Version 3: fewer bytes per event.
 * - Payloads are interned: `payloads(id, data)` holds each distinct payload's JSON text once and
 *   `events.payload` refers to it (`events.data` stays for the rows of older files; new rows leave it
 *   NULL). A run repeats payloads a lot (the same lookup for every datagram of a flow): on the
 *   100-router chain 1.07M events have 16k distinct payloads, and the events table went from 115 to
 *   ~35 bytes per event. `trace` gives `data` as before (SQL users see no change).
 * - Snapshot parts (main/host/replay/part-codec.ts): a snapshot in format 'parts+deflate' holds, per
 *   node and part, the id of a `state_parts` row; an unchanged part keeps its row from the snapshot
 *   before, so snapshots store (and a reader decodes) what changed.
 * Readers still open version-2 files as they are (READABLE_FROM; RunReader reads `events.data` there).
 */
const V3 = `
CREATE TABLE payloads (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
ALTER TABLE events ADD COLUMN payload INTEGER;
CREATE TABLE state_parts (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
DROP VIEW trace;
CREATE VIEW trace AS
  SELECT e.seq, e.t, n.name AS node, f.name AS fn, k.name AS kind, e.pkt, e.parent, coalesce(e.data, p.data, '{}') AS data
  FROM events e JOIN nodes n ON n.id = e.node JOIN fns f ON f.id = e.fn JOIN kinds k ON k.id = e.kind LEFT JOIN payloads p ON p.id = e.payload;
`;

/** MIGRATIONS[i] brings a database from schema version i to i + 1. Append; never edit a released one. */
const MIGRATIONS: readonly string[] = [V1, V2, V3];

/** The oldest version readers open without a migration: version 3 only adds a table new recorders write. */
export const READABLE_FROM = 2;

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaError extends Error {}

/** The connection settings every writer uses: WAL, and fsync only at checkpoints (a crash loses at most the last commits, never consistency). */
export async function configureWriter(db: Database): Promise<void> {
  await exec(db, 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;');
}

export async function schemaVersion(db: Database): Promise<number> {
  const row = await get<{ user_version: number }>(db, 'PRAGMA user_version');
  return row?.user_version ?? 0;
}

/** Applies the missing migrations, each in its own transaction. Refuses a file from a newer workbench. */
export async function migrate(db: Database): Promise<number> {
  const from = await schemaVersion(db);
  if (from > SCHEMA_VERSION) throw new SchemaError(`run file has schema version ${from}; this workbench reads up to ${SCHEMA_VERSION}`);
  for (let v = from; v < SCHEMA_VERSION; v++) {
    await exec(db, 'BEGIN IMMEDIATE');
    try {
      await exec(db, `${MIGRATIONS[v]!} PRAGMA user_version = ${v + 1};`);
      await exec(db, 'COMMIT');
    } catch (e) {
      await exec(db, 'ROLLBACK');
      throw e;
    }
  }
  return from;
}
