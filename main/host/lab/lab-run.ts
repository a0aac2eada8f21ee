// A guided run of a lab: a LabSession plus its steps, run one at a time (the app: when the student asks)
// or all at once (the CLI). A step runs the reference solution's commands (only when grading the
// solution), then its actions in order, then its checks. The completion percentage counts points.

import { runAction, RunApps, type ActionOutcome } from './actions.js';
import { evaluateCheck, type CheckResult } from './checks.js';
import { LabSession, type StartupError } from './session.js';
import type { LabSpec } from './spec.js';
import type { LabStep } from './steps.js';
import type { TraceSink } from '../../../engine/sim/trace.js';

export interface StepResult {
  index: number;
  title: string;
  solution: ActionOutcome[];
  actions: ActionOutcome[];
  checks: CheckResult[];
}

export interface LabReport {
  lab: string;
  seed: number;
  startupErrors: StartupError[];
  steps: StepResult[];
  points: number;
  total: number;
  /** 0..100, by points; 100 for a lab without checks. */
  percent: number;
  passed: boolean;
}

export interface RunOptions {
  seed?: number;
  /** Run the reference solution's commands too (to test a lab; graders run the student's setup instead). */
  solution?: boolean;
  /** Extra trace sinks for the whole run (a SqliteSink for `workbench run --db`). */
  sinks?: readonly TraceSink[];
}

export type RunProgress =
  | { type: 'step'; index: number; step: LabStep }
  | { type: 'action'; outcome: ActionOutcome }
  | { type: 'check'; result: CheckResult }
  | { type: 'step-done'; step: LabStep; result: StepResult };

export class LabRun {
  readonly session: LabSession;
  readonly apps = new RunApps();
  readonly results: StepResult[] = [];
  readonly seed: number;

  constructor(
    readonly spec: LabSpec,
    private readonly opts: RunOptions = {},
  ) {
    this.seed = opts.seed ?? spec.seed;
    this.session = new LabSession(spec, { seed: this.seed, sinks: opts.sinks });
  }

  get steps(): LabStep[] {
    return this.spec.steps ?? [];
  }

  /** Runs the next step not run yet; null when all have run. */
  runNextStep(onProgress?: (p: RunProgress) => void): StepResult | null {
    const index = this.results.length;
    const step = this.steps[index];
    if (!step) return null;
    onProgress?.({ type: 'step', index, step });
    const stepFirstSeq = this.session.net.sim.trace.eventCount + 1;
    const run = (list: ActionOutcome[], o: ActionOutcome): void => {
      list.push(o);
      onProgress?.({ type: 'action', outcome: o });
    };
    const result: StepResult = { index, title: step.title, solution: [], actions: [], checks: [] };
    if (this.opts.solution) for (const c of step.solution) run(result.solution, runAction(this.session, this.apps, { type: 'command', node: c.node, run: c.run, at: c.at }));
    for (const a of step.actions) run(result.actions, runAction(this.session, this.apps, a));
    for (const c of step.checks) {
      const r = evaluateCheck(c, { session: this.session, apps: this.apps, stepFirstSeq });
      result.checks.push(r);
      onProgress?.({ type: 'check', result: r });
    }
    this.results.push(result);
    onProgress?.({ type: 'step-done', step, result });
    return result;
  }

  runAll(onProgress?: (p: RunProgress) => void): LabReport {
    while (this.runNextStep(onProgress));
    return this.report();
  }

  /** The report so far; checks of steps not run yet count as not passed. */
  report(): LabReport {
    const checks = this.results.flatMap((s) => s.checks);
    const total = this.steps.reduce((n, s) => n + s.checks.reduce((m, c) => m + c.points, 0), 0);
    const points = checks.filter((c) => c.passed).reduce((n, c) => n + c.points, 0);
    const allRun = this.results.length === this.steps.length;
    return {
      lab: this.spec.name,
      seed: this.seed,
      startupErrors: this.session.startupErrors,
      steps: this.results,
      points,
      total,
      percent: total === 0 ? 100 : Math.floor((points * 100) / total),
      passed: allRun && checks.every((c) => c.passed),
    };
  }
}
