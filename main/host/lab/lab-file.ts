// Loads a lab file (YAML, see labs/README.md) into a LabSpec: YAML syntax, then the JSON Schema, then the
// rules the schema cannot express; every error names file:line:col and the field. Node start commands
// come from `exec:` lists or `.startup` files next to the lab; positions come from `NAME.layout.json`.
// A downloaded lab is one file: its daemon sources under `scripts:` and its positions under `layout:`.

import { dirname, join } from 'node:path';
import { isNode, isSeq, LineCounter, parseDocument } from 'yaml';
import { formatLabError, Located, type LabFileError, type PathPart } from './lab-errors.js';
import { asList, parseDuration, splitEndpoint, type RawAction, type RawCheck, type RawLab } from './lab-raw.js';
import { schemaErrors } from './lab-schema-check.js';
import { semanticErrors, type NodeCommands } from './lab-semantics.js';
import type { DaemonScript, LabNodeSpec, LabSpec } from './spec.js';
import type { LabAction, LabCheck, LabStep, SourcePos } from './steps.js';

export interface LabFileIO {
  /** Reads a file; throws an Error with code ENOENT if it does not exist. */
  readFile(path: string): string;
}

export type LoadResult = { ok: true; spec: LabSpec; errors: [] } | { ok: false; errors: LabFileError[] };

export class LabLoadError extends Error {
  constructor(readonly errors: LabFileError[]) {
    super(errors.map(formatLabError).join('\n'));
  }
}

/** Parses YAML text into a document with positions; syntax errors come back as LabFileErrors. */
export function parseYaml(text: string, file: string): { loc: Located; errors: LabFileError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const errors = [...doc.errors, ...doc.warnings].map((e) => ({
    file,
    line: e.linePos?.[0].line ?? 1,
    col: e.linePos?.[0].col ?? 1,
    path: '',
    message: e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, ''),
  }));
  return { loc: new Located(file, doc, lines), errors };
}

/** The layout file of a lab: `labs/x.yaml` → `labs/x.layout.json`. */
export function layoutFileOf(labFile: string): string {
  return labFile.replace(/\.ya?ml$/, '') + '.layout.json';
}

function readOptional(io: LabFileIO, path: string): string | null {
  try {
    return io.readFile(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    throw e;
  }
}

export function loadLabFile(file: string, io: LabFileIO): LoadResult {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    return { ok: false, errors: [{ file, line: 1, col: 1, path: '', message: `cannot read the lab file: ${(e as Error).message}` }] };
  }
  return loadLabText(text, file, io);
}

