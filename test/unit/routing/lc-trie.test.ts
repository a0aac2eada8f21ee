// The level-compressed trie (engine/ipv4/fib_trie_kv.ts) under random inserts and deletes in a crowded
// address range (nested prefixes, shared keys, inflate and halve): every covering prefix comes back
// longest first, the dump stays in key order, and the kernel's bookkeeping (parents, empty/full child
// counts, suffix lengths) stays exact. A brute-force scan, written independently, is the reference.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FibRoute } from '../../../engine/ipv4/fib-types.js';
import { FibTable } from '../../../engine/ipv4/fib_trie.js';
import { Prng } from '../../../engine/sim/prng.js';

const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);

function route(dst: number, plen: number): FibRoute {
  return { table: 254, dst, plen, tos: 0, type: 'unicast', protocol: 3, scope: 0, priority: 0, prefsrc: 0, nhs: [] };
}

/** The covering prefix lengths of q, longest first, by scanning every stored route. */
function covering(stored: Map<string, FibRoute>, q: number): number[] {
  return [...stored.values()].filter((r) => ((q & mask(r.plen)) >>> 0) === r.dst).map((r) => r.plen).sort((a, b) => b - a);
}

describe('fib_trie LC-trie: random inserts and deletes', () => {
  it('returns every covering prefix longest first and keeps the bookkeeping exact', () => {
    // Addresses in 10.0.0.0/22 plus a few far away, so prefixes nest, share keys and crowd tnodes.
    const addr = fc.oneof(fc.integer({ min: 0x0a000000, max: 0x0a0003ff }), fc.integer({ min: 0, max: 0xffffffff }));
    const op = fc.record({ del: fc.boolean(), a: addr, len: fc.integer({ min: 0, max: 32 }) });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 150 }), fc.array(addr, { minLength: 1, maxLength: 25 }), (ops, queries) => {
        const t = new FibTable(254);
        const stored = new Map<string, FibRoute>();
        for (const o of ops) {
          const len = o.len > 8 ? 22 + (o.len % 11) : o.len; // mostly /22../32, some short ones
          const dst = (o.a & mask(len)) >>> 0;
          const k = `${dst}/${len}`;
          const old = stored.get(k);
          if (o.del && old) {
            expect(t.remove(old)).toBe(true);
            stored.delete(k);
          } else if (!o.del && !old) {
            const r = route(dst, len);
            t.insert(r);
            stored.set(k, r);
          }
          expect(t.problems()).toEqual([]);
        }
        expect(t.size).toBe(stored.size);
        for (const q of queries) expect(t.candidates(q).map((l) => l[0]!.plen)).toEqual(covering(stored, q));
        const order = [...stored.values()].sort((a, b) => a.dst - b.dst || b.plen - a.plen);
        expect(t.routes).toEqual(order);
      }),
      { numRuns: 150 },
    );
  });

  it('empties completely: deleting every route leaves no node behind', () => {
    const t = new FibTable(254);
    const rng = new Prng(7);
    const rs: FibRoute[] = [];
    for (let i = 0; i < 3000; i++) {
      const len = 8 + rng.below(25);
      const r = route((rng.u32() & mask(len)) >>> 0, len);
      if (t.aliasesOf(r.dst, r.plen).length) continue;
      t.insert(r);
      rs.push(r);
    }
    expect(t.problems()).toEqual([]);
    for (const r of rs) expect(t.remove(r)).toBe(true);
    expect(t.stats()).toEqual({ leaves: 0, maxDepth: 0, avgDepth: 0, tnodes: 0 });
    expect(t.candidates(0x0a000001)).toEqual([]);
  });

  it('level compression: 100k random /16../24 prefixes sit a few tnodes deep, not ~20 bits deep', () => {
    const t = new FibTable(254);
    const rng = new Prng(42);
    while (t.size < 100_000) {
      const len = 16 + rng.below(9);
      const dst = (rng.u32() & mask(len)) >>> 0;
      if (!t.aliasesOf(dst, len).length) t.insert(route(dst, len));
    }
    const s = t.stats();
    expect(t.problems()).toEqual([]);
    // A binary trie would put these leaves ~17-24 levels down; inflate keeps the kernel's trie shallow.
    expect(s.avgDepth).toBeLessThan(5);
    expect(s.maxDepth).toBeLessThan(9);
  });
});
