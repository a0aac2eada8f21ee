// What the CLI's lab commands (run, check, lab) share: loading a lab file with its errors printed, usage
// errors, and the seed option. The IO is the CLI's (structurally: error output and file reading).

import { formatLabError } from './lab-errors.js';
import { loadLabFile } from './lab-file.js';
import type { DaemonScript, LabSpec } from './spec.js';

export interface LabCliIO {
  err(s: string): void;
  readFile(path: string): string;
}

/** A usage error of a lab command: printed with a pointer to its --help, exit status 2. */
export function usage(io: LabCliIO, cmd: string, message: string): number {
  io.err(`workbench: ${cmd}: ${message}\nTry 'workbench ${cmd} --help'.\n`);
  return 2;
}

/** Loads a lab; on errors prints them (file:line:col: field: message) and returns null. */
export function loadOrReport(io: LabCliIO, file: string): LabSpec | null {
  const r = loadLabFile(file, io);
  if (r.ok) return r.spec;
  for (const e of r.errors) io.err(`${formatLabError(e)}\n`);
  return null;
}

/** `--seed N`: undefined when not given, null when not a 32-bit unsigned integer. */
export function parseSeed(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(n) && n <= 0xffffffff ? n : null;
}

/**
 * `--daemon NODE=FILE` (repeatable): a student's daemon script per node. Returns the scripts, or an error
 * message for a usage error (bad form, a node the lab does not have, a file that cannot be read).
 */
export function parseDaemonOptions(io: LabCliIO, spec: LabSpec, values: readonly string[] | undefined): Map<string, DaemonScript> | string {
  const out = new Map<string, DaemonScript>();
  for (const v of values ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(v);
    if (!m) return `--daemon needs NODE=FILE (e.g. --daemon r1=my-daemon.ts), got '${v}'`;
    const [, node, file] = m as unknown as [string, string, string];
    if (!spec.nodes.some((n) => n.name === node)) return `--daemon ${v}: the lab has no node "${node}" (nodes: ${spec.nodes.map((n) => n.name).join(', ')})`;
    if (out.has(node)) return `--daemon ${v}: node ${node} already has a --daemon`;
    let source: string;
    try {
      source = io.readFile(file);
    } catch (e) {
      return `--daemon ${v}: cannot read ${file}: ${(e as Error).message}`;
    }
    out.set(node, { file, source });
  }
  return out;
}
