// Capturing node and network state: the entry points the host calls. Every capture runs inside
// withoutSideEffects(): it emits no trace event, draws no random number and changes nothing, so a run
// recorded with snapshots has the same fingerprint as one without (test/unit/replay/capture.test.ts).

import type { Netns } from '../net/netns.js';
import type { Network } from '../net/network.js';
import { captureFib } from './capture-fib.js';
import { captureIgmp, captureIpmr } from './capture-mcast.js';
import { captureAddrs, captureLinks, captureStats, captureSysctl } from './capture-net.js';
import { captureSockets } from './capture-sockets.js';
import type { NetState, NodeParts, NodeState, PartName } from './node-state.js';
import { withoutSideEffects } from './quiet.js';
import { renderView, ON_DEMAND_VIEWS, VIEWS, type ViewSpec } from './views.js';

const PART_READERS: { [P in PartName]: (ns: Netns) => NodeParts[P] } = {
  links: captureLinks,
  stats: captureStats,
  addrs: captureAddrs,
  sysctl: captureSysctl,
  fib: captureFib,
  ipmr: captureIpmr,
  igmp: captureIgmp,
  sockets: captureSockets,
};

/** One part of a node's state. */
export function capturePart<P extends PartName>(ns: Netns, part: P): NodeParts[P] {
  return withoutSideEffects(ns.sim, () => PART_READERS[part](ns));
}

/** One part, for a caller already inside withoutSideEffects() (a recorder capturing many parts at once). */
export function readPart<P extends PartName>(ns: Netns, part: P): NodeParts[P] {
  return PART_READERS[part](ns);
}

/** The given views of a node (default: all per-event views), by name. */
export function captureViews(ns: Netns, views: readonly ViewSpec[] = VIEWS): { [view: string]: string } {
  return withoutSideEffects(ns.sim, () => {
    const out: { [view: string]: string } = {};
    for (const v of views) out[v.name] = renderView(ns, v);
    return out;
  });
}

/** A node's whole state: every part and every per-event view. */
export function captureNode(ns: Netns): NodeState {
  return withoutSideEffects(ns.sim, () => ({
    node: ns.name,
    role: ns.role,
    links: captureLinks(ns),
    stats: captureStats(ns),
    addrs: captureAddrs(ns),
    sysctl: captureSysctl(ns),
    fib: captureFib(ns),
    ipmr: captureIpmr(ns),
    igmp: captureIgmp(ns),
    sockets: captureSockets(ns),
    views: captureViews(ns),
  }));
}

/** Every node's state, in the lab's node order; `seq` is the last event emitted so far. */
export function captureNet(net: Network): NetState {
  const nodes: NetState['nodes'] = {};
  for (const ns of net.nodes.values()) nodes[ns.name] = captureNode(ns);
  return { seq: net.sim.trace.eventCount, t: net.sim.now, nodes };
}

/** Per-event views plus the clock-dependent ones: what a report shows as a node's final state. */
export function captureFinalViews(ns: Netns): { [view: string]: string } {
  return captureViews(ns, [...VIEWS, ...ON_DEMAND_VIEWS]);
}
