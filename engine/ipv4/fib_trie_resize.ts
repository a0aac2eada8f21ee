// net/ipv4/fib_trie.c's resize(): after a change, a tnode doubles while enough of its children are full
// (inflate) and halves while too many are empty (halve), with the kernel's thresholds (tighter at the
// root) and its MAX_WORK bound; a tnode left with one child collapses into it. Also the suffix-length
// bookkeeping (update_suffix, node_pull_suffix, node_push_suffix) that lets a lookup skip subtrees.

import { NONE, TRIE, type LcTrie } from './fib_trie_kv.js';

const HALVE_THRESHOLD = 25;
const INFLATE_THRESHOLD = 50;
const HALVE_THRESHOLD_ROOT = 15;
const INFLATE_THRESHOLD_ROOT = 30;
const MAX_WORK = 10;

function updateChildren(t: LcTrie, tn: number, fresh: Set<number>): void {
  for (let i = t.childLength(tn); i; ) {
    const inode = t.child(tn, --i);
    if (!inode) continue;
    if (fresh.has(inode) && t.parent(inode) === tn) updateChildren(t, inode, fresh);
    else t.setParent(inode, tn);
  }
}

/** replace(): hang tn where oldtnode was, free what the rebuild dropped, resize full children. */
function replace(t: LcTrie, oldtnode: number, tn: number, fresh: Set<number>, dropped: number[]): number {
  const tp = t.parent(oldtnode);
  t.setParent(tn, tp);
  t.putChildRoot(tp, t.key(tn), tn);
  updateChildren(t, tn, fresh);
  t.nodeFree(oldtnode);
  for (const d of dropped) t.nodeFree(d);
  for (let i = t.childLength(tn); i; ) {
    const inode = t.child(tn, --i);
    if (t.tnodeFull(tn, inode)) tn = resize(t, inode);
  }
  return tp;
}

function inflate(t: LcTrie, oldtnode: number): number {
  const tn = t.tnodeNew(t.key(oldtnode), t.pos(oldtnode) - 1, t.bits(oldtnode) + 1);
  const fresh = new Set<number>([tn]);
  const dropped: number[] = [];
  const m = 2 ** t.pos(tn);
  for (let i = t.childLength(oldtnode); i; ) {
    const inode = t.child(oldtnode, --i);
    if (!inode) continue;
    if (!t.tnodeFull(oldtnode, inode)) {
      t.putChild(tn, t.getIndex(t.key(inode), tn), inode);
      continue;
    }
    dropped.push(inode);
    if (t.bits(inode) === 1) {
      t.putChild(tn, 2 * i + 1, t.child(inode, 1));
      t.putChild(tn, 2 * i, t.child(inode, 0));
      continue;
    }
    // Split inode in two one bit further down; the bit at tn's pos tells them apart.
    const node1 = t.tnodeNew((t.key(inode) | m) >>> 0, t.pos(inode), t.bits(inode) - 1);
    const node0 = t.tnodeNew(t.key(inode), t.pos(inode), t.bits(inode) - 1);
    fresh.add(node1).add(node0);
    for (let k = t.childLength(inode), j = k / 2; j; ) {
      t.putChild(node1, --j, t.child(inode, --k));
      t.putChild(node0, j, t.child(inode, j));
      t.putChild(node1, --j, t.child(inode, --k));
      t.putChild(node0, j, t.child(inode, j));
    }
    t.setParent(node1, tn);
    t.setParent(node0, tn);
    t.putChild(tn, 2 * i + 1, node1);
    t.putChild(tn, 2 * i, node0);
  }
  return replace(t, oldtnode, tn, fresh, dropped);
}

