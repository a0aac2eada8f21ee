// fib_table_lookup()'s walk over the LC-trie of fib_trie_kv.ts, reading the children's slot copies so a
// level costs one cache line.

import type { FibRoute } from './fib-types.js';
import { longerThan, lowBits, NONE, TRIE, type LcTrie } from './fib_trie_kv.js';

/**
 * fib_table_lookup()'s walk as a cursor: next() gives the alias lists covering the key, longest prefix
 * first (Step 1 descends to the longest candidate; Step 2 and the backtrace strip index bits to reach
 * shorter prefixes, skipping subtrees whose slen says they hold none).
 */
export class LpmCursor {
  private pn = TRIE;
  private cindex = 0;
  private leaf = NONE;
  /** Longest prefix length of the current leaf still to offer (-1: leaf done). */
  private limit = -1;
  private started = false;

  constructor(
    private readonly t: LcTrie,
    private readonly key: number,
  ) {}

  /** The next covering alias list, or null. */
  next(): FibRoute[] | null {
    const plen = this.advance();
    if (plen < 0) return null;
    const rank = plen === 0 ? -1 : longerThan(this.t.rec[4 * this.leaf + 2]!, plen);
    if (rank === 0 || (rank === -1 && this.t.rec[4 * this.leaf + 2] === 0)) return this.t.first[this.leaf]!;
    const lists = this.t.lists[this.leaf]!;
    return rank === -1 ? lists.at(-1)! : lists[rank]!;
  }

  /** Moves to the next covering prefix: its length, or -1 when none is left (the alias lists untouched). */
  advance(): number {
    for (;;) {
      const l = this.leaf;
      if (l !== NONE) {
        const t = this.t;
        if (this.limit >= 0) {
          const bm = t.rec[4 * l + 2]! & lowBits(this.limit);
          if (bm !== 0) {
            const plen = 32 - Math.clz32(bm);
            this.limit = plen - 1;
            return plen;
          }
          this.limit = -1;
          if (t.leafHasDefault(l)) return 0;
        }
        if (!this.seek(true)) {
          this.leaf = NONE;
          return -1;
        }
        continue;
      }
      if (this.started) return -1;
      this.started = true;
      if (!this.seek(false)) return -1;
    }
  }

  /** Finds the next leaf to examine (from the root, or by backtracking); false when there is none. */
  private seek(backtrack: boolean): boolean {
    const key = this.key;
    const t = this.t;
    const slots = t.slots;
    // w: word offset of the current node's slot, whose copy of its record the walk reads.
    let w = t.slotOf(TRIE, 0);
    if (!backtrack) {
      if (!slots[w]) return false;
      // Step 1: travel to the longest prefix match.
      for (;;) {
        const meta = slots[w + 2]!;
        const pos = meta & 0xff;
        const bits = (meta >>> 8) & 0xff;
        const index = ((key ^ slots[w + 1]!) >>> pos) >>> 0;
        if (index >>> bits !== 0) break;
        if (bits === 0) return this.found(slots[w]!, slots[w + 1]!);
        if (((meta >>> 16) & 0xff) > pos) {
          this.pn = slots[w]!;
          this.cindex = index;
        }
        w = 4 * (slots[w + 3]! + index);
        if (!slots[w]) {
          backtrack = true;
          break;
        }
      }
    }
    // Step 2 and the backtrace.
    for (;;) {
      if (backtrack) {
        while (this.cindex === 0) {
          const pn = this.pn;
          if (pn === TRIE) return false;
          this.pn = t.parent(pn);
          this.cindex = t.getIndex(t.key(pn), this.pn);
        }
        this.cindex &= this.cindex - 1;
        w = t.slotOf(this.pn, this.cindex);
        if (!slots[w]) continue;
        backtrack = false;
      }
      const meta = slots[w + 2]!;
      const p = slots[w + 1]!;
      // prefix_mismatch(), or nothing shorter than what this node fixes lives below it.
      if (((key ^ p) & (p | -p)) !== 0 || ((meta >>> 16) & 0xff) === (meta & 0xff)) {
        backtrack = true;
        continue;
      }
      if ((meta & 0xffff) === 0) return this.found(slots[w]!, p);
      w = 4 * slots[w + 3]!;
      if (!slots[w]) backtrack = true;
    }
  }

  private found(l: number, lkey: number): boolean {
    this.leaf = l;
    // Prefix lengths up to the common leading bits of key and leaf key cover the key.
    this.limit = Math.clz32((this.key ^ lkey) >>> 0);
    return true;
  }
}
