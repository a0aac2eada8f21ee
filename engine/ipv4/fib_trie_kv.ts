// net/ipv4/fib_trie.c's level- and path-compressed trie (struct key_vector): a tnode looks at `bits` key
// bits from bit `pos` up (2^bits children, index get_cindex()), skipping the bits between it and its
// parent (path compression); resize() doubles a tnode while enough children are full (inflate) and halves
// it while too many are empty (halve), so a lookup visits few nodes whatever the table's size (level
// compression). A leaf holds every prefix with the same key (10.0.0.0/8 and 10.0.0.0/24 share one), longest
// first; `slen` (32 - prefix length, the suffix length) tells a tnode how short a prefix lives below it, so
// the backtracking of fib_table_lookup() skips subtrees that hold none.
// Layout (measured: object nodes spent most of a 100k-prefix lookup on cache misses): node records in one
// Int32Array, 4 words each [key, pos | bits<<8 | slen<<16 | has-/0<<24, child block or leaf bitmap,
// parent]; children in a pool of power-of-two blocks of 4-word slots [id, key, meta, block or bitmap],
// a copy of the child's record kept in step by sync(), so a lookup reads one cache line per level.
// A leaf's bitmap has bit p-1 set for each stored prefix length p in 1..32; its alias lists sit in a JS
// array, longest prefix first.
// Functions keep the kernel's names so a reader can follow along in fib_trie.c.

import { fibNhEpoch, type FibNh, type FibRoute } from './fib-types.js';

