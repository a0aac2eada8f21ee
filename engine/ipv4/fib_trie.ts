// net/ipv4/fib_trie.c: one routing table (struct fib_table) in the kernel's level- and path-compressed
// trie (fib_trie_kv.ts), so a lookup visits a few nodes whatever the table's size. A leaf holds, per
// prefix length, the aliases (routes) of that prefix in the kernel's alias order (fib_find_alias): tos
// descending, metric ascending, then as the netlink flags placed them.

import { Errno, KernelError } from '../net/errno.js';
import type { NetDevice } from '../net/netdevice.js';
import { formatIpv4, prefixMask, type Ipv4Addr } from '../wire/inet.js';
import { RTNH_F_DEAD, RTNH_F_LINKDOWN, type FibNh, type FibResult, type FibRoute, type Flowi4, type RouteType } from './fib-types.js';
import { fibInsertNode, leafAddList, leafRemoveList } from './fib_trie_insert.js';
import { LcTrie } from './fib_trie_kv.js';
import { LpmCursor } from './fib_trie_lookup.js';
import { forEachLeaf, trieDepths, trieProblems } from './fib_trie_walk.js';
import type { Ipv4Netns } from './ipv4-netns.js';

/** NLM_F_* flags of an RTM_NEWROUTE that decide where an alias goes. */
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;

export class FibTable {
  /** The table's LC-trie (fib_trie_kv.ts). */
  private readonly trie = new LcTrie(packFirstAlias);
  private readonly scratch = new LpmCursor(this.trie, 0);
  private count = 0;
  /** Routes in dump order, rebuilt lazily after a change. */
  private dumpCache: FibRoute[] | null = [];
  /** tb_num_default: /0 routes, for fib_select_default. */
  numDefault = 0;

  constructor(readonly id: number) {}

  get size(): number {
    return this.count;
  }

  /** The aliases of exactly dst/plen, in order (empty if none). */
  aliasesOf(dst: Ipv4Addr, plen: number): readonly FibRoute[] {
    const { l } = this.trie.fibFindNode(dst >>> 0);
    return (l && this.trie.leafList(l, plen)) || [];
  }

  /**
   * fib_table_insert() placement. `same` tells whether two routes share their fib_info (and type):
   * an exact duplicate is refused even with append/prepend. Returns the replaced route, if any.
   */
  insertWithFlags(r: FibRoute, nlflags: number, same: (a: FibRoute, b: FibRoute) => boolean): FibRoute | null {
    const key = r.dst >>> 0;
    const { l, tp } = this.trie.fibFindNode(key);
    const existing = l ? this.trie.leafList(l, r.plen) : null;
    const list = existing ?? [];
    let i = list.findIndex((a) => a.tos <= r.tos && (a.priority >= r.priority || a.tos < r.tos));
    if (i >= 0 && list[i]!.tos === r.tos && list[i]!.priority === r.priority) {
      if (nlflags & NLM_F_EXCL) throw new KernelError(Errno.EEXIST);
      const first = i;
      let j = i;
      let match = -1;
      for (; j < list.length && list[j]!.tos === r.tos && list[j]!.priority === r.priority; j++) {
        if (same(list[j]!, r)) {
          match = j;
          break;
        }
      }
      if (nlflags & NLM_F_REPLACE) {
        if (match >= 0) {
          if (match === first) return null;
          throw new KernelError(Errno.EEXIST);
        }
        const old = list[first]!;
        list[first] = r;
        this.trie.touch(l);
        this.dumpCache = null;
        return old;
      }
      if (match >= 0) throw new KernelError(Errno.EEXIST);
      if (nlflags & NLM_F_APPEND) {
        while (j < list.length && list[j]!.tos === r.tos && list[j]!.priority === r.priority) j++;
        i = j;
      } else i = first;
    }
    if (!(nlflags & NLM_F_CREATE)) throw new KernelError(Errno.ENOENT);
    if (i < 0) i = list.length;
    list.splice(i, 0, r);
    if (!existing) {
      // fib_insert_alias(): a new leaf, or a new prefix length in the leaf of this key.
      if (!l) fibInsertNode(this.trie, tp, key, r.plen, list);
      else leafAddList(this.trie, l, tp, r.plen, list);
    } else this.trie.touch(l);
    this.count++;
    if (r.plen === 0) this.numDefault++;
    this.dumpCache = null;
    return null;
  }

