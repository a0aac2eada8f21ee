// The slot pool of the LC-trie (engine/ipv4/fib_trie_kv.ts) stays compact: each inflate of the root
// frees its smaller predecessor, and the pool is rebuilt without holes once free blocks outweigh live
// ones. After growing and shrinking, every lookup still agrees with a brute-force scan and the kernel's
// bookkeeping (slot copies, parents, child counts) is intact.

import { describe, expect, it } from 'vitest';
import type { FibRoute } from '../../../engine/ipv4/fib-types.js';
import { FibTable } from '../../../engine/ipv4/fib_trie.js';
import { Prng } from '../../../engine/sim/prng.js';

const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);

function route(dst: number, plen: number): FibRoute {
  return { table: 254, dst, plen, tos: 0, type: 'unicast', protocol: 3, scope: 0, priority: 0, prefsrc: 0, nhs: [] };
}

function longest(stored: FibRoute[], q: number): number {
  let best = -1;
  for (const r of stored) if (((q & mask(r.plen)) >>> 0) === r.dst && r.plen > best) best = r.plen;
  return best;
}

describe('fib_trie slot pool', () => {
  it('stays within twice the live slots while the table grows and shrinks, and lookups stay exact', () => {
    const t = new FibTable(254);
    const rng = new Prng(11);
    const stored: FibRoute[] = [];
    const seen = new Set<string>();
    const checkAll = (): void => {
      const use = t.slotUse();
      expect(use.pooled).toBeLessThanOrEqual(2 * use.live + 256);
      expect(t.problems()).toEqual([]);
      for (let i = 0; i < 300; i++) {
        const q = rng.u32();
        expect(t.longestPrefix(q)).toBe(longest(stored, q));
      }
      for (const r of stored.slice(0, 200)) expect(t.longestPrefix(r.dst)).toBe(longest(stored, r.dst));
    };
    for (const target of [2000, 8000]) {
      while (stored.length < target) {
        const plen = 12 + rng.below(13);
        const r = route((rng.u32() & mask(plen)) >>> 0, plen);
        if (seen.has(`${r.dst}/${r.plen}`)) continue;
        seen.add(`${r.dst}/${r.plen}`);
        t.insert(r);
        stored.push(r);
      }
      checkAll();
    }
    // The root has inflated several times: without compaction its freed predecessors alone would
    // exceed the live slots.
    expect(t.stats().tnodes).toBeGreaterThan(100);
    while (stored.length > 500) {
      const r = stored.splice(rng.below(stored.length), 1)[0]!;
      expect(t.remove(r)).toBe(true);
      if (stored.length % 1500 === 0) checkAll();
    }
    checkAll();
  });
});
