// The trace pane's filter-set picker: apply a built-in or saved set, save the current filter under a name,
// delete a saved one. Saved sets live in localStorage so they outlive the lab and the session.

import type { TraceFilter } from '../../../main/host/api.js';
import { h } from '../dom.js';
import { BUILT_IN_SETS, describeFilter, parseSaved, SAVED_SETS_KEY as KEY, withSet, type FilterSet } from './filter-set-model.js';

function load(): FilterSet[] {
  try {
    return parseSaved(localStorage.getItem(KEY));
  } catch {
    return [];
  }
}

function store(sets: FilterSet[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(sets));
  } catch {
    /* private mode: saved sets last for the session */
  }
}

/** The toolbar control: pick a set to apply it; save the current filter under a name; delete a saved one. */
export class FilterSetPicker {
  readonly element: HTMLElement;
  private saved = load();
  private readonly select = h('select', { class: 'trace-sets', 'aria-label': 'Filter sets' });
  private readonly nameInput = h('input', { class: 'trace-set-name', placeholder: 'name, then Enter', 'aria-label': 'Name of the filter set', size: '14', hidden: '' });
  private readonly saveBtn = h('button', { type: 'button', class: 'trace-set-save', title: 'Save the current filter as a set', 'aria-label': 'Save the current filter as a set' }, 'Save');
  private readonly deleteBtn = h('button', { type: 'button', class: 'trace-set-delete', title: 'Delete this saved set', 'aria-label': 'Delete this saved set', disabled: '' }, '✕');

  constructor(
    private readonly current: () => TraceFilter,
    private readonly apply: (f: TraceFilter) => void,
  ) {
    this.select.addEventListener('change', () => {
      const set = this.find(this.select.value);
      this.deleteBtn.disabled = !this.select.value.startsWith('s:');
      if (set) this.apply(set.filter);
    });
    this.saveBtn.addEventListener('click', () => {
      this.nameInput.hidden = false;
      this.saveBtn.hidden = true;
      this.nameInput.value = '';
      this.nameInput.focus();
    });
    const closeName = (): void => {
      this.nameInput.hidden = true;
      this.saveBtn.hidden = false;
    };
    this.nameInput.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') closeName();
      if (e.key !== 'Enter') return;
      const name = this.nameInput.value.trim().slice(0, 60);
      if (!name) return;
      this.saved = withSet(this.saved, { name, filter: this.current() });
      store(this.saved);
      closeName();
      this.render(`s:${name}`);
    });
    this.nameInput.addEventListener('blur', closeName);
    this.deleteBtn.addEventListener('click', () => {
      const v = this.select.value;
      if (!v.startsWith('s:')) return;
      this.saved = this.saved.filter((s) => s.name !== v.slice(2));
      store(this.saved);
      this.render('');
    });
    this.element = h('span', { class: 'trace-filter-sets' }, this.select, this.saveBtn, this.nameInput, this.deleteBtn);
    this.render('');
  }

  /** The filter changed by hand: the picker no longer names it. */
  clear(): void {
    this.select.value = '';
    this.deleteBtn.disabled = true;
  }

  private find(value: string): FilterSet | undefined {
    if (value.startsWith('b:')) return BUILT_IN_SETS[Number(value.slice(2))];
    if (value.startsWith('s:')) return this.saved.find((s) => s.name === value.slice(2));
    return undefined;
  }

  private render(selected: string): void {
    const opt = (value: string, set: FilterSet): HTMLOptionElement => h('option', { value, title: describeFilter(set.filter) }, set.name);
    const groups: HTMLElement[] = [h('option', { value: '' }, 'Filter sets…'), h('optgroup', { label: 'Built in' }, ...BUILT_IN_SETS.map((s, i) => opt(`b:${i}`, s)))];
    if (this.saved.length) groups.push(h('optgroup', { label: 'Saved' }, ...this.saved.map((s) => opt(`s:${s.name}`, s))));
    this.select.replaceChildren(...groups);
    this.select.value = selected;
    this.deleteBtn.disabled = !selected.startsWith('s:');
  }
}
