// Light and dark themes: CSS variables switched by data-theme on <html>; the first choice follows the OS.

export type Theme = 'light' | 'dark';

const KEY = 'workbench.theme';

export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(t: Theme): void {
  document.documentElement.dataset.theme = t;
  localStorage.setItem(KEY, t);
}

/** A CSS variable's current value (cytoscape styles are not CSS, so it reads them). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
