// A draggable separator that sizes the element before it (the element after takes the rest). Sizes are kept
// per key in localStorage, so a student who widened the trace pane finds it wide after a reload. Keyboard:
// arrows move it by 16 px (Shift: 64), Home/End to the limits, double-click or Enter restores the default.

import { h } from '../dom.js';
import './splitter.css';

export interface SplitterOptions {
  /** 'x': a vertical bar resizing width; 'y': a horizontal bar resizing height. */
  axis: 'x' | 'y';
  /** The element whose size the bar sets (flex-basis in px). */
  target: HTMLElement;
  /** localStorage key suffix; '' keeps nothing. */
  key: string;
  /** Default size in px, or a fraction (0..1) of the parent's size. */
  initial: number;
  min: number;
  /** Space left for the elements after the bar. */
  reserve: number;
  label: string;
}

const PREFIX = 'rlw.split.';

function storedSize(key: string): number | null {
  if (!key) return null;
  try {
    const v = Number(localStorage.getItem(PREFIX + key));
    return Number.isFinite(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

export function splitter(o: SplitterOptions): HTMLElement {
  const bar = h('div', {
    class: `splitter splitter-${o.axis}`,
    role: 'separator',
    tabindex: '0',
    'aria-orientation': o.axis === 'x' ? 'vertical' : 'horizontal',
    'aria-label': o.label,
    title: `${o.label} (drag; double-click resets)`,
  });
  const parentSize = (): number => {
    const p = o.target.parentElement;
    if (!p) return 0;
    return o.axis === 'x' ? p.clientWidth : p.clientHeight;
  };
  const clamp = (px: number): number => {
    const max = Math.max(o.min, parentSize() - o.reserve);
    return Math.round(Math.max(o.min, Math.min(max, px)));
  };
  let size: number | null = storedSize(o.key);
  const apply = (px: number | null, save: boolean): void => {
    size = px;
    if (px === null) {
      // The default: a fraction of the parent or a fixed size, resolved at layout time.
      o.target.style.flex = o.initial <= 1 ? `0 0 ${o.initial * 100}%` : `0 0 ${o.initial}px`;
    } else {
      o.target.style.flex = `0 0 ${px}px`;
    }
    bar.setAttribute('aria-valuenow', String(Math.round(px ?? currentSize())));
    if (save && o.key) {
      try {
        if (px === null) localStorage.removeItem(PREFIX + o.key);
        else localStorage.setItem(PREFIX + o.key, String(px));
      } catch {
        /* private mode: sizes last for the session only */
      }
    }
  };
  const currentSize = (): number => {
    const r = o.target.getBoundingClientRect();
    return o.axis === 'x' ? r.width : r.height;
  };
  apply(size, false);

  bar.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    bar.setPointerCapture(e.pointerId);
    const start = o.axis === 'x' ? e.clientX : e.clientY;
    const from = currentSize();
    bar.classList.add('dragging');
    const move = (ev: PointerEvent): void => apply(clamp(from + (o.axis === 'x' ? ev.clientX : ev.clientY) - start), false);
    const up = (ev: PointerEvent): void => {
      bar.releasePointerCapture(ev.pointerId);
      bar.classList.remove('dragging');
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', up);
      apply(size, true);
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
  });
  bar.addEventListener('dblclick', () => apply(null, true));
  bar.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 64 : 16;
    const back = o.axis === 'x' ? 'ArrowLeft' : 'ArrowUp';
    const fwd = o.axis === 'x' ? 'ArrowRight' : 'ArrowDown';
    if (e.key === back) apply(clamp(currentSize() - step), true);
    else if (e.key === fwd) apply(clamp(currentSize() + step), true);
    else if (e.key === 'Home') apply(clamp(0), true);
    else if (e.key === 'End') apply(clamp(Number.MAX_SAFE_INTEGER), true);
    else if (e.key === 'Enter') apply(null, true);
    else return;
    e.preventDefault();
  });
  return bar;
}
