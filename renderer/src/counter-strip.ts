// Per-router multicast forwarding counters under the consoles: the number a student watches change when a
// daemon installs a route and traffic starts to flow. Read from the nodes' own /proc files by the host.

import type { CounterView, LabView, WorkbenchApi } from '../../main/host/api.js';
import { h } from './dom.js';

export class CounterStrip {
  private readonly cells = new Map<string, HTMLElement>();

  constructor(
    root: HTMLElement,
    lab: LabView,
    private readonly api: WorkbenchApi,
  ) {
    const routers = lab.nodes.filter((x) => x.role === 'router');
    // A lab of hosts only forwards no multicast: no label over nothing.
    if (routers.length) root.append(h('span', { class: 'counter-label', title: 'Multicast packets sent out of VIFs (/proc/net/ip_mr_vif, Pkts Out)' }, 'Multicast forwarded:'));
    for (const n of routers) {
      const value = h('span', { class: 'counter-value', 'data-node': n.name }, '0');
      this.cells.set(n.name, value);
      root.append(h('span', { class: 'counter' }, `${n.name} `, value));
    }
  }

  async update(): Promise<void> {
    const list: CounterView[] = await this.api.getCounters();
    for (const c of list) {
      const cell = this.cells.get(c.node);
      if (!cell) continue;
      const text = String(c.mcForwarded);
      if (cell.textContent !== text) {
        cell.textContent = text;
        cell.title = `${c.mfcPackets} packets matched MFC entries`;
        cell.classList.remove('bump');
        void cell.offsetWidth; // restart the highlight animation
        cell.classList.add('bump');
      }
    }
  }
}
