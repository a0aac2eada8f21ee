// A lab report as text (people), JSON (tools) and CSV (a gradebook: rows of many submissions concatenate
// under one header, like kathara-lab-checker's CSV output; one line per row, so messages are flattened).

import type { ActionOutcome } from './actions.js';
import type { CheckResult } from './checks.js';
import type { LabReport } from './lab-run.js';

export function formatCheckLine(c: CheckResult): string {
  const pts = `${c.points} pt${c.points === 1 ? '' : 's'}`;
  const head = `${c.passed ? 'PASS' : 'FAIL'} ${c.name} (${pts})${c.description ? ` ${c.description}` : ''}`;
  const body = c.passed ? '' : `\n${indent(c.message, '     ')}${c.hint ? `\n     hint: ${c.hint}` : ''}`;
  return head + body;
}

export function formatActionOutput(o: ActionOutcome): string {
  const text = o.output.replace(/\s+$/, '');
  if (o.ok) return text;
  // A command's exit status is an outcome to look at (a ping that gets nothing back), not a lab error.
  if (o.rc !== undefined) return `${text}\n[exit status ${o.rc}]`;
  return `${text}\n(action failed${o.action.at ? ` at ${o.action.at.file}:${o.action.at.line}:${o.action.at.col}` : ''})`;
}

export function indent(s: string, pad: string): string {
  return s
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

export function formatScore(r: LabReport): string {
  return `Score: ${r.points}/${r.total} points (${r.percent}%)${r.passed ? ', all checks passed' : ''}`;
}

export function reportJson(r: LabReport, file: string): string {
  return `${JSON.stringify(
    {
      file,
      lab: r.lab,
      seed: r.seed,
      passed: r.passed,
      points: r.points,
      total: r.total,
      percent: r.percent,
      startupErrors: r.startupErrors,
      daemonExits: r.daemonExits.map((e) => ({ node: e.node, file: e.file, crashed: e.crashed, reason: e.exit.reason, message: e.exit.message, t: e.exit.at / 1e9 })),
      checks: r.steps.flatMap((s) => s.checks.map((c) => ({ step: s.index + 1, name: c.name, passed: c.passed, points: c.passed ? c.points : 0, max: c.points, message: c.message, ...(c.hint ? { hint: c.hint } : {}) }))),
    },
    null,
    2,
  )}\n`;
}

export const CSV_HEADER = 'file,lab,seed,step,check,passed,points,max_points,message';

function csvField(s: string | number | boolean): string {
  const t = String(s);
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function reportCsvRows(r: LabReport, file: string): string[] {
  return r.steps.flatMap((s) => s.checks.map((c) => [file, r.lab, r.seed, s.index + 1, c.name, c.passed, c.passed ? c.points : 0, c.points, c.message.replace(/\n/g, ' | ')].map(csvField).join(',')));
}
