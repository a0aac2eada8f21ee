// The trace of the running lab: a virtualised list (only the visible rows exist, pages are fetched on
// demand, so a million events scroll like a hundred), filters by node / kind / function / text, step
// forward and back, jump to a time, a scrubber over the whole run, named filter sets, and below the list the
// selected event's detail and the kernel state at that moment, in sections the student can resize or fold.

import type { EventDetailView, TraceEventView, TraceFilter, WorkbenchApi } from '../../../main/host/api.js';
import { h } from '../dom.js';
import { formatTime, renderDetail } from './event-detail.js';
import { SeriesPlot } from './series-plot.js';
import { StateView } from './state-view.js';
import { exportButtons } from './export-buttons.js';
import { FilterSetPicker } from './filter-sets.js';
import { splitter } from '../layout/splitter.js';
import { TRACE_SELECT, type TraceSelectDetail } from '../graph/trace-select.js';
import { chainNodes } from './chain-nodes.js';
import { markSelect, measurePaint } from './perf-marks.js';
import { rowTop, scrollMap, scrollTopFor, virtualTop, type ScrollMap } from './virtual-scroll.js';
import './trace-layout.css';

const ROW = 22;
/** The spacer's height cap (virtual-scroll.ts), well below Chromium's layout limit. */
const MAX_SPACER_PX = 15_000_000;
const PAGE = 200;
const OVERSCAN = 10;
/** Pages kept in memory: a scrub through a million events must not keep them all (about 60 KB a page). */
const MAX_PAGES = 64;
const KINDS = ['call', 'lookup', 'rx', 'tx', 'deliver', 'drop', 'timer_arm', 'timer_fire', 'timer_cancel', 'upcall', 'state', 'log'];

export class TracePane {
  private filter: TraceFilter = {};
  private total = 0;
  private readonly pages = new Map<number, Promise<TraceEventView[]>>();
  /** The pages that have arrived, drawn without waiting (bounded with `pages`). */
  private readonly ready = new Map<number, TraceEventView[]>();
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
  private readonly scrubber = h('input', { class: 'trace-scrubber', type: 'range', min: '0', max: '0', value: '0', step: '1', 'aria-label': 'Scrub through the trace' });
  private readonly scrubLabel = h('span', { class: 'trace-scrub-pos' });
  private paintQueued = false;
  /** The spacer's geometry: virtual pixels (ROW per event) per scrolled pixel is 1 unless the list is long. */
  private geometry: ScrollMap = { height: 0, scale: 1 };
  /** One page fetch in flight at a time: a fast scrub asks for the window it is at, not every one it passed. */
  private fetching = false;
  private readonly sets: FilterSetPicker;
  private readonly controls: { node: HTMLSelectElement; kind: HTMLSelectElement; fn: HTMLInputElement; text: HTMLInputElement };

