// Test helper: runs a lab file with a SqliteSink and a ReplayRecorder (as `workbench run --db` does), and
// captures the live state of every node at chosen points with the same serialiser, keyed by the seq of
// the last event emitted (a sink placed after the recorder captures when the next event arrives).

import { readFileSync } from 'node:fs';
import type { Network } from '../../../engine/net/network.js';
import type { PacketRecord, TraceEvent, TraceSink } from '../../../engine/sim/trace.js';
import { captureNet } from '../../../engine/state/capture.js';
import type { NetState } from '../../../engine/state/node-state.js';
import { loadLabOrThrow } from '../../../main/host/lab/lab-file.js';
import { LabRun, type LabReport } from '../../../main/host/lab/lab-run.js';
import { ReplayRecorder, type RecorderOptions } from '../../../main/host/replay/recorder.js';
import { SqliteSink } from '../../../main/host/store/sqlite-sink.js';

export class LiveStates implements TraceSink {
  readonly states = new Map<number, NetState>();
  constructor(
    private readonly net: Network,
    private readonly want: (seq: number) => boolean,
  ) {}
  event(ev: TraceEvent): void {
    if (ev.seq > 1 && this.want(ev.seq - 1)) this.states.set(ev.seq - 1, captureNet(this.net));
  }
  packet(_p: PacketRecord): void {}
  /** The state at the end of the run (after its last event). */
  final(): NetState {
    const s = captureNet(this.net);
    this.states.set(s.seq, s);
    return s;
  }
}

export interface RecordedLab {
  report: LabReport;
  fingerprint: string;
  events: number;
  live: LiveStates | null;
  recorder: ReplayRecorder | null;
  run: LabRun;
}

export async function recordLab(
  lab: string,
  db: string | null,
  opts: { seed?: number; solution?: boolean; recorder?: RecorderOptions | false; liveAt?: (seq: number) => boolean } = {},
): Promise<RecordedLab> {
  const spec = loadLabOrThrow(lab, { readFile: (p) => readFileSync(p, 'utf8') });
  const seed = opts.seed ?? spec.seed;
  const sink = db === null ? null : await SqliteSink.create(db, { lab: spec.name, seed, profile: spec.profile }, { flushIntervalMs: 0 });
  let recorder: ReplayRecorder | null = null;
  let live: LiveStates | null = null;
  const recorders: ((net: Network) => TraceSink)[] = [];
  if (sink && opts.recorder !== false) recorders.push((net) => (recorder = new ReplayRecorder(net, sink, opts.recorder || {})));
  if (opts.liveAt) recorders.push((net) => (live = new LiveStates(net, opts.liveAt!)));
  const run = new LabRun(spec, { seed, solution: opts.solution, sinks: sink ? [sink] : [], recorders });
  const report = await run.runAll(() => undefined);
  const net = run.session.net;
  (live as LiveStates | null)?.final();
  const fingerprint = net.sim.trace.fingerprint();
  if (sink) await sink.close({ fingerprint, endedT: net.sim.now });
  return { report, fingerprint, events: net.sim.trace.eventCount, live, recorder, run };
}
