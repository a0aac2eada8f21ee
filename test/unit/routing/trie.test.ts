// The trie against a brute-force longest-prefix match written independently of it, and the kernel's
// dump and alias order (policy-routing.md §4.1, §5.1, observed on 6.18).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Errno, KernelError } from '../../../engine/net/errno.js';
import type { FibRoute } from '../../../engine/ipv4/fib-types.js';
import { FibTable, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../../engine/ipv4/fib_trie.js';

function r(dst: number, plen: number, extra: Partial<FibRoute> = {}): FibRoute {
  return { table: 254, dst, plen, tos: 0, type: 'unicast', protocol: 3, scope: 0, priority: 0, prefsrc: 0, nhs: [], ...extra };
}

const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);

describe('fib_trie: longest-prefix match', () => {
  it('finds the longest covering prefix, like a linear scan does', () => {
    const prefix = fc.record({ addr: fc.integer({ min: 0, max: 0xffffffff }), len: fc.integer({ min: 0, max: 32 }) });
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 20 }), (ps, queries) => {
        const t = new FibTable(254);
        const seen = new Set<string>();
        const stored: Array<[number, number]> = [];
        for (const p of ps) {
          const dst = (p.addr & mask(p.len)) >>> 0;
          if (seen.has(`${dst}/${p.len}`)) continue;
          seen.add(`${dst}/${p.len}`);
          stored.push([dst, p.len]);
          t.insert(r(dst, p.len));
        }
        for (const q of queries) {
          let best = -1;
          for (const [dst, len] of stored) if (((q & mask(len)) >>> 0) === dst && len > best) best = len;
          const got = t.candidates(q)[0]?.[0]?.plen ?? -1;
          expect(got).toBe(best);
        }
      }),
    );
  });

  it('dumps by address, longer prefix first for the same address (10.0.0.0/24, /16, /12, /8)', () => {
    const t = new FibTable(254);
    const a = 0x0a000000;
    for (const l of [8, 24, 12, 16]) t.insert(r(a, l));
    t.insert(r(0x0a000100, 24));
    expect(t.routes.map((x) => `${x.dst.toString(16)}/${x.plen}`)).toEqual(['a000000/24', 'a000000/16', 'a000000/12', 'a000000/8', 'a000100/24']);
  });
});

describe('fib_table_insert: alias order and netlink flags', () => {
  const same = (x: FibRoute, y: FibRoute): boolean => x.prefsrc === y.prefsrc;
  it('orders tos descending, then metric, append after equals, prepend before (observed for 10.60.0.0/16)', () => {
    const t = new FibTable(254);
    t.insertWithFlags(r(1, 32, { priority: 100, prefsrc: 1 }), NLM_F_CREATE | NLM_F_EXCL, same);
    t.insertWithFlags(r(1, 32, { priority: 50, prefsrc: 2 }), NLM_F_CREATE | NLM_F_EXCL, same);
    t.insertWithFlags(r(1, 32, { priority: 50, prefsrc: 3 }), NLM_F_CREATE | NLM_F_APPEND, same);
    t.insertWithFlags(r(1, 32, { tos: 0x10, prefsrc: 4 }), NLM_F_CREATE | NLM_F_EXCL, same);
    t.insertWithFlags(r(1, 32, { priority: 50, prefsrc: 5 }), NLM_F_CREATE, same);
    expect(t.aliasesOf(1, 32).map((x) => x.prefsrc)).toEqual([4, 5, 2, 3, 1]);
  });

  it('add of an existing key is EEXIST; change without a match is ENOENT; replace swaps the first', () => {
    const t = new FibTable(254);
    t.insertWithFlags(r(1, 32, { prefsrc: 1 }), NLM_F_CREATE | NLM_F_EXCL, same);
    const errno = (f: () => void): Errno | null => {
      try {
        f();
        return null;
      } catch (e) {
        return e instanceof KernelError ? e.errno : null;
      }
    };
    expect(errno(() => t.insertWithFlags(r(1, 32, { prefsrc: 9 }), NLM_F_CREATE | NLM_F_EXCL, same))).toBe(Errno.EEXIST);
    expect(errno(() => t.insertWithFlags(r(2, 32, { prefsrc: 9 }), NLM_F_REPLACE, same))).toBe(Errno.ENOENT);
    expect(errno(() => t.insertWithFlags(r(1, 32, { prefsrc: 1 }), NLM_F_CREATE | NLM_F_APPEND, same))).toBe(Errno.EEXIST);
    t.insertWithFlags(r(1, 32, { prefsrc: 7 }), NLM_F_CREATE | NLM_F_REPLACE, same);
    expect(t.aliasesOf(1, 32).map((x) => x.prefsrc)).toEqual([7]);
    expect(t.size).toBe(1);
  });
});
