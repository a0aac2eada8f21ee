// The simulation: one clock, one event queue, one seeded PRNG and one tracer for a whole run
// (all nodes of a lab share them, so the interleaving of nodes is deterministic too).

import { EventQueue, type QueueEntry } from './event-queue.js';
import { Prng } from './prng.js';
import { assertNanos, type Nanos } from './time.js';
import { Tracer } from './tracer.js';

export interface RunLimits {
  /** Stop before running any callback scheduled after this time (the clock ends at `until`). */
  until?: Nanos;
  /** Stop after this many callbacks (a guard against runaway scenarios). */
  maxSteps?: number;
}

export type StopReason = 'idle' | 'until' | 'maxSteps';

export class Sim {
  private clock: Nanos = 0;
  private readonly queue = new EventQueue();
  readonly rng: Prng;
  readonly trace: Tracer;
  steps = 0;

  constructor(readonly seed: number) {
    this.rng = new Prng(seed);
    this.trace = new Tracer(() => this.clock);
  }

  get now(): Nanos {
    return this.clock;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Runs `fn` `delay` ns from now, with the current trace cause as its parent. */
  schedule(delay: Nanos, fn: () => void): QueueEntry {
    assertNanos(delay, 'delay');
    return this.queue.push(this.clock + delay, fn, this.trace.current);
  }

  /** Runs `fn` at absolute time `at` (not in the past). */
  at(at: Nanos, fn: () => void): QueueEntry {
    assertNanos(at, 'time');
    if (at < this.clock) throw new RangeError(`cannot schedule at ${at} ns: the clock is already at ${this.clock} ns`);
    return this.queue.push(at, fn, this.trace.current);
  }

  /** Runs one callback; false if nothing is pending. */
  step(): boolean {
    for (;;) {
      const e = this.queue.pop();
      if (!e) return false;
      if (e.cancelled) continue;
      this.clock = e.at;
      this.steps++;
      this.trace.within(e.cause, e.run);
      return true;
    }
  }

  run(limits: RunLimits = {}): StopReason {
    const { until, maxSteps } = limits;
    let n = 0;
    for (;;) {
      const next = this.queue.peek();
      if (!next) {
        if (until !== undefined && until > this.clock) this.clock = until;
        return 'idle';
      }
      if (next.cancelled) {
        this.queue.pop();
        continue;
      }
      if (until !== undefined && next.at > until) {
        this.clock = Math.max(this.clock, until);
        return 'until';
      }
      if (maxSteps !== undefined && n >= maxSteps) return 'maxSteps';
      this.step();
      n++;
    }
  }
}
