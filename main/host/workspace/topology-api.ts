// The editor's part of the WorkbenchApi: request/response types and their validators. Like api.ts this
// module imports nothing from Node or the engine (the renderer imports its types); api.ts lists the methods.

import type { LinkView, NodeRole, SegmentView } from '../api.js';

/** One node as the editor writes it: its role and setup commands (the lab's `exec:` list). */
export interface TopologyNode {
  name: string;
  role: NodeRole;
  exec: string[];
}

/** The whole editable topology: what `applyTopology` turns into the lab's spec before rebuilding it. */
export interface TopologySpec {
  nodes: TopologyNode[];
  links: LinkView[];
  segments: SegmentView[];
  layout: Record<string, { x: number; y: number }>;
}

/** A device event on the running lab (context menu): `ip link set DEV down|up`, `ip link delete DEV`. */
export interface DeviceEventRequest {
  node: string;
  iface: string;
  op: 'down' | 'up' | 'delete';
}

export interface DeviceEventResponse {
  rc: number;
  stderr: string;
  now: number;
}

export interface LabFileRequest {
  /** A lab file path (absolute, or relative to the labs directory); must end in .yaml or .yml. */
  file: string;
}

export interface LabFilesView {
  /** Lab files shipped in labs/ (absolute paths). */
  labs: string[];
  /** Lab files opened or saved recently, newest first. */
  recent: string[];
  /** The file the current lab came from or was last saved to, if any. */
  current: string | null;
}

/** The current lab for a browser download. */
export interface LabExport {
  name: string;
  /** The whole lab in one lab file: steps, checks, daemons, files, `scripts:` (sources as edited), `layout:`. */
  yaml: string;
  /** The positions alone, as a NAME.layout.json (the yaml carries them too). */
  layout: string;
}

/** A native file dialog (desktop app only): the path chosen, or null when cancelled. */
export interface PickLabFileRequest {
  mode: 'open' | 'save';
  /** Where the dialog starts (the current lab file), if anywhere. */
  suggested: string | null;
}

export class TopologyInvalid extends Error {}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9-._|]*$/;
/** Linux device names: at most 15 bytes (IFNAMSIZ - 1), no '/', ':' or whitespace. */
const IFNAME = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,14}$/;
const MAX_NAME = 64;
const MAX_ITEMS = 256;
const MAX_EXEC = 512;
const MAX_LINE = 4096;
const MAX_PATH = 4096;
const MAX_COORD = 1e6;

function bad(msg: string): never {
  throw new TopologyInvalid(msg);
}

function obj(v: unknown, keys: readonly string[], what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(`${what}: expected an object`);
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) bad(`${what}: expected a plain object`);
  for (const k of Object.keys(v)) if (!keys.includes(k)) bad(`${what}: unknown field "${k}"`);
  return v as Record<string, unknown>;
}

function list(v: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(v)) bad(`${what}: expected a list`);
  if (v.length > max) bad(`${what}: more than ${max} entries`);
  return v;
}

function name(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME || !NAME.test(v)) bad(`${what}: expected a name (letters, digits, - . _ |)`);
  return v;
}

function ifname(v: unknown, what: string): string {
  if (typeof v !== 'string' || !IFNAME.test(v) || v === 'lo') bad(`${what}: expected a device name of at most 15 characters (not lo)`);
  return v;
}

function line(v: unknown, what: string): string {
  if (typeof v !== 'string') bad(`${what}: expected a string`);
  if (v.length > MAX_LINE) bad(`${what}: longer than ${MAX_LINE} characters`);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) bad(`${what}: control characters are not allowed`);
  }
  return v;
}

function coord(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_COORD) bad(`${what}: expected a finite number within ±${MAX_COORD}`);
  return v;
}

function endpoint(v: unknown, what: string): { node: string; iface: string } {
  const r = obj(v, ['node', 'iface'], what);
  return { node: name(r.node, `${what}.node`), iface: ifname(r.iface, `${what}.iface`) };
}

/**
 * Checks shape and consistency: names unique across nodes and segments, every endpoint on a known node,
 * each device of a node used once, a segment with at least one member, layout keys naming something.
 */
