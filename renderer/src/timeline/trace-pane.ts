// The trace of the running lab: a virtualised list (only the visible rows exist, pages are fetched on
// demand, so a million events scroll like a hundred), filters by node / kind / function / text, step
// forward and back, jump to a time, and the selected event's detail below.

import type { EventDetailView, TraceEventView, TraceFilter, WorkbenchApi } from '../../../main/host/api.js';
import { h } from '../dom.js';
import { formatTime, renderDetail } from './event-detail.js';
import { SeriesPlot } from './series-plot.js';
import { StateView } from './state-view.js';
import { exportButtons } from './export-buttons.js';

const ROW = 22;
const PAGE = 200;
const OVERSCAN = 10;
const KINDS = ['call', 'lookup', 'rx', 'tx', 'deliver', 'drop', 'timer_arm', 'timer_fire', 'timer_cancel', 'upcall', 'state', 'log'];

export class TracePane {
  private filter: TraceFilter = {};
  private total = 0;
  private readonly pages = new Map<number, Promise<TraceEventView[]>>();
  /** Position (in the filtered list) and seq of the selected event. */
  private selected: { index: number; seq: number } | null = null;
  private generation = 0;
  private readonly list = h('div', { class: 'trace-list', tabindex: '0', role: 'listbox', 'aria-label': 'Trace events' });
  private readonly spacer = h('div', { class: 'trace-spacer' });
  private readonly count = h('span', { class: 'trace-count' });
  private readonly detail = h('div', { class: 'trace-detail' });
  private readonly nodeSel = h('select', { class: 'trace-node', 'aria-label': 'Node' }, h('option', { value: '' }, 'all nodes'));
  private readonly fnList = h('datalist', { id: 'trace-fns' });
  private readonly plotBox = h('div', { class: 'trace-plot' });
  private readonly plot = new SeriesPlot(this.plotBox);
  private plotOn = false;
  private readonly stateBox = h('div', { class: 'trace-state' });
  private stateView: StateView | null = null;

