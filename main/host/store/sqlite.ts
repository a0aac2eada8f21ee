// Promise wrappers over the `sqlite3` package's callback API (N-API, async: every call runs on the
// libuv thread pool and completes on the event loop).

import sqlite3 from 'sqlite3';

export type SqlValue = number | string | null | Uint8Array | bigint;
export type SqlRow = Record<string, SqlValue>;

export const OPEN_READONLY = sqlite3.OPEN_READONLY;
export const OPEN_READWRITE = sqlite3.OPEN_READWRITE;
export const OPEN_CREATE = sqlite3.OPEN_CREATE;

export function openDb(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}

export function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

export function run(db: sqlite3.Database, sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number; lastID: number }> {
  return new Promise((resolve, reject) =>
    db.run(sql, params, function (err) {
      if (err) reject(err);
      else resolve({ changes: this.changes, lastID: this.lastID });
    }),
  );
}

export function all<T = SqlRow>(db: sqlite3.Database, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
}

export async function get<T = SqlRow>(db: sqlite3.Database, sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
  return (await all<T>(db, sql, params))[0];
}

export function prepare(db: sqlite3.Database, sql: string): Promise<sqlite3.Statement> {
  return new Promise((resolve, reject) => {
    const st = db.prepare(sql, (err) => (err ? reject(err) : resolve(st)));
  });
}

export function runStatement(st: sqlite3.Statement, params: readonly SqlValue[]): Promise<void> {
  return new Promise((resolve, reject) => st.run(params, (err) => (err ? reject(err) : resolve())));
}

export function finalize(st: sqlite3.Statement): Promise<void> {
  return new Promise((resolve) => st.finalize(() => resolve()));
}

export function closeDb(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

export type Database = sqlite3.Database;
export type Statement = sqlite3.Statement;
