// What makes a lab file whole on its own: its daemon sources under `scripts:` (keyed by the path the lab
// names them with) and its positions under `layout:`, both read back by the lab loader (lab-file.ts). A
// downloaded lab gets them always; Save refreshes them in a file that already carries them (else it would
// keep stale sources next to the student's edits).

import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isMap, Scalar, type Document, type YAMLMap } from 'yaml';
import type { DaemonScript, LabSpec } from '../lab/spec.js';

/** Every script the lab runs: the nodes' daemons (as edited in the app), their solutions, the steps' extra processes. */
export function labScripts(spec: LabSpec): DaemonScript[] {
  const out: DaemonScript[] = [];
  for (const n of spec.nodes) {
    if (n.daemon) out.push(n.daemon.script);
    if (n.daemon?.solution) out.push(n.daemon.solution);
  }
  for (const s of spec.steps ?? []) for (const a of s.actions) if (a.type === 'daemon' && a.script) out.push(a.script);
  return out;
}

/** The name a lab in `labDir` gives a script (the loader resolves it against the lab's directory). */
export function scriptRef(file: string, labDir: string | null): string {
  if (labDir === null) return isAbsolute(file) ? file.slice(file.lastIndexOf(sep) + 1) : file;
  return relative(labDir, resolve(labDir, file)).split(sep).join('/');
}

function literal(text: string): Scalar {
  const s = new Scalar(text);
  s.type = Scalar.BLOCK_LITERAL;
  return s;
}

/** The positions of the lab's nodes and LANs (what the loader accepts under `layout:`). */
function positions(spec: LabSpec): Record<string, { x: number; y: number }> {
  const known = new Set([...spec.nodes.map((n) => n.name), ...spec.segments.map((g) => g.name)]);
  return Object.fromEntries(Object.entries(spec.layout ?? {}).filter(([k]) => known.has(k)).map(([k, p]) => [k, { x: p.x, y: p.y }]));
}

/**
 * Writes `scripts:` and `layout:` into `doc` (a lab file saved in `labDir`): always when `whole` (a
 * download, which also writes each node's `daemon:` as the app has it), else only those the file already
 * has. `labDir` null: a lab never saved; scripts are named by their base names.
 */
export function embedLab(doc: Document, spec: LabSpec, labDir: string | null, whole: boolean): void {
  if (whole) {
    const nodes = doc.getIn(['topology', 'nodes']);
    for (const n of spec.nodes) {
      const node = isMap(nodes) ? (nodes.get(n.name) as YAMLMap | undefined) : undefined;
      if (!isMap(node)) continue;
      if (n.daemon) {
        const d: Record<string, unknown> = { script: scriptRef(n.daemon.script.file, labDir) };
        if (n.daemon.solution) d.solution = scriptRef(n.daemon.solution.file, labDir);
        if (n.daemon.args.length) d.args = [...n.daemon.args];
        const value = doc.createNode(d);
        value.flow = true;
        node.set('daemon', value);
      }
      if (n.files && !node.has('files')) node.set('files', doc.createNode(n.files));
    }
  }
  if (whole || doc.has('scripts')) {
    const scripts = doc.createNode({}) as YAMLMap;
    for (const s of labScripts(spec)) {
      const key = scriptRef(s.file, labDir);
      if (!scripts.has(key)) scripts.set(key, literal(s.source));
    }
    if (scripts.items.length) doc.set('scripts', scripts);
    else doc.delete('scripts');
  }
  if (whole || doc.has('layout')) {
    const layout = doc.createNode({}) as YAMLMap;
    for (const [name, p] of Object.entries(positions(spec))) {
      const v = doc.createNode(p);
      v.flow = true;
      layout.set(name, v);
    }
    if (layout.items.length) doc.set('layout', layout);
    else doc.delete('layout');
  }
}

/** The directory of a lab file, or null. */
export function labDirOf(file: string | null | undefined): string | null {
  return file ? dirname(resolve(file)) : null;
}
