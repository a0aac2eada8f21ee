// fib_table_lookup()'s walk over the LC-trie of fib_trie_kv.ts, reading the children's slot copies so a
// level costs one cache line; the found leaf's summary comes with its slot, its first alias and next hop
// from one 16-byte entry (LcTrie.heads).

import { fibNhEpoch, type FibNh, type FibRoute } from './fib-types.js';
import { HAS_DEFAULT, HOT_SHIFT, longerThan, lowBits, NONE, POS_BITS_MASK, TRIE, type LcTrie } from './fib_trie_kv.js';

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
  /** The current leaf's prefix-length bitmap and /0 flag, read from its slot copy (not its record). */
  private bm = 0;
  private hasDefault = false;
  /** The prefix length advance() returned last. */
  private plen = -1;
  /** Word offset of the current leaf's slot. */
  private w = 0;

  constructor(
    private readonly t: LcTrie,
    private key: number,
  ) {}

  /** Starts over for another key (a table reuses one cursor for its searches: no allocation per lookup). */
  reset(key: number): this {
    this.key = key;
    this.pn = TRIE;
    this.cindex = 0;
    this.leaf = NONE;
    this.limit = -1;
    this.started = false;
    this.bm = 0;
    this.hasDefault = false;
    this.plen = -1;
    this.w = 0;
    return this;
  }

  /** The next covering alias list, or null. */
  next(): FibRoute[] | null {
    return this.advance() < 0 ? null : this.list();
  }

  /** The alias list of the prefix advance() found. */
  list(): FibRoute[] {
    const plen = this.plen;
    const rank = plen === 0 ? -1 : longerThan(this.bm, plen);
    if (rank === 0 || (rank === -1 && this.bm === 0)) return this.t.first[this.leaf]!;
    const lists = this.t.lists[this.leaf]!;
    return rank === -1 ? lists.at(-1)! : lists[rank]!;
  }

  /**
   * The 13-bit summary (fib_trie.ts) of firstAlias(), or -1 when the prefix found is not its leaf's
   * longest (then firstAlias() comes from the alias list, and has no summary).
   */
  hotWord(): number {
    const bm = this.bm;
    if (this.plen !== (bm === 0 ? 0 : 32 - Math.clz32(bm))) return -1;
    const t = this.t;
    if (t.epoch !== fibNhEpoch.value) t.refreshAllHot();
    return t.slots[this.w + 2]! >>> HOT_SHIFT;
  }

  /** firstAlias().nhs[0] when hotWord() is not -1, without reading the route. */
  firstNh(): FibNh | null {
    return this.t.heads[2 * this.leaf + 1] as FibNh | null;
  }

  /** The first alias of the prefix advance() found: for the leaf's longest prefix, without its list. */
  firstAlias(): FibRoute {
    const bm = this.bm;
    if (this.plen === (bm === 0 ? 0 : 32 - Math.clz32(bm))) return this.t.heads[2 * this.leaf] as FibRoute;
    return this.list()[0]!;
  }

  /** Moves to the next covering prefix: its length, or -1 when none is left (the alias lists untouched). */
  advance(): number {
    for (;;) {
      if (this.leaf !== NONE) {
        if (this.limit >= 0) {
          const bm = this.bm & lowBits(this.limit);
          if (bm !== 0) {
            const plen = 32 - Math.clz32(bm);
            this.limit = plen - 1;
            return (this.plen = plen);
          }
          this.limit = -1;
          if (this.hasDefault) return (this.plen = 0);
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
        const pos = meta & 63;
        const bits = (meta >>> 6) & 63;
        const index = ((key ^ slots[w + 1]!) >>> pos) >>> 0;
        if (index >>> bits !== 0) break;
        if (bits === 0) return this.found(w);
        if (((meta >>> 12) & 63) > pos) {
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
      if (((key ^ p) & (p | -p)) !== 0 || ((meta >>> 12) & 63) === (meta & 63)) {
        backtrack = true;
        continue;
      }
      if ((meta & POS_BITS_MASK) === 0) return this.found(w);
      w = 4 * slots[w + 3]!;
      if (!slots[w]) backtrack = true;
    }
  }

  /** A leaf reached at slot word offset w (its slot holds a copy of its record). */
  private found(w: number): boolean {
    const slots = this.t.slots;
    this.w = w;
    this.leaf = slots[w]!;
    // Prefix lengths up to the common leading bits of key and leaf key cover the key.
    this.limit = Math.clz32((this.key ^ slots[w + 1]!) >>> 0);
    this.hasDefault = (slots[w + 2]! & HAS_DEFAULT) !== 0;
    this.bm = slots[w + 3]!;
    return true;
  }
}