  /** fib_magic()'s insertion (CREATE|APPEND): after the equal aliases. */
  insert(r: FibRoute): void {
    this.insertWithFlags(r, NLM_F_CREATE | NLM_F_APPEND, () => false);
  }

  /** fib_remove_alias() */
  remove(r: FibRoute): boolean {
    const { l, tp } = this.trie.fibFindNode(r.dst >>> 0);
    const list = l ? this.trie.leafList(l, r.plen) : null;
    const i = list ? list.indexOf(r) : -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    if (list.length === 0) leafRemoveList(this.trie, l, tp, r.plen);
    else this.trie.touch(l);
    this.count--;
    if (r.plen === 0) this.numDefault--;
    this.dumpCache = null;
    return true;
  }

  /** Every route in the kernel's dump order: key ascending, longer prefix first, then alias order. */
  get routes(): readonly FibRoute[] {
    if (this.dumpCache) return this.dumpCache;
    const out: FibRoute[] = [];
    forEachLeaf(this.trie, (l) => {
      for (const list of this.trie.lists[l]!) for (const r of list) out.push(r);
    });
    this.dumpCache = out;
    return out;
  }

  find(pred: (r: FibRoute) => boolean): FibRoute | undefined {
    return this.routes.find(pred);
  }

  /** A cursor over the alias lists covering `daddr`, longest prefix first (fib_table_lookup's walk). */
  cursor(daddr: Ipv4Addr): LpmCursor {
    return new LpmCursor(this.trie, daddr >>> 0);
  }

  /**
   * The table's own cursor, reset to `daddr`, for fibTableSearch() alone: it finishes with it before it
   * returns and searches no table meanwhile, and a lookup then allocates only its answer (measured: the
   * young generation's churn evicts a large table's lines from the cache).
   */
  searchCursor(daddr: Ipv4Addr): LpmCursor {
    return this.scratch.reset(daddr >>> 0);
  }

  /** The length of the longest prefix covering `daddr` (-1 if none): the trie walk alone. */
  longestPrefix(daddr: Ipv4Addr): number {
    return new LpmCursor(this.trie, daddr >>> 0).advance();
  }

  /** The longest prefix covering `daddr` (its alias list), or null. */
  longest(daddr: Ipv4Addr): FibRoute[] | null {
    return new LpmCursor(this.trie, daddr >>> 0).next();
  }

  /** Every alias list covering `daddr`, longest prefix first. */
  candidates(daddr: Ipv4Addr): FibRoute[][] {
    const c = this.cursor(daddr);
    const found: FibRoute[][] = [];
    for (let l = c.next(); l; l = c.next()) found.push(l);
    return found;
  }

  /** Trie shape (levels to each leaf, tnodes), for tests and the benchmark. */
  stats(): ReturnType<typeof trieDepths> {
    return trieDepths(this.trie);
  }

  /** Child slots in live tnode blocks, and in the pool (free blocks included), for tests and the benchmark. */
  slotUse(): { live: number; pooled: number } {
    return { live: this.trie.liveSlots, pooled: this.trie.pooledSlots };
  }

  /** Broken trie bookkeeping, if any (for tests). */
  problems(): string[] {
    return trieProblems(this.trie);
  }
}

export function networkOf(addr: Ipv4Addr, plen: number): Ipv4Addr {
  return (addr & prefixMask(plen)) >>> 0;
}

/** The errno of each type class in a first-alias summary (packFirstAlias). */
const HOT_ERRNO: readonly (Errno | 0)[] = [0, Errno.EINVAL, Errno.EHOSTUNREACH, Errno.EACCES, Errno.EAGAIN];
/** Summary bits: the summary decides (the alias has no tos); exactly one next hop, neither dead nor linkdown. */
const HOT_PRESENT = 1;
const HOT_ONE_NH = 2;

