// Everything the run report shows, read from a run file: the run's metadata, the lab's annotations
// (title, check results), the topology, the events of interest with their causal chains, the counters
// over time and each node's final state. Independent of how the report is rendered or printed.

import { basename } from 'node:path';
import type { RunInfo, RunReader } from '../store/run-reader.js';
import { hasTable, readRunAnnotations, type RunAnnotations } from './report-annotations.js';
import { readInterest, type Interest } from './report-chains.js';
import { readCounters, type Counters } from './report-counters.js';
import { readTopology, type Topology } from './report-topology.js';

export interface NodeView {
  view: string;
  text: string;
  /** Characters cut from the end of a very long view. */
  cut: number;
}

export interface ReportData {
  file: string;
  info: RunInfo;
  /** Simulated time of the last recorded event (the end of an incomplete run). */
  lastT: number;
  annotations: RunAnnotations;
  topology: Topology;
  counters: Counters;
  interest: Interest;
  /** Per node, its final-state views (`ip ...`, /proc files); null when the run recorded none. */
  nodeViews: Map<string, NodeView[]> | null;
  generator: string;
}

const MAX_VIEW_CHARS = 20_000;

async function readNodeViews(reader: RunReader): Promise<Map<string, NodeView[]> | null> {
  if (!(await hasTable(reader, 'node_views'))) return null;
  const r = await reader.query('SELECT node, view, text FROM node_views ORDER BY rowid', [], { maxRows: 5000 });
  if (r.rows.length === 0) return null;
  const out = new Map<string, NodeView[]>();
  for (const row of r.rows) {
    const node = String(row['node']);
    const text = row['text'] === null ? '' : String(row['text']);
    const list = out.get(node) ?? [];
    list.push({ view: String(row['view']), text: text.slice(0, MAX_VIEW_CHARS), cut: Math.max(0, text.length - MAX_VIEW_CHARS) });
    out.set(node, list);
  }
  return out;
}

export async function gatherReport(reader: RunReader, generator: string): Promise<ReportData> {
  const info = await reader.info();
  // Events are in time order: the last by seq (primary key) is the latest, without scanning the table.
  const last = await reader.query('SELECT t FROM events ORDER BY seq DESC LIMIT 1');
  const lastT = Number(last.rows[0]?.['t'] ?? info.startedT);
  const end = Math.max(info.endedT ?? lastT, lastT);
  return {
    file: basename(reader.file),
    info,
    lastT,
    annotations: await readRunAnnotations(reader),
    topology: await readTopology(reader),
    counters: await readCounters(reader, info.startedT, end),
    interest: await readInterest(reader),
    nodeViews: await readNodeViews(reader),
    generator,
  };
}
