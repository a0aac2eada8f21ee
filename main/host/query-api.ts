// The query console's part of the WorkbenchApi contract (issue 10 §8): one read-only SQL query over the
// live session's recording. api.ts includes it (like state-api.ts); this module stays free of Node imports
// because the renderer imports it. The host side is query-run.ts.

export class QueryInvalid extends Error {}

/** A query console entry is typed by hand; 20 000 characters is far beyond any and keeps one request bounded. */
export const MAX_QUERY_SQL = 20_000;
/** Rows a query returns at most; the result says how many there were in all when it can count them. */
export const QUERY_MAX_ROWS = 1000;
/** Wall-clock budget of one query (and again of its count), after which SQLite is interrupted. */
export const QUERY_TIMEOUT_MS = 2000;

export interface RunQueryRequest {
  sql: string;
}

/** A cell as the grid shows it: numbers and text as they are, blobs as `x'…'` hex (shortened). */
export type QueryCell = string | number | null;

export interface QueryResultView {
  /** Column names of the result (empty for a query that returns no rows and cannot be probed, e.g. EXPLAIN). */
  columns: string[];
  rows: QueryCell[][];
  /** Rows the query has in all, when `truncated` and they could be counted within the time cap. */
  total?: number;
  /** True if the query had more rows than `rows` holds (the row cap, or the size cap of a reply). */
  truncated: boolean;
  /** Wall-clock time of the query, ms. */
  ms: number;
}

export interface QueryApi {
  /** One read-only SQL query (SELECT, WITH, VALUES or EXPLAIN) over the live session's recording. */
  runQuery(req: RunQueryRequest): Promise<QueryResultView>;
}

type QueryMethod = keyof QueryApi;

function fail(msg: string): never {
  throw new QueryInvalid(msg);
}

export function validateRunQuery(arg: unknown): RunQueryRequest {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) fail('runQuery: expected an object { sql }');
  const proto = Object.getPrototypeOf(arg) as unknown;
  if (proto !== Object.prototype && proto !== null) fail('runQuery: expected a plain object');
  const r = arg as Record<string, unknown>;
  for (const k of Object.keys(r)) if (k !== 'sql') fail(`runQuery: unknown field "${k.slice(0, 40)}"`);
  if (typeof r.sql !== 'string') fail('runQuery.sql: expected a string');
  if (r.sql.length > MAX_QUERY_SQL) fail(`runQuery.sql: longer than ${MAX_QUERY_SQL} characters`);
  if (r.sql.includes('\0')) fail('runQuery.sql: NUL characters are not allowed');
  if (r.sql.trim() === '') fail('runQuery.sql: empty query');
  return { sql: r.sql };
}

export function queryCalls(call: (method: QueryMethod, arg: unknown) => Promise<unknown>): QueryApi {
  return {
    runQuery: (req) => call('runQuery', req) as Promise<QueryResultView>,
  };
}
