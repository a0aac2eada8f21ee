// The trace list's geometry past Chromium's layout limit (renderer/src/timeline/virtual-scroll.ts): with 3M
// events the spacer stays at its cap, the first and the last row can both be scrolled to and show inside
// the view, and the scroll position for a row puts that row where it was asked for.

import { describe, expect, it } from 'vitest';
import { rowTop, scrollMap, scrollTopFor, virtualTop } from '../../../renderer/src/timeline/virtual-scroll.js';

const ROW = 22;
const VIEW = 300;
const MAX = 15_000_000;

describe('trace list geometry', () => {
  it('is the plain layout when the list fits', () => {
    const m = scrollMap(1000, ROW, VIEW, MAX);
    expect(m).toEqual({ height: 22_000, scale: 1 });
    expect(rowTop(500, ROW, 4000, m)).toBe(500 * ROW);
    expect(scrollTopFor(500 * ROW, m)).toBe(500 * ROW);
  });

  it('caps the spacer for 3M rows and still reaches the first and the last row', () => {
    const rows = 3_000_000;
    const m = scrollMap(rows, ROW, VIEW, MAX);
    expect(m.height).toBe(MAX);
    expect(m.scale).toBeGreaterThan(4);
    // At the top: row 0 at the view's top.
    expect(rowTop(0, ROW, 0, m)).toBe(0);
    // Scrolled to the bottom (scrollTop = height - view): the last row ends at the view's bottom.
    const bottom = m.height - VIEW;
    const last = rowTop(rows - 1, ROW, bottom, m);
    expect(last + ROW - bottom).toBeCloseTo(VIEW, 6);
    expect(last).toBeLessThanOrEqual(m.height - ROW + 1e-6);
    // Any row asked for (not in the first or last view) lands where asked: a third down the view.
    for (const i of [12_345, 1_500_000, rows - 20]) {
      const st = scrollTopFor(i * ROW - VIEW / 3, m);
      expect(st).toBeLessThanOrEqual(bottom + 1e-6);
      expect(rowTop(i, ROW, st, m) - st).toBeCloseTo(VIEW / 3, 6);
      expect(Math.floor((virtualTop(st, m) + VIEW / 3) / ROW)).toBe(i);
    }
  });
});
