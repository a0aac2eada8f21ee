// Opening lab files from disk, for the app and other hosts: load (YAML, schema, semantics, daemon scripts,
// layout) through the real file system, and list the labs of a directory. The spec comes back with every
// error as file:line:col; nothing throws for a bad lab. Start a LabSession from the spec, then its
// daemons with `LabDaemons.start(session, { solution, overrides })` (lab-daemons.ts), or run it guided
// with LabRun (lab-run.ts), which starts them itself.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabFile, type LabFileIO, type LoadResult } from './lab-file.js';

export const fsLabIO: LabFileIO = { readFile: (p) => readFileSync(p, 'utf8') };

/** Loads the lab file at `path` (its startup files, daemon scripts and layout are read next to it). */
export function openLabFile(path: string): LoadResult {
  return loadLabFile(path, fsLabIO);
}

/** The lab files (`*.yaml`, `*.yml`) directly in `dir`, sorted by name (labs/00-tour.yaml first). */
export function listLabFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('.clab.yml'))
    .sort()
    .map((f) => join(dir, f));
}
