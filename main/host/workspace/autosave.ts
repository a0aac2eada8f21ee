// The autosaved workspace: the lab being edited (spec with its setup commands and guided steps) and its
// layout, written at most `delayMs` after a change (debounced, atomic write-rename) so a crash or a kill
// loses at most that much. On start the app restores it instead of opening the default lab.
//
//   <dataDir>/workspace/lab.json          the LabSpec (without layout) and the file it came from
//   <dataDir>/workspace/lab.layout.json   positions, in the lab layout file format {"nodes": {...}}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabSpec } from '../lab/spec.js';
import { writeFileAtomic } from './atomic-write.js';
import { TopologyInvalid, validateTopology } from './topology-api.js';

export interface WorkspaceSnapshot {
  spec: LabSpec;
  /** The lab file the workspace was opened from or last saved to. */
  file: string | null;
}

/** Well under the one second a user may lose; leaves room for the renderer's own debounce of typing. */
export const AUTOSAVE_DELAY_MS = 250;

const FORMAT = 1;

export function workspaceFiles(dataDir: string): { spec: string; layout: string } {
  const dir = join(dataDir, 'workspace');
  return { spec: join(dir, 'lab.json'), layout: join(dir, 'lab.layout.json') };
}

export class Autosaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: WorkspaceSnapshot | null = null;
  /** Writes done (for tests and the status line). */
  writes = 0;
  lastError: Error | null = null;

  constructor(
    readonly dataDir: string,
    private readonly delayMs = AUTOSAVE_DELAY_MS,
  ) {}

  /** Records the new state; it reaches the disk within delayMs (later changes in that window are merged). */
  schedule(snap: WorkspaceSnapshot): void {
    this.pending = { spec: structuredClone(snap.spec), file: snap.file };
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  /** Writes the pending state now (also on a clean shutdown). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const snap = this.pending;
    this.pending = null;
    if (!snap) return;
    try {
      writeWorkspace(this.dataDir, snap);
      this.writes++;
      this.lastError = null;
    } catch (e) {
      this.lastError = e instanceof Error ? e : new Error(String(e));
    }
  }
}

export function writeWorkspace(dataDir: string, snap: WorkspaceSnapshot): void {
  const f = workspaceFiles(dataDir);
  const { layout, ...rest } = snap.spec;
  writeFileAtomic(f.layout, `${JSON.stringify({ nodes: layout ?? {} }, null, 2)}\n`);
  writeFileAtomic(f.spec, `${JSON.stringify({ format: FORMAT, file: snap.file, spec: rest }, null, 2)}\n`);
}

/** The autosaved workspace, or null when there is none; a damaged one is reported through `warn` and skipped. */
export function readWorkspace(dataDir: string, warn: (msg: string) => void = () => {}): WorkspaceSnapshot | null {
  const f = workspaceFiles(dataDir);
  let text: string;
  try {
    text = readFileSync(f.spec, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    warn(`cannot read the autosaved workspace ${f.spec}: ${(e as Error).message}`);
    return null;
  }
  try {
    const data = JSON.parse(text) as { format?: unknown; file?: unknown; spec?: Partial<LabSpec> };
    if (data.format !== FORMAT || typeof data.spec !== 'object' || data.spec === null) throw new TopologyInvalid('not a workspace file of this version');
    const s = data.spec;
    if (typeof s.name !== 'string' || typeof s.title !== 'string' || typeof s.description !== 'string') throw new TopologyInvalid('name, title or description missing');
    if (typeof s.seed !== 'number' || (s.profile !== 'modern' && s.profile !== 'book')) throw new TopologyInvalid('seed or profile missing');
    let layout: Record<string, { x: number; y: number }> = {};
    try {
      layout = (JSON.parse(readFileSync(f.layout, 'utf8')) as { nodes: typeof layout }).nodes;
    } catch {
      // The layout is written first; without it the view places nodes itself.
    }
    const known = new Set([...(s.nodes ?? []).map((n) => n.name), ...(s.segments ?? []).map((g) => g.name)]);
    layout = Object.fromEntries(Object.entries(layout ?? {}).filter(([k]) => known.has(k)));
    const topo = validateTopology({ nodes: (s.nodes ?? []).map((n) => ({ name: n.name, role: n.role, exec: n.startup })), links: s.links, segments: s.segments, layout }, 'workspace');
    const spec: LabSpec = {
      ...(s as LabSpec),
      nodes: topo.nodes.map((n, i) => ({ name: n.name, role: n.role, startup: n.exec, ...(s.nodes![i]!.startupSource ? { startupSource: s.nodes![i]!.startupSource } : {}) })),
      links: topo.links,
      segments: topo.segments,
      layout: topo.layout,
    };
    return { spec, file: typeof data.file === 'string' ? data.file : null };
  } catch (e) {
    warn(`the autosaved workspace ${f.spec} is damaged (${(e as Error).message}); opening the default lab`);
    return null;
  }
}