  constructor(
    root: HTMLElement,
    private readonly api: WorkbenchApi,
    private readonly fail: (e: unknown) => void,
  ) {
    const kindSel = h('select', { class: 'trace-kind', 'aria-label': 'Kind' }, h('option', { value: '' }, 'all kinds'), ...KINDS.map((k) => h('option', { value: k }, k)));
    const fnInput = h('input', { class: 'trace-fn', list: 'trace-fns', placeholder: 'kernel function', 'aria-label': 'Kernel function', size: '16' });
    const search = h('input', { class: 'trace-search', type: 'search', placeholder: 'search', 'aria-label': 'Search the trace', size: '10' });
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
    this.controls = { node: this.nodeSel, kind: kindSel, fn: fnInput, text: search };
    this.sets = new FilterSetPicker(
      () => this.filter,
      (f) => this.applyFilter(f),
    );
    let searchTimer: number | undefined;
    const setFilter = (): void => {
      this.sets.clear();
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
    this.list.addEventListener('scroll', () => {
      this.syncScrubber();
      this.queuePaint();
    });
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.list.append(this.spacer);
    // The scrubber moves the view while dragged (cheap: rows only) and selects where it is let go.
    this.scrubber.addEventListener('input', () => {
      const i = Number(this.scrubber.value);
      this.scrollToVirtual(i * ROW - this.list.clientHeight / 3);
      this.scrubLabel.textContent = this.position(i);
    });
    this.scrubber.addEventListener('change', () => void this.selectIndex(Number(this.scrubber.value)));
    const detailSection = this.section('trace-detail-section', 'Event', this.detail);
    const stateSection = this.section('trace-state-section', 'Kernel state', this.stateBox);
    root.append(
      h('div', { class: 'trace-toolbar' }, this.nodeSel, kindSel, fnInput, this.fnList, search, this.sets.element),
      h('div', { class: 'trace-toolbar trace-nav' }, prev, next, time, this.scrubber, this.scrubLabel, this.count, plotBtn, exportButtons(this.api, this.fail)),
      this.plotBox,
      this.list,
      splitter({ axis: 'y', target: this.list, key: 'trace.list', initial: 0.32, min: 90, reserve: 160, label: 'Resize the event list' }),
      detailSection,
      splitter({ axis: 'y', target: detailSection, key: 'trace.detail', initial: 0.24, min: 60, reserve: 90, label: 'Resize the event detail' }),
      stateSection,
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
      this.showFilter(this.filter);
      this.sets.clear();
      await this.reload();
      i = await this.api.locateEvent({ seq });
    }
    await this.selectIndex(i);
  }

  /** A filter set was picked: its fields go into the controls, then the list reloads. */
  private applyFilter(f: TraceFilter): void {
    this.filter = { ...f };
    this.showFilter(f);
    void this.reload(this.selected?.seq);
  }

  /** The filter's fields in the toolbar's controls (a node the list has not named yet gets its option). */
  private showFilter(f: TraceFilter): void {
    const { node, kind, fn, text } = this.controls;
    if (f.node && ![...node.options].some((o) => o.value === f.node)) node.append(h('option', { value: f.node }, f.node));
    node.value = f.node ?? '';
    kind.value = f.kind ?? '';
    fn.value = f.fn ?? '';
    text.value = f.text ?? '';
  }

  /** A titled part of the pane whose body folds away (the title stays, so it unfolds from where it was). */
  private section(cls: string, title: string, body: HTMLElement): HTMLElement {
    const key = `rlw.fold.${cls}`;
    const toggle = h('button', { type: 'button', class: 'trace-fold', 'aria-expanded': 'true' }, title);
    const sec = h('section', { class: `trace-section ${cls}` }, h('div', { class: 'trace-section-head' }, toggle), body);
    const set = (folded: boolean): void => {
      sec.classList.toggle('folded', folded);
      toggle.setAttribute('aria-expanded', String(!folded));
      body.hidden = folded;
    };
    toggle.addEventListener('click', () => {
      const folded = !sec.classList.contains('folded');
      set(folded);
      try {
        localStorage.setItem(key, folded ? '1' : '');
      } catch {
        /* the fold lasts for the session */
      }
    });
    try {
      set(localStorage.getItem(key) === '1');
    } catch {
      set(false);
    }
    return sec;
  }

  private position(i: number): string {
    // Followed by the count ("5 / 12 events").
    return this.total ? `${(i + 1).toLocaleString('en')} /` : '';
  }

  /** The scrubber follows the list (the row a third down the view), unless it is being dragged. */
  private syncScrubber(): void {
    if (document.activeElement === this.scrubber) return;
    const i = Math.min(Math.max(0, this.total - 1), Math.floor((this.virtualTop() + this.list.clientHeight / 3) / ROW));
    this.scrubber.value = String(this.selected?.index ?? i);
    this.scrubLabel.textContent = this.position(this.selected?.index ?? i);
  }

  /** One paint per frame however many scroll events arrive. */
  private queuePaint(): void {
    if (this.paintQueued) return;
    this.paintQueued = true;
    requestAnimationFrame(() => {
      this.paintQueued = false;
      this.paint();
    });
  }

  /** Re-reads the trace under the current filter. The old list stays on screen until the new one is ready. */
  private async reload(keepSeq?: number): Promise<void> {
    const gen = ++this.generation;
    this.list.dataset.loading = 'true';
    this.pages.clear();
    this.ready.clear();
    try {
      const first = await this.api.getTrace({ offset: 0, limit: PAGE, filter: this.filter });
      if (gen !== this.generation) return;
      this.pages.set(0, Promise.resolve(first.events));
      this.ready.set(0, first.events);
      let selected: { index: number; seq: number } | null = null;
      if (keepSeq !== undefined && first.total > 0) {
        const i = await this.api.locateEvent({ filter: this.filter, seq: keepSeq });
        const ev = i < first.total ? (await this.page(Math.floor(i / PAGE)))[i % PAGE] : undefined;
        if (ev?.seq === keepSeq) selected = { index: i, seq: keepSeq };
      }
      if (gen !== this.generation) return;
      this.total = first.total;
      // The selection went (filtered out, or the lab was reset): the graph lets go of it too.
      if (this.selected && !selected) {
        window.dispatchEvent(new CustomEvent<TraceSelectDetail>(TRACE_SELECT, { detail: { seq: 0, node: '', chainNodes: [] } }));
        renderDetail(this.detail, null, (seq) => void this.selectSeq(seq));
        this.stateView?.clear();
      }
      this.selected = selected;
      this.count.textContent = `${first.total.toLocaleString('en')} event${first.total === 1 ? '' : 's'}`;
      this.geometry = scrollMap(first.total, ROW, this.list.clientHeight, MAX_SPACER_PX);
      this.spacer.style.height = `${this.geometry.height}px`;
      this.scrubber.max = String(Math.max(0, first.total - 1));
      this.scrubber.disabled = first.total === 0;
      this.updateNames(first.nodes, first.fns);
      if (this.plotOn) void this.drawPlot();
      if (selected) this.reveal(selected.index);
      this.syncScrubber();
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
    if (pr) {
      // Most recently used last: the oldest pages go first when the cache is full.
      this.pages.delete(p);
    } else {
      const gen = this.generation;
      const mine: Promise<TraceEventView[]> = this.api.getTrace({ offset: p * PAGE, limit: PAGE, filter: this.filter }).then((r) => {
        if (gen === this.generation && this.pages.get(p) === mine) this.ready.set(p, r.events);
        return r.events;
      });
      pr = mine;
    }
    this.pages.set(p, pr);
    while (this.pages.size > MAX_PAGES) {
      const oldest = this.pages.keys().next().value!;
      this.pages.delete(oldest);
      this.ready.delete(oldest);
    }
    return pr;
  }

  /** Draws the rows in view now (placeholders where a page is still on its way), then again when it arrives. */
  private paint(): void {
    if (this.total === 0) {
      // An empty list says why: nothing has run yet, or the filter matches nothing.
      const filtered = Object.keys(this.filter).length > 0;
      this.spacer.replaceChildren(h('p', { class: 'trace-empty hint' }, filtered ? 'No event matches this filter.' : 'No events yet: run a command in a console or a step of the guide.'));
      this.list.dataset.loading = 'false';
      return;
    }
    const gen = this.generation;
    const t0 = performance.now();
    const top = this.virtualTop();
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((top + this.list.clientHeight) / ROW) + OVERSCAN);
    const missing = new Set<number>();
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const p = Math.floor(i / PAGE);
      const ev = this.ready.get(p)?.[i % PAGE];
      if (ev) rows.push(this.row(ev, i));
      else {
        if (!this.ready.has(p)) missing.add(p);
        rows.push(h('div', { class: 'trace-row pending', 'data-index': String(i), style: `top:${this.rowTop(i)}px` }, h('span', { class: 'c-seq' }, '…')));
      }
    }
    this.spacer.replaceChildren(...rows);
    // For tests and the curious: 'false' means the rows on screen are the current filter's, all loaded.
    this.list.dataset.loading = missing.size ? 'true' : 'false';
    measurePaint(t0, rows.length, missing.size);
    if (!missing.size || this.fetching) return;
    // When this fetch returns, paint again: it draws these rows, or asks for the window the list is at by then.
    this.fetching = true;
    void Promise.all([...missing].map((p) => this.page(p)))
      .then(() => undefined, this.fail)
      .finally(() => {
        this.fetching = false;
        if (gen === this.generation) this.paint();
        else this.queuePaint();
      });
  }