function halve(t: LcTrie, oldtnode: number): number {
  const tn = t.tnodeNew(t.key(oldtnode), t.pos(oldtnode) + 1, t.bits(oldtnode) - 1);
  const fresh = new Set<number>([tn]);
  for (let i = t.childLength(oldtnode); i; ) {
    const node1 = t.child(oldtnode, --i);
    const node0 = t.child(oldtnode, --i);
    if (!node1 || !node0) {
      t.putChild(tn, i / 2, node1 || node0);
      continue;
    }
    const inode = t.tnodeNew(t.key(node0), t.pos(oldtnode), 1);
    fresh.add(inode);
    t.putChild(inode, 1, node1);
    t.putChild(inode, 0, node0);
    t.setParent(inode, tn);
    t.putChild(tn, i / 2, inode);
  }
  return replace(t, oldtnode, tn, fresh, []);
}

function collapse(t: LcTrie, oldtnode: number): number {
  let n = NONE;
  for (let i = t.childLength(oldtnode); !n && i; ) n = t.child(oldtnode, --i);
  const tp = t.parent(oldtnode);
  t.putChildRoot(tp, t.key(oldtnode), n);
  if (n) t.setParent(n, tp);
  t.nodeFree(oldtnode);
  return tp;
}

function updateSuffix(t: LcTrie, tn: number): number {
  let slen = t.pos(tn);
  const slenMax = Math.min(t.pos(tn) + t.bits(tn) - 1, t.slen(tn));
  // Only child 0 can hold a suffix reaching above pos+bits; a stride of 2 skips children whose
  // suffix can only equal the tnode's pos.
  const len = t.childLength(tn);
  for (let i = 0, stride = 2; i < len; i += stride) {
    const n = t.child(tn, i);
    if (!n || t.slen(n) <= slen) continue;
    stride *= 2 ** (t.slen(n) - slen);
    slen = t.slen(n);
    i -= i % stride;
    if (slen >= slenMax) break;
  }
  t.setSlen(tn, slen);
  return slen;
}

function shouldInflate(t: LcTrie, tp: number, tn: number): boolean {
  let used = t.childLength(tn);
  const threshold = used * (tp === TRIE ? INFLATE_THRESHOLD_ROOT : INFLATE_THRESHOLD);
  used -= t.emptyC[tn]!;
  used += t.fullC[tn]!;
  return used > 1 && t.pos(tn) > 0 && 50 * used >= threshold;
}

function shouldHalve(t: LcTrie, tp: number, tn: number): boolean {
  let used = t.childLength(tn);
  const threshold = used * (tp === TRIE ? HALVE_THRESHOLD_ROOT : HALVE_THRESHOLD);
  used -= t.emptyC[tn]!;
  return used > 1 && t.bits(tn) > 1 && 100 * used < threshold;
}

function shouldCollapse(t: LcTrie, tn: number): boolean {
  return t.childLength(tn) - t.emptyC[tn]! < 2;
}

function resize(t: LcTrie, tn: number): number {
  let tp = t.parent(tn);
  const cindex = t.getIndex(t.key(tn), tp);
  let maxWork = MAX_WORK;
  while (shouldInflate(t, tp, tn) && maxWork) {
    tp = inflate(t, tn);
    maxWork--;
    tn = t.child(tp, cindex);
  }
  tp = t.parent(tn);
  if (maxWork !== MAX_WORK) return tp;
  while (shouldHalve(t, tp, tn) && maxWork) {
    tp = halve(t, tn);
    maxWork--;
    tn = t.child(tp, cindex);
  }
  if (shouldCollapse(t, tn)) return collapse(t, tn);
  return t.parent(tn);
}

export function nodePullSuffix(t: LcTrie, tn: number, slen: number): void {
  let nodeSlen = t.slen(tn);
  while (nodeSlen > t.pos(tn) && nodeSlen > slen) {
    slen = updateSuffix(t, tn);
    if (nodeSlen === slen) break;
    tn = t.parent(tn);
    nodeSlen = t.slen(tn);
  }
}

export function nodePushSuffix(t: LcTrie, tn: number, slen: number): void {
  while (t.slen(tn) < slen) {
    t.setSlen(tn, slen);
    tn = t.parent(tn);
  }
}

/** trie_rebalance(): resize every tnode from tn up to the root. */
export function trieRebalance(t: LcTrie, tn: number): void {
  while (tn !== TRIE) tn = resize(t, tn);
}
