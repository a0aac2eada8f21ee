// Packets per link for the graph: each link end's transmitted packets (`ip -s link`, TX packets), read
// through api.getCounters. Pure: counters and topology in, the counts of each cytoscape edge's ends out.

import type { CounterView } from '../../../main/host/api.js';
import { linkId, memberId, type Topo } from './graph-route.js';

export interface EdgeCounter {
  /** Packets sent by the edge's source end (the link's first endpoint, or the LAN member). */
  txSource: number;
  /** Packets sent by the target end; null for a LAN member's edge (a LAN sends nothing itself). */
  txTarget: number | null;
}

/** A link end's label with its count under the interface and addresses: where `ip -s link` would say it. */
export function withCount(label: string, tx: number | null): string {
  if (tx === null) return label;
  return label ? `${label}\nTX ${tx}` : `TX ${tx}`;
}

export function edgeCounters(topo: Topo, counters: CounterView[]): Map<string, EdgeCounter> {
  const tx = new Map<string, number>();
  for (const c of counters) for (const i of c.ifaces ?? []) tx.set(`${c.node}\u0000${i.name}`, i.txPackets);
  const of = (node: string, iface: string): number => tx.get(`${node}\u0000${iface}`) ?? 0;
  const out = new Map<string, EdgeCounter>();
  topo.links.forEach((l, i) => {
    const [a, b] = l.endpoints;
    out.set(linkId(i), { txSource: of(a.node, a.iface), txTarget: of(b.node, b.iface) });
  });
  for (const s of topo.segments) {
    for (const m of s.members) {
      out.set(memberId(s.name, m.node, m.iface), { txSource: of(m.node, m.iface), txTarget: null });
    }
  }
  return out;
}
