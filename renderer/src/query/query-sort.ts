// The results grid's column sort and the status line's words: plain functions (no DOM), unit-tested.

import type { QueryCell, QueryResultView } from '../../../main/host/query-api.js';

/** SQLite's order for mixed types: NULL, then numbers, then text. */
export function compareCells(a: QueryCell, b: QueryCell): number {
  const rank = (v: QueryCell): number => (v === null ? 0 : typeof v === 'number' ? 1 : 2);
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}

/** Row indexes of `rows` ordered by column `col` (stable: equal cells keep the query's order). */
export function sortedOrder(rows: readonly QueryCell[][], col: number, dir: 1 | -1): number[] {
  return rows.map((_, i) => i).sort((i, j) => dir * compareCells(rows[i]![col] ?? null, rows[j]![col] ?? null) || i - j);
}

export function describeResult(r: QueryResultView): string {
  const n = r.rows.length.toLocaleString('en');
  const ms = `${r.ms.toLocaleString('en')} ms`;
  if (!r.truncated) return `${n} row${r.rows.length === 1 ? '' : 's'} · ${ms}`;
  if (r.total !== undefined) return `First ${n} of ${r.total.toLocaleString('en')} rows · ${ms}`;
  return `First ${n} rows; the rest could not be counted in the time a query may take · ${ms}`;
}
