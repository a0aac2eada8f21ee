// The lab guide, host side: a lab's steps played by the student on the live session, one button at a time.
// Actions and checks are the lab module's own (runAction, evaluateCheck, TraceSql), so the app grades
// exactly as `workbench check` does; what differs is that the student chooses when each step runs, and a
// check can be run again after they fixed something (its last result counts for the completion).
// In the app's worker, long actions (waits, pings) run in slices with progress; a Cancel stops the one
// running where it is and the step's remaining actions are not run (the response says which).

import { runAction, RunApps, type ActionOutcome } from './lab/actions.js';
import { evaluateCheck, type CheckResult } from './lab/checks.js';
import { formatActionOutput } from './lab/grading.js';
import type { LabSession, RunSlicing } from './lab/session.js';
import { TraceSql } from './lab/sql-check.js';
import type { DaemonAction, LabAction, LabCheck, LabStep } from './lab/steps.js';
import { NSEC_PER_SEC } from '../../engine/sim/time.js';
import type { CheckStepResponse, GuideCheckView, GuideView, RunStepActionsResponse } from './guide-api.js';

/** Runs a `daemon:` action in the app (its daemon pane owns the processes). */
export type DaemonActionRunner = (a: DaemonAction) => Promise<{ ok: boolean; output: string }>;

export class GuideNotFound extends Error {}

/** A script's name without the lab's directory (the loader gives full paths). */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** One line describing an action, as its button lists it. */
export function actionLabel(a: LabAction): string {
  const secs = (ns: number): string => `${ns / NSEC_PER_SEC} s`;
  switch (a.type) {
    case 'command':
      return `${a.node}# ${a.run}`;
    case 'ping':
      return `ping ${a.dst} from ${a.node} (${a.count}×)`;
    case 'udp-sender':
      return `send ${a.count} UDP datagram(s) ${a.node} → ${a.dst}:${a.port}`;
    case 'udp-receiver':
      return `UDP receiver "${a.name}" on ${a.node}:${a.port}${a.group ? `, joins ${a.group}` : ''}`;
    case 'join':
    case 'leave':
      return `${a.node} ${a.type}s ${a.group}${a.iface ? ` on ${a.iface}` : ''}`;
    case 'link-down':
    case 'link-up':
    case 'link-delete':
      return `${a.type.replace('link-', 'link ')}: ${a.node} ${a.iface}`;
    case 'daemon':
      return `${a.do} the daemon on ${a.node}${a.script ? ` (${baseName(a.script.file)})` : ''}`;
    case 'wait':
      return `wait ${secs(a.duration)}`;
  }
}

export class LabGuide {
  private readonly apps = new RunApps();
  private readonly lastResults = new Map<string, CheckResult>();
  /** Trace position where each step's actions last started (scope: step checks look from there). */
  private readonly stepStart = new Map<number, number>();
  private readonly runs = new Map<number, number>();
  private sql: TraceSql | null = null;

  constructor(
    private readonly session: LabSession,
    private readonly runDaemonAction: DaemonActionRunner | null = null,
    /** The worker's slicing (AppService.slicing), read at each run; null: actions run in one go. */
    private readonly slicing: () => RunSlicing | null = () => null,
  ) {}

  private get steps(): LabStep[] {
    return this.session.spec.steps ?? [];
  }

  private step(i: number): LabStep {
    const s = this.steps[i];
    if (!s) throw new GuideNotFound(`the lab has no step ${i + 1} (it has ${this.steps.length})`);
    return s;
  }

  private key(step: number, check: LabCheck): string {
    return `${step}\u0000${check.name}`;
  }

  private checkView(step: number, c: LabCheck): GuideCheckView {
    const r = this.lastResults.get(this.key(step, c));
    return { name: c.name, description: c.description ?? null, points: c.points, result: r ? { passed: r.passed, message: r.message } : null, hint: c.hint ?? null };
  }

  private score(): { points: number; total: number; percent: number } {
    let points = 0;
    let total = 0;
    this.steps.forEach((s, i) =>
      s.checks.forEach((c) => {
        total += c.points;
        if (this.lastResults.get(this.key(i, c))?.passed) points += c.points;
      }),
    );
    return { points, total, percent: total === 0 ? 100 : Math.floor((points * 100) / total) };
  }

  view(): GuideView {
    const spec = this.session.spec;
    return {
      lab: spec.name,
      title: spec.title,
      description: spec.description,
      steps: this.steps.map((s, index) => ({
        index,
        title: s.title,
        text: s.text,
        hints: [...s.hints],
        actions: s.actions.map((a) => ({ label: actionLabel(a), type: a.type })),
        checks: s.checks.map((c) => this.checkView(index, c)),
        actionRuns: this.runs.get(index) ?? 0,
      })),
      ...this.score(),
    };
  }

  async runActions(index: number): Promise<RunStepActionsResponse> {
    const step = this.step(index);
    this.stepStart.set(index, this.session.net.sim.trace.eventCount + 1);
    this.runs.set(index, (this.runs.get(index) ?? 0) + 1);
    const slicing = this.slicing();
    const outcomes: RunStepActionsResponse['outcomes'] = [];
    let cancelled = false;
    let i = 0;
    for (; i < step.actions.length && !cancelled; i++) {
      // A Cancel that arrived during a short action stops the step before the next one.
      if (slicing?.cancelled()) {
        cancelled = true;
        break;
      }
      const a = step.actions[i]!;
      const o = await this.act(a, slicing);
      outcomes.push({ label: actionLabel(a), ok: o.ok, output: o.cancelled ? o.output.replace(/\s+$/, '') : formatActionOutput(o) });
      if (o.cancelled) cancelled = true;
    }
    const notRun = step.actions.slice(i).map(actionLabel);
    return { step: index, outcomes, now: this.session.now, cancelled, notRun };
  }

  private async act(a: LabAction, slicing: RunSlicing | null): Promise<ActionOutcome> {
    if (a.type !== 'daemon') return runAction(this.session, this.apps, a, slicing);
    if (!this.runDaemonAction) return { action: a, ok: false, output: `${a.node}: daemons cannot be started here` };
    return { action: a, ...(await this.runDaemonAction(a)) };
  }

  async check(index: number): Promise<CheckStepResponse> {
    const step = this.step(index);
    // Never ran this step's actions: step-scoped trace checks look at the whole run.
    const stepFirstSeq = this.stepStart.get(index) ?? 1;
    for (const c of step.checks) {
      let r: CheckResult;
      if (c.type === 'sql') {
        this.sql ??= new TraceSql(this.session, this.session.spec.seed);
        const v = await this.sql.evaluate(c);
        r = { name: c.name, passed: v.passed, points: c.points, message: v.message };
      } else r = evaluateCheck(c, { session: this.session, apps: this.apps, stepFirstSeq });
      this.lastResults.set(this.key(index, c), r);
    }
    return { step: index, checks: step.checks.map((c) => this.checkView(index, c)), ...this.score() };
  }

  /** Deletes the SQL checks' temporary store (a new session replaces this guide). */
  async close(): Promise<void> {
    await this.sql?.close();
    this.sql = null;
  }
}
