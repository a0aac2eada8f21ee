// Reading state must leave the run untouched: no trace event, no packet record, no PRNG draw, no timer.
// Some printers model a read as a kernel call with its own trace event (ipmr_vif_seq_show when
// /proc/net/ip_mr_vif is read from a console); a state capture is not such a read, so while it runs the
// tracer's emitters are shadowed on the instance (and restored after), and anything that would draw a
// random number or schedule work throws: a capture that tries is a bug in the capture.

import type { Sim } from '../sim/sim.js';

export class CaptureSideEffect extends Error {}

type Shadowable = Record<string, unknown>;

function shadow(obj: object, name: string, fn: (...args: never[]) => unknown): () => void {
  const o = obj as Shadowable;
  const own = Object.prototype.hasOwnProperty.call(o, name);
  const saved = o[name];
  o[name] = fn;
  return () => {
    if (own) o[name] = saved;
    else delete o[name];
  };
}

let depth = 0;

/** Runs `read` with the simulation's side-effect entry points silenced (trace) or forbidden (PRNG, scheduling). */
export function withoutSideEffects<T>(sim: Sim, read: () => T): T {
  if (depth > 0) return read();
  const forbid = (what: string) => (): never => {
    throw new CaptureSideEffect(`state capture tried to ${what}`);
  };
  const restore = [
    shadow(sim.trace, 'emit', () => sim.trace.eventCount),
    shadow(sim.trace, 'packet', forbid('record a packet')),
    shadow(sim, 'schedule', forbid('schedule a callback')),
    shadow(sim, 'at', forbid('schedule a callback')),
    shadow(sim.rng, 'u32', forbid('draw a random number')),
  ];
  depth++;
  try {
    return read();
  } finally {
    depth--;
    for (const r of restore.reverse()) r();
  }
}
