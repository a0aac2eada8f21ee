// The events a reader of the report cares about — every drop, delivery (to a socket, or to the local IP
// layer) and upcall — grouped by what happened where (kind, node, function, reason), each group with
// the causal chain of its first occurrence: the root cause first, the event itself last. Bounded in
// groups and chain length so a report of a million-event run stays readable and small.

import type { TraceEvent } from '../../../engine/sim/trace.js';
import type { RunReader } from '../store/run-reader.js';

export interface InterestGroup {
  kind: string;
  node: string;
  fn: string;
  /** The reason (drops), message type (upcalls) or socket (deliveries), if the event says. */
  why: string;
  count: number;
  firstSeq: number;
}

export interface Chain {
  group: InterestGroup;
  /** Ancestors then the event; `omitted` events between events[head - 1] and events[head] were left out. */
  events: TraceEvent[];
  head: number;
  omitted: number;
}

export interface Interest {
  groups: InterestGroup[];
  /** Groups beyond the listed ones (not shown). */
  moreGroups: number;
  chains: Chain[];
}

export const LIMITS = { groups: 60, chains: 24, chainHead: 3, chainTail: 18 };

const INTERESTING = "kind IN ('drop', 'deliver', 'upcall') OR (kind = 'call' AND fn = 'ip_local_deliver')";

export async function readInterest(reader: RunReader, limits = LIMITS): Promise<Interest> {
  const r = await reader.query(
    `SELECT kind, node, fn, coalesce(json_extract(data, '$.reason'), json_extract(data, '$.msgtype'), json_extract(data, '$.sock'), '') AS why,
            count(*) AS n, min(seq) AS first
     FROM trace WHERE ${INTERESTING}
     GROUP BY kind, node, fn, why ORDER BY first`,
    [],
    { maxRows: limits.groups, timeoutMs: 60_000 },
  );
  const groups: InterestGroup[] = r.rows.map((row) => ({
    kind: String(row['kind']),
    node: String(row['node']),
    fn: String(row['fn']),
    why: String(row['why']),
    count: Number(row['n']),
    firstSeq: Number(row['first']),
  }));
  let moreGroups = 0;
  if (r.truncated) {
    const total = await reader.query(`SELECT count(*) AS n FROM (SELECT 1 FROM trace WHERE ${INTERESTING} GROUP BY kind, node, fn, coalesce(json_extract(data, '$.reason'), json_extract(data, '$.msgtype'), json_extract(data, '$.sock'), ''))`, [], { timeoutMs: 60_000 });
    moreGroups = Number(total.rows[0]?.['n'] ?? 0) - groups.length;
  }
  // Drops and upcalls first: they explain what went wrong; deliveries show what went right.
  const rank = (g: InterestGroup): number => (g.kind === 'drop' ? 0 : g.kind === 'upcall' ? 1 : 2);
  const chosen = [...groups].sort((a, b) => rank(a) - rank(b) || a.firstSeq - b.firstSeq).slice(0, limits.chains);
  const chains: Chain[] = [];
  for (const g of chosen) {
    const all = await reader.ancestors(g.firstSeq);
    const keep = limits.chainHead + limits.chainTail;
    if (all.length <= keep) chains.push({ group: g, events: all, head: all.length, omitted: 0 });
    else chains.push({ group: g, events: [...all.slice(0, limits.chainHead), ...all.slice(-limits.chainTail)], head: limits.chainHead, omitted: all.length - keep });
  }
  return { groups, moreGroups, chains };
}

/** A payload as `key=value` pairs, cut at `max` characters. */
export function summarisePayload(data: unknown, max = 160): string {
  if (data === null || typeof data !== 'object') return '';
  const s = Object.entries(data as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
