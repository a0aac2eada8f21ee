// Structural diffs of JSON state: applying diff(a, b) to a copy of a gives b, for any JSON values, and
// a diff is empty exactly when the values are equal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../engine/sim/trace.js';
import { apply, diff } from '../../../engine/state/state-diff.js';

const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;
const text = fc.array(fc.constantFrom('a', 'bb', '', '1 2 3', 'x\ty'), { maxLength: 8 }).map((ls) => ls.join('\n'));

describe('state diffs', () => {
  it('apply(diff(a, b), a) equals b', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const p = diff(a, b);
        if (p === undefined) expect(a).toEqual(b);
        else expect(apply(structuredClone(a), p)).toEqual(b);
      }),
      { numRuns: 3000 },
    );
    // Keys that are also Object.prototype members are data like any other.
    for (const [a, b] of [[{}, { valueOf: false }], [{ toString: 1 }, {}], [JSON.parse('{}'), JSON.parse('{"__proto__": {"x": 1}}')]] as [JsonValue, JsonValue][]) {
      expect(apply(structuredClone(a), diff(a, b)!)).toEqual(b);
    }
  });

  it('patches nested state where it changed (one counter, one line)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), text, text, (x, y, t1, t2) => {
        const a = { stats: { eth0: { rx: x, tx: 1 } }, views: { v: t1 } } as JsonValue;
        const b = { stats: { eth0: { rx: y, tx: 1 } }, views: { v: t2 } } as JsonValue;
        const p = diff(a, b);
        if (x === y && t1 === t2) expect(p).toBeUndefined();
        else expect(apply(structuredClone(a), p!)).toEqual(b);
      }),
    );
    const before = 'Group\nA 1\nB 2\nC 3\n';
    const p = diff({ v: before }, { v: 'Group\nA 1\nB 9\nC 3\n' });
    expect(p).toEqual({ o: { v: { l: [[2, 'B 9']] } } });
    expect(diff({ a: [1, 2] }, { a: [1, 2] })).toBeUndefined();
    expect(diff({ a: 1, b: 2 }, { a: 1 })).toEqual({ o: {}, d: ['b'] });
  });
});
