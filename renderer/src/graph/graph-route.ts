// Which topology elements join two nodes: the cytoscape ids topology.ts gives them (`n:NODE`, `s:LAN`,
// `l:INDEX` for a link, `m:LAN:NODE:IFACE` for a LAN member's edge). Pure, so unit tests cover it.

import type { LinkView, SegmentView } from '../../../main/host/api.js';

export interface Topo {
  links: LinkView[];
  segments: SegmentView[];
}

/** One way from a node to another: the cytoscape node ids passed (ends included) and the edges between. */
export interface Leg {
  path: string[];
  edges: string[];
}

export const nodeId = (n: string): string => `n:${n}`;
export const segId = (s: string): string => `s:${s}`;
export const linkId = (i: number): string => `l:${i}`;
export const memberId = (seg: string, node: string, iface: string): string => `m:${seg}:${node}:${iface}`;

/**
 * Every way between `from` and `to` over one link or one LAN. With the devices known (a journey's hop),
 * only the ways leaving on `txDev` and arriving on `rxDev`; without them (a causal chain), all of them.
 */
export function legsBetween(topo: Topo, from: string, to: string, txDev?: string, rxDev?: string): Leg[] {
  const legs: Leg[] = [];
  const devOk = (want: string | undefined, have: string): boolean => !want || want === have;
  topo.links.forEach((l, i) => {
    const [a, b] = l.endpoints;
    const fwd = a.node === from && b.node === to && devOk(txDev, a.iface) && devOk(rxDev, b.iface);
    const back = b.node === from && a.node === to && devOk(txDev, b.iface) && devOk(rxDev, a.iface);
    if (fwd || back) legs.push({ path: [nodeId(from), nodeId(to)], edges: [linkId(i)] });
  });
  for (const s of topo.segments) {
    const out = s.members.find((m) => m.node === from && devOk(txDev, m.iface));
    const into = s.members.find((m) => m.node === to && devOk(rxDev, m.iface) && m !== out);
    if (out && into) legs.push({ path: [nodeId(from), segId(s.name), nodeId(to)], edges: [memberId(s.name, out.node, out.iface), memberId(s.name, into.node, into.iface)] });
  }
  return legs;
}

/**
 * The elements of a causal chain: its nodes, and every way between consecutive distinct nodes (a chain
 * often stays on one node for several events, and the run's own events have node '').
 */
export function chainElements(topo: Topo, chainNodes: string[]): { nodes: string[]; edges: string[] } {
  const names = chainNodes.filter((n, i) => n !== '' && n !== chainNodes[i - 1]);
  const nodes = new Set(names.map(nodeId));
  const edges = new Set<string>();
  let prev: string | null = null;
  for (const n of names) {
    if (prev !== null && prev !== n) {
      for (const leg of legsBetween(topo, prev, n)) {
        leg.path.forEach((p) => nodes.add(p));
        leg.edges.forEach((e) => edges.add(e));
      }
    }
    prev = n;
  }
  return { nodes: [...nodes], edges: [...edges] };
}