const KEYLENGTH = 32;
const HALVE_THRESHOLD = 25;
const INFLATE_THRESHOLD = 50;
const HALVE_THRESHOLD_ROOT = 15;
const INFLATE_THRESHOLD_ROOT = 30;
const MAX_WORK = 10;
/** Node id of t->kv, the root vector (pos 32, one child); also "no node" in a child slot. */
export const TRIE = 0;
export const NONE = 0;
export const HAS_DEFAULT = 1 << 24;

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
  private top = 1;
  private readonly freeIds: number[] = [];
  private slotTop = 0;
  private readonly freeBlocks: number[][] = [];
  /** tn_info(): empty_children and full_children per tnode id. */
  emptyC = new Int32Array(64);
  fullC = new Int32Array(64);
  /** Alias lists per leaf id, longest prefix first. */
  readonly lists: Array<FibRoute[][] | null> = [null];
  /** lists[l][0] per leaf id: the usual answer, one pointer away (two fewer cache misses). */
  readonly first: Array<FibRoute[] | null> = [null];
  /**
   * Four entries per node id, for a leaf: pack(a) (tos, scope, type and next-hop summary of a, see
   * fib_trie.ts), the fibNhEpoch it was computed at, a, and a.nhs[0], where a = first[l][0] is the first
   * alias of the longest prefix, fib_table_lookup's usual answer. One cache line lets a lookup decide and
   * answer without reading the route, its list or its next hops (measured: each costs a cache miss at
   * 100k prefixes). Kept in step by touch() after every change to a leaf's lists.
   */
  readonly heads: Array<number | FibRoute | FibNh | null> = [0, 0, null, null];

  /** `pack` summarises a first alias for hot[] (the table's rules on tos, scope, type and next hops). */
  constructor(private readonly pack: (r: FibRoute) => number) {
    this.rec[1] = KEYLENGTH | (KEYLENGTH << 16);
    this.rec[2] = this.allocBlock(0);
  }

  key(n: number): number {
    return this.rec[4 * n]! >>> 0;
  }
  pos(n: number): number {
    return this.rec[4 * n + 1]! & 0xff;
  }
  bits(n: number): number {
    return (this.rec[4 * n + 1]! >>> 8) & 0xff;
  }
  slen(n: number): number {
    return (this.rec[4 * n + 1]! >>> 16) & 0xff;
  }
  private setSlen(n: number, s: number): void {
    this.rec[4 * n + 1] = (this.rec[4 * n + 1]! & ~0xff0000) | (s << 16);
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
  private sync(n: number): void {
    if (n === TRIE) return;
    const p = this.parent(n);
    const w = this.slotOf(p, this.getIndex(this.key(n), p));
    if (w + 4 <= this.slots.length && this.slots[w] === n) this.writeSlot(w, n);
  }
  parent(n: number): number {
    return this.rec[4 * n + 3]!;
  }
  private setParent(n: number, p: number): void {
    this.rec[4 * n + 3] = p;
  }
  child(n: number, i: number): number {
    return this.slots[4 * (this.rec[4 * n + 2]! + i)]!;
  }
  childLength(n: number): number {
    return 2 ** this.bits(n);
  }
  isLeaf(n: number): boolean {
    return (this.rec[4 * n + 1]! & 0xffff) === 0;
  }
  private isTrie(n: number): boolean {
    return n === TRIE;
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
    // Per-leaf arrays stay packed (no holes at tnode ids): a holey or sparse array turns a lookup's
    // read of heads[4 * l] into a dictionary probe (measured: +400 ns at 100k prefixes).
    while (this.lists.length <= id) {
      this.lists.push(null);
      this.first.push(null);
      this.heads.push(0, 0, null, null);
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

  private nodeFree(n: number): void {
    if (this.isLeaf(n)) {
      this.lists[n] = null;
      this.first[n] = null;
      this.heads[4 * n + 2] = null;
      this.heads[4 * n + 3] = null;
    }
    else (this.freeBlocks[this.bits(n)] ??= []).push(this.rec[4 * n + 2]!);
    this.freeIds.push(n);
  }

  leafNew(key: number, plen: number, list: FibRoute[]): number {
    const l = this.newId();
    this.rec[4 * l] = key;
    this.rec[4 * l + 1] = ((KEYLENGTH - plen) << 16) | (plen === 0 ? HAS_DEFAULT : 0);
    this.rec[4 * l + 2] = plen === 0 ? 0 : 1 << (plen - 1);
    this.rec[4 * l + 3] = NONE;
    this.lists[l] = [list];
    this.touch(l);
    return l;
  }

  private tnodeNew(key: number, pos: number, bits: number): number {
    const shift = pos + bits;
    const tn = this.newId();
    this.rec[4 * tn] = shift < KEYLENGTH ? (key >>> shift) << shift : 0;
    this.rec[4 * tn + 1] = pos | (bits << 8) | (pos << 16);
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

  private putChild(tn: number, i: number, n: number): void {
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

  private updateChildren(tn: number, fresh: Set<number>): void {
    for (let i = this.childLength(tn); i; ) {
      const inode = this.child(tn, --i);
      if (!inode) continue;
      if (fresh.has(inode) && this.parent(inode) === tn) this.updateChildren(inode, fresh);
      else this.setParent(inode, tn);
    }
  }

  putChildRoot(tp: number, key: number, n: number): void {
    if (this.isTrie(tp)) this.writeSlot(this.slotOf(TRIE, 0), n);
    else this.putChild(tp, this.getIndex(key, tp), n);
  }

  /** replace(): hang tn where oldtnode was, free what the rebuild dropped, resize full children. */
  private replace(oldtnode: number, tn: number, fresh: Set<number>, dropped: number[]): number {
    const tp = this.parent(oldtnode);
    this.setParent(tn, tp);
    this.putChildRoot(tp, this.key(tn), tn);
    this.updateChildren(tn, fresh);
    this.nodeFree(oldtnode);
    for (const d of dropped) this.nodeFree(d);
    for (let i = this.childLength(tn); i; ) {
      const inode = this.child(tn, --i);
      if (this.tnodeFull(tn, inode)) tn = this.resize(inode);
    }
    return tp;
  }

  private inflate(oldtnode: number): number {
    const tn = this.tnodeNew(this.key(oldtnode), this.pos(oldtnode) - 1, this.bits(oldtnode) + 1);
    const fresh = new Set<number>([tn]);
    const dropped: number[] = [];
    const m = 2 ** this.pos(tn);
    for (let i = this.childLength(oldtnode); i; ) {
      const inode = this.child(oldtnode, --i);
      if (!inode) continue;
      if (!this.tnodeFull(oldtnode, inode)) {
        this.putChild(tn, this.getIndex(this.key(inode), tn), inode);
        continue;
      }
      dropped.push(inode);
      if (this.bits(inode) === 1) {
        this.putChild(tn, 2 * i + 1, this.child(inode, 1));
        this.putChild(tn, 2 * i, this.child(inode, 0));
        continue;
      }
      // Split inode in two one bit further down; the bit at tn's pos tells them apart.
      const node1 = this.tnodeNew((this.key(inode) | m) >>> 0, this.pos(inode), this.bits(inode) - 1);
      const node0 = this.tnodeNew(this.key(inode), this.pos(inode), this.bits(inode) - 1);
      fresh.add(node1).add(node0);
      for (let k = this.childLength(inode), j = k / 2; j; ) {
        this.putChild(node1, --j, this.child(inode, --k));
        this.putChild(node0, j, this.child(inode, j));
        this.putChild(node1, --j, this.child(inode, --k));
        this.putChild(node0, j, this.child(inode, j));
      }
      this.setParent(node1, tn);
      this.setParent(node0, tn);
      this.putChild(tn, 2 * i + 1, node1);
      this.putChild(tn, 2 * i, node0);
    }
    return this.replace(oldtnode, tn, fresh, dropped);
  }

  private halve(oldtnode: number): number {
    const tn = this.tnodeNew(this.key(oldtnode), this.pos(oldtnode) + 1, this.bits(oldtnode) - 1);
    const fresh = new Set<number>([tn]);
    for (let i = this.childLength(oldtnode); i; ) {
      const node1 = this.child(oldtnode, --i);
      const node0 = this.child(oldtnode, --i);
      if (!node1 || !node0) {
        this.putChild(tn, i / 2, node1 || node0);
        continue;
      }
      const inode = this.tnodeNew(this.key(node0), this.pos(oldtnode), 1);
      fresh.add(inode);
      this.putChild(inode, 1, node1);
      this.putChild(inode, 0, node0);
      this.setParent(inode, tn);
      this.putChild(tn, i / 2, inode);
    }
    return this.replace(oldtnode, tn, fresh, []);
  }

  private collapse(oldtnode: number): number {
    let n = NONE;
    for (let i = this.childLength(oldtnode); !n && i; ) n = this.child(oldtnode, --i);
    const tp = this.parent(oldtnode);
    this.putChildRoot(tp, this.key(oldtnode), n);
    if (n) this.setParent(n, tp);
    this.nodeFree(oldtnode);
    return tp;
  }

  private updateSuffix(tn: number): number {
    let slen = this.pos(tn);
    const slenMax = Math.min(this.pos(tn) + this.bits(tn) - 1, this.slen(tn));
    // Only child 0 can hold a suffix reaching above pos+bits; a stride of 2 skips children whose
    // suffix can only equal the tnode's pos.
    const len = this.childLength(tn);
    for (let i = 0, stride = 2; i < len; i += stride) {
      const n = this.child(tn, i);
      if (!n || this.slen(n) <= slen) continue;
      stride *= 2 ** (this.slen(n) - slen);
      slen = this.slen(n);
      i -= i % stride;
      if (slen >= slenMax) break;
    }
    this.setSlen(tn, slen);
    return slen;
  }

  private shouldInflate(tp: number, tn: number): boolean {
    let used = this.childLength(tn);
    const threshold = used * (this.isTrie(tp) ? INFLATE_THRESHOLD_ROOT : INFLATE_THRESHOLD);
    used -= this.emptyC[tn]!;
    used += this.fullC[tn]!;
    return used > 1 && this.pos(tn) > 0 && 50 * used >= threshold;
  }

  private shouldHalve(tp: number, tn: number): boolean {
    let used = this.childLength(tn);
    const threshold = used * (this.isTrie(tp) ? HALVE_THRESHOLD_ROOT : HALVE_THRESHOLD);
    used -= this.emptyC[tn]!;
    return used > 1 && this.bits(tn) > 1 && 100 * used < threshold;
  }

  private shouldCollapse(tn: number): boolean {
    return this.childLength(tn) - this.emptyC[tn]! < 2;
  }

  private resize(tn: number): number {
    let tp = this.parent(tn);
    const cindex = this.getIndex(this.key(tn), tp);
    let maxWork = MAX_WORK;
    while (this.shouldInflate(tp, tn) && maxWork) {
      tp = this.inflate(tn);
      maxWork--;
      tn = this.child(tp, cindex);
    }
    tp = this.parent(tn);
    if (maxWork !== MAX_WORK) return tp;
    while (this.shouldHalve(tp, tn) && maxWork) {
      tp = this.halve(tn);
      maxWork--;
      tn = this.child(tp, cindex);
    }
    if (this.shouldCollapse(tn)) return this.collapse(tn);
    return this.parent(tn);
  }

  nodePullSuffix(tn: number, slen: number): void {
    let nodeSlen = this.slen(tn);
    while (nodeSlen > this.pos(tn) && nodeSlen > slen) {
      slen = this.updateSuffix(tn);
      if (nodeSlen === slen) break;
      tn = this.parent(tn);
      nodeSlen = this.slen(tn);
    }
  }

  nodePushSuffix(tn: number, slen: number): void {
    while (this.slen(tn) < slen) {
      this.setSlen(tn, slen);
      tn = this.parent(tn);
    }
  }

  private trieRebalance(tn: number): void {
    while (!this.isTrie(tn)) tn = this.resize(tn);
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

  /** fib_insert_node(): a new leaf under tp, with a one-bit tnode where its key parts from a sibling's. */
  fibInsertNode(tp: number, key: number, plen: number, list: FibRoute[]): void {
    const l = this.leafNew(key, plen, list);
    const n = this.child(tp, this.getIndex(key, tp));
    if (n) {
      const tn = this.tnodeNew(key, 31 - Math.clz32((key ^ this.key(n)) >>> 0), 1);
      this.setParent(tn, tp);
      this.putChild(tn, this.getIndex(key, tn) ^ 1, n);
      this.putChildRoot(tp, key, tn);
      this.setParent(n, tn);
      tp = tn;
    }
    this.nodePushSuffix(tp, KEYLENGTH - plen);
    this.setParent(l, tp);
    this.putChildRoot(tp, key, l);
    this.trieRebalance(tp);
  }

  /** Position of prefix length plen among leaf l's lists (longest first). */
  private rank(l: number, plen: number): number {
    return longerThan(this.leafBitmap(l), plen);
  }

  leafHas(l: number, plen: number): boolean {
    return plen === 0 ? this.leafHasDefault(l) : (this.leafBitmap(l) & (1 << (plen - 1))) !== 0;
  }

  /** The alias list of dst/plen in leaf l, or null. */
  leafList(l: number, plen: number): FibRoute[] | null {
    return this.leafHas(l, plen) ? this.lists[l]![this.rank(l, plen)]! : null;
  }

  /** Refreshes leaf l's first list and first alias after its lists changed (also in place). */
  touch(l: number): void {
    const f = this.lists[l]![0] ?? null;
    this.first[l] = f;
    this.heads[4 * l + 2] = f?.[0] ?? null;
    this.refreshHot(l);
  }

  /** The first alias of leaf l's longest prefix. */
  headRoute(l: number): FibRoute | null {
    return this.heads[4 * l + 2] as FibRoute | null;
  }

  /** Recomputes leaf l's summary of its first alias (after a change, or when fibNhEpoch moved on). */
  refreshHot(l: number): void {
    const r = this.headRoute(l);
    this.heads[4 * l] = r ? this.pack(r) : 0;
    this.heads[4 * l + 1] = fibNhEpoch.value;
    this.heads[4 * l + 3] = r?.nhs[0] ?? null;
  }

  /** fib_insert_alias() into an existing leaf: a new prefix length for this key. */
  leafAddList(l: number, tp: number, plen: number, list: FibRoute[]): void {
    this.lists[l]!.splice(this.rank(l, plen), 0, list);
    this.touch(l);
    if (plen === 0) this.rec[4 * l + 1] |= HAS_DEFAULT;
    else this.rec[4 * l + 2] |= 1 << (plen - 1);
    this.sync(l);
    const slen = KEYLENGTH - plen;
    if (this.slen(l) < slen) {
      this.setSlen(l, slen);
      this.nodePushSuffix(tp, slen);
    }
  }

  /** fib_remove_alias() once the last alias of dst/plen went: drop the list, maybe the leaf. */
  leafRemoveList(l: number, tp: number, plen: number): void {
    this.lists[l]!.splice(this.rank(l, plen), 1);
    this.touch(l);
    if (plen === 0) this.rec[4 * l + 1] &= ~HAS_DEFAULT;
    else this.rec[4 * l + 2] &= ~(1 << (plen - 1));
    this.sync(l);
    if (this.lists[l]!.length === 0) {
      // Unhooked before the suffix is pulled, so that update_suffix() no longer counts this leaf.
      this.putChildRoot(tp, this.key(l), NONE);
      if (this.slen(tp) === this.slen(l)) this.nodePullSuffix(tp, this.pos(tp));
      this.nodeFree(l);
      this.trieRebalance(tp);
      return;
    }
    const shortest = this.leafHasDefault(l) ? 0 : 31 - Math.clz32(this.leafBitmap(l) & -this.leafBitmap(l)) + 1;
    if (KEYLENGTH - shortest !== this.slen(l)) {
      this.setSlen(l, KEYLENGTH - shortest);
      this.nodePullSuffix(tp, KEYLENGTH - shortest);
    }
  }
}
