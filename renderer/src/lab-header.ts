// The lab header: title, description, startup errors (if any), simulated time, and the theme switch.

import type { LabView } from '../../main/host/api.js';
import { h } from './dom.js';
import { installHelp } from './help-overlay.js';
import { renderInlineMarkdown } from './guide/markdown.js';

export interface HeaderActions {
  toggleTheme(): void;
  fit(): void;
  reset(): void;
}

export function renderHeader(root: HTMLElement, lab: LabView, actions: HeaderActions): { setTime(ns: number): void } {
  const time = h('span', { class: 'sim-time', title: 'Simulated time' });
  const theme = h('button', { type: 'button', class: 'tool', id: 'theme-toggle', title: 'Switch light/dark theme' }, 'Theme');
  theme.addEventListener('click', () => actions.toggleTheme());
  const fit = h('button', { type: 'button', class: 'tool', title: 'Fit the topology to the window' }, 'Fit');
  fit.addEventListener('click', () => actions.fit());
  const reset = h('button', { type: 'button', class: 'tool', id: 'reset-lab', title: 'Rebuild the lab from its file: fresh nodes, startup commands run again' }, 'Reset');
  reset.addEventListener('click', () => actions.reset());
  const help = h('button', { type: 'button', class: 'tool', id: 'help-button', title: 'Keyboard shortcuts (?)' }, 'Help');
  installHelp(help);
  root.replaceChildren(
    h('div', { class: 'lab-titles' }, h('h1', { class: 'lab-title' }, lab.title), h('p', { class: 'lab-description' }, renderInlineMarkdown(lab.description))),
    h('div', { class: 'lab-tools' }, time, reset, fit, theme, help),
  );
  if (lab.startupErrors.length > 0) {
    const list = h('ul', { class: 'startup-errors' });
    for (const e of lab.startupErrors) list.append(h('li', {}, `${e.file}:${e.line}: ${e.command}: ${e.message}`));
    root.append(list);
  }
  const setTime = (ns: number): void => {
    time.textContent = `t = ${(ns / 1e9).toFixed(3)} s`;
  };
  setTime(lab.now);
  return { setTime };
}
