// The consoles: one tab per opened node; the topology or the node buttons open them.

import type { LabView, WorkbenchApi } from '../../main/host/api.js';
import { h } from './dom.js';
import { NodeConsole } from './node-console.js';

export class ConsolePane {
  private readonly tabs: HTMLElement;
  private readonly body: HTMLElement;
  private readonly consoles = new Map<string, { console: NodeConsole; tab: HTMLButtonElement }>();

  constructor(
    root: HTMLElement,
    lab: LabView,
    private readonly api: WorkbenchApi,
    private readonly afterCommand: () => void,
  ) {
    const picker = h('div', { class: 'node-picker' }, h('span', { class: 'picker-label' }, 'Open a console:'));
    for (const n of lab.nodes) {
      const b = h('button', { type: 'button', class: `node-button ${n.role}`, 'data-node': n.name }, n.name);
      b.addEventListener('click', () => this.open(n.name));
      picker.append(b);
    }
    this.tabs = h('div', { class: 'console-tabs', role: 'tablist' });
    this.body = h('div', { class: 'console-body' }, h('p', { class: 'hint' }, 'Click a node in the topology (or a button above) to open its console.'));
    root.append(picker, this.tabs, this.body);
  }

  open(node: string): void {
    let c = this.consoles.get(node);
    if (!c) {
      const console = new NodeConsole(node, this.api, this.afterCommand);
      const tab = h('button', { type: 'button', class: 'console-tab', role: 'tab', 'data-node': node }, node);
      tab.addEventListener('click', () => this.open(node));
      this.tabs.append(tab);
      this.body.querySelector('.hint')?.remove();
      this.body.append(console.el);
      c = { console, tab };
      this.consoles.set(node, c);
    }
    for (const [name, o] of this.consoles) {
      const active = name === node;
      o.console.el.hidden = !active;
      o.tab.classList.toggle('active', active);
      o.tab.setAttribute('aria-selected', String(active));
    }
    c.console.focus();
  }
}
