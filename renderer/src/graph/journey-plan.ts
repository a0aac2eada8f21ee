// A packet's journey (api.getJourney) as an animation plan: each hop a leg over the topology, started at
// the step its packet reached the sending node (so multicast copies leaving one node together fan out
// together), and the nodes where a copy was dropped. Pure, so unit tests cover it.

import type { JourneyView } from '../../../main/host/guide-api.js';
import { legsBetween, nodeId, type Topo } from './graph-route.js';

export interface PlannedLeg {
  pkt: number;
  from: string;
  to: string;
  /** 0 for a hop leaving the node where the packet was first sent, parent's step + 1 after. */
  step: number;
  /** Cytoscape node ids along the way (ends included) and the edges; empty if the topology has no such way. */
  path: string[];
  edges: string[];
  /** No later hop leaves `to`: the copy's journey ends there. */
  last: boolean;
}

export interface PlannedDrop {
  node: string;
  /** Shown once the legs of the step before have arrived. */
  step: number;
  fn: string;
}

export interface JourneyPlan {
  legs: PlannedLeg[];
  drops: PlannedDrop[];
  /** Steps the animation takes: one per hop along the longest branch. */
  steps: number;
  /** Cytoscape ids of every node and edge the journey passed. */
  nodes: string[];
  edges: string[];
}

export function planJourney(j: Pick<JourneyView, 'hops' | 'events' | 'nodes'>, topo: Topo): JourneyPlan {
  const hops = [...j.hops].sort((a, b) => a.txSeq - b.txSeq || a.rxSeq - b.rxSeq);
  const steps: number[] = [];
  // The hop that brought the packet to `node` last before `seq`: its arrival is where what follows starts.
  const arrival = (node: string, seq: number): number => {
    let best = -1;
    hops.forEach((h, i) => {
      if (i < steps.length && h.to === node && h.rxSeq < seq && (best < 0 || h.rxSeq > hops[best]!.rxSeq)) best = i;
    });
    return best;
  };
  const legs: PlannedLeg[] = hops.map((h) => {
    const parent = arrival(h.from, h.txSeq);
    const step = parent < 0 ? 0 : steps[parent]! + 1;
    steps.push(step);
    const leg = legsBetween(topo, h.from, h.to, h.txDev || undefined, h.rxDev || undefined)[0] ?? legsBetween(topo, h.from, h.to)[0];
    return { pkt: h.pkt, from: h.from, to: h.to, step, path: leg?.path ?? [], edges: leg?.edges ?? [], last: true };
  });
  legs.forEach((l, i) => {
    const h = hops[i]!;
    l.last = !hops.some((o) => o.from === h.to && o.txSeq > h.rxSeq);
  });
  const drops: PlannedDrop[] = [];
  for (const e of j.events) {
    if (e.kind !== 'drop' || e.node === '') continue;
    const p = arrival(e.node, e.seq);
    const step = p < 0 ? 0 : steps[p]! + 1;
    if (!drops.some((d) => d.node === e.node && d.step === step)) drops.push({ node: e.node, step, fn: e.fn });
  }
  const nodes = new Set<string>(j.nodes.filter((n) => n !== '').map(nodeId));
  const edges = new Set<string>();
  for (const l of legs) {
    l.path.forEach((p) => nodes.add(p));
    l.edges.forEach((e) => edges.add(e));
  }
  const stepCount = Math.max(0, ...legs.map((l) => l.step + 1), ...drops.map((d) => d.step));
  return { legs, drops, steps: stepCount, nodes: [...nodes], edges: [...edges] };
}
