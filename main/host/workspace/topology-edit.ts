// Applies an edited topology (the editor's TopologySpec) to a lab spec: nodes, links, segments and layout are
// replaced; the lab's name, texts, seed, profile and guided steps stay. A node whose commands did not change
// keeps its source positions, so startup errors still point into its .startup file.

import type { LabSpec } from '../lab/spec.js';
import type { TopologySpec } from './topology-api.js';

export function applyTopologySpec(spec: LabSpec, topo: TopologySpec): LabSpec {
  const before = new Map(spec.nodes.map((n) => [n.name, n]));
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  return {
    ...spec,
    nodes: topo.nodes.map((n) => {
      const old = before.get(n.name);
      const keep = old?.startupSource && same(old.startup, n.exec);
      return { name: n.name, role: n.role, startup: [...n.exec], ...(keep ? { startupSource: old.startupSource } : {}) };
    }),
    links: topo.links.map((l) => ({ endpoints: [{ ...l.endpoints[0] }, { ...l.endpoints[1] }] })),
    segments: topo.segments.map((s) => ({ name: s.name, members: s.members.map((m) => ({ ...m })) })),
    layout: structuredClone(topo.layout),
  };
}
