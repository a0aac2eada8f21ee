// Advancing a simulation while a SqliteSink records it: the simulation runs in slices, and between
// slices the host yields to the event loop so the database writes overlap the model's work, waiting
// for the writer whenever its backlog is over the high-water mark (backpressure).

import type { Sim, StopReason } from '../../../engine/sim/sim.js';
import type { Nanos } from '../../../engine/sim/time.js';
import type { SqliteSink } from './sqlite-sink.js';

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `sim` until simulated time `until` (or idle), `slice` callbacks at a time. */
export async function runRecorded(sim: Sim, sink: SqliteSink, until: Nanos, slice = 2000): Promise<StopReason> {
  for (;;) {
    const r = sim.run({ until, maxSteps: slice });
    if (sink.writable) await yieldToLoop();
    else await sink.drain();
    if (r !== 'maxSteps') return r;
  }
}
