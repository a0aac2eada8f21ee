// Walks over an LC-trie (fib_trie_kv.ts) that a lookup never needs: the dump order, the shape (depths,
// tnode count) and a full check of the kernel's bookkeeping, which the randomized tests run after every
// change.

import { fibNhEpoch } from './fib-types.js';
import { HOT_SHIFT, TRIE, type LcTrie } from './fib_trie_kv.js';

const KEYLENGTH = 32;

function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v; v &= v - 1) c++;
  return c;
}

/** Leaves in ascending key order (the order of a dump, leaf_walk_rcu()). */
export function forEachLeaf(t: LcTrie, visit: (l: number) => void): void {
  const walk = (n: number): void => {
    if (t.isLeaf(n)) visit(n);
    else for (let i = 0; i < t.childLength(n); i++) if (t.child(n, i)) walk(t.child(n, i));
  };
  const root = t.child(TRIE, 0);
  if (root) walk(root);
}

function forEachTnode(t: LcTrie, n: number, visit: (tn: number) => void): void {
  if (t.isLeaf(n)) return;
  visit(n);
  for (let i = 0; i < t.childLength(n); i++) if (t.child(n, i)) forEachTnode(t, t.child(n, i), visit);
}

/** Levels visited to reach each leaf, and the tnode count. */
export function trieDepths(t: LcTrie): { leaves: number; maxDepth: number; avgDepth: number; tnodes: number } {
  let leaves = 0;
  let total = 0;
  let maxDepth = 0;
  let tnodes = 0;
  const walk = (n: number, d: number): void => {
    if (t.isLeaf(n)) {
      leaves++;
      total += d;
      maxDepth = Math.max(maxDepth, d);
      return;
    }
    tnodes++;
    for (let i = 0; i < t.childLength(n); i++) if (t.child(n, i)) walk(t.child(n, i), d + 1);
  };
  const root = t.child(TRIE, 0);
  if (root) walk(root, 1);
  return { leaves, maxDepth, avgDepth: leaves ? total / leaves : 0, tnodes };
}

/** What is wrong with the bookkeeping (parents, positions, child counts, suffix lengths, slot copies); for tests. */
export function trieProblems(t: LcTrie): string[] {
  const bad: string[] = [];
  const visit = (n: number, parent: number): number => {
    const where = `${t.key(n).toString(16)}/${t.pos(n)}+${t.bits(n)}`;
    if (t.parent(n) !== parent) bad.push(`${where}: wrong parent`);
    if (parent !== TRIE && t.child(parent, t.getIndex(t.key(n), parent)) !== n) bad.push(`${where}: not at its index`);
    const w = t.slotOf(parent, t.getIndex(t.key(n), parent));
    for (let k = 0; k < 3; k++) if (t.slots[w + 1 + k] !== t.rec[4 * n + k]) bad.push(`${where}: stale slot copy (word ${k})`);
    if (t.isLeaf(n)) {
      const lists = t.lists[n]!;
      const count = popcount(t.leafBitmap(n)) + (t.leafHasDefault(n) ? 1 : 0);
      if (lists.length !== count || lists.some((x) => x.length === 0)) bad.push(`${where}: alias lists do not match the bitmap`);
      if (t.first[n] !== lists[0]) bad.push(`${where}: stale first list`);
      if (lists.some((x, i) => i > 0 && x[0]!.plen >= lists[i - 1]![0]!.plen)) bad.push(`${where}: lists not longest first`);
      if (t.slen(n) !== KEYLENGTH - lists.at(-1)![0]!.plen) bad.push(`${where}: leaf slen ${t.slen(n)}`);
      const head = lists[0]?.[0] ?? null;
      if (t.heads[2 * n] !== head || t.heads[2 * n + 1] !== (head?.nhs[0] ?? null)) bad.push(`${where}: stale first alias in heads`);
      if (t.epoch === fibNhEpoch.value && t.rec[4 * n + 1]! >>> HOT_SHIFT !== t.summary(head)) bad.push(`${where}: stale summary`);
      return t.slen(n);
    }
    let empty = 0;
    let full = 0;
    let slen = t.pos(n);
    for (let i = 0; i < t.childLength(n); i++) {
      const c = t.child(n, i);
      if (!c) {
        empty++;
        continue;
      }
      if (t.tnodeFull(n, c)) full++;
      slen = Math.max(slen, visit(c, n));
    }
    if (empty !== t.emptyC[n]) bad.push(`${where}: empty_children ${t.emptyC[n]} != ${empty}`);
    if (full !== t.fullC[n]) bad.push(`${where}: full_children ${t.fullC[n]} != ${full}`);
    if (slen !== t.slen(n)) bad.push(`${where}: slen ${t.slen(n)} != ${slen}`);
    if (t.childLength(n) - empty < 2) bad.push(`${where}: fewer than two children`);
    return t.slen(n);
  };
  const root = t.child(TRIE, 0);
  let live = 1;
  if (root) {
    visit(root, TRIE);
    forEachTnode(t, root, (tn) => (live += t.childLength(tn)));
  }
  if (live !== t.liveSlots) bad.push(`live slots ${t.liveSlots} != ${live}`);
  return bad;
}
