// Imports a containerlab topology (`*.clab.yml`) into a LabSpec: nodes with their `exec` commands
// (inherited from groups, kinds and defaults as containerlab does: node > group > kind > defaults), links
// in the brief form (`endpoints: ["a:e1", "b:e2"]`, optional `mtu`, `ipv4`) and the veth extended form,
// and nodes of kind `bridge`/`ovs-bridge` as LAN segments. Errors name file:line:col like the lab loader.

import { isNode, isSeq } from 'yaml';
import type { LabFileError, Located, PathPart } from './lab-errors.js';
import { parseYaml } from './lab-file.js';
import { connectedIfaces, guessRole } from './import-common.js';
import type { EndpointSpec, LabSpec } from './spec.js';

export type ImportResult = { ok: true; spec: LabSpec; warnings: string[] } | { ok: false; errors: LabFileError[] };

type Obj = Record<string, unknown>;
const NODE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._|-]*$/;
const BRIDGE_KINDS = new Set(['bridge', 'ovs-bridge']);

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function importClab(text: string, file: string): ImportResult {
  const { loc, errors } = parseYaml(text, file);
  if (errors.length) return { ok: false, errors };
  const errs: LabFileError[] = [];
  const warnings: string[] = [];
  const err = (path: PathPart[], message: string): void => void errs.push(loc.error(path, message));
  const data: unknown = loc.doc.toJS();
  if (!isObj(data)) return { ok: false, errors: [loc.error([], 'a containerlab topology is a mapping with "name" and "topology"')] };
  const topo = data.topology;
  if (!isObj(topo) || !isObj(topo.nodes)) return { ok: false, errors: [loc.error(isObj(topo) ? ['topology'] : [], 'missing "topology.nodes"')] };

  const inherited = (node: Obj, key: string): unknown => {
    if (node[key] !== undefined) return node[key];
    const groups = isObj(topo.groups) ? topo.groups : {};
    const group = typeof node.group === 'string' && isObj(groups[node.group]) ? (groups[node.group] as Obj) : {};
    if (group[key] !== undefined) return group[key];
    const defaults = isObj(topo.defaults) ? topo.defaults : {};
    const kind = node.kind ?? group.kind ?? defaults.kind;
    const kinds = isObj(topo.kinds) ? topo.kinds : {};
    const k = typeof kind === 'string' && isObj(kinds[kind]) ? (kinds[kind] as Obj) : {};
    return k[key] ?? defaults[key];
  };

  const spec: LabSpec = { name: String(data.name ?? 'imported'), title: String(data.name ?? 'Imported topology'), description: `Imported from ${file}.`, seed: 1, profile: 'modern', nodes: [], links: [], segments: [] };
  const bridges = new Map<string, EndpointSpec[]>();
  const commands = new Map<string, { pre: string[]; exec: string[]; image?: string }>();
  for (const [name, raw] of Object.entries(topo.nodes)) {
    const path: PathPart[] = ['topology', 'nodes', name];
    if (!NODE_NAME.test(name)) {
      errs.push(loc.error(path, `node name "${name}" must match ${NODE_NAME.source}`, loc.keyAt(['topology', 'nodes'], name)));
      continue;
    }
    const node = isObj(raw) ? raw : {};
    const kind = inherited(node, 'kind');
    if (typeof kind === 'string' && BRIDGE_KINDS.has(kind)) {
      bridges.set(name, []);
      continue;
    }
    const exec = inherited(node, 'exec') ?? [];
    if (!Array.isArray(exec) || exec.some((c) => typeof c !== 'string')) err([...path, 'exec'], '"exec" is a list of commands');
    const image = inherited(node, 'image');
    commands.set(name, { pre: [], exec: Array.isArray(exec) ? exec.map(String) : [], image: typeof image === 'string' ? image : undefined });
  }

  const endpointOf = (path: PathPart[], v: unknown): EndpointSpec | null => {
    if (typeof v === 'string') {
      const i = v.lastIndexOf(':');
      if (i > 0 && i < v.length - 1) return { node: v.slice(0, i), iface: v.slice(i + 1) };
      err(path, `an endpoint is "node:interface", got "${v}"`);
      return null;
    }
    if (isObj(v) && typeof v.node === 'string' && typeof v.interface === 'string') return { node: v.node, iface: v.interface };
    err(path, 'an endpoint is "node:interface" or {node, interface}');
    return null;
  };
  const addrsOf = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : []);

  const links = Array.isArray(topo.links) ? topo.links : [];
  links.forEach((raw, i) => {
    const path: PathPart[] = ['topology', 'links', i];
    if (!isObj(raw)) return err(path, 'a link is a mapping with "endpoints"');
    if (raw.type !== undefined && raw.type !== 'veth') return err([...path, 'type'], `link type "${String(raw.type)}" is not modelled (only veth links and bridges)`);
    const eps = raw.endpoints;
    if (!Array.isArray(eps) || eps.length !== 2) return err([...path, 'endpoints'], 'a link has two endpoints');
    const ends = eps.map((e, j) => endpointOf([...path, 'endpoints', j], e));
    if (ends.some((e) => e === null)) return;
    const [a, b] = ends as [EndpointSpec, EndpointSpec];
    const ipv4 = raw.type === 'veth' ? eps.map((e) => addrsOf(isObj(e) ? e.ipv4 : undefined)) : [0, 1].map((j) => addrsOf(Array.isArray(raw.ipv4) ? raw.ipv4[j] : undefined));
    for (const [j, e] of [a, b].entries()) {
      if (bridges.has(e.node)) continue;
      const c = commands.get(e.node);
      if (!c) return err([...path, 'endpoints', j], `node "${e.node}" is not defined`);
      if (raw.mtu !== undefined) c.pre.push(`ip link set dev ${e.iface} mtu ${Number(raw.mtu)}`);
      for (const addr of ipv4[j] ?? []) c.pre.push(`ip addr add ${addr} dev ${e.iface}`);
    }
    const bridgeEnd = [a, b].find((e) => bridges.has(e.node));
    const hostEnd = [a, b].find((e) => !bridges.has(e.node));
    if (bridgeEnd && hostEnd) bridges.get(bridgeEnd.node)!.push(hostEnd);
    else if (bridgeEnd) err(path, 'a link between two bridges is not modelled');
    else spec.links.push({ endpoints: [a, b] });
  });
  if (topo.links !== undefined && !Array.isArray(topo.links)) err(['topology', 'links'], '"links" is a list');
  for (const [name, members] of bridges) {
    if (members.length) spec.segments.push({ name, members });
    else warnings.push(`bridge ${name} has no links; left out`);
  }

  const up = connectedIfaces(spec);
  for (const [name, c] of commands) {
    // containerlab hands a container its data interfaces up; the model's start them down.
    const startup = [...c.pre, ...(up.get(name) ?? []).map((i) => `ip link set dev ${i} up`), ...c.exec];
    spec.nodes.push({ name, role: guessRole(startup, c.image), startup, startupSource: { file, lines: startup.map((_, i) => lineOfExec(loc, name, i - (startup.length - c.exec.length))) } });
  }
  if (errs.length) return { ok: false, errors: errs.sort((x, y) => x.line - y.line || x.col - y.col) };
  return { ok: true, spec, warnings };
}

/** The line of the node's `exec` item `i` (or of the node itself for commands the importer added). */
function lineOfExec(loc: Located, node: string, i: number): number {
  const seq = loc.nodeAt(['topology', 'nodes', node, 'exec']);
  const item: unknown = i >= 0 && isSeq(seq) ? seq.items[i] : null;
  return loc.pos(isNode(item) ? item : loc.nodeAt(['topology', 'nodes', node])).line;
}
