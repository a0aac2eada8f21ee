// net/ipv4/fib_trie.c's level- and path-compressed trie (struct key_vector): a tnode looks at `bits` key
// bits from bit `pos` up (2^bits children, index get_cindex()), skipping the bits between it and its
// parent (path compression); resize() (fib_trie_resize.ts) doubles a tnode while enough children are
// full (inflate) and halves it while too many are empty (halve), so a lookup visits few nodes whatever
// the table's size (level compression). A leaf holds every prefix with the same key (10.0.0.0/8 and
// 10.0.0.0/24 share one), longest first; `slen` (32 - prefix length, the suffix length) tells a tnode how
// short a prefix lives below it, so the backtracking of fib_table_lookup() skips subtrees that hold none.
// This file holds the storage; fib_trie_resize.ts the kernel's resize(), fib_trie_insert.ts insertion
// and removal.
// Layout (measured: at 100k prefixes a lookup's cost is the cache lines and pages it reads at random):
// node records in one Int32Array, 4 words each [key, meta, child block or leaf bitmap, parent]; children
// in a pool of power-of-two blocks of 4-word slots [id, key, meta, block or bitmap], a copy of the
// child's record kept in step by sync(), so a level costs one cache line; the pool is compacted when
// freed blocks outweigh live ones. Per leaf id, in `heads`, its first alias and that alias's first next
// hop: 16 bytes a leaf. (Measured and dropped: the same pair kept beside each slot and read with it, to
// overlap the two misses, made the walk slower: twice the pages per level.)
// meta: pos (bits 0-5), bits (6-11), slen (12-17), a leaf's /0 flag (18) and, in a leaf, the summary
// of its first alias (19-31, see fib_trie.ts) so the usual lookup decides from the slot alone.
// A leaf's bitmap has bit p-1 set for each stored prefix length p in 1..32; its alias lists sit in a JS
// array, longest prefix first. Functions keep the kernel's names so a reader can follow fib_trie.c.

import { fibNhEpoch, type FibNh, type FibRoute } from './fib-types.js';

export const KEYLENGTH = 32;
/** Node id of t->kv, the root vector (pos 32, one child); also "no node" in a child slot. */
export const TRIE = 0;
export const NONE = 0;
export const HAS_DEFAULT = 1 << 18;
/** Where a leaf's first-alias summary starts in its meta word (13 bits: see fib_trie.ts). */
export const HOT_SHIFT = 19;
const SLEN_SHIFT = 12;
const SLEN_MASK = 63 << SLEN_SHIFT;
/** pos and bits: zero in a leaf, never zero in a tnode (a tnode has bits >= 1, the root vector pos 32). */
export const POS_BITS_MASK = 0xfff;

/** Bits 0..k-1 set: the bitmap bits of prefix lengths 1..k. */
export function lowBits(k: number): number {
  return k >= 32 ? -1 : (1 << k) - 1;
}

