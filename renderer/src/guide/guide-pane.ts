// The lab guide: the lab's steps with their instructions (sanitised Markdown), a button that runs a step's
// actions in the running lab, a Check button with each check's result (expected vs. got) and its hint on
// demand, and the completion by points. The host keeps the results (guide.ts); this pane only shows them.

import type { WorkbenchApi } from '../../../main/host/api.js';
import type { ActionOutcomeView, GuideCheckView, GuideStepView, GuideView } from '../../../main/host/guide-api.js';
import { h } from '../dom.js';
import { renderMarkdown } from './markdown.js';

interface StepState {
  outcomes: ActionOutcomeView[] | null;
  /** Set when the last run was cancelled: what the guide says about it. */
  cancelled: string | null;
  hints: boolean;
  /** Check names whose hint is shown. */
  checkHints: Set<string>;
}

export class GuidePane {
  private view: GuideView | null = null;
  private readonly state = new Map<number, StepState>();
  private busy = false;
  private readonly summary = h('div', { class: 'guide-summary' });
  private readonly body = h('div', { class: 'guide-body' });

  constructor(
    private readonly root: HTMLElement,
    private readonly api: WorkbenchApi,
    /** Simulated time may have moved: the header, counters and trace refresh. */
    private readonly changed: () => void,
    private readonly fail: (e: unknown) => void,
  ) {
    root.replaceChildren(this.summary, this.body);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.view = await this.api.getGuide();
      this.render();
    } catch (e) {
      this.fail(e);
    }
  }

  private stepState(i: number): StepState {
    let s = this.state.get(i);
    if (!s) this.state.set(i, (s = { outcomes: null, cancelled: null, hints: false, checkHints: new Set() }));
    return s;
  }

  private render(): void {
    const v = this.view;
    if (!v) return;
    const scroll = this.body.scrollTop;
    const bar = h('div', { class: 'guide-progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(v.percent), 'aria-label': 'Lab completion' }, h('div', { class: 'guide-progress-fill' }));
    (bar.firstElementChild as HTMLElement).style.width = `${v.percent}%`;
    this.summary.replaceChildren(
      h('span', { class: 'guide-percent' }, `${v.percent}%`),
      bar,
      h('span', { class: 'guide-points' }, `${v.points} / ${v.total} points`),
    );
    if (v.steps.length === 0) {
      this.body.replaceChildren(h('p', { class: 'hint' }, 'This lab has no guided steps: explore it from the consoles.'));
      return;
    }
    const intro = h('div', { class: 'guide-md guide-intro' });
    intro.append(renderMarkdown(v.description));
    this.body.replaceChildren(intro, ...v.steps.map((s) => this.renderStep(s)));
    this.body.scrollTop = scroll;
  }

  private renderStep(s: GuideStepView): HTMLElement {
    const st = this.stepState(s.index);
    const checked = s.checks.filter((c) => c.result !== null);
    const done = s.checks.length > 0 && s.checks.every((c) => c.result?.passed);
    const status = done ? 'passed' : checked.some((c) => !c.result!.passed) ? 'failed' : 'todo';
    const text = h('div', { class: 'guide-md' });
    text.append(renderMarkdown(s.text));
    const parts: HTMLElement[] = [
      h('h3', { class: 'guide-step-title' }, h('span', { class: 'guide-step-mark', 'data-status': status, 'aria-label': status }, done ? '✓' : String(s.index + 1)), s.title),
      text,
    ];
    if (s.actions.length) {
      const run = h('button', { type: 'button', class: 'guide-run', 'data-step': String(s.index) }, s.actionRuns ? "Run this step's actions again" : "Run this step's actions");
      run.addEventListener('click', () => void this.runActions(s.index));
      const list = h('ul', { class: 'guide-actions' }, ...s.actions.map((a) => h('li', { 'data-type': a.type }, a.label)));
      parts.push(h('div', { class: 'guide-box' }, h('div', { class: 'guide-box-head' }, h('span', {}, 'Actions'), run), list));
      if (st.outcomes) parts.push(h('pre', { class: 'guide-output' }, ...st.outcomes.map((o) => h('span', { class: o.ok ? 'ok' : 'bad' }, `${o.output}\n`))));
      if (st.cancelled) {
        const note = h('p', { class: 'guide-cancelled', role: 'status' }, st.cancelled);
        // styles.css is shared; the CSP allows CSSOM styles set from script.
        note.style.color = 'var(--term-err)';
        note.style.margin = '4px 0';
        parts.push(note);
      }
    }
    if (s.checks.length) {
      const check = h('button', { type: 'button', class: 'guide-check', 'data-step': String(s.index) }, 'Check');
      check.addEventListener('click', () => void this.check(s.index));
      const pts = s.checks.reduce((n, c) => n + c.points, 0);
      parts.push(
        h('div', { class: 'guide-box' }, h('div', { class: 'guide-box-head' }, h('span', {}, `Checks (${pts} point${pts === 1 ? '' : 's'})`), check), h('ul', { class: 'guide-checks' }, ...s.checks.map((c) => this.renderCheck(s.index, c, st)))),
      );
    }
    if (s.hints.length) {
      const toggle = h('button', { type: 'button', class: 'guide-hints-toggle' }, st.hints ? 'Hide hints' : `Show hint${s.hints.length > 1 ? 's' : ''}`);
      toggle.addEventListener('click', () => {
        st.hints = !st.hints;
        this.render();
      });
      parts.push(toggle);
      if (st.hints) {
        const list = h('ul', { class: 'guide-hints' });
        for (const hint of s.hints) {
          const li = h('li', { class: 'guide-md' });
          li.append(renderMarkdown(hint));
          list.append(li);
        }
        parts.push(list);
      }
    }
    return h('section', { class: 'guide-step', 'data-step': String(s.index), 'data-status': status }, ...parts);
  }

  private renderCheck(step: number, c: GuideCheckView, st: StepState): HTMLElement {
    const r = c.result;
    const state = r === null ? 'unchecked' : r.passed ? 'pass' : 'fail';
    const li = h(
      'li',
      { class: 'guide-check-item', 'data-check': c.name, 'data-result': state },
      h('span', { class: 'guide-check-icon', 'aria-label': state }, r === null ? '○' : r.passed ? '✔' : '✘'),
      h('span', { class: 'guide-check-name' }, c.description ?? c.name),
      h('span', { class: 'guide-check-points' }, `${c.points} pt${c.points === 1 ? '' : 's'}`),
    );
    if (r) li.append(h('pre', { class: 'guide-check-message' }, r.message));
    if (c.hint && r && !r.passed) {
      const shown = st.checkHints.has(c.name);
      const b = h('button', { type: 'button', class: 'guide-check-hint-toggle' }, shown ? 'Hide hint' : 'Hint');
      b.addEventListener('click', () => {
        if (shown) st.checkHints.delete(c.name);
        else st.checkHints.add(c.name);
        this.render();
      });
      li.append(b);
      if (shown) {
        const hint = h('div', { class: 'guide-md guide-check-hint' });
        hint.append(renderMarkdown(c.hint));
        li.append(hint);
      }
    }
    return li;
  }

  private async runActions(step: number): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.root.classList.add('busy');
    try {
      const r = await this.api.runStepActions({ step });
      const st = this.stepState(step);
      st.outcomes = r.outcomes;
      st.cancelled = r.cancelled ? cancelledMessage(r.now, r.notRun) : null;
      this.changed();
      await this.refresh();
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
      this.root.classList.remove('busy');
    }
  }

  private async check(step: number): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.root.classList.add('busy');
    try {
      await this.api.checkStep({ step });
      // Checks run commands on the nodes (ping): time may have moved.
      this.changed();
      await this.refresh();
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
      this.root.classList.remove('busy');
    }
  }
}

/** What the guide says after a Cancel: where time stopped and what did not run. */
export function cancelledMessage(now: number, notRun: readonly string[]): string {
  const at = `Cancelled: simulated time stopped at ${(now / 1e9).toFixed(1)} s.`;
  if (notRun.length === 0) return `${at} Run the step's actions again to redo it.`;
  return `${at} Not run: ${notRun.join('; ')}. Run the step's actions again to redo it.`;
}