  /** Where the view's top is in rows × ROW (the list's own scrollTop unless the spacer is capped). */
  private virtualTop(): number {
    return virtualTop(this.list.scrollTop, this.geometry);
  }

  private scrollToVirtual(px: number): void {
    this.list.scrollTop = scrollTopFor(px, this.geometry);
  }

  private rowTop(index: number): number {
    return rowTop(index, ROW, this.list.scrollTop, this.geometry);
  }

  private row(ev: TraceEventView, index: number): HTMLElement {
    const sel = this.selected?.index === index;
    const data = ev.data === '{}' ? '' : ev.data;
    const el = h(
      'div',
      { class: `trace-row kind-${ev.kind}${sel ? ' selected' : ''}`, role: 'option', 'aria-selected': String(sel), 'data-seq': String(ev.seq), 'data-index': String(index), style: `top:${this.rowTop(index)}px` },
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
    this.scrubber.value = String(index);
    this.scrubLabel.textContent = this.position(index);
    this.paint();
    markSelect(ev.seq);
    this.stateView?.show(ev.seq, ev.node, ev.t);
    try {
      const d: EventDetailView | null = await this.api.getEvent({ seq: ev.seq });
      if (this.selected?.seq !== ev.seq) return;
      renderDetail(this.detail, d, (seq) => void this.selectSeq(seq));
      // The graph highlights the chain and animates the packet (graph/, listening on window).
      const detail: TraceSelectDetail = { seq: ev.seq, node: ev.node, chainNodes: chainNodes(d) };
      if (ev.pkt !== null) detail.pkt = ev.pkt;
      window.dispatchEvent(new CustomEvent<TraceSelectDetail>(TRACE_SELECT, { detail }));
    } catch (e) {
      this.fail(e);
    }
  }

  /** Scrolls so that row `index` is on screen (a third from the top when it has to move). */
  private reveal(index: number): void {
    const top = index * ROW;
    const at = this.virtualTop();
    if (top < at || top + ROW > at + this.list.clientHeight) this.scrollToVirtual(top - this.list.clientHeight / 3);
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
