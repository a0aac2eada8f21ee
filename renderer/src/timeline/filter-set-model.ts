// Named trace filters, the data side: a few built in (the questions every multicast lab asks: upcalls, drops,
// the unresolved queue) and the student's own as localStorage holds them, parsed defensively. No DOM here.

import type { TraceFilter } from '../../../main/host/api.js';

export interface FilterSet {
  name: string;
  filter: TraceFilter;
}

export const BUILT_IN_SETS: readonly FilterSet[] = [
  { name: 'Upcalls to the daemon', filter: { kind: 'upcall' } },
  { name: 'Drops', filter: { kind: 'drop' } },
  { name: 'Unresolved queue', filter: { fn: 'ipmr_cache_unresolved' } },
  { name: 'Multicast forwarding', filter: { fn: 'ip_mr_forward' } },
  { name: 'Copies sent per VIF', filter: { fn: 'ipmr_queue_xmit' } },
  { name: 'Route lookups', filter: { fn: 'fib_table_lookup' } },
  { name: 'Rule lookups', filter: { fn: 'fib_rules_lookup' } },
  { name: 'IGMP queries heard', filter: { fn: 'igmp_heard_query' } },
  { name: 'Timers that fired', filter: { kind: 'timer_fire' } },
];

/** localStorage key of the saved sets. */
export const SAVED_SETS_KEY = 'rlw.traceFilterSets';
const FIELDS = ['node', 'kind', 'fn', 'text'] as const;

/** Parses what localStorage holds; anything malformed is dropped rather than trusted. */
export function parseSaved(raw: string | null): FilterSet[] {
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  const out: FilterSet[] = [];
  for (const item of v as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { name, filter } = item as { name?: unknown; filter?: unknown };
    if (typeof name !== 'string' || !name.trim() || typeof filter !== 'object' || filter === null) continue;
    const f: TraceFilter = {};
    for (const k of FIELDS) {
      const x = (filter as Record<string, unknown>)[k];
      if (typeof x === 'string' && x) f[k] = x;
    }
    const pkt = (filter as Record<string, unknown>)['pkt'];
    if (typeof pkt === 'number' && Number.isInteger(pkt) && pkt >= 0) f.pkt = pkt;
    out.push({ name: name.trim().slice(0, 60), filter: f });
  }
  return out;
}

/** A short description of a filter, for titles: "fn=ip_mr_forward node=r1". */
export function describeFilter(f: TraceFilter): string {
  const parts = [...FIELDS.filter((k) => f[k]).map((k) => `${k}=${f[k]}`)];
  if (f.pkt !== undefined) parts.push(`pkt=${f.pkt}`);
  return parts.join(' ') || 'everything';
}

/** Adds or replaces `set` by name. */
export function withSet(saved: FilterSet[], set: FilterSet): FilterSet[] {
  return [...saved.filter((s) => s.name !== set.name), set].sort((a, b) => a.name.localeCompare(b.name));
}