export function loadLabText(text: string, file: string, io: LabFileIO): LoadResult {
  const { loc, errors } = parseYaml(text, file);
  if (errors.length) return { ok: false, errors };
  const data: unknown = loc.doc.toJS();
  const schema = schemaErrors(data, loc);
  if (schema.length) return { ok: false, errors: schema };
  const raw = data as RawLab;

  const startup = new Map<string, NodeCommands>();
  const fileErrors: LabFileError[] = [];
  for (const [name, n] of Object.entries(raw.topology.nodes)) {
    const path: PathPart[] = ['topology', 'nodes', name];
    if (n?.startup !== undefined) {
      const sfile = join(dirname(file), n.startup);
      const stext = readOptional(io, sfile);
      if (stext === null) {
        fileErrors.push(loc.error([...path, 'startup'], `startup file ${sfile} does not exist`));
        continue;
      }
      const sc: NodeCommands = { commands: [], where: [] };
      stext.split(/\r?\n/).forEach((l, i) => {
        const c = l.trim();
        if (!c || c.startsWith('#')) return;
        sc.commands.push(c);
        sc.where.push({ file: sfile, line: i + 1, col: l.length - l.trimStart().length + 1 });
      });
      startup.set(name, sc);
    } else {
      const items = loc.nodeAt([...path, 'exec']);
      startup.set(name, {
        commands: n?.exec ?? [],
        where: (n?.exec ?? []).map((_, i) => {
          const item: unknown = isSeq(items) ? items.items[i] : null;
          return { file, ...loc.pos(isNode(item) ? item : null) };
        }),
      });
    }
  }
  // Daemon scripts (the node's, its solution, extra processes of daemon actions), read now: a missing file is a lab error.
  const scripts = new Map<string, DaemonScript>();
  const script = (rel: string, path: PathPart[]): void => {
    const sfile = join(dirname(file), rel);
    if (scripts.has(rel)) return;
    const embedded = raw.scripts?.[rel];
    if (embedded !== undefined) {
      scripts.set(rel, { file: sfile, source: embedded });
      return;
    }
    const source = readOptional(io, sfile);
    if (source === null) fileErrors.push(loc.error(path, `daemon script ${sfile} does not exist`));
    else scripts.set(rel, { file: sfile, source });
  };
  for (const [name, n] of Object.entries(raw.topology.nodes)) {
    if (n?.daemon) script(n.daemon.script, ['topology', 'nodes', name, 'daemon', 'script']);
    if (n?.daemon?.solution !== undefined) script(n.daemon.solution, ['topology', 'nodes', name, 'daemon', 'solution']);
  }
  raw.steps?.forEach((s, si) =>
    s.actions?.forEach((a, ai) => {
      const d = a['daemon'] as { script?: string } | undefined;
      if (d?.script !== undefined) script(d.script, ['steps', si, 'actions', ai, 'daemon', 'script']);
    }),
  );
  const semantic = [...fileErrors, ...semanticErrors(raw, loc, startup)];
  const layout = loadLayout(layoutFileOf(file), io, new Set(Object.keys(raw.topology.nodes)), semantic) ?? embeddedLayout(raw, loc, semantic);
  if (semantic.length) return { ok: false, errors: semantic };

  const at = (path: PathPart[]): SourcePos => ({ file, ...loc.pos(loc.nodeAt(path)) });
  const nodes: LabNodeSpec[] = Object.entries(raw.topology.nodes).map(([name, n]) => {
    const sc = startup.get(name)!;
    const node: LabNodeSpec = { name, role: n?.role ?? 'host', startup: sc.commands, startupSource: { file: sc.where[0]?.file ?? file, lines: sc.where.map((w) => w.line) } };
    if (n?.daemon) {
      node.daemon = { script: scripts.get(n.daemon.script)!, args: n.daemon.args ?? [], at: at(['topology', 'nodes', name, 'daemon']) };
      if (n.daemon.solution !== undefined) node.daemon.solution = scripts.get(n.daemon.solution)!;
    }
    if (n?.files) node.files = { ...n.files };
    return node;
  });
  const spec: LabSpec = {
    name: raw.name,
    title: raw.title,
    description: raw.description ?? '',
    seed: raw.seed ?? 1,
    profile: raw.profile ?? 'modern',
    nodes,
    links: (raw.topology.links ?? []).map((l) => ({ endpoints: [splitEndpoint(l.endpoints[0]), splitEndpoint(l.endpoints[1])] })),
    segments: Object.entries(raw.topology.lans ?? {}).map(([name, members]) => ({ name, members: members.map(splitEndpoint) })),
    steps: (raw.steps ?? []).map(
      (s, si): LabStep => ({
        title: s.title,
        text: s.text ?? '',
        hints: s.hints ?? [],
        solution: (s.solution ?? []).map((c, i) => ({ node: c.node, run: c.run, at: at(['steps', si, 'solution', i]) })),
        actions: (s.actions ?? []).map((a, i) => ({ ...convertAction(a, scripts), at: at(['steps', si, 'actions', i]) })),
        checks: (s.checks ?? []).map((c, i) => ({ ...convertCheck(c), at: at(['steps', si, 'checks', i]) })),
        at: at(['steps', si]),
      }),
    ),
    file,
  };
  if (layout) spec.layout = layout;
  return { ok: true, spec, errors: [] };
}

/** Like loadLabFile, but throws LabLoadError (its message lists every error). */
export function loadLabOrThrow(file: string, io: LabFileIO): LabSpec {
  const r = loadLabFile(file, io);
  if (!r.ok) throw new LabLoadError(r.errors);
  return r.spec;
}

