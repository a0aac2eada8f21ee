// A binary min-heap of pending callbacks in a stable total order: time, then insertion sequence.
// Equal-time events therefore run in the order they were scheduled, on every platform.

import type { Nanos } from './time.js';

export interface QueueEntry {
  at: Nanos;
  order: number;
  run: () => void;
  /** Trace event that scheduled this callback; it becomes the parent of what the callback emits. */
  cause: number | null;
  cancelled: boolean;
}

export class EventQueue {
  private heap: QueueEntry[] = [];
  private order = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: Nanos, run: () => void, cause: number | null): QueueEntry {
    const e: QueueEntry = { at, order: this.order++, run, cause, cancelled: false };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
    return e;
  }

  peek(): QueueEntry | undefined {
    return this.heap[0];
  }

  pop(): QueueEntry | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: QueueEntry, b: QueueEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
