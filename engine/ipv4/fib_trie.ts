// net/ipv4/fib_trie.c: one routing table (struct fib_table) as a binary trie keyed by prefix. A lookup
// walks at most 32 levels (cost grows with the prefix length, not with the number of routes); each node
// holds the aliases (routes) of exactly one prefix, kept in the kernel's alias order (fib_find_alias):
// tos descending, metric ascending, then as the netlink flags placed them.

import { Errno, KernelError } from '../net/errno.js';
import type { NetDevice } from '../net/netdevice.js';
import { formatIpv4, prefixMask, type Ipv4Addr } from '../wire/inet.js';
import { RTNH_F_DEAD, RTNH_F_LINKDOWN, type FibNh, type FibResult, type FibRoute, type Flowi4, type RouteType } from './fib-types.js';
import type { Ipv4Netns } from './ipv4-netns.js';

/** NLM_F_* flags of an RTM_NEWROUTE that decide where an alias goes. */
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;

interface TrieNode {
  zero: TrieNode | null;
  one: TrieNode | null;
  /** Aliases of the prefix this node stands for (its depth is the prefix length). */
  aliases: FibRoute[] | null;
}

function newNode(): TrieNode {
  return { zero: null, one: null, aliases: null };
}

function bit(addr: Ipv4Addr, depth: number): number {
  return (addr >>> (31 - depth)) & 1;
}

export class FibTable {
  private readonly root: TrieNode = newNode();
  private count = 0;
  /** Routes in dump order, rebuilt lazily after a change. */
  private dumpCache: FibRoute[] | null = [];
  /** tb_num_default: /0 routes, for fib_select_default. */
  numDefault = 0;
  /**
   * Per-/16 shortcut (like the kernel's wide top-level tnode): the depth-16 node and the alias lists of
   * the prefixes of length <= 16 above it. Rebuilt lazily when `stemVersion` moved (a node or an alias
   * list appeared or vanished in the top 16 levels), so a lookup walks only the bits below /16.
   */
  private readonly stems: Array<{ v: number; node: TrieNode | null; lists: FibRoute[][] } | undefined> = [];
  private stemVersion = 0;

  constructor(readonly id: number) {}

  get size(): number {
    return this.count;
  }

  private node(dst: Ipv4Addr, plen: number, create: boolean): TrieNode | null {
    let n = this.root;
    for (let d = 0; d < plen; d++) {
      const b = bit(dst, d);
      let c = b ? n.one : n.zero;
      if (!c) {
        if (!create) return null;
        c = newNode();
        if (d < 16) this.stemVersion++;
        if (b) n.one = c;
        else n.zero = c;
      }
      n = c;
    }
    return n;
  }

  /** The aliases of exactly dst/plen, in order (empty if none). */
  aliasesOf(dst: Ipv4Addr, plen: number): readonly FibRoute[] {
    return this.node(dst, plen, false)?.aliases ?? [];
  }

