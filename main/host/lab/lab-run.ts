// A guided run of a lab: a LabSession plus its daemons and its steps, run one at a time (the app: when the
// student asks) or all at once (the CLI). start() launches the nodes' daemons (after the start commands); a
// step runs the reference solution's commands (only when grading the solution), then its actions in order,
// then its checks. The completion percentage counts points. close() ends the run (temporary SQL store).

import { runAction, RunApps, type ActionOutcome } from './actions.js';
import { evaluateCheck, type CheckResult } from './checks.js';
import { LabDaemons, type DaemonExitRecord } from './lab-daemons.js';
import { TraceSql } from './sql-check.js';
import type { DaemonScript } from './spec.js';
import { LabSession, type RunSlicing, type StartupError } from './session.js';
import type { LabSpec } from './spec.js';
import type { LabAction, LabStep } from './steps.js';
import { NSEC_PER_SEC, type Nanos } from '../../../engine/sim/time.js';
import type { TraceSink } from '../../../engine/sim/trace.js';
import type { Network } from '../../../engine/net/network.js';

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
  /** Daemon exits: crashes (with the script's file:line:col) and stops the lab asked for. */
  daemonExits: DaemonExitRecord[];
  steps: StepResult[];
  points: number;
  total: number;
  /** 0..100, by points; 100 for a lab without checks. */
  percent: number;
  passed: boolean;
}

export interface RunOptions {
  seed?: number;
  /** Run the reference solution's commands and daemon scripts (to test a lab; graders run the student's setup instead). */
  solution?: boolean;
  /** A student's daemon script per node (`--daemon r1=my.ts`), replacing the lab's. */
  daemons?: ReadonlyMap<string, DaemonScript>;
  /** Extra trace sinks for the whole run (a SqliteSink for `workbench run --db`). */
  sinks?: readonly TraceSink[];
  /** Sinks that need the network (a ReplayRecorder), added before `sinks`. */
  recorders?: readonly ((net: Network) => TraceSink)[];
  /** Long actions in slices (as the app runs them); the run is the same, only interruptible. */
  slicing?: RunSlicing;
}

export type RunProgress =
  | { type: 'step'; index: number; step: LabStep }
  | { type: 'action'; outcome: ActionOutcome }
  | { type: 'check'; result: CheckResult }
  | { type: 'daemon-exit'; exit: DaemonExitRecord }
  /** Simulated time advanced (waits report every simulated second): now and the run's planned end. */
  | { type: 'time'; now: Nanos; planned: Nanos }
  | { type: 'step-done'; step: LabStep; result: StepResult };

export class LabRun {
  readonly session: LabSession;
  readonly apps = new RunApps();
  readonly results: StepResult[] = [];
  readonly seed: number;
  private starting: Promise<void> | null = null;
  private sql: TraceSql | null = null;

  constructor(
    readonly spec: LabSpec,
    private readonly opts: RunOptions = {},
  ) {
    this.seed = opts.seed ?? spec.seed;
    this.session = new LabSession(spec, { seed: this.seed, sinks: opts.sinks, recorders: opts.recorders });
  }

  get steps(): LabStep[] {
    return this.spec.steps ?? [];
  }

  /** The run's daemons (after start()). */
  get daemons(): LabDaemons | null {
    return this.apps.daemons;
  }

  /** Starts the nodes' daemons (once; runNextStep calls it). */
  async start(): Promise<void> {
    this.starting ??= LabDaemons.start(this.session, { solution: this.opts.solution, overrides: this.opts.daemons }).then((d) => {
      this.apps.daemons = d;
    });
    await this.starting;
  }

  /** Simulated time the steps' waits add up to, from the start: the progress bar's 100 %. */
  get plannedTime(): Nanos {
    return this.steps.reduce((t, s) => t + s.actions.reduce((u, a) => u + (a.type === 'wait' ? a.duration : 0), 0), 0);
  }

  private reportExits(onProgress?: (p: RunProgress) => void): void {
    for (const exit of this.apps.daemons?.takeNewExits() ?? []) onProgress?.({ type: 'daemon-exit', exit });
  }

  private async act(a: LabAction, onProgress?: (p: RunProgress) => void): Promise<ActionOutcome> {
    if (a.type !== 'wait' || this.opts.slicing) return runAction(this.session, this.apps, a, this.opts.slicing ?? null);
    // In slices of one simulated second, so a progress bar moves; running to T in slices runs the same events.
    const end = this.session.now + a.duration;
    while (this.session.now < end) {
      this.session.advance(Math.min(NSEC_PER_SEC, end - this.session.now));
      onProgress?.({ type: 'time', now: this.session.now, planned: this.plannedTime });
      this.reportExits(onProgress);
    }
    return { action: a, ok: true, output: `waited ${a.duration / NSEC_PER_SEC} s` };
  }

  /** Runs the next step not run yet; null when all have run. */
  async runNextStep(onProgress?: (p: RunProgress) => void): Promise<StepResult | null> {
    await this.start();
    const index = this.results.length;
    const step = this.steps[index];
    if (!step) return null;
    this.reportExits(onProgress);
    onProgress?.({ type: 'step', index, step });
    const stepFirstSeq = this.session.net.sim.trace.eventCount + 1;
    const run = (list: ActionOutcome[], o: ActionOutcome): void => {
      list.push(o);
      onProgress?.({ type: 'action', outcome: o });
      this.reportExits(onProgress);
    };
    const result: StepResult = { index, title: step.title, solution: [], actions: [], checks: [] };
    if (this.opts.solution) for (const c of step.solution) run(result.solution, await runAction(this.session, this.apps, { type: 'command', node: c.node, run: c.run, at: c.at }, this.opts.slicing ?? null));
    for (const a of step.actions) run(result.actions, await this.act(a, onProgress));
    for (const c of step.checks) {
      let r: CheckResult;
      if (c.type === 'sql') {
        this.sql ??= new TraceSql(this.session, this.seed);
        const v = await this.sql.evaluate(c);
        r = { name: c.name, passed: v.passed, points: c.points, message: v.message };
        if (c.description !== undefined) r.description = c.description;
        if (!v.passed && c.hint !== undefined) r.hint = c.hint;
        if (c.at) r.at = c.at;
      } else r = evaluateCheck(c, { session: this.session, apps: this.apps, stepFirstSeq });
      result.checks.push(r);
      onProgress?.({ type: 'check', result: r });
    }
    this.reportExits(onProgress);
    this.results.push(result);
    onProgress?.({ type: 'step-done', step, result });
    return result;
  }

  /** Runs every remaining step, then closes the run. */
  async runAll(onProgress?: (p: RunProgress) => void): Promise<LabReport> {
    try {
      while (await this.runNextStep(onProgress));
    } finally {
      await this.close();
    }
    return this.report();
  }

  /** Ends the run: deletes the temporary store of the SQL checks. The session stays readable. */
  async close(): Promise<void> {
    await this.sql?.close();
    this.sql = null;
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
      daemonExits: this.apps.daemons ? [...this.apps.daemons.exits] : [],
      steps: this.results,
      points,
      total,
      percent: total === 0 ? 100 : Math.floor((points * 100) / total),
      passed: allRun && checks.every((c) => c.passed),
    };
  }
}