/**
 * A leaf's first alias summarised in 13 bits for fibTableSearch() (the trie keeps it in the leaf's slot):
 * HOT_PRESENT, HOT_ONE_NH, the class of its type's error (bits 2-4, HOT_ERRNO), its scope (bits 5-12).
 * An alias with a tos gets no summary (the scan decides it). Route fields never change once the route is
 * in a table; next-hop flags do, hence fibNhEpoch.
 */
function packFirstAlias(r: FibRoute): number {
  if (r.tos !== 0) return 0;
  const err = fibPropsError(r.type);
  const nh = r.nhs.length === 1 ? r.nhs[0]! : null;
  const oneNh = nh && !(nh.flags & (RTNH_F_DEAD | RTNH_F_LINKDOWN)) ? HOT_ONE_NH : 0;
  return HOT_PRESENT | oneNh | (HOT_ERRNO.indexOf(err) << 2) | ((r.scope & 0xff) << 5);
}

/** FIB_LOOKUP_IGNORE_LINKSTATE: gateway validation and rp_filter's second lookup see LINKDOWN next hops. */
export const FIB_LOOKUP_IGNORE_LINKSTATE = 2;

/** fib_props[type].error: what a table lookup returns when it meets a route of that type. */
export function fibPropsError(t: RouteType): Errno | 0 {
  switch (t) {
    case 'blackhole':
    case 'nat':
      return Errno.EINVAL;
    case 'unreachable':
      return Errno.EHOSTUNREACH;
    case 'prohibit':
      return Errno.EACCES;
    case 'throw':
      return Errno.EAGAIN;
    default:
      return 0;
  }
}

/** ip_ignore_linkdown(): conf/all or conf/DEV ignore_routes_with_linkdown. */
export function ipIgnoreLinkdown(v4: Ipv4Netns, dev: NetDevice | null): boolean {
  if (!dev) return false;
  return v4.devconfAll.values.ignore_routes_with_linkdown !== 0 || (v4.inDev(dev)?.conf.values.ignore_routes_with_linkdown ?? 0) !== 0;
}

/** fib_lookup_good_nhc() */
export function fibLookupGoodNhc(v4: Ipv4Netns, nh: FibNh, flags: number, fl: Flowi4): boolean {
  if (nh.flags & RTNH_F_DEAD) return false;
  if (nh.flags & RTNH_F_LINKDOWN && !(flags & FIB_LOOKUP_IGNORE_LINKSTATE) && ipIgnoreLinkdown(v4, nh.dev)) return false;
  if (fl.oif && fl.oif !== (nh.dev?.ifindex ?? 0)) return false;
  return true;
}

export interface TableLookup {
  /** 0, EAGAIN (nothing here: the rule engine goes on) or the error of a reject route. */
  errno: Errno | 0;
  res: FibResult | null;
  /** The prefix whose alias decided (also for reject routes), for the trace. */
  route: FibRoute | null;
}

/**
 * fib_table_lookup(). `tables` is one table, or local+main while they are merged (the kernel then has
 * local's aliases inside main's trie: for one prefix, local's aliases come first). The result reports
 * `resultTable` (the trie that was searched).
 */
export function fibTableLookup(v4: Ipv4Netns, tables: readonly FibTable[], resultTable: number, fl: Flowi4, flags = 0): TableLookup {
  const out = fibTableSearch(v4, tables, resultTable, fl, flags);
  const scope = fl.scope ?? 0;
  v4.ns.emit('fib_table_lookup', 'lookup', {
    table: resultTable,
    ...(tables.length > 1 ? { merged: tables.map((t) => t.id) } : {}),
    daddr: formatIpv4(fl.daddr),
    tos: fl.tos,
    oif: fl.oif,
    ...(scope ? { scope } : {}),
    decision: out.errno === 0 ? 'found' : out.errno === Errno.EAGAIN ? 'not_found' : 'reject',
    prefix: out.route ? `${formatIpv4(out.route.dst)}/${out.route.plen}` : null,
    type: out.route?.type ?? null,
    nh_sel: out.res?.nhSel ?? null,
    reason: out.errno === 0 ? 'longest prefix with a usable next hop' : out.errno === Errno.EAGAIN ? 'no prefix covers the destination (or throw)' : `route type ${out.route?.type} returns ${Errno[out.errno]}`,
  });
  return out;
}

