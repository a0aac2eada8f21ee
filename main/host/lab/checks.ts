// Evaluates a lab's checks against a running lab: the output of a command on a node, what a receiver
// got, and events of the in-memory trace. Every result carries what was expected and what happened, in
// words a student can act on. SQL checks over the stored trace are in sql-check.ts.

import type { CmdResult } from '../../../engine/iproute2/result.js';
import type { TraceEvent } from '../../../engine/sim/trace.js';
import { formatIpv4 } from '../../../engine/wire/inet.js';
import type { RunApps } from './actions.js';
import type { LabSession } from './session.js';
import type { CommandCheck, DeliveryCheck, LabCheck, SourcePos, SqlCheck, TraceCheck } from './steps.js';

export interface CheckResult {
  name: string;
  description?: string;
  passed: boolean;
  points: number;
  /** One line: what was checked and, on failure, expected vs. got. */
  message: string;
  /** On failure: the check's hint, if it has one. */
  hint?: string;
  at?: SourcePos;
}

export interface CheckContext {
  session: LabSession;
  apps: RunApps;
  /** The first trace event of the current step (for scope: step). */
  stepFirstSeq: number;
}

const quote = (s: string): string => JSON.stringify(s);
const firstLines = (s: string, n = 6): string => {
  const lines = s.replace(/\s+$/, '').split('\n');
  return lines.length <= n ? lines.join('\n') : `${lines.slice(0, n).join('\n')}\n... (${lines.length - n} more lines)`;
};

function commandCheck(c: CommandCheck, ctx: CheckContext): { passed: boolean; message: string } {
  return judgeCommand(c, ctx.session.runCommand(c.node, c.run));
}

/** Judges a command's result against a command check (also used on real kernels' output by the oracle tests). */
export function judgeCommand(c: CommandCheck, r: CmdResult): { passed: boolean; message: string } {
  const out = c.stream === 'stderr' ? r.stderr : c.stream === 'both' ? r.stdout + r.stderr : r.stdout;
  const problems: string[] = [];
  const noMatcher = c.equals === undefined && !c.contains && !c.regex && !c.absent;
  const rc = c.rc ?? (noMatcher ? 0 : undefined);
  if (rc !== undefined && r.rc !== rc) problems.push(`expected exit status ${rc}, got ${r.rc}${r.stderr ? ` (${r.stderr.trim()})` : ''}`);
  if (c.equals !== undefined && out.replace(/\s+$/, '') !== c.equals.replace(/\s+$/, '')) problems.push(`expected the output ${quote(c.equals.replace(/\s+$/, ''))}`);
  for (const s of c.contains ?? []) if (!out.includes(s)) problems.push(`expected the output to contain ${quote(s)}`);
  for (const s of c.regex ?? []) if (!new RegExp(s, 'm').test(out)) problems.push(`expected the output to match /${s}/`);
  for (const s of c.absent ?? []) if (out.includes(s)) problems.push(`expected no ${quote(s)} in the output`);
  const what = `\`${c.run}\` on ${c.node}${c.stream === 'stdout' ? '' : ` (${c.stream})`}`;
  if (problems.length === 0) return { passed: true, message: `${what}: as expected` };
  const got = out.trim() ? `got:\n${firstLines(out)}` : r.stderr.trim() ? `got no output; stderr: ${r.stderr.trim()}` : 'got no output';
  return { passed: false, message: `${what}: ${problems.join('; ')}; ${got}` };
}

function countProblem(n: number, exact: number | undefined, min: number | undefined, max: number | undefined, defaultMin: number): string | null {
  if (exact !== undefined) return n === exact ? null : `expected ${exact}, got ${n}`;
  const lo = min ?? (max === undefined ? defaultMin : 0);
  if (n < lo) return `expected at least ${lo}, got ${n}`;
  if (max !== undefined && n > max) return `expected at most ${max}, got ${n}`;
  return null;
}

function deliveryCheck(c: DeliveryCheck, ctx: CheckContext): { passed: boolean; message: string } {
  const rx = ctx.apps.receivers.get(c.receiver);
  if (!rx) return { passed: false, message: `receiver ${c.receiver} was never started (its udp-receiver action did not run or failed)` };
  const all = rx.handle.received;
  const got = all.filter((d) => (c.from === undefined || formatIpv4(d.src) === c.from) && (c.to === undefined || formatIpv4(d.dst) === c.to));
  const what = `receiver ${c.receiver} on ${rx.node}: datagrams${c.from ? ` from ${c.from}` : ''}${c.to ? ` to ${c.to}` : ''}`;
  const problem = countProblem(got.length, c.packets, c.min, c.max, 1);
  if (!problem) return { passed: true, message: `${what}: ${got.length}, as expected` };
  const seen = [...rx.handle.counts].map(([k, n]) => `${n} × ${k}`).join(', ');
  return { passed: false, message: `${what}: ${problem} (it received ${seen || 'nothing'})` };
}

function matchesEvent(c: TraceCheck, e: TraceEvent): boolean {
  if (e.fn !== c.fn) return false;
  if (c.kind !== undefined && e.kind !== c.kind) return false;
  if (c.node !== undefined && e.node !== c.node) return false;
  for (const [k, v] of Object.entries(c.data ?? {})) if (e.data[k] !== v) return false;
  return true;
}

function traceCheck(c: TraceCheck, ctx: CheckContext): { passed: boolean; message: string } {
  const events = ctx.session.trace.events;
  const from = c.scope === 'run' ? 0 : events.findIndex((e) => e.seq >= ctx.stepFirstSeq);
  const scope = from < 0 ? [] : events.slice(from);
  const hits = scope.filter((e) => matchesEvent(c, e));
  const sel = [c.kind && `kind ${c.kind}`, c.node && `on ${c.node}`, c.data && `with ${JSON.stringify(c.data)}`].filter(Boolean).join(', ');
  const what = `trace events ${c.fn}${sel ? ` (${sel})` : ''} ${c.scope === 'run' ? 'in the run' : 'in this step'}`;
  const problem = countProblem(hits.length, c.count, c.min, c.max, 1);
  if (!problem) return { passed: true, message: `${what}: ${hits.length}, as expected` };
  // Say how close the trace came: the same function with other fields, so the student sees what did happen.
  const near = scope.filter((e) => e.fn === c.fn);
  const nearText = near.length && hits.length === 0 ? `; ${c.fn} ran ${near.length} time(s) otherwise, first: ${JSON.stringify({ node: near[0]!.node, kind: near[0]!.kind, data: near[0]!.data })}` : '';
  return { passed: false, message: `${what}: ${problem}${nearText}` };
}

/** Evaluates a check that needs no SQL (SQL checks are asynchronous: LabRun runs them, sql-check.ts). */
export function evaluateCheck(c: Exclude<LabCheck, SqlCheck>, ctx: CheckContext): CheckResult {
  const r = c.type === 'command' ? commandCheck(c, ctx) : c.type === 'delivery' ? deliveryCheck(c, ctx) : traceCheck(c, ctx);
  const out: CheckResult = { name: c.name, passed: r.passed, points: c.points, message: r.message };
  if (c.description !== undefined) out.description = c.description;
  if (!r.passed && c.hint !== undefined) out.hint = c.hint;
  if (c.at) out.at = c.at;
  return out;
}
