// Writes a LabSpec as a lab file (the format lab-file.ts reads): what `workbench lab import` prints for a
// containerlab or Kathará topology, ready for steps and checks to be added.

import { Document, isSeq } from 'yaml';
import type { LabSpec } from './spec.js';

export function labToYaml(spec: LabSpec, schemaRef = 'schema/lab.schema.json'): string {
  const ep = (e: { node: string; iface: string }): string => `${e.node}:${e.iface}`;
  const data: Record<string, unknown> = {
    name: spec.name,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    seed: spec.seed,
    profile: spec.profile,
    topology: {
      nodes: Object.fromEntries(spec.nodes.map((n) => [n.name, { role: n.role, ...(n.startup.length ? { exec: n.startup } : {}) }])),
      ...(spec.links.length ? { links: spec.links.map((l) => ({ endpoints: l.endpoints.map(ep) })) } : {}),
      ...(spec.segments.length ? { lans: Object.fromEntries(spec.segments.map((s) => [s.name, s.members.map(ep)])) } : {}),
    },
  };
  const doc = new Document(data);
  // Endpoint lists read best on one line, as in containerlab files.
  const flow = (path: Array<string | number>): void => {
    const n = doc.getIn(path, true);
    if (isSeq(n)) n.flow = true;
  };
  spec.links.forEach((_, i) => flow(['topology', 'links', i, 'endpoints']));
  for (const s of spec.segments) flow(['topology', 'lans', s.name]);
  return `# yaml-language-server: $schema=${schemaRef}\n${doc.toString({ lineWidth: 0 })}`;
}
