// runQuery's argument validation (query-api.ts through api.ts's parseRequest): a plain object with one
// string field `sql`, bounded in length, no NUL, not blank.

import { describe, expect, it } from 'vitest';
import { API_METHODS, ApiError, parseRequest } from '../../../main/host/api.js';
import { MAX_QUERY_SQL } from '../../../main/host/query-api.js';

function refused(arg: unknown): string {
  try {
    parseRequest('runQuery', arg);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('EINVAL');
    return (e as ApiError).message;
  }
  throw new Error(`accepted ${JSON.stringify(arg)}`);
}

describe('runQuery request validation', () => {
  it('is a method with its channel and accepts { sql } as given', () => {
    expect(API_METHODS).toContain('runQuery');
    const sql = "SELECT fn, count(*) FROM trace\n\tWHERE kind = 'drop' GROUP BY fn -- per function";
    expect(parseRequest('runQuery', { sql })).toEqual({ method: 'runQuery', arg: { sql } });
    expect(parseRequest('runQuery', { sql: 'x'.repeat(MAX_QUERY_SQL) }).arg).toEqual({ sql: 'x'.repeat(MAX_QUERY_SQL) });
  });

  it('refuses other shapes, extra fields, non-strings, over-long, NUL and blank queries', () => {
    expect(refused(undefined)).toMatch(/expected an object/);
    expect(refused('SELECT 1')).toMatch(/expected an object/);
    expect(refused(['SELECT 1'])).toMatch(/expected an object/);
    expect(refused(new (class { sql = 'SELECT 1'; })())).toMatch(/plain object/);
    expect(refused({ sql: 'SELECT 1', file: '/etc/passwd' })).toMatch(/unknown field "file"/);
    expect(refused({})).toMatch(/sql: expected a string/);
    expect(refused({ sql: 42 })).toMatch(/sql: expected a string/);
    expect(refused({ sql: 'x'.repeat(MAX_QUERY_SQL + 1) })).toMatch(new RegExp(`longer than ${MAX_QUERY_SQL}`));
    expect(refused({ sql: 'SELECT 1\0' })).toMatch(/NUL/);
    expect(refused({ sql: ' \n\t' })).toMatch(/empty query/);
  });
});
