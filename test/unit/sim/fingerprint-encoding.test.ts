// The fingerprint's typed word encoding: values that JSON would tell apart stay apart (types, key order,
// nesting, number ranges), and interned names never make two different name sequences collide.

import { describe, expect, it } from 'vitest';
import { Fingerprint } from '../../../engine/sim/fingerprint.js';
import { Tracer } from '../../../engine/sim/tracer.js';

const ofValues = (...vs: unknown[]): string => {
  const f = new Fingerprint();
  for (const v of vs) f.updateValue(v);
  return f.hex();
};
const ofSymbols = (...ss: string[]): string => {
  const f = new Fingerprint();
  for (const s of ss) f.updateSymbol(s);
  return f.hex();
};

describe('fingerprint encoding', () => {
  it('separates types, key order, nesting and number ranges', () => {
    const distinct = [
      ofValues({ a: 1 }),
      ofValues({ a: '1' }),
      ofValues({ a: true }),
      ofValues({ a: null }),
      ofValues({ a: [1] }),
      ofValues({ a: { b: 1 } }),
      ofValues({ a: 1, b: 2 }),
      ofValues({ b: 2, a: 1 }),
      ofValues({ a: 1 }, { b: 2 }),
      ofValues([1, 2]),
      ofValues([[1], 2]),
      ofValues(2 ** 32 + 5),
      ofValues(5),
      ofValues(0.5),
      ofValues(-1),
      ofValues(2 ** 31),
      ofValues('ab', 'c'),
      ofValues('a', 'bc'),
      ofValues('\u0000a'),
      ofValues('a'),
    ];
    expect(new Set(distinct).size).toBe(distinct.length);
    expect(ofValues({ x: [1, 'two', { y: null }] })).toBe(ofValues({ x: [1, 'two', { y: null }] }));
  });

  it('interns names without collisions: the first use is hashed in full', () => {
    expect(ofSymbols('x', 'y', 'x')).not.toBe(ofSymbols('y', 'x', 'y'));
    expect(ofSymbols('x', 'x')).not.toBe(ofSymbols('x', 'y'));
    expect(ofSymbols('x', 'y', 'x')).toBe(ofSymbols('x', 'y', 'x'));
  });

  it('a trace fingerprint changes with any field of any event, and not otherwise', () => {
    const run = (mutate: number): string => {
      const t = new Tracer(() => 1_000_000_000 * 5);
      for (let i = 0; i < 50; i++) {
        const fn = mutate === 1 && i === 30 ? 'fib_table_lookup2' : 'fib_table_lookup';
        t.emit(i % 2 ? 'r1' : 'r2', fn, 'lookup', { table: 254, dst: `10.0.${mutate === 2 && i === 40 ? 1 : 0}.${i}`, hit: i % 3 === 0 }, mutate === 3 && i === 10 ? 7 : null);
      }
      t.packet('r1', 'eth0', Uint8Array.of(0x45, 0, 0, mutate === 4 ? 21 : 20, 1));
      return t.fingerprint();
    };
    const fps = [0, 1, 2, 3, 4].map(run);
    expect(new Set(fps).size).toBe(5);
    expect(run(0)).toBe(fps[0]);
  });
});
