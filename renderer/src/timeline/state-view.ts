// The kernel state at the selected moment (issue 10 §4): one node's VIF table, MFC, unresolved queue (with
// its queued packets and an expiry countdown from the selected event's time), IGMP memberships and
// sockets, and the exact `ip` / `/proc` texts — before the selected event (what the kernel function found,
// the default) or after it, from the session's recording.

import type { WorkbenchApi } from '../../../main/host/api.js';
import type { StateAtView } from '../../../main/host/state-api.js';
import type { NodeState } from '../../../engine/state/node-state.js';
import { h } from '../dom.js';
import { markStateShown } from './perf-marks.js';

const DEFAULT_VIEW = 'cat /proc/net/ip_mr_cache';

function table(cls: string, head: string[], rows: (string | number)[][], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: `hint ${cls}` }, empty);
  return h(
    'table',
    { class: `state-table ${cls}` },
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) => h('td', { 'data-col': head[i] ?? '' }, String(c)))))),
  );
}

function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(1)} ms`;
}

export class StateView {
  private readonly nodeSel = h('select', { class: 'state-node', 'aria-label': 'Node whose state to show' }, h('option', { value: '' }, "the event's node"));
  private readonly viewSel = h('select', { class: 'state-view-select', 'aria-label': 'Text view' });
  /** Before: the state the kernel function found (its inputs; what `queued` in its data counts); after: what it left. */
  private readonly whenSel = h('select', { class: 'state-when', 'aria-label': 'Before or after the event' }, h('option', { value: 'before' }, 'before'), h('option', { value: 'after' }, 'after'));
  private readonly body = h('div', { class: 'state-body' });
  private readonly pre = h('pre', { class: 'state-view-text' });
  private at: { seq: number; node: string; t: number } | null = null;
  private last: StateAtView | null = null;
  private gen = 0;

  constructor(
    root: HTMLElement,
    private readonly api: WorkbenchApi,
  ) {
    this.nodeSel.addEventListener('change', () => void this.load());
    this.whenSel.addEventListener('change', () => void this.load());
    this.viewSel.addEventListener('change', () => this.showText());
    root.append(h('section', { class: 'state-pane' }, h('h4', {}, 'State ', this.whenSel, ' this event on ', this.nodeSel), this.body));
    this.body.append(h('p', { class: 'hint' }, 'Select an event to see the kernel state after it.'));
  }

  /** No event is selected any more (filtered out, lab reset): back to the hint. */
  clear(): void {
    this.at = null;
    this.gen++;
    delete this.body.dataset.seq;
    this.body.replaceChildren(h('p', { class: 'hint' }, 'Select an event to see the kernel state after it.'));
  }

  /** The selected event (at simulated time `t`) changed: show the state around it, on its node unless a node was picked. */
  show(seq: number, node: string, t: number): void {
    this.at = { seq, node, t };
    void this.load();
  }

  private async load(): Promise<void> {
    if (!this.at) return;
    const node = this.nodeSel.value || this.at.node || this.last?.state.node || '';
    const gen = ++this.gen;
    if (!node) {
      this.body.replaceChildren(h('p', { class: 'hint' }, 'This event belongs to no node: pick one.'));
      return;
    }
    this.body.dataset.loading = 'true';
    try {
      const seq = this.whenSel.value === 'before' ? Math.max(0, this.at.seq - 1) : this.at.seq;
      const v = await this.api.getStateAt({ seq, node });
      if (gen !== this.gen) return;
      this.last = v;
      this.render(v, this.at);
    } catch (e) {
      if (gen !== this.gen) return;
      this.body.replaceChildren(h('p', { class: 'hint state-error' }, `No state: ${e instanceof Error ? e.message : String(e)}`));
    } finally {
      if (gen === this.gen) this.body.dataset.loading = 'false';
    }
  }

  private render(v: StateAtView, at: { seq: number; t: number }): void {
    const have = new Set([...this.nodeSel.options].map((o) => o.value));
    for (const n of v.nodes) if (!have.has(n)) this.nodeSel.append(h('option', { value: n }, n));
    const s = v.state;
    // data-seq: the seq the state is after, as `workbench state RUN --seq N` takes it.
    this.body.dataset.seq = String(v.seq);
    this.body.dataset.node = s.node;
    const when = v.seq === at.seq ? `after #${at.seq}` : `before #${at.seq} (= after #${v.seq})`;
    const parts: HTMLElement[] = [h('p', { class: 'state-meta' }, `${s.node} (${s.role}) ${when}; countdowns from ${(at.t / 1e9).toFixed(6)} s${v.source === 'live' ? ' — the newest event: read from the running lab' : ''}`)];
    parts.push(...this.ipmr(s, at.t), h('h5', {}, 'IGMP'), this.igmp(s, at.t), h('h5', {}, 'Sockets'), this.sockets(s));
    const names = Object.keys(s.views);
    const keep = this.viewSel.value || DEFAULT_VIEW;
    this.viewSel.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
    this.viewSel.value = names.includes(keep) ? keep : (names[0] ?? '');
    parts.push(h('h5', {}, 'Text view ', this.viewSel), this.pre);
    this.body.replaceChildren(...parts);
    this.showText();
    markStateShown(at.seq);
  }

  private showText(): void {
    this.pre.textContent = this.last?.state.views[this.viewSel.value] ?? '';
    this.pre.dataset.view = this.viewSel.value;
  }

  private ipmr(s: NodeState, t: number): HTMLElement[] {
    if (!s.ipmr) return [h('h5', {}, 'Multicast routing'), h('p', { class: 'hint' }, 'No multicast routing table in use on this node.')];
    const out: HTMLElement[] = [];
    for (const tb of s.ipmr.tables) {
      const owner = tb.mrouteSocket ? 'owned by an mroute socket' : 'no mroute socket';
      out.push(h('h5', {}, `Multicast table ${tb.id} (${owner})`));
      out.push(h('h6', {}, 'VIFs'), table('state-vifs', ['vif', 'dev', 'flags', 'threshold', 'pkts in', 'bytes in', 'pkts out', 'bytes out'],
        tb.vifs.map((x) => [x.vifi, x.dev, x.flags, x.threshold, x.pktIn, x.bytesIn, x.pktOut, x.bytesOut]), 'No VIFs.'));
      out.push(h('h6', {}, 'MFC'), table('state-mfc', ['(S,G)', 'iif', 'oifs (vif:ttl)', 'pkts', 'bytes', 'wrong if'],
        tb.mfc.map((m) => [`(${m.origin}, ${m.group})`, m.iif, m.oifs.map(([vif, ttl]) => `${vif}:${ttl}`).join(' ') || '—', m.pkt, m.bytes, m.wrongIf]), 'No resolved entries.'));
      out.push(h('h6', {}, 'Unresolved queue'), table('state-unres', ['(S,G)', 'queued', 'packets', 'expires in'],
        tb.unres.map((u) => [`(${u.origin}, ${u.group})`, u.queued, u.pkts.map((p) => (p === null ? '?' : `#${p}`)).join(' ') || '—', u.expires > t ? ms(u.expires - t) : 'expired']), 'No unresolved entries.'));
    }
    return out;
  }

  private igmp(s: NodeState, t: number): HTMLElement {
    const rows: (string | number)[][] = [];
    for (const d of s.igmp) {
      for (const g of d.groups) {
        const src = g.sources.map((x) => `${x.addr} (in ${x.include}, ex ${x.exclude})`).join(', ') || '—';
        rows.push([d.dev, g.group, g.users, g.mode, src, g.timer === null ? '—' : g.timer > t ? ms(g.timer - t) : 'due']);
      }
    }
    return table('state-igmp', ['dev', 'group', 'users', 'filter mode', 'sources', 'report in'], rows, 'No memberships.');
  }

  private sockets(s: NodeState): HTMLElement {
    return table('state-sockets', ['socket', 'type', 'protocol', 'local', 'mroute tables', 'memberships', 'queued'],
      s.sockets.map((k) => [k.id, k.type, k.protocol, k.local, k.mrouteTables.join(' ') || '—', k.memberships.map((m) => `${m.group}@${m.ifindex} ${m.mode}`).join(', ') || '—', k.queued]), 'No sockets.');
  }
}
