// One routing table (struct fib_table). The routes are kept in the kernel's dump order (network address
// ascending, longer prefix first for the same address, then tos descending, metric ascending, insertion).
// Lookup is a longest-prefix match; the routing issue replaces the list by a trie with the same answers.

import { prefixMask, type Ipv4Addr } from '../wire/inet.js';
import type { FibRoute, Flowi4 } from './fib-types.js';
import { RTNH_F_DEAD } from './fib-types.js';

export class FibTable {
  readonly routes: FibRoute[] = [];

  constructor(readonly id: number) {}

  insert(r: FibRoute): void {
    let i = this.routes.length;
    while (i > 0 && compare(this.routes[i - 1]!, r) > 0) i--;
    this.routes.splice(i, 0, r);
  }

  remove(r: FibRoute): boolean {
    const i = this.routes.indexOf(r);
    if (i < 0) return false;
    this.routes.splice(i, 1);
    return true;
  }

  find(pred: (r: FibRoute) => boolean): FibRoute | undefined {
    return this.routes.find(pred);
  }

  /** fib_table_lookup(): longest prefix first; among equals, the first alias whose tos matches and that is alive. */
  lookup(fl: Flowi4): FibRoute | null {
    let best: FibRoute | null = null;
    for (const r of this.routes) {
      if (best && r.plen < best.plen) continue;
      if (((fl.daddr & prefixMask(r.plen)) >>> 0) !== r.dst) continue;
      if (r.tos && r.tos !== fl.tos) continue;
      if (r.nhs.length > 0 && r.nhs.every((nh) => nh.flags & RTNH_F_DEAD)) continue;
      if (!best || r.plen > best.plen) best = r;
    }
    return best;
  }
}

function compare(a: FibRoute, b: FibRoute): number {
  if (a.dst !== b.dst) return a.dst < b.dst ? -1 : 1;
  if (a.plen !== b.plen) return b.plen - a.plen;
  if (a.tos !== b.tos) return b.tos - a.tos;
  return a.priority - b.priority;
}

export function networkOf(addr: Ipv4Addr, plen: number): Ipv4Addr {
  return (addr & prefixMask(plen)) >>> 0;
}