export function validateTopology(v: unknown, what = 'applyTopology'): TopologySpec {
  const r = obj(v, ['nodes', 'links', 'segments', 'layout'], what);
  const nodes = list(r.nodes, MAX_ITEMS, `${what}.nodes`).map((n, i): TopologyNode => {
    const o = obj(n, ['name', 'role', 'exec'], `${what}.nodes[${i}]`);
    if (o.role !== 'host' && o.role !== 'router') bad(`${what}.nodes[${i}].role: expected "host" or "router"`);
    const exec = list(o.exec, MAX_EXEC, `${what}.nodes[${i}].exec`).map((c, j) => line(c, `${what}.nodes[${i}].exec[${j}]`));
    return { name: name(o.name, `${what}.nodes[${i}].name`), role: o.role, exec };
  });
  const links = list(r.links, MAX_ITEMS, `${what}.links`).map((l, i): LinkView => {
    const o = obj(l, ['endpoints'], `${what}.links[${i}]`);
    const eps = list(o.endpoints, 2, `${what}.links[${i}].endpoints`);
    if (eps.length !== 2) bad(`${what}.links[${i}].endpoints: expected two endpoints`);
    return { endpoints: [endpoint(eps[0], `${what}.links[${i}].endpoints[0]`), endpoint(eps[1], `${what}.links[${i}].endpoints[1]`)] };
  });
  const segments = list(r.segments, MAX_ITEMS, `${what}.segments`).map((s, i): SegmentView => {
    const o = obj(s, ['name', 'members'], `${what}.segments[${i}]`);
    const members = list(o.members, MAX_ITEMS, `${what}.segments[${i}].members`).map((m, j) => endpoint(m, `${what}.segments[${i}].members[${j}]`));
    return { name: name(o.name, `${what}.segments[${i}].name`), members };
  });
  const layoutObj = obj(r.layout, Object.keys(r.layout ?? {}), `${what}.layout`);
  const layout: Record<string, { x: number; y: number }> = {};
  for (const [k, p] of Object.entries(layoutObj)) {
    const o = obj(p, ['x', 'y'], `${what}.layout.${k}`);
    layout[name(k, `${what}.layout key`)] = { x: coord(o.x, `${what}.layout.${k}.x`), y: coord(o.y, `${what}.layout.${k}.y`) };
  }

  const names = new Set<string>();
  for (const n of [...nodes.map((x) => x.name), ...segments.map((x) => x.name)]) {
    if (names.has(n)) bad(`${what}: the name "${n}" is used twice`);
    names.add(n);
  }
  const nodeNames = new Set(nodes.map((n) => n.name));
  const used = new Set<string>();
  const use = (e: { node: string; iface: string }, where: string): void => {
    if (!nodeNames.has(e.node)) bad(`${where}: no node "${e.node}"`);
    const key = `${e.node}:${e.iface}`;
    if (used.has(key)) bad(`${where}: ${key} is already connected`);
    used.add(key);
  };
  links.forEach((l, i) => {
    if (l.endpoints[0].node === l.endpoints[1].node) bad(`${what}.links[${i}]: a link joins two different nodes`);
    l.endpoints.forEach((e, j) => use(e, `${what}.links[${i}].endpoints[${j}]`));
  });
  segments.forEach((s, i) => s.members.forEach((m, j) => use(m, `${what}.segments[${i}].members[${j}]`)));
  for (const k of Object.keys(layout)) if (!names.has(k)) bad(`${what}.layout: no node or segment "${k}"`);
  return { nodes, links, segments, layout };
}

export function validateDeviceEvent(v: unknown): DeviceEventRequest {
  const r = obj(v, ['node', 'iface', 'op'], 'deviceEvent');
  if (r.op !== 'down' && r.op !== 'up' && r.op !== 'delete') bad('deviceEvent.op: expected "down", "up" or "delete"');
  return { node: name(r.node, 'deviceEvent.node'), iface: ifname(r.iface, 'deviceEvent.iface'), op: r.op };
}

export function validatePickLabFile(v: unknown): PickLabFileRequest {
  const r = obj(v, ['mode', 'suggested'], 'pickLabFile');
  if (r.mode !== 'open' && r.mode !== 'save') bad('pickLabFile.mode: expected "open" or "save"');
  if (r.suggested !== null && (typeof r.suggested !== 'string' || r.suggested.length > MAX_PATH || r.suggested.includes('\0'))) bad('pickLabFile.suggested: expected a path or null');
  if (typeof r.suggested === 'string') line(r.suggested, 'pickLabFile.suggested');
  return { mode: r.mode, suggested: r.suggested };
}

export function validateLabFile(v: unknown, what: string): LabFileRequest {
  const r = obj(v, ['file'], what);
  const f = r.file;
  if (typeof f !== 'string' || f.length === 0 || f.length > MAX_PATH) bad(`${what}.file: expected a path`);
  if (f.includes('\0')) bad(`${what}.file: NUL characters are not allowed`);
  line(f, `${what}.file`);
  if (!/\.ya?ml$/.test(f)) bad(`${what}.file: a lab file ends in .yaml or .yml`);
  return { file: f };
}
