// net/ipv4/fib_trie.c's leaf changes: fib_insert_node() hangs a new leaf (with a one-bit tnode where its
// key parts from a sibling's), fib_insert_alias() adds a prefix length to an existing leaf, and
// fib_remove_alias() drops one, freeing the leaf with its last; each ends in the kernel's suffix update
// and trie_rebalance() (fib_trie_resize.ts).

import type { FibRoute } from './fib-types.js';
import { HAS_DEFAULT, KEYLENGTH, NONE, type LcTrie } from './fib_trie_kv.js';
import { nodePullSuffix, nodePushSuffix, trieRebalance } from './fib_trie_resize.js';

/** fib_insert_node(): a new leaf under tp, with a one-bit tnode where its key parts from a sibling's. */
export function fibInsertNode(t: LcTrie, tp: number, key: number, plen: number, list: FibRoute[]): void {
  const l = t.leafNew(key, plen, list);
  const n = t.child(tp, t.getIndex(key, tp));
  if (n) {
    const tn = t.tnodeNew(key, 31 - Math.clz32((key ^ t.key(n)) >>> 0), 1);
    t.setParent(tn, tp);
    t.putChild(tn, t.getIndex(key, tn) ^ 1, n);
    t.putChildRoot(tp, key, tn);
    t.setParent(n, tn);
    tp = tn;
  }
  nodePushSuffix(t, tp, KEYLENGTH - plen);
  t.setParent(l, tp);
  t.putChildRoot(tp, key, l);
  trieRebalance(t, tp);
  t.compactIfSparse();
}

/** fib_insert_alias() into an existing leaf: a new prefix length for this key. */
export function leafAddList(t: LcTrie, l: number, tp: number, plen: number, list: FibRoute[]): void {
  t.lists[l]!.splice(t.rank(l, plen), 0, list);
  if (plen === 0) t.rec[4 * l + 1] |= HAS_DEFAULT;
  else t.rec[4 * l + 2] |= 1 << (plen - 1);
  t.touch(l);
  const slen = KEYLENGTH - plen;
  if (t.slen(l) < slen) {
    t.setSlen(l, slen);
    nodePushSuffix(t, tp, slen);
  }
}

/** fib_remove_alias() once the last alias of dst/plen went: drop the list, maybe the leaf. */
export function leafRemoveList(t: LcTrie, l: number, tp: number, plen: number): void {
  t.lists[l]!.splice(t.rank(l, plen), 1);
  if (plen === 0) t.rec[4 * l + 1] &= ~HAS_DEFAULT;
  else t.rec[4 * l + 2] &= ~(1 << (plen - 1));
  if (t.lists[l]!.length === 0) {
    // Unhooked before the suffix is pulled, so that update_suffix() no longer counts this leaf.
    t.putChildRoot(tp, t.key(l), NONE);
    if (t.slen(tp) === t.slen(l)) nodePullSuffix(t, tp, t.pos(tp));
    t.nodeFree(l);
    trieRebalance(t, tp);
    t.compactIfSparse();
    return;
  }
  t.touch(l);
  const bm = t.leafBitmap(l);
  const shortest = t.leafHasDefault(l) ? 0 : 31 - Math.clz32(bm & -bm) + 1;
  if (KEYLENGTH - shortest !== t.slen(l)) {
    t.setSlen(l, KEYLENGTH - shortest);
    nodePullSuffix(t, tp, KEYLENGTH - shortest);
  }
}
