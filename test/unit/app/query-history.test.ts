// The query console's renderer logic that needs no DOM: the history kept in localStorage (newest first,
// no duplicates, bounded, robust to bad or missing storage) and the grid's column sort (SQLite's order
// for mixed types, stable).

import { describe, expect, it } from 'vitest';
import { HISTORY_KEY, HISTORY_MAX, pushHistory, readHistory, type HistoryStore } from '../../../renderer/src/query/query-history.js';
import { compareCells, describeResult, sortedOrder } from '../../../renderer/src/query/query-sort.js';

function memory(): HistoryStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('query history', () => {
  it('keeps the newest first, moves a repeated query up, and keeps at most HISTORY_MAX', () => {
    const s = memory();
    expect(readHistory(s)).toEqual([]);
    pushHistory(s, 'SELECT 1');
    pushHistory(s, 'SELECT 2\n');
    expect(pushHistory(s, '  SELECT 1 ')).toEqual(['SELECT 1', 'SELECT 2']);
    for (let i = 0; i < HISTORY_MAX + 5; i++) pushHistory(s, `SELECT ${i + 10}`);
    const h = readHistory(s);
    expect(h).toHaveLength(HISTORY_MAX);
    expect(h[0]).toBe(`SELECT ${HISTORY_MAX + 14}`);
    expect(JSON.parse(s.data.get(HISTORY_KEY)!)).toEqual(h);
  });

  it('reads garbage as no history and survives a store that refuses writes', () => {
    const s = memory();
    s.data.set(HISTORY_KEY, '{not json');
    expect(readHistory(s)).toEqual([]);
    s.data.set(HISTORY_KEY, JSON.stringify(['SELECT 1', 42, null, 'SELECT 2']));
    expect(readHistory(s)).toEqual(['SELECT 1', 'SELECT 2']);
    const full: HistoryStore = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(pushHistory(full, 'SELECT 3')).toEqual(['SELECT 3']);
  });
});

describe('results grid sort and status', () => {
  it("orders NULL, then numbers, then text, as SQLite does; sorting is stable", () => {
    expect([3, 'b', null, 1, 'a'].sort(compareCells)).toEqual([null, 1, 3, 'a', 'b']);
    const rows = [['x', 2], ['y', 1], ['z', 2], ['w', null]];
    expect(sortedOrder(rows, 1, 1)).toEqual([3, 1, 0, 2]);
    expect(sortedOrder(rows, 1, -1)).toEqual([0, 2, 1, 3]);
    expect(sortedOrder(rows, 0, 1)).toEqual([3, 0, 1, 2]);
  });

  it('says "first N of M" only when the result was cut, and when M is unknown says so', () => {
    expect(describeResult({ columns: ['n'], rows: [[1]], truncated: false, ms: 1.5 })).toBe('1 row · 1.5 ms');
    expect(describeResult({ columns: ['n'], rows: Array.from({ length: 1000 }, () => [1]), total: 2500, truncated: true, ms: 12 })).toBe('First 1,000 of 2,500 rows · 12 ms');
    expect(describeResult({ columns: ['n'], rows: [[1], [2]], truncated: true, ms: 2000 })).toMatch(/^First 2 rows; the rest could not be counted/);
  });
});