/** How many of the bitmap's prefix lengths are longer than plen (the list index of plen in its leaf). */
export function longerThan(bitmap: number, plen: number): number {
  return plen >= 32 ? 0 : popcount(bitmap >>> plen);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export class LcTrie {
  /** Node records, 4 words each (see the file comment). */
  rec = new Int32Array(256);
  /** Child blocks of the tnodes: 4 words per child slot (id and a copy of the child's record). */
  slots = new Int32Array(1024);
  /** Two entries per node id: a leaf's first alias and its nhs[0] (null for tnodes and free ids). */
  readonly heads: Array<FibRoute | FibNh | null> = [null, null];
  private top = 1;
  private readonly freeIds: number[] = [];
  private slotTop = 0;
  /** Slots in blocks that belong to a tnode (slotTop less the free blocks). */
  liveSlots = 0;
  private readonly freeBlocks: number[][] = [];
  /** tn_info(): empty_children and full_children per tnode id. */
  emptyC = new Int32Array(64);
  fullC = new Int32Array(64);
  /** Alias lists per leaf id, longest prefix first. */
  readonly lists: Array<FibRoute[][] | null> = [null];
  /** lists[l][0] per leaf id: the usual answer, one pointer away. */
  readonly first: Array<FibRoute[] | null> = [null];
  /** fibNhEpoch when the leaves' summaries were computed (next-hop flags feed them). */
  epoch = fibNhEpoch.value;

  /** `pack` summarises a first alias in 13 bits (the table's rules on tos, scope, type and next hops). */
  constructor(private readonly pack: (r: FibRoute) => number) {
    this.rec[1] = KEYLENGTH | (KEYLENGTH << SLEN_SHIFT);
    this.rec[2] = this.allocBlock(0);
  }

  /** Slots handed out from the pool so far (live ones and free blocks). */
  get pooledSlots(): number {
    return this.slotTop;
  }

  key(n: number): number {
    return this.rec[4 * n]! >>> 0;
  }
  pos(n: number): number {
    return this.rec[4 * n + 1]! & 63;
  }
  bits(n: number): number {
    return (this.rec[4 * n + 1]! >>> 6) & 63;
  }
  slen(n: number): number {
    return (this.rec[4 * n + 1]! >>> SLEN_SHIFT) & 63;
  }
  setSlen(n: number, s: number): void {
    this.rec[4 * n + 1] = (this.rec[4 * n + 1]! & ~SLEN_MASK) | (s << SLEN_SHIFT);
    this.sync(n);
  }
  /** Word offset of slot i of tnode n. */
  slotOf(n: number, i: number): number {
    return 4 * (this.rec[4 * n + 2]! + i);
  }
  /** Writes node n (or an empty slot) into slot word offset w. */
  private writeSlot(w: number, n: number): void {
    const s = this.slots;
    s[w] = n;
    s[w + 1] = n ? this.rec[4 * n]! : 0;
    s[w + 2] = n ? this.rec[4 * n + 1]! : 0;
    s[w + 3] = n ? this.rec[4 * n + 2]! : 0;
  }
  /** Refreshes the copy of n's record in its parent's slot, if n hangs there. */
  sync(n: number): void {
    if (n === TRIE) return;
    const p = this.parent(n);
    const w = this.slotOf(p, this.getIndex(this.key(n), p));
    if (w + 4 <= this.slots.length && this.slots[w] === n) this.writeSlot(w, n);
  }
  parent(n: number): number {
    return this.rec[4 * n + 3]!;
  }
  setParent(n: number, p: number): void {
    this.rec[4 * n + 3] = p;
  }
  child(n: number, i: number): number {
    return this.slots[4 * (this.rec[4 * n + 2]! + i)]!;
  }
  childLength(n: number): number {
    return 2 ** this.bits(n);
  }
  isLeaf(n: number): boolean {
    return (this.rec[4 * n + 1]! & POS_BITS_MASK) === 0;
  }
  /** Prefix lengths 1..32 of leaf n as a bitmap (bit p-1), and whether it holds a /0. */
  leafBitmap(n: number): number {
    return this.rec[4 * n + 2]!;
  }
  leafHasDefault(n: number): boolean {
    return (this.rec[4 * n + 1]! & HAS_DEFAULT) !== 0;
  }

  private allocBlock(bits: number): number {
    const size = 2 ** bits;
    this.liveSlots += size;
    const free = this.freeBlocks[bits]?.pop();
    if (free !== undefined) {
      this.slots.fill(NONE, 4 * free, 4 * (free + size));
      return free;
    }
    while (4 * (this.slotTop + size) > this.slots.length) {
      const grown = new Int32Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    const base = this.slotTop;
    this.slotTop += size;
    return base;
  }

  private newId(): number {
    const id = this.freeIds.pop() ?? this.top++;
    if (4 * id + 4 > this.rec.length) {
      const grown = new Int32Array(this.rec.length * 2);
      grown.set(this.rec);
      this.rec = grown;
    }
    // Per-leaf arrays stay packed (no holes at tnode ids): a holey or sparse array turns a read into a
    // hole check or a dictionary probe.
    while (this.lists.length <= id) {
      this.lists.push(null);
      this.first.push(null);
      this.heads.push(null, null);
    }
    if (id >= this.emptyC.length) {
      const e = new Int32Array(this.emptyC.length * 2);
      e.set(this.emptyC);
      this.emptyC = e;
      const f = new Int32Array(this.fullC.length * 2);
      f.set(this.fullC);
      this.fullC = f;
    }
    return id;
  }

  nodeFree(n: number): void {
    if (this.isLeaf(n)) {
      this.lists[n] = null;
      this.first[n] = null;
      this.heads[2 * n] = null;
      this.heads[2 * n + 1] = null;
    } else {
      this.liveSlots -= this.childLength(n);
      (this.freeBlocks[this.bits(n)] ??= []).push(this.rec[4 * n + 2]!);
    }
    this.freeIds.push(n);
  }

  leafNew(key: number, plen: number, list: FibRoute[]): number {
    const l = this.newId();
    this.rec[4 * l] = key;
    this.rec[4 * l + 1] = ((KEYLENGTH - plen) << SLEN_SHIFT) | (plen === 0 ? HAS_DEFAULT : 0);
    this.rec[4 * l + 2] = plen === 0 ? 0 : 1 << (plen - 1);
    this.rec[4 * l + 3] = NONE;
    this.lists[l] = [list];
    this.touch(l);
    return l;
  }

  tnodeNew(key: number, pos: number, bits: number): number {
    const shift = pos + bits;
    const tn = this.newId();
    this.rec[4 * tn] = shift < KEYLENGTH ? (key >>> shift) << shift : 0;
    this.rec[4 * tn + 1] = pos | (bits << 6) | (pos << SLEN_SHIFT);
    this.rec[4 * tn + 2] = this.allocBlock(bits);
    this.rec[4 * tn + 3] = NONE;
    this.emptyC[tn] = 2 ** bits;
    this.fullC[tn] = 0;
    return tn;
  }

  /** get_index(): which child of `kv` a key belongs under (0 for the root vector). */
  getIndex(key: number, kv: number): number {
    return kv === TRIE ? 0 : ((key ^ this.rec[4 * kv]!) >>> this.pos(kv)) >>> 0;
  }

  /** tnode_full(): an internal child that skips no bits (inflate splits it, so it counts twice). */
  tnodeFull(tn: number, n: number): boolean {
    return n !== NONE && !this.isLeaf(n) && this.pos(n) + this.bits(n) === this.pos(tn);
  }

  /** put_child(): keeps empty_children, full_children and the tnode's slen in step. */
  putChild(tn: number, i: number, n: number): void {
    const chi = this.child(tn, i);
    if (!n && chi) this.emptyC[tn]!++;
    if (n && !chi) this.emptyC[tn]!--;
    const wasfull = this.tnodeFull(tn, chi);
    const isfull = this.tnodeFull(tn, n);
    if (wasfull && !isfull) this.fullC[tn]!--;
    else if (!wasfull && isfull) this.fullC[tn]!++;
    if (n && this.slen(tn) < this.slen(n)) this.setSlen(tn, this.slen(n));
    this.writeSlot(this.slotOf(tn, i), n);
  }

  putChildRoot(tp: number, key: number, n: number): void {
    if (tp === TRIE) this.writeSlot(this.slotOf(TRIE, 0), n);
    else this.putChild(tp, this.getIndex(key, tp), n);
  }

  /** fib_find_node(): the leaf whose key is exactly `key` (or NONE) and the tnode it hangs from. */
  fibFindNode(key: number): { l: number; tp: number } {
    let n = TRIE;
    let pn: number;
    let index = 0;
    do {
      pn = n;
      n = this.child(pn, index);
      if (!n) break;
      index = ((key ^ this.rec[4 * n]!) >>> this.pos(n)) >>> 0;
      if (index >>> this.bits(n) !== 0) {
        n = NONE;
        break;
      }
    } while (!this.isLeaf(n));
    return { l: n, tp: pn };
  }

  /** Position of prefix length plen among leaf l's lists (longest first). */
  rank(l: number, plen: number): number {
    return longerThan(this.leafBitmap(l), plen);
  }

  leafHas(l: number, plen: number): boolean {
    return plen === 0 ? this.leafHasDefault(l) : (this.leafBitmap(l) & (1 << (plen - 1))) !== 0;
  }

  /** The alias list of dst/plen in leaf l, or null. */
  leafList(l: number, plen: number): FibRoute[] | null {
    return this.leafHas(l, plen) ? this.lists[l]![this.rank(l, plen)]! : null;
  }

  /** Refreshes leaf l's first list, its summary and its slot after its lists changed (also in place). */
  touch(l: number): void {
    this.first[l] = this.lists[l]![0] ?? null;
    this.refreshHot(l);
  }

  /** The first alias of leaf l's longest prefix. */
  headRoute(l: number): FibRoute | null {
    return this.first[l]?.[0] ?? null;
  }

  /**
   * Moves every live block into a fresh pool without holes, depth first from the root, once free blocks
   * outweigh live ones (each inflate of the root leaves its smaller predecessor behind, and the small
   * blocks allocated meanwhile end up spread between them: measured, a lookup in a 100k-prefix table
   * then touches more pages than the TLB holds). Runs between changes, never inside resize().
   */
  compactIfSparse(): void {
    if (this.slotTop <= 2 * this.liveSlots + 256) return;
    let cap = 1024;
    while (cap < 4 * this.liveSlots) cap *= 2;
    const out = new Int32Array(cap);
    let top = 0;
    const tnodes: number[] = [];
    const place = (tn: number): void => {
      const size = this.childLength(tn);
      const from = this.rec[4 * tn + 2]!;
      out.set(this.slots.subarray(4 * from, 4 * (from + size)), 4 * top);
      this.rec[4 * tn + 2] = top;
      const base = top;
      top += size;
      tnodes.push(tn);
      for (let i = 0; i < size; i++) {
        const c = out[4 * (base + i)]!;
        if (c && !this.isLeaf(c)) place(c);
      }
    };
    place(TRIE);
    this.slots = out;
    this.slotTop = top;
    this.freeBlocks.length = 0;
    // The parents' slot copies still name the old blocks.
    for (const tn of tnodes) this.sync(tn);
  }

  /** The 13-bit summary of a first alias (0: none). */
  summary(r: FibRoute | null): number {
    return r ? this.pack(r) & 0x1fff : 0;
  }

  /** Recomputes leaf l's first alias and next hop (heads), its summary in its meta word, and its slot. */
  refreshHot(l: number): void {
    const r = this.headRoute(l);
    this.heads[2 * l] = r;
    this.heads[2 * l + 1] = r?.nhs[0] ?? null;
    const meta = this.rec[4 * l + 1]! & ((1 << HOT_SHIFT) - 1);
    this.rec[4 * l + 1] = meta | (this.summary(r) << HOT_SHIFT);
    this.sync(l);
  }

  /**
   * Next-hop flags changed somewhere (fibNhEpoch moved on): every summary is recomputed once, on the next
   * lookup, so a lookup never checks an epoch per leaf.
   */
  refreshAllHot(): void {
    this.epoch = fibNhEpoch.value;
    for (let l = 1; l < this.lists.length; l++) if (this.lists[l]) this.refreshHot(l);
  }
}