function loadLayout(path: string, io: LabFileIO, nodes: Set<string>, errors: LabFileError[]): LabSpec['layout'] | undefined {
  const text = readOptional(io, path);
  if (text === null) return undefined;
  // JSON is YAML: the YAML parser gives positions for layout errors too.
  const { loc, errors: syntax } = parseYaml(text, path);
  if (syntax.length) {
    errors.push(...syntax);
    return undefined;
  }
  const data = loc.doc.toJS() as { nodes?: Record<string, { x?: unknown; y?: unknown }> } | null;
  const out: Record<string, { x: number; y: number }> = {};
  if (data === null || typeof data !== 'object' || typeof data.nodes !== 'object' || data.nodes === null) {
    errors.push(loc.error([], 'a layout file is {"nodes": {"NODE": {"x": N, "y": N}, ...}}'));
    return undefined;
  }
  for (const [name, p] of Object.entries(data.nodes)) {
    if (!nodes.has(name)) errors.push(loc.error(['nodes', name], `node "${name}" is not defined in the lab`, loc.keyAt(['nodes'], name)));
    else if (typeof p?.x !== 'number' || typeof p.y !== 'number') errors.push(loc.error(['nodes', name], 'a position is {"x": N, "y": N}'));
    else out[name] = { x: p.x, y: p.y };
  }
  return out;
}

/** The `layout:` a downloaded lab carries (nodes and LANs); used when no layout file is next to the lab. */
function embeddedLayout(raw: RawLab, loc: Located, errors: LabFileError[]): LabSpec['layout'] | undefined {
  if (!raw.layout) return undefined;
  const known = new Set([...Object.keys(raw.topology.nodes), ...Object.keys(raw.topology.lans ?? {})]);
  const out: Record<string, { x: number; y: number }> = {};
  for (const [name, p] of Object.entries(raw.layout)) {
    if (!known.has(name)) errors.push(loc.error(['layout', name], `"${name}" is neither a node nor a LAN of the lab`, loc.keyAt(['layout'], name)));
    else out[name] = { x: p.x, y: p.y };
  }
  return out;
}

function convertAction(a: RawAction, scripts: Map<string, DaemonScript>): LabAction {
  const [kind, body] = Object.entries(a)[0]!;
  const b = (body ?? {}) as Record<string, never>;
  const dur = (v: number | string | undefined): number | undefined => (v === undefined ? undefined : parseDuration(v));
  switch (kind) {
    case 'udp-receiver':
      return { type: 'udp-receiver', name: b.name, node: b.node, port: b.port, group: b.group, iface: b.iface, bind: b.bind };
    case 'udp-sender':
      return { type: 'udp-sender', node: b.node, dst: b.dst, port: b.port, count: b.count, interval: dur(b.interval), size: b.size, ttl: b.ttl, tos: b.tos, src: b.src, sport: b.sport, iface: b.iface };
    case 'ping':
      return { type: 'ping', node: b.node, dst: b.dst, count: b.count ?? 3, interval: dur(b.interval), size: b.size, ttl: b.ttl, iface: b.iface };
    case 'join':
    case 'leave':
      return { type: kind, node: b.node, group: b.group, iface: b.iface };
    case 'link-down':
    case 'link-up':
    case 'link-delete':
      return { type: kind, ...splitEndpoint(body as string) };
    case 'command':
      return { type: 'command', node: b.node, run: b.run };
    case 'wait':
      return { type: 'wait', duration: parseDuration(body as number | string) };
    case 'daemon': {
      const d = body as unknown as { node: string; do: 'start' | 'stop' | 'restart'; script?: string; args?: string[] };
      return { type: 'daemon', node: d.node, do: d.do, ...(d.script === undefined ? {} : { script: scripts.get(d.script)!, args: d.args ?? [] }) };
    }
    default:
      throw new Error(`unknown action ${kind}`); // the schema admits no other key
  }
}

function convertCheck(c: RawCheck): LabCheck {
  const base = { name: c.name, description: c.description, points: c.points ?? 1, hint: c.hint };
  if (c.command) {
    const k = c.command;
    return { ...base, type: 'command', node: k.node, run: k.run, equals: k.equals, contains: asList(k.contains), regex: asList(k.regex), absent: asList(k.absent), rc: k.rc, stream: k.stream ?? 'stdout' };
  }
  if (c.delivery) return { ...base, type: 'delivery', ...c.delivery };
  if (c.sql) return { ...base, type: 'sql', ...c.sql };
  const t = c.trace!;
  return { ...base, type: 'trace', fn: t.fn, kind: t.kind, node: t.node, data: t.data, scope: t.scope ?? 'step', count: t.count, min: t.min, max: t.max };
}
