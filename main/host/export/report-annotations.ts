// What a recorded run knows beyond its trace, for the report: the lab's title and description and the
// checks' results. The trace schema has no place for them yet, so they live in one small key → JSON
// table written after the run (a run file without it simply has no check results). The table is
// created IF NOT EXISTS so a later schema migration can adopt it unchanged.

import { formatDaemonExit } from '../lab/lab-daemons.js';
import type { LabReport } from '../lab/lab-run.js';
import type { LabSpec } from '../lab/spec.js';
import type { RunReader } from '../store/run-reader.js';
import { closeDb, exec, openDb, OPEN_READWRITE, run } from '../store/sqlite.js';

export const ANNOTATIONS_DDL = 'CREATE TABLE IF NOT EXISTS run_annotations (key TEXT PRIMARY KEY, json TEXT NOT NULL)';

export interface LabAnnotation {
  name: string;
  title: string;
  description: string;
}

export interface CheckAnnotation {
  name: string;
  description?: string;
  passed: boolean;
  points: number;
  message: string;
  hint?: string;
}

export interface ChecksAnnotation {
  steps: { index: number; title: string; checks: CheckAnnotation[] }[];
  /** Steps the lab has; fewer in `steps` means the run stopped early. */
  stepCount: number;
  points: number;
  total: number;
  percent: number;
  passed: boolean;
  startupErrors: string[];
  /** Daemons that crashed or were stopped, as the CLI prints them (absent in older files). */
  daemonExits?: string[];
}

export interface RunAnnotations {
  lab?: LabAnnotation;
  checks?: ChecksAnnotation;
}

/** The annotations of a lab run as stored: plain JSON, independent of the lab code's types. */
export function labRunAnnotations(spec: LabSpec, report: LabReport): RunAnnotations {
  return {
    lab: { name: spec.name, title: spec.title, description: spec.description },
    checks: {
      steps: report.steps.map((s) => ({
        index: s.index,
        title: s.title,
        checks: s.checks.map((c) => ({ name: c.name, description: c.description, passed: c.passed, points: c.points, message: c.message, hint: c.hint })),
      })),
      stepCount: spec.steps?.length ?? report.steps.length,
      points: report.points,
      total: report.total,
      percent: report.percent,
      passed: report.passed,
      startupErrors: report.startupErrors.map((e) => `${e.node}: ${e.command}: ${e.message}`),
      daemonExits: report.daemonExits.map(formatDaemonExit),
    },
  };
}

/** Adds (or replaces) annotations in a run file; the run itself is not touched. */
export async function writeRunAnnotations(file: string, a: RunAnnotations): Promise<void> {
  const db = await openDb(file, OPEN_READWRITE);
  try {
    await exec(db, `PRAGMA busy_timeout = 5000; ${ANNOTATIONS_DDL}`);
    for (const [key, value] of Object.entries(a)) {
      if (value !== undefined) await run(db, 'INSERT OR REPLACE INTO run_annotations (key, json) VALUES (?, ?)', [key, JSON.stringify(value)]);
    }
  } finally {
    await closeDb(db);
  }
}

export async function hasTable(reader: RunReader, name: string): Promise<boolean> {
  const r = await reader.query("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?", [name]);
  return Number(r.rows[0]?.['n'] ?? 0) > 0;
}

/** The run's annotations; empty for a run recorded without them. A malformed entry is ignored, not fatal. */
export async function readRunAnnotations(reader: RunReader): Promise<RunAnnotations> {
  if (!(await hasTable(reader, 'run_annotations'))) return {};
  const out: RunAnnotations = {};
  for (const row of (await reader.query("SELECT key, json FROM run_annotations WHERE key IN ('lab', 'checks')")).rows) {
    try {
      const v = JSON.parse(String(row['json'])) as unknown;
      if (typeof v !== 'object' || v === null) continue;
      if (row['key'] === 'lab') out.lab = v as LabAnnotation;
      else if (Array.isArray((v as ChecksAnnotation).steps)) out.checks = v as ChecksAnnotation;
    } catch {
      // a damaged annotation only loses its section of the report
    }
  }
  return out;
}
