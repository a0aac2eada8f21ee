// The query console (issue 10 §8): read-only SQL over the live session's recording. An editor (Ctrl+Enter
// runs), example queries over the real schema, the last queries (localStorage), SQLite's message when a
// query fails, and the results grid with an honest count ("first N of M rows"). The host enforces read-only,
// one statement and the row and time caps (main/host/query-run.ts); this pane only shows what it answers.

import type { WorkbenchApi } from '../../../main/host/api.js';
import { h } from '../dom.js';
import { EXAMPLE_QUERIES } from './query-examples.js';
import { QueryGrid } from './query-grid.js';
import { describeResult } from './query-sort.js';
import { pushHistory, readHistory, type HistoryStore } from './query-history.js';
import './query.css';

/** Adds the Query tab and its pane next to the others (index.html lists the first four). */
export function installQueryTab(): void {
  if (document.getElementById('tab-query')) return;
  const tab = h('button', { type: 'button', class: 'side-tab', id: 'tab-query', role: 'tab', 'aria-selected': 'false', 'aria-controls': 'query-pane', title: 'Read-only SQL over the run (Alt+5)' }, 'Query');
  document.getElementById('tab-guide')!.after(tab);
  const pane = h('section', { id: 'query-pane', class: 'pane query-pane', 'aria-label': 'Query console', hidden: '' });
  document.getElementById('guide-pane')!.after(pane);
}

function storage(): HistoryStore {
  try {
    return window.localStorage;
  } catch {
    const mem = new Map<string, string>();
    return { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v) };
  }
}

/** What a failed call says, without Electron's "Error invoking remote method …:" wrapper. */
function message(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '');
}

export class QueryPane {
  private readonly editor = h('textarea', {
    class: 'query-editor',
    spellcheck: 'false',
    rows: '7',
    'aria-label': 'SQL query',
    placeholder: "SELECT fn, count(*) FROM trace WHERE kind = 'drop' GROUP BY fn;",
  });
  private readonly run = h('button', { type: 'button', class: 'query-run', title: 'Run the query (Ctrl+Enter)' }, 'Run');
  private readonly history = h('select', { class: 'query-history', 'aria-label': 'Recent queries' });
  private readonly status = h('span', { class: 'query-status', role: 'status' });
  private readonly error = h('pre', { class: 'query-error', role: 'alert', hidden: '' });
  private readonly grid: QueryGrid;
  private readonly store = storage();
  private busy = false;

  constructor(
    root: HTMLElement,
    private readonly api: WorkbenchApi,
    /** Shows an event in the Trace tab (a click on a seq in the results). */
    showEvent: ((seq: number) => void) | null = null,
  ) {
    this.grid = new QueryGrid(showEvent);
    const examples = h('div', { class: 'query-examples', role: 'group', 'aria-label': 'Example queries' }, h('span', { class: 'query-label' }, 'Examples:'));
    for (const ex of EXAMPLE_QUERIES) {
      const b = h('button', { type: 'button', class: 'query-example', title: ex.title }, ex.label);
      b.addEventListener('click', () => {
        this.editor.value = ex.sql;
        void this.execute();
      });
      examples.append(b);
    }
    this.run.addEventListener('click', () => void this.execute());
    this.editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.execute();
      }
    });
    this.history.addEventListener('change', () => {
      const i = Number(this.history.value);
      const q = readHistory(this.store)[i];
      if (q !== undefined) this.editor.value = q;
      this.history.value = '';
      this.editor.focus();
    });
    this.fillHistory(readHistory(this.store));
    const help = h(
      'p',
      { class: 'query-help' },
      'Read-only SQL over this session’s recording. Views: ',
      h('code', {}, 'trace(seq, t, node, fn, kind, pkt, parent, data)'),
      ' and ',
      h('code', {}, 'trace_packets(id, t, node, dev, bytes, len, origin)'),
      '; ',
      h('code', {}, "json_extract(data, '$.reason')"),
      ' reads a payload. One statement; Ctrl+Enter runs it.',
    );
    const bar = h('div', { class: 'query-bar' }, this.run, this.history, this.status);
    root.replaceChildren(help, examples, this.editor, bar, this.error, this.grid.el);
  }

  private fillHistory(list: string[]): void {
    const opts = list.map((q, i) => h('option', { value: String(i), title: q }, q.replace(/\s+/g, ' ').slice(0, 80)));
    this.history.replaceChildren(h('option', { value: '' }, list.length ? `Recent (${list.length})` : 'No recent queries'), ...opts);
    this.history.disabled = list.length === 0;
  }

  /** Runs the editor's query; the grid keeps the last good result until the next one arrives. */
  async execute(): Promise<void> {
    const sql = this.editor.value;
    if (this.busy || sql.trim() === '') return;
    this.busy = true;
    this.run.disabled = true;
    this.status.textContent = 'Running…';
    this.status.dataset.state = 'running';
    this.fillHistory(pushHistory(this.store, sql));
    try {
      const r = await this.api.runQuery({ sql });
      this.error.hidden = true;
      this.error.textContent = '';
      this.grid.show(r);
      this.status.textContent = describeResult(r);
      this.status.dataset.state = 'ok';
    } catch (e) {
      this.grid.show(null);
      this.error.textContent = message(e);
      this.error.hidden = false;
      this.status.textContent = 'The query failed';
      this.status.dataset.state = 'error';
    } finally {
      this.busy = false;
      this.run.disabled = false;
    }
  }

  focus(): void {
    this.editor.focus();
  }
}
