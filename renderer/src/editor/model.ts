// The editor's model: the lab's topology as an editable value (TopologySpec) and the pure edits on it —
// adding nodes and segments, connecting them (the next free ethN on each side), deleting, and reading a
// node's setup commands as a form (addresses per interface, sysctls, other commands) and writing it back.

import type { LabView } from '../../../main/host/api.js';
import type { TopologyNode, TopologySpec } from '../../../main/host/workspace/topology-api.js';

export type Pos = { x: number; y: number };

export function topologyOf(lab: LabView): TopologySpec {
  return {
    nodes: lab.nodes.map((n) => ({ name: n.name, role: n.role, exec: [...(n.startup ?? [])] })),
    links: lab.links.map((l) => ({ endpoints: [{ ...l.endpoints[0] }, { ...l.endpoints[1] }] })),
    segments: lab.segments.map((s) => ({ name: s.name, members: s.members.map((m) => ({ ...m })) })),
    layout: structuredClone(lab.layout),
  };
}

export const clone = (t: TopologySpec): TopologySpec => structuredClone(t);

function names(t: TopologySpec): Set<string> {
  return new Set([...t.nodes.map((n) => n.name), ...t.segments.map((s) => s.name)]);
}

/** h1, h2, …; r1, …; lan1, … — the first free one. */
export function freeName(t: TopologySpec, prefix: string): string {
  const used = names(t);
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** The devices a node has: every endpoint of its links and segment memberships, in ethN order. */
export function nodeIfaces(t: TopologySpec, node: string): string[] {
  const out = new Set<string>();
  for (const l of t.links) for (const e of l.endpoints) if (e.node === node) out.add(e.iface);
  for (const s of t.segments) for (const m of s.members) if (m.node === node) out.add(m.iface);
  return [...out].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export function freeIface(t: TopologySpec, node: string): string {
  const used = new Set(nodeIfaces(t, node));
  for (let i = 0; ; i++) if (!used.has(`eth${i}`)) return `eth${i}`;
}

export function addNode(t: TopologySpec, kind: 'host' | 'router' | 'segment', pos: Pos): string {
  const name = freeName(t, kind === 'host' ? 'h' : kind === 'router' ? 'r' : 'lan');
  if (kind === 'segment') t.segments.push({ name, members: [] });
  else t.nodes.push({ name, role: kind, exec: kind === 'router' ? ['sysctl -w net.ipv4.ip_forward=1'] : [] });
  t.layout[name] = { x: Math.round(pos.x), y: Math.round(pos.y) };
  return name;
}

export const isSegment = (t: TopologySpec, name: string): boolean => t.segments.some((s) => s.name === name);

/**
 * Connects a and b: a link between two nodes, or a membership when one side is a segment. Returns a
 * message when it cannot (two segments, or the same pair twice is allowed: parallel links are real).
 */
export function connect(t: TopologySpec, a: string, b: string): string | null {
  if (a === b) return 'a link joins two different nodes';
  const sa = isSegment(t, a);
  const sb = isSegment(t, b);
  if (sa && sb) return 'two LAN segments cannot be joined directly: put a router or a host between them';
  if (sa || sb) {
    const [seg, node] = sa ? [a, b] : [b, a];
    t.segments.find((s) => s.name === seg)!.members.push({ node, iface: freeIface(t, node) });
    return null;
  }
  t.links.push({ endpoints: [{ node: a, iface: freeIface(t, a) }, { node: b, iface: freeIface(t, b) }] });
  return null;
}

export function deleteNode(t: TopologySpec, name: string): void {
  t.nodes = t.nodes.filter((n) => n.name !== name);
  t.segments = t.segments.filter((s) => s.name !== name);
  t.links = t.links.filter((l) => l.endpoints.every((e) => e.node !== name));
  for (const s of t.segments) s.members = s.members.filter((m) => m.node !== name);
  delete t.layout[name];
}

/** Edge ids as topology.ts makes them: `l:<index>` for links, `m:<segment>:<node>:<iface>` for memberships. */
export function deleteEdge(t: TopologySpec, id: string): void {
  const m = /^l:(\d+)$/.exec(id);
  if (m) {
    t.links.splice(Number(m[1]), 1);
    return;
  }
  const [, seg, node, iface] = id.split(':');
  const s = t.segments.find((x) => x.name === seg);
  if (s) s.members = s.members.filter((x) => !(x.node === node && x.iface === iface));
}

export interface NodeForm {
  /** Addresses per interface, as typed (`10.0.1.1/24`). */
  addrs: Record<string, string[]>;
  /** Interfaces brought up by `ip link set DEV up`. */
  up: string[];
  /** `key=value`, from `sysctl -w key=value`. */
  sysctls: string[];
  /** Every other command, in order (routes, rules, …). */
  commands: string[];
}

const ADDR = /^ip\s+(?:-4\s+)?a(?:d|dd|ddr|ddre|ddres|ddress)?\s+add\s+(\S+)\s+dev\s+(\S+)\s*$/;
const UP = /^ip\s+link\s+set\s+(?:dev\s+)?(\S+)\s+up\s*$/;
const SYSCTL = /^sysctl\s+-w\s+(\S+=\S*)\s*$/;

export function formOf(node: TopologyNode): NodeForm {
  const f: NodeForm = { addrs: {}, up: [], sysctls: [], commands: [] };
  for (const c of node.exec) {
    const line = c.trim();
    let m: RegExpExecArray | null;
    if ((m = ADDR.exec(line))) (f.addrs[m[2]!] ??= []).push(m[1]!);
    else if ((m = UP.exec(line))) f.up.push(m[1]!);
    else if ((m = SYSCTL.exec(line))) f.sysctls.push(m[1]!);
    else if (line) f.commands.push(c);
  }
  return f;
}

/** Addresses first, then links up, sysctls, the rest: routes need their interface addressed and up. */
export function execOf(f: NodeForm): string[] {
  const out: string[] = [];
  for (const [iface, list] of Object.entries(f.addrs)) for (const a of list) if (a.trim()) out.push(`ip addr add ${a.trim()} dev ${iface}`);
  for (const i of f.up) out.push(`ip link set ${i} up`);
  for (const s of f.sysctls) if (s.trim()) out.push(`sysctl -w ${s.trim()}`);
  for (const c of f.commands) if (c.trim()) out.push(c.trim());
  return out;
}
