import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../engine/sim/event-queue.js';
import { Prng } from '../../../engine/sim/prng.js';
import { Sim } from '../../../engine/sim/sim.js';
import { KernelTimer } from '../../../engine/sim/timer.js';
import { MemorySink } from '../../../engine/sim/trace.js';
import { formatSeconds, NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { Fingerprint } from '../../../engine/sim/fingerprint.js';

describe('event queue', () => {
  it('orders by time, then by insertion for equal times', () => {
    const q = new EventQueue();
    const order: string[] = [];
    q.push(5, () => order.push('b5'), null);
    q.push(1, () => order.push('a1'), null);
    q.push(5, () => order.push('c5'), null);
    q.push(3, () => order.push('d3'), null);
    q.push(5, () => order.push('e5'), null);
    for (let e = q.pop(); e; e = q.pop()) e.run();
    expect(order).toEqual(['a1', 'd3', 'b5', 'c5', 'e5']);
  });

  it('keeps a stable order over many random insertions', () => {
    const q = new EventQueue();
    const rng = new Prng(7);
    const items: Array<{ at: number; i: number }> = [];
    for (let i = 0; i < 2000; i++) {
      const at = rng.below(50);
      items.push({ at, i });
      q.push(at, () => undefined, i);
    }
    const popped: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) popped.push(e.cause!);
    const expected = [...items].sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.i);
    expect(popped).toEqual(expected);
  });
});

describe('PRNG', () => {
  it('is a function of its seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 8 }, () => a.u32());
    expect(Array.from({ length: 8 }, () => b.u32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.u32())).not.toEqual(sa);
  });

  it('below(n) stays in range and covers it roughly uniformly', () => {
    const r = new Prng(1);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.below(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.below(0)).toThrow(RangeError);
  });

  it('forks independent, stable streams', () => {
    const a = new Prng(5).fork('r1');
    const b = new Prng(5).fork('r1');
    const c = new Prng(5).fork('r2');
    const x = a.u32();
    expect(b.u32()).toBe(x);
    expect(c.u32()).not.toBe(x);
  });
});

describe('kernel timers', () => {
  function setup() {
    const sim = new Sim(1);
    const sink = new MemorySink();
    sim.trace.addSink(sink);
    const fired: number[] = [];
    const t = new KernelTimer(sim, 'r1', 'ipmr_expire_process', () => fired.push(sim.now), () => ({ table: 'default' }));
    return { sim, sink, fired, t };
  }

  it('mod_timer moves a pending timer; only the last expiry fires', () => {
    const { sim, sink, fired, t } = setup();
    expect(t.modIn(10 * NSEC_PER_SEC)).toBe(0);
    expect(t.pending).toBe(true);
    sim.run({ until: 4 * NSEC_PER_SEC });
    expect(t.modIn(10 * NSEC_PER_SEC)).toBe(1);
    sim.run();
    expect(fired).toEqual([14 * NSEC_PER_SEC]);
    expect(sink.events.map((e) => `${e.fn}:${e.kind}`)).toEqual(['mod_timer:timer_arm', 'mod_timer:timer_arm', 'ipmr_expire_process:timer_fire']);
    expect(sink.events[2]!.parent).toBe(2); // fired because of the second arm
    expect(sink.events[1]!.data).toMatchObject({ was_pending: true, table: 'default' });
  });

  it('del_timer cancels and reports whether it was pending; idle del emits nothing', () => {
    const { sim, sink, fired, t } = setup();
    expect(t.del()).toBe(0);
    expect(sink.events).toHaveLength(0);
    t.modIn(NSEC_PER_SEC);
    expect(t.del()).toBe(1);
    sim.run();
    expect(fired).toEqual([]);
    expect(sink.events.map((e) => e.kind)).toEqual(['timer_arm', 'timer_cancel']);
    expect(t.pending).toBe(false);
  });

  it('a callback re-arming its own timer runs periodically', () => {
    const sim = new Sim(1);
    const fired: number[] = [];
    const t: KernelTimer = new KernelTimer(sim, 'h1', 'igmp_timer_expire', () => {
      fired.push(sim.now);
      if (fired.length < 3) t.modIn(NSEC_PER_SEC);
    });
    t.modIn(NSEC_PER_SEC);
    sim.run();
    expect(fired).toEqual([1, 2, 3].map((s) => s * NSEC_PER_SEC));
  });
});

describe('simulation run', () => {
  it('stops at `until` with the clock there, and at maxSteps', () => {
    const sim = new Sim(1);
    let n = 0;
    const tick = (): void => {
      n++;
      sim.schedule(NSEC_PER_SEC, tick);
    };
    sim.schedule(0, tick);
    expect(sim.run({ until: 5 * NSEC_PER_SEC })).toBe('until');
    expect(n).toBe(6);
    expect(sim.now).toBe(5 * NSEC_PER_SEC);
    expect(sim.run({ maxSteps: 3 })).toBe('maxSteps');
    expect(n).toBe(9);
  });

  it('refuses to schedule in the past or at fractional nanoseconds', () => {
    const sim = new Sim(1);
    sim.schedule(10, () => undefined);
    sim.run();
    expect(() => sim.at(5, () => undefined)).toThrow(/already at 10 ns/);
    expect(() => sim.schedule(0.5, () => undefined)).toThrow(RangeError);
  });

  it('gives events scheduled from a handler that handler as parent', () => {
    const sim = new Sim(1);
    const sink = new MemorySink();
    sim.trace.addSink(sink);
    const root = sim.trace.emit('h1', 'udp_sendmsg', 'call');
    sim.trace.within(root, () => sim.schedule(100, () => sim.trace.emit('h2', 'ip_rcv', 'call')));
    sim.run();
    expect(sink.events[1]).toMatchObject({ fn: 'ip_rcv', parent: root, t: 100, node: 'h2' });
    expect(sink.ancestors(2).map((e) => e.fn)).toEqual(['udp_sendmsg', 'ip_rcv']);
  });

  it('formats time as seconds with nanoseconds', () => {
    expect(formatSeconds(12 * NSEC_PER_SEC + 345)).toBe('12.000000345');
  });
});

describe('fingerprint', () => {
  const fp = (parts: Array<string | Uint8Array>): string => {
    const f = new Fingerprint();
    for (const p of parts) if (typeof p === 'string') f.updateString(p);
    else f.updateBytes(p);
    return f.hex();
  };

  it('is stable and sensitive to content, order and item boundaries', () => {
    const base = fp(['ip_rcv', Uint8Array.of(1, 2, 3)]);
    expect(base).toMatch(/^[0-9a-f]{32}$/);
    expect(fp(['ip_rcv', Uint8Array.of(1, 2, 3)])).toBe(base);
    expect(fp(['ip_rcv', Uint8Array.of(1, 2, 4)])).not.toBe(base);
    expect(fp([Uint8Array.of(1, 2, 3), 'ip_rcv'])).not.toBe(base);
    expect(fp(['ab', 'c'])).not.toBe(fp(['a', 'bc']));
    expect(fp([''])).not.toBe(fp([]));
  });

  it('has no collisions over many small distinct inputs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(fp([`event ${i}`]));
    expect(seen.size).toBe(20_000);
  });
});
