// Kernel timers (struct timer_list) with the semantics of mod_timer(), del_timer() and timer_pending():
// mod_timer on a pending timer moves it; del_timer on an idle timer is a no-op that returns 0.
// Arm, fire and cancel are trace events, so a student sees e.g. ipmr_expire_process being armed.

import type { QueueEntry } from './event-queue.js';
import type { Sim } from './sim.js';
import type { Nanos } from './time.js';
import type { Payload } from './trace.js';

export class KernelTimer {
  private entry: QueueEntry | null = null;
  expires: Nanos = 0;

  /**
   * @param node the network namespace the timer belongs to
   * @param fn the kernel function the timer runs (its trace name), e.g. 'ipmr_expire_process'
   * @param callback the model of that function
   * @param describe extra payload identifying the instance (group, device, ...)
   */
  constructor(
    private readonly sim: Sim,
    readonly node: string,
    readonly fn: string,
    private readonly callback: () => void,
    private readonly describe: () => Payload = () => ({}),
  ) {}

  /** timer_pending() */
  get pending(): boolean {
    return this.entry !== null;
  }

  /** mod_timer(timer, expires): returns 1 if the timer was pending (and is now moved), else 0. */
  mod(expires: Nanos): 0 | 1 {
    const was = this.cancelEntry();
    this.expires = Math.max(expires, this.sim.now);
    const arm = this.sim.trace.emit(this.node, 'mod_timer', 'timer_arm', { timer: this.fn, expires: this.expires, was_pending: was === 1, ...this.describe() });
    this.entry = this.sim.trace.within(arm, () => this.sim.at(this.expires, () => this.fire()));
    return was;
  }

  /** mod_timer relative to now. */
  modIn(delay: Nanos): 0 | 1 {
    return this.mod(this.sim.now + delay);
  }

  /** del_timer(timer): returns 1 if it was pending. Cancelling an idle timer emits nothing. */
  del(): 0 | 1 {
    const was = this.cancelEntry();
    if (was) this.sim.trace.emit(this.node, 'del_timer', 'timer_cancel', { timer: this.fn, expires: this.expires, ...this.describe() });
    return was;
  }

  /** Milliseconds left, as /proc files print them; 0 when idle. */
  remaining(): Nanos {
    return this.entry ? Math.max(0, this.expires - this.sim.now) : 0;
  }

  private cancelEntry(): 0 | 1 {
    if (!this.entry) return 0;
    this.entry.cancelled = true;
    this.entry = null;
    return 1;
  }

  private fire(): void {
    this.entry = null;
    const ev = this.sim.trace.emit(this.node, this.fn, 'timer_fire', { expires: this.expires, ...this.describe() });
    this.sim.trace.within(ev, this.callback);
  }
}