  constructor(
    root: HTMLElement,
    private readonly api: WorkbenchApi,
    private readonly fail: (e: unknown) => void,
  ) {
    const kindSel = h('select', { class: 'trace-kind', 'aria-label': 'Kind' }, h('option', { value: '' }, 'all kinds'), ...KINDS.map((k) => h('option', { value: k }, k)));
    const fnInput = h('input', { class: 'trace-fn', list: 'trace-fns', placeholder: 'kernel function', 'aria-label': 'Kernel function', size: '18' });
    const search = h('input', { class: 'trace-search', type: 'search', placeholder: 'search', 'aria-label': 'Search the trace', size: '12' });
    const time = h('input', { class: 'trace-time', placeholder: 'time (s)', 'aria-label': 'Jump to time in seconds', size: '7' });
    const prev = h('button', { type: 'button', class: 'trace-prev', title: 'Step back (↑ or k)' }, '◀');
    const next = h('button', { type: 'button', class: 'trace-next', title: 'Step forward (↓ or j)' }, '▶');
    const plotBtn = h('button', { type: 'button', class: 'trace-plot-toggle', title: 'Plot the filtered events over time, per node' }, 'Plot');
    plotBtn.addEventListener('click', () => {
      this.plotOn = !this.plotOn;
      plotBtn.classList.toggle('active', this.plotOn);
      this.plotBox.hidden = !this.plotOn;
      if (this.plotOn) void this.drawPlot();
      else this.plot.hide();
    });
    this.plotBox.hidden = true;
    let searchTimer: number | undefined;
    const setFilter = (): void => {
      const f: TraceFilter = {};
      if (this.nodeSel.value) f.node = this.nodeSel.value;
      if (kindSel.value) f.kind = kindSel.value;
      if (fnInput.value.trim()) f.fn = fnInput.value.trim();
      if (search.value.trim()) f.text = search.value.trim();
      this.filter = f;
      void this.reload(this.selected?.seq);
    };
    this.nodeSel.addEventListener('change', setFilter);
    kindSel.addEventListener('change', setFilter);
    fnInput.addEventListener('change', setFilter);
    search.addEventListener('input', () => {
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(setFilter, 300);
    });
    time.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const s = Number(time.value);
      if (!Number.isFinite(s) || s < 0) return;
      void this.api.locateEvent({ filter: this.filter, t: Math.round(s * 1e9) }).then((i) => this.selectIndex(Math.min(i, this.total - 1)), this.fail);
    });
    prev.addEventListener('click', () => this.step(-1));
    next.addEventListener('click', () => this.step(1));
    this.list.addEventListener('scroll', () => this.paint());
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.list.append(this.spacer);
    root.append(
      h('div', { class: 'trace-toolbar' }, this.nodeSel, kindSel, fnInput, this.fnList, search, prev, next, time, plotBtn, exportButtons(this.api, this.fail), this.count),
      this.plotBox,
      this.list,
      this.detail,
      this.stateBox,
    );
    this.stateView = new StateView(this.stateBox, this.api);
    renderDetail(this.detail, null, (seq) => void this.selectSeq(seq));
    void this.reload();
  }

  /** The trace grew (a command ran): new total, repaint; the selection stays. */
  refresh(): void {
    void this.reload(this.selected?.seq);
  }

  /** Selects the event with this seq (clearing filters that hide it). */
  async selectSeq(seq: number): Promise<void> {
    let i = await this.api.locateEvent({ filter: this.filter, seq });
    const page = await this.page(Math.floor(i / PAGE));
    if (page[i % PAGE]?.seq !== seq) {
      // Filtered out: show it in the unfiltered list rather than an unrelated neighbour.
      this.filter = {};
      for (const el of this.list.parentElement?.querySelectorAll<HTMLInputElement | HTMLSelectElement>('.trace-toolbar select, .trace-toolbar input') ?? []) el.value = '';
      await this.reload();
      i = await this.api.locateEvent({ seq });
    }
    await this.selectIndex(i);
  }

  /** Re-reads the trace under the current filter. The old list stays on screen until the new one is ready. */
  private async reload(keepSeq?: number): Promise<void> {
    const gen = ++this.generation;
    this.list.dataset.loading = 'true';
    this.pages.clear();
    try {
      const first = await this.api.getTrace({ offset: 0, limit: PAGE, filter: this.filter });
      if (gen !== this.generation) return;
      this.pages.set(0, Promise.resolve(first.events));
      let selected: { index: number; seq: number } | null = null;
      if (keepSeq !== undefined && first.total > 0) {
        const i = await this.api.locateEvent({ filter: this.filter, seq: keepSeq });
        const ev = i < first.total ? (await this.page(Math.floor(i / PAGE)))[i % PAGE] : undefined;
        if (ev?.seq === keepSeq) selected = { index: i, seq: keepSeq };
      }
      if (gen !== this.generation) return;
      this.total = first.total;
      this.selected = selected;
      this.count.textContent = `${first.total.toLocaleString('en')} event${first.total === 1 ? '' : 's'}`;
      this.spacer.style.height = `${first.total * ROW}px`;
      this.updateNames(first.nodes, first.fns);
      if (this.plotOn) void this.drawPlot();
      if (selected) this.reveal(selected.index);
      this.paint();
    } catch (e) {
      this.fail(e);
    }
  }

  private async drawPlot(): Promise<void> {
    try {
      const view = await this.api.getSeries({ filter: this.filter, buckets: 200 });
      const f = this.filter;
      const title = [f.fn ?? (f.kind ? `${f.kind} events` : 'all events'), f.node ? `on ${f.node}` : '', f.text ? `matching "${f.text}"` : ''].filter(Boolean).join(' ');
      if (this.plotOn) this.plot.show(view, title);
    } catch (e) {
      this.fail(e);
    }
  }

  private updateNames(nodes: string[], fns: string[]): void {
    const have = new Set([...this.nodeSel.options].map((o) => o.value));
    for (const n of nodes) if (!have.has(n)) this.nodeSel.append(h('option', { value: n }, n));
    this.fnList.replaceChildren(...fns.map((f) => h('option', { value: f })));
  }

  private page(p: number): Promise<TraceEventView[]> {
    let pr = this.pages.get(p);
    if (!pr) {
      pr = this.api.getTrace({ offset: p * PAGE, limit: PAGE, filter: this.filter }).then((r) => r.events);
      this.pages.set(p, pr);
    }
    return pr;
  }

  private paint(): void {
    const gen = this.generation;
    const top = this.list.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((top + this.list.clientHeight) / ROW) + OVERSCAN);
    const pagesNeeded = new Set<number>();
    for (let i = first; i < last; i++) pagesNeeded.add(Math.floor(i / PAGE));
    void Promise.all([...pagesNeeded].map((p) => this.page(p).then((evs) => [p, evs] as const))).then((loaded) => {
      if (gen !== this.generation) return;
      const byPage = new Map(loaded);
      const rows: HTMLElement[] = [];
      for (let i = first; i < last; i++) {
        const ev = byPage.get(Math.floor(i / PAGE))?.[i % PAGE];
        if (ev) rows.push(this.row(ev, i));
      }
      this.spacer.replaceChildren(...rows);
      // For tests and the curious: the list on screen matches the current filter and selection.
      this.list.dataset.loading = 'false';
    }, this.fail);
  }

  private row(ev: TraceEventView, index: number): HTMLElement {
    const sel = this.selected?.index === index;
    const data = ev.data === '{}' ? '' : ev.data;
    const el = h(
      'div',
      { class: `trace-row kind-${ev.kind}${sel ? ' selected' : ''}`, role: 'option', 'aria-selected': String(sel), 'data-seq': String(ev.seq), style: `top:${index * ROW}px` },
      h('span', { class: 'c-seq' }, String(ev.seq)),
      h('span', { class: 'c-t' }, formatTime(ev.t)),
      h('span', { class: 'c-node' }, ev.node),
      h('span', { class: 'c-fn' }, ev.fn),
      h('span', { class: 'c-data' }, data.length > 160 ? `${data.slice(0, 160)}…` : data),
    );
    el.addEventListener('click', () => void this.selectIndex(index));
    return el;
  }

  private async selectIndex(index: number): Promise<void> {
    if (index < 0 || index >= this.total) return;
    const ev = (await this.page(Math.floor(index / PAGE)))[index % PAGE];
    if (!ev) return;
    this.selected = { index, seq: ev.seq };
    this.reveal(index);
    this.paint();
    this.stateView?.show(ev.seq, ev.node, ev.t);
    try {
      const d: EventDetailView | null = await this.api.getEvent({ seq: ev.seq });
      if (this.selected?.seq === ev.seq) renderDetail(this.detail, d, (seq) => void this.selectSeq(seq));
    } catch (e) {
      this.fail(e);
    }
  }

  /** Scrolls so that row `index` is on screen (a third from the top when it has to move). */
  private reveal(index: number): void {
    const top = index * ROW;
    if (top < this.list.scrollTop || top + ROW > this.list.scrollTop + this.list.clientHeight) this.list.scrollTop = Math.max(0, top - this.list.clientHeight / 3);
  }

  private step(delta: number): void {
    const i = this.selected ? this.selected.index + delta : delta > 0 ? 0 : this.total - 1;
    void this.selectIndex(Math.max(0, Math.min(this.total - 1, i)));
  }

  private onKey(e: KeyboardEvent): void {
    const pageRows = Math.max(1, Math.floor(this.list.clientHeight / ROW) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: pageRows, PageUp: -pageRows };
    if (e.key in moves) this.step(moves[e.key]!);
    else if (e.key === 'Home') void this.selectIndex(0);
    else if (e.key === 'End') void this.selectIndex(this.total - 1);
    else return;
    e.preventDefault();
  }
}
