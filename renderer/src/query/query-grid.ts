// The query console's results grid: a table of the rows the host returned (at most QUERY_MAX_ROWS, so a
// plain table stays light), sortable by clicking a column's header (ascending, descending). Sorting
// orders the rows shown; when the result was cut, the header's title says to ORDER BY in SQL instead.

import type { QueryResultView } from '../../../main/host/query-api.js';
import { h } from '../dom.js';
import { sortedOrder } from './query-sort.js';

/** Columns whose numbers are event seqs: a click shows that event in the Trace tab. */
export const isSeqColumn = (name: string): boolean => name === 'seq' || name === 'parent' || name.endsWith('_seq');

export class QueryGrid {
  readonly el = h('div', { class: 'query-grid', tabindex: '0', role: 'region', 'aria-label': 'Query results' });
  private result: QueryResultView | null = null;
  private sort: { col: number; dir: 1 | -1 } | null = null;

  constructor(private readonly showEvent: ((seq: number) => void) | null = null) {
    this.el.addEventListener('click', (e) => {
      const b = (e.target as Element).closest<HTMLElement>('.query-seq');
      if (b && this.showEvent) this.showEvent(Number(b.dataset.seq));
    });
  }

  show(result: QueryResultView | null): void {
    this.result = result;
    this.sort = null;
    this.render();
  }

  private render(): void {
    const r = this.result;
    if (!r) {
      this.el.replaceChildren();
      return;
    }
    if (r.columns.length === 0) {
      this.el.replaceChildren(h('p', { class: 'query-empty' }, 'No rows.'));
      return;
    }
    const head = h('tr');
    r.columns.forEach((name, col) => {
      const sorted = this.sort?.col === col ? this.sort.dir : 0;
      const th = h(
        'th',
        {
          scope: 'col',
          'data-col': name,
          'aria-sort': sorted === 1 ? 'ascending' : sorted === -1 ? 'descending' : 'none',
          title: r.truncated ? 'Sorts the rows shown; ORDER BY in the query sorts them all' : 'Sort by this column',
        },
        name,
        sorted ? h('span', { class: 'query-sort', 'aria-hidden': 'true' }, sorted === 1 ? ' ▲' : ' ▼') : '',
      );
      th.addEventListener('click', () => {
        this.sort = this.sort?.col === col && this.sort.dir === 1 ? { col, dir: -1 } : this.sort?.col === col ? null : { col, dir: 1 };
        this.render();
      });
      head.append(th);
    });
    const order = this.sort ? sortedOrder(r.rows, this.sort.col, this.sort.dir) : r.rows.map((_, i) => i);
    const body = h('tbody');
    for (const i of order) {
      const tr = h('tr');
      r.rows[i]!.forEach((v, col) => {
        const text = v === null ? 'NULL' : String(v);
        const td = h('td', { class: v === null ? 'null' : typeof v === 'number' ? 'num' : 'text' });
        if (this.showEvent && typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && isSeqColumn(r.columns[col]!)) {
          td.append(h('button', { type: 'button', class: 'query-seq', 'data-seq': text, title: `Show event ${text} in the Trace tab` }, text));
        } else td.append(text);
        if (text.length > 40) td.title = text;
        tr.append(td);
      });
      body.append(tr);
    }
    const top = this.el.scrollTop;
    this.el.replaceChildren(h('table', { class: 'query-table' }, h('thead', {}, head), body));
    this.el.scrollTop = top;
  }
}
