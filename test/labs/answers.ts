// Grading a lab with a student's answers: each step's reference solution replaced by other commands.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { loadLabOrThrow } from '../../main/host/lab/lab-file.js';
import { LabRun } from '../../main/host/lab/lab-run.js';
import type { LabSpec } from '../../main/host/lab/spec.js';

export function loadLab(file: string): LabSpec {
  return loadLabOrThrow(file, { readFile: (p) => readFileSync(p, 'utf8') });
}

/** The lab with each step's solution replaced by the given "node: command" lines (by step title). */
export function answered(spec: LabSpec, answers: Record<string, string[]>): LabSpec {
  const titles = new Set((spec.steps ?? []).map((s) => s.title));
  for (const t of Object.keys(answers)) expect(titles.has(t), t).toBe(true);
  const parse = (line: string): { node: string; run: string } => {
    const i = line.indexOf(':');
    return { node: line.slice(0, i).trim(), run: line.slice(i + 1).trim() };
  };
  return { ...spec, steps: (spec.steps ?? []).map((s) => ({ ...s, solution: (answers[s.title] ?? []).map(parse) })) };
}

/** Names of the checks that fail when the answers are run. */
export async function failedChecks(spec: LabSpec, seed = 1): Promise<string[]> {
  return (await new LabRun(spec, { solution: true, seed }).runAll())
    .steps.flatMap((st) => st.checks)
    .filter((c) => !c.passed)
    .map((c) => c.name);
}
