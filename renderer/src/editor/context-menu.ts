// A small right-click menu (cytoscape `cxttap`): items with a label and an action; Esc or a click elsewhere
// closes it. Used for link down/up and device delete on the running lab, and for deleting from the topology.

import { h } from '../dom.js';

export interface MenuItem {
  label: string;
  run(): void;
  danger?: boolean;
}

export class ContextMenu {
  private readonly root = h('ul', { class: 'context-menu', role: 'menu', id: 'context-menu' });

  constructor() {
    this.root.hidden = true;
    document.body.append(this.root);
    document.addEventListener('pointerdown', (e) => {
      if (!this.root.contains(e.target as Node)) this.close();
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  open(x: number, y: number, title: string, items: MenuItem[]): void {
    this.root.replaceChildren(h('li', { class: 'context-title', role: 'presentation' }, title));
    for (const it of items) {
      const b = h('button', { type: 'button', role: 'menuitem', class: it.danger ? 'danger' : '' }, it.label);
      b.addEventListener('click', () => {
        this.close();
        it.run();
      });
      this.root.append(h('li', { role: 'none' }, b));
    }
    this.root.hidden = false;
    // Keep the menu inside the window (1366×768 and smaller).
    const r = this.root.getBoundingClientRect();
    this.root.style.left = `${Math.min(x, window.innerWidth - r.width - 4)}px`;
    this.root.style.top = `${Math.min(y, window.innerHeight - r.height - 4)}px`;
    this.root.querySelector('button')?.focus();
  }

  close(): void {
    this.root.hidden = true;
  }
}
