// Opening and saving lab files for the app: the labs/ directory listing, loading through the lab loader
// (errors name file:line:col), writing a lab file and its layout file atomically.

import { isAbsolute, resolve } from 'node:path';
import { ApiError } from '../api.js';
import { formatLabError } from '../lab/lab-errors.js';
import { layoutFileOf } from '../lab/lab-file.js';
import { listLabFiles as labsIn, openLabFile as loadFromDisk } from '../lab/open-lab.js';
import { labToYaml } from '../lab/lab-yaml.js';
import type { LabSpec } from '../lab/spec.js';
import { writeFileAtomic } from './atomic-write.js';
import type { LabExport } from './topology-api.js';
import { roundTripLabYaml } from './lab-roundtrip.js';

export function resolveLabPath(file: string, labsDir: string): string {
  return isAbsolute(file) ? resolve(file) : resolve(labsDir, file);
}

export function listLabFiles(labsDir: string): string[] {
  try {
    return labsIn(labsDir);
  } catch {
    return [];
  }
}

export function openLabFile(path: string): LabSpec {
  const r = loadFromDisk(path);
  if (r.ok) return r.spec;
  const missing = r.errors.length === 1 && /cannot read the lab file/.test(r.errors[0]!.message);
  throw new ApiError(missing ? 'ENOENT' : 'EINVAL', r.errors.map(formatLabError).join('\n'));
}

/** The lab file text and its layout file text (node positions only: the lab loader accepts nothing else). */
export function labFileTexts(spec: LabSpec): LabExport {
  const nodes = new Set(spec.nodes.map((n) => n.name));
  const layout = Object.fromEntries(Object.entries(spec.layout ?? {}).filter(([k]) => nodes.has(k)));
  return { name: spec.name, yaml: labToYaml(spec), layout: `${JSON.stringify({ nodes: layout }, null, 2)}\n` };
}

/** Writes `spec` at `path`; `source` (the file it was opened from) keeps its steps, daemons and comments. */
export function saveLabFile(path: string, spec: LabSpec, source: string | null = null): void {
  const t = labFileTexts(spec);
  try {
    writeFileAtomic(layoutFileOf(path), t.layout);
    writeFileAtomic(path, roundTripLabYaml(spec, source, path) ?? t.yaml);
  } catch (e) {
    throw new ApiError('EINVAL', `cannot write ${path}: ${(e as Error).message}`);
  }
}
