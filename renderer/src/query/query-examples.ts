// Example queries of the query console, over the run file's views (main/host/store/schema.ts): `trace`
// (seq, t, node, fn, kind, pkt, parent, data — the payload as JSON text for json_extract) and
// `trace_packets` (id, t, node, dev, bytes, len, origin). Each answers a question the labs ask.

export interface ExampleQuery {
  label: string;
  title: string;
  sql: string;
}

export const EXAMPLE_QUERIES: readonly ExampleQuery[] = [
  {
    label: 'Events per function',
    title: 'How often each kernel function ran (lookups, timers, drops…)',
    sql: `SELECT fn, count(*) AS events, sum(kind = 'drop') AS drops
FROM trace
GROUP BY fn
ORDER BY events DESC;`,
  },
  {
    label: 'Upcalls per (S,G)',
    title: 'IGMPMSG_NOCACHE / WRONGVIF messages the kernel sent to the daemon, per source and group',
    sql: `SELECT node, json_extract(data, '$.src') AS S, json_extract(data, '$.dst') AS G,
       json_extract(data, '$.msgtype') AS msgtype, count(*) AS upcalls, min(seq) AS first_seq
FROM trace
WHERE kind = 'upcall'
GROUP BY node, S, G, msgtype
ORDER BY first_seq;`,
  },
  {
    label: 'Drops with reasons',
    title: 'Every dropped packet: where, in which function, and why',
    sql: `SELECT seq, t, node, fn, json_extract(data, '$.reason') AS reason,
       json_extract(data, '$.errno') AS errno, pkt
FROM trace
WHERE kind = 'drop'
ORDER BY seq;`,
  },
  {
    label: 'Cause of the last drop',
    title: 'The causal chain (parent links) that led to the last drop',
    sql: `WITH RECURSIVE chain(seq) AS (
  SELECT max(seq) FROM trace WHERE kind = 'drop'
  UNION ALL
  SELECT e.parent FROM trace e JOIN chain ON e.seq = chain.seq WHERE e.parent IS NOT NULL
)
SELECT t.seq, t.node, t.fn, t.kind, t.data
FROM trace t JOIN chain USING (seq)
ORDER BY t.seq;`,
  },
  {
    label: 'Packets per device',
    title: 'Packet records per node and device, with their bytes',
    sql: `SELECT node, dev, count(*) AS packets, sum(len) AS bytes
FROM trace_packets
GROUP BY node, dev
ORDER BY node, dev;`,
  },
  {
    label: 'Tables and views',
    title: "The run file's schema",
    sql: `SELECT type, name, sql
FROM sqlite_master
WHERE name NOT LIKE 'sqlite_%'
ORDER BY type DESC, name;`,
  },
];
