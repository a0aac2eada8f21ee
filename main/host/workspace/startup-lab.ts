// What the app opens on start: the autosaved workspace when there is one, else the default lab file
// (labs/00-tour.yaml, or labs/01-forwarding.yaml until the tour exists), else the built-in DEFAULT_LAB.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LAB } from '../lab/default-lab.js';
import type { LabSpec } from '../lab/spec.js';
import { readWorkspace } from './autosave.js';
import { openLabFile } from './lab-files.js';

export const DEFAULT_LAB_FILES = ['00-tour.yaml', '01-forwarding.yaml'];

export interface StartupLab {
  spec: LabSpec;
  /** Where it came from, for the log line. */
  origin: 'workspace' | 'lab-file' | 'built-in';
}

export function startupLab(opts: { dataDir: string; labsDir: string; lab?: string }, warn: (msg: string) => void): StartupLab {
  if (opts.lab) {
    // An explicit --lab wins over the workspace (and is what tests use to pin a lab).
    if (opts.lab === 'builtin') return { spec: DEFAULT_LAB, origin: 'built-in' };
    const path = existsSync(opts.lab) ? opts.lab : join(opts.labsDir, opts.lab);
    return { spec: { ...openLabFile(path), file: path }, origin: 'lab-file' };
  }
  const ws = readWorkspace(opts.dataDir, warn);
  if (ws) return { spec: { ...ws.spec, ...(ws.file ? { file: ws.file } : {}) }, origin: 'workspace' };
  for (const f of DEFAULT_LAB_FILES) {
    const path = join(opts.labsDir, f);
    if (!existsSync(path)) continue;
    try {
      return { spec: { ...openLabFile(path), file: path }, origin: 'lab-file' };
    } catch (e) {
      warn(`cannot open ${path}: ${(e as Error).message}`);
    }
  }
  return { spec: DEFAULT_LAB, origin: 'built-in' };
}