  /**
   * fib_table_insert() placement. `same` tells whether two routes share their fib_info (and type):
   * an exact duplicate is refused even with append/prepend. Returns the replaced route, if any.
   */
  insertWithFlags(r: FibRoute, nlflags: number, same: (a: FibRoute, b: FibRoute) => boolean): FibRoute | null {
    const n = this.node(r.dst, r.plen, true)!;
    if (!n.aliases && r.plen <= 16) this.stemVersion++;
    const list = n.aliases ?? (n.aliases = []);
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
        this.dumpCache = null;
        return old;
      }
      if (match >= 0) throw new KernelError(Errno.EEXIST);
      if (nlflags & NLM_F_APPEND) {
        while (j < list.length && list[j]!.tos === r.tos && list[j]!.priority === r.priority) j++;
        i = j;
      } else i = first;
    }
    if (!(nlflags & NLM_F_CREATE)) {
      if (list.length === 0) {
        n.aliases = null;
        if (r.plen <= 16) this.stemVersion++;
      }
      throw new KernelError(Errno.ENOENT);
    }
    if (i < 0) i = list.length;
    list.splice(i, 0, r);
    this.count++;
    if (r.plen === 0) this.numDefault++;
    this.dumpCache = null;
    return null;
  }

  /** fib_magic()'s insertion (CREATE|APPEND): after the equal aliases. */
  insert(r: FibRoute): void {
    this.insertWithFlags(r, NLM_F_CREATE | NLM_F_APPEND, () => false);
  }

  remove(r: FibRoute): boolean {
    const n = this.node(r.dst, r.plen, false);
    const list = n?.aliases;
    if (!n || !list) return false;
    const i = list.indexOf(r);
    if (i < 0) return false;
    list.splice(i, 1);
    if (list.length === 0) {
      n.aliases = null;
      if (r.plen <= 16) this.stemVersion++;
    }
    this.count--;
    if (r.plen === 0) this.numDefault--;
    this.dumpCache = null;
    return true;
  }

  /** Every route in the kernel's dump order: key ascending, longer prefix first, then alias order. */
  get routes(): readonly FibRoute[] {
    if (this.dumpCache) return this.dumpCache;
    const groups: FibRoute[][] = [];
    const walk = (n: TrieNode): void => {
      if (n.aliases) groups.push(n.aliases);
      if (n.zero) walk(n.zero);
      if (n.one) walk(n.one);
    };
    walk(this.root);
    // Preorder visits 10.0.0.0/8 before 10.0.0.0/16; the kernel's leaf for key 10.0.0.0 lists /16 first.
    groups.sort((a, b) => a[0]!.dst - b[0]!.dst || b[0]!.plen - a[0]!.plen);
    this.dumpCache = groups.flat();
    return this.dumpCache;
  }

  find(pred: (r: FibRoute) => boolean): FibRoute | undefined {
    return this.routes.find(pred);
  }

  /**
   * The alias lists covering `daddr`, longest prefix first (Step 1 and the back-tracking of
   * fib_table_lookup): the /16 stem from the cache, then at most 17 nodes below it, whatever the
   * table's size.
   */
  candidates(daddr: Ipv4Addr): FibRoute[][] {
    const slot = daddr >>> 16;
    let stem = this.stems[slot];
    if (!stem || stem.v !== this.stemVersion) {
      const lists: FibRoute[][] = [];
      let n: TrieNode | null = this.root;
      for (let d = 0; n && d < 16; d++) {
        if (n.aliases) lists.push(n.aliases);
        n = bit(daddr, d) ? n.one : n.zero;
      }
      stem = { v: this.stemVersion, node: n, lists: lists.reverse() };
      this.stems[slot] = stem;
    }
    const found: FibRoute[][] = [];
    let n: TrieNode | null = stem.node;
    for (let d = 16; n; d++) {
      if (n.aliases) found.push(n.aliases);
      if (d === 32) break;
      n = bit(daddr, d) ? n.one : n.zero;
    }
    found.reverse();
    for (const l of stem.lists) found.push(l);
    return found;
  }
}

export function networkOf(addr: Ipv4Addr, plen: number): Ipv4Addr {
  return (addr & prefixMask(plen)) >>> 0;
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
  const lists = tables.length === 1 ? tables[0]!.candidates(fl.daddr) : tables.flatMap((t) => t.candidates(fl.daddr)).sort((a, b) => b[0]!.plen - a[0]!.plen || b[0]!.table - a[0]!.table);
  const flowTos = fl.tos & 0x1c;
  const scope = fl.scope ?? 0;
  let out: TableLookup = { errno: Errno.EAGAIN, res: null, route: null };
  search: for (const list of lists) {
    for (const r of list) {
      if (r.tos && r.tos !== flowTos) continue;
      if (r.scope < scope) continue;
      const err = fibPropsError(r.type);
      if (err) {
        out = { errno: err, res: null, route: r };
        break search;
      }
      if (r.nhs.length > 0 && r.nhs.every((nh) => nh.flags & RTNH_F_DEAD)) continue;
      for (let i = 0; i < r.nhs.length; i++) {
        const nh = r.nhs[i]!;
        if (!fibLookupGoodNhc(v4, nh, flags, fl)) continue;
        out = { errno: 0, res: { route: r, nh, table: resultTable, nhSel: i }, route: r };
        break search;
      }
    }
  }
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
