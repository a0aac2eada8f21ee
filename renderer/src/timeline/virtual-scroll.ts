// The trace list's geometry: one ROW-pixel row per event in a spacer whose height is capped (Chromium lays
// out nothing taller than ~33.5M px, 1.5M rows of 22 px). Past the cap one scrolled pixel stands for `scale`
// virtual ones, mapped so that the top of the spacer is the first row and its bottom the last.

export interface ScrollMap {
  /** The spacer's height in px. */
  height: number;
  /** Virtual px per scrolled px (1 when the list fits). */
  scale: number;
}

export function scrollMap(rows: number, rowPx: number, viewPx: number, maxPx: number): ScrollMap {
  const full = rows * rowPx;
  const height = Math.min(full, maxPx);
  return { height, scale: full > height && height > viewPx ? (full - viewPx) / (height - viewPx) : 1 };
}

/** The virtual offset (rows × rowPx) at the top of the view. */
export function virtualTop(scrollTop: number, m: ScrollMap): number {
  return scrollTop * m.scale;
}

/** Where row `index` goes inside the spacer so that it shows at its virtual place in the view. */
export function rowTop(index: number, rowPx: number, scrollTop: number, m: ScrollMap): number {
  return index * rowPx - virtualTop(scrollTop, m) + scrollTop;
}

/** The scrollTop that puts virtual offset `px` at the top of the view. */
export function scrollTopFor(px: number, m: ScrollMap): number {
  return Math.max(0, px) / m.scale;
}
