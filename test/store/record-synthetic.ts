// Records a synthetic run (test/store/synthetic.ts) into a run file, keeping an in-memory copy of the
// same stream as the reference the store's answers are compared with.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRecorded } from '../../main/host/store/record.js';
import { SqliteSink } from '../../main/host/store/sqlite-sink.js';
import type { BatchWriterOptions } from '../../main/host/store/batch-writer.js';
import { MemorySink } from '../../engine/sim/trace.js';
import { syntheticSim } from './synthetic.js';

const tempDirs: string[] = [];

/** A path in a new temporary directory; removeTempRuns() deletes them all. */
export function tempRunFile(name = 'run.sqlite'): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlw-store-'));
  tempDirs.push(dir);
  return join(dir, name);
}

export function removeTempRuns(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface Recorded {
  file: string;
  mem: MemorySink;
  fingerprint: string;
  endedT: number;
}

export async function recordSynthetic(file: string, journeys: number, opts: BatchWriterOptions & { close?: boolean; interval?: number } = {}): Promise<Recorded & { sink: SqliteSink }> {
  const sim = syntheticSim({ journeys, seed: 7, ...(opts.interval === undefined ? {} : { interval: opts.interval }) });
  const mem = new MemorySink();
  const sink = await SqliteSink.create(file, { lab: 'synthetic', seed: 7, profile: 'linux-6.1' }, { flushIntervalMs: 0, ...opts });
  sim.trace.addSink(mem);
  sim.trace.addSink(sink);
  await runRecorded(sim, sink, Number.MAX_SAFE_INTEGER, 500);
  const end = { fingerprint: sim.trace.fingerprint(), endedT: sim.now };
  if (opts.close !== false) await sink.close(end);
  return { file, mem, sink, ...end };
}
