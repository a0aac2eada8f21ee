// Read-only SQL for lab checks and the query console: one statement, a query (SELECT, WITH, VALUES or
// EXPLAIN). The connection itself is opened read-only with PRAGMA query_only on, so this check is
// for clear messages, not the safety barrier.

export class SqlRejected extends Error {}

/** The statement with comments blanked and literals and quoted names filled with '_' (same length), to look at its structure. */
function skeleton(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?(\*\/|$)|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`[^`]*`?|\[[^\]]*\]?/g, (m) =>
    (m.startsWith('-') || m.startsWith('/') ? ' ' : '_').repeat(m.length),
  );
}

export interface CheckedQuery {
  /** The statement without trailing semicolons. */
  sql: string;
  /** SELECT/WITH/VALUES can be wrapped to cap their rows; EXPLAIN cannot. */
  wrappable: boolean;
}

export function checkReadOnlySql(sql: string): CheckedQuery {
  const sk = skeleton(sql);
  const end = sk.replace(/[\s;]+$/, '').length;
  const body = sk.slice(0, end);
  if (body.trim() === '') throw new SqlRejected('empty query');
  if (body.includes(';')) throw new SqlRejected('one statement only');
  const first = /^\s*([A-Za-z]+)/.exec(body)?.[1]?.toUpperCase() ?? '';
  if (!['SELECT', 'WITH', 'VALUES', 'EXPLAIN'].includes(first)) {
    throw new SqlRejected(`read-only SQL: a query must start with SELECT, WITH, VALUES or EXPLAIN, not ${first || 'that'}`);
  }
  // Writes a WITH clause can lead to (replace() the function stays allowed).
  const write = /\b(INSERT|UPDATE|DELETE)\b|\b(REPLACE)\s+INTO\b/i.exec(body);
  if (write) throw new SqlRejected(`read-only SQL: ${(write[1] ?? write[2])!.toUpperCase()} writes`);
  // A trailing `-- comment` would swallow the wrapper's closing parenthesis; keep comments, end the line.
  return { sql: `${sql.slice(0, end)}\n`, wrappable: first !== 'EXPLAIN' };
}