/** One alias: null to go on with the next (tos, scope, dead or unusable next hops), else the answer. */
function judge(v4: Ipv4Netns, r: FibRoute, fl: Flowi4, flags: number, resultTable: number): TableLookup | null {
  if (r.tos && r.tos !== (fl.tos & 0x1c)) return null;
  if (r.scope < (fl.scope ?? 0)) return null;
  const err = fibPropsError(r.type);
  if (err) return { errno: err, res: null, route: r };
  if (r.nhs.length > 0 && r.nhs.every((nh) => nh.flags & RTNH_F_DEAD)) return null;
  for (let i = 0; i < r.nhs.length; i++) {
    const nh = r.nhs[i]!;
    if (fibLookupGoodNhc(v4, nh, flags, fl)) return { errno: 0, res: { route: r, nh, table: resultTable, nhSel: i }, route: r };
  }
  return null;
}

/** fib_table_lookup()'s answer when nothing matches (shared: no caller changes a lookup's answer). */
const NOT_FOUND: TableLookup = Object.freeze({ errno: Errno.EAGAIN, res: null, route: null });

/** fib_table_lookup()'s search without its trace event (the benchmark times this). */
export function fibTableSearch(v4: Ipv4Netns, tables: readonly FibTable[], resultTable: number, fl: Flowi4, flags = 0): TableLookup {
  const scope = fl.scope ?? 0;
  let out: TableLookup = NOT_FOUND;
  // One trie, or local and main merged: two cursors, longest prefix first, local's aliases first on a tie.
  const c0 = tables[0]!.searchCursor(fl.daddr);
  const c1 = tables.length > 1 ? tables[1]!.searchCursor(fl.daddr) : null;
  const p0 = c0.advance();
  const p1 = c1 ? c1.advance() : -1;
  let a: FibRoute[] | null = null;
  let b: FibRoute[] | null = null;
  if (p0 >= 0 || p1 >= 0) {
    // The usual answer is the first alias of the longest prefix (local's on a tie), decided from its
    // leaf's summary (judge() on the summary's fields) without reading the route, its list or its next
    // hops; when the summary cannot decide, judge() reads the alias, then the scan below starts over.
    const c = p0 >= 0 && (p1 < 0 || p0 > p1 || (p0 === p1 && c0.firstAlias().table >= c1!.firstAlias().table)) ? c0 : c1!;
    const h = fl.oif === 0 ? c.hotWord() : -1;
    let decided = false;
    if (h > 0 && (h & HOT_PRESENT) !== 0 && h >>> 5 >= scope) {
      const err = HOT_ERRNO[(h >>> 2) & 7]!;
      const r = c.firstAlias();
      if (err) out = { errno: err, res: null, route: r };
      else if (h & HOT_ONE_NH) out = { errno: 0, res: { route: r, nh: c.firstNh(), table: resultTable, nhSel: 0 }, route: r };
      decided = err !== 0 || (h & HOT_ONE_NH) !== 0;
    }
    if (!decided) {
      const first = judge(v4, c.firstAlias(), fl, flags, resultTable);
      if (first) out = first;
      else {
        a = p0 >= 0 ? c0.list() : null;
        b = p1 >= 0 ? c1!.list() : null;
      }
    }
  }
  search: for (;;) {
    let list: FibRoute[];
    if (a && (!b || a[0]!.plen > b[0]!.plen || (a[0]!.plen === b[0]!.plen && a[0]!.table >= b[0]!.table))) {
      list = a;
      a = c0.next();
    } else if (b) {
      list = b;
      b = c1!.next();
    } else break;
    for (const r of list) {
      const found = judge(v4, r, fl, flags, resultTable);
      if (found) {
        out = found;
        break search;
      }
    }
  }
  return out;
}
