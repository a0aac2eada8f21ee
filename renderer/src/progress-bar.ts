// The status bar's run indicator: simulated time reached out of the target while a long command runs, and
// a Cancel button that interrupts it (^C) at the current simulated time.

import type { RunEvents, RunProgress } from './progress-events.js';

const secs = (ns: number): string => `${(ns / 1e9).toFixed(1)} s`;

export function installProgressBar(after: HTMLElement, events: RunEvents): void {
  const box = document.createElement('div');
  box.className = 'run-progress';
  box.id = 'run-progress';
  box.hidden = true;
  const bar = document.createElement('progress');
  bar.max = 1;
  bar.setAttribute('aria-label', 'Simulated time of the running command');
  const label = document.createElement('span');
  label.className = 'run-progress-label';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.textContent = 'Cancel';
  cancel.title = 'Interrupt the running command (^C)';
  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    void events.cancel();
  });
  box.append(label, bar, cancel);
  after.after(box);
  events.onProgress((p: RunProgress) => {
    if (p.done) {
      box.hidden = true;
      return;
    }
    const total = p.target - p.start;
    bar.value = total > 0 ? (p.now - p.start) / total : 1;
    label.textContent = `${p.label ?? 'Running'}: ${secs(p.now - p.start)} of ${secs(total)} simulated`;
    if (box.hidden) cancel.disabled = false;
    box.hidden = false;
  });
}
