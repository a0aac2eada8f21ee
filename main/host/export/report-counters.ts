// Packet counters over simulated time, per node, from the trace: forwarded (ip_forward, and
// ipmr_queue_xmit for each multicast copy), delivered locally (ip_local_deliver, where the kernel counts
// InDelivers) and dropped (every drop event). Counted in SQL into a fixed number of time buckets, so the
// report stays the same size for a run of any length.

import type { RunReader } from '../store/run-reader.js';

export const METRICS = ['forwarded', 'delivered', 'dropped'] as const;
export type Metric = (typeof METRICS)[number];

export interface CounterSeries {
  node: string;
  metric: Metric;
  /** Events per bucket; bucket i covers [t0 + i·span/n, t0 + (i+1)·span/n). */
  buckets: number[];
  total: number;
}

export interface Counters {
  t0: number;
  t1: number;
  series: CounterSeries[];
}

export async function readCounters(reader: RunReader, t0: number, t1: number, nBuckets = 100): Promise<Counters> {
  const span = Math.max(1, t1 - t0);
  const r = await reader.query(
    `SELECT node, metric, min(?3 - 1, max(0, CAST((t - ?1) * ?3 / ?2 AS INTEGER))) AS b, count(*) AS n FROM (
       SELECT node, t, CASE WHEN kind = 'drop' THEN 'dropped' WHEN fn = 'ip_local_deliver' THEN 'delivered' ELSE 'forwarded' END AS metric
       FROM trace
       WHERE kind = 'drop' OR (fn = 'ip_forward' AND kind = 'call') OR (fn = 'ipmr_queue_xmit' AND kind = 'tx') OR (fn = 'ip_local_deliver' AND kind = 'call'))
     GROUP BY node, metric, b ORDER BY node, metric, b`,
    [t0, span, nBuckets],
    { maxRows: 1_000_000, timeoutMs: 60_000 },
  );
  const byKey = new Map<string, CounterSeries>();
  for (const row of r.rows) {
    const node = String(row['node']);
    const metric = row['metric'] as Metric;
    const key = `${metric}\0${node}`;
    let s = byKey.get(key);
    if (!s) {
      s = { node, metric, buckets: new Array<number>(nBuckets).fill(0), total: 0 };
      byKey.set(key, s);
    }
    const n = Number(row['n']);
    s.buckets[Math.floor(Number(row['b']))]! += n;
    s.total += n;
  }
  return { t0, t1: t0 + span, series: [...byKey.values()] };
}
