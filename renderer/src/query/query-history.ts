// The query console's history: the last queries run, newest first, kept in localStorage (per origin, so
// web mode and the app each keep their own). Storage that fails (private mode, quota) only loses history.

export const HISTORY_KEY = 'workbench.query.history';
export const HISTORY_MAX = 20;

export interface HistoryStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function readHistory(store: HistoryStore): string[] {
  try {
    const v = JSON.parse(store.getItem(HISTORY_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, HISTORY_MAX) : [];
  } catch {
    return [];
  }
}

/** Puts `sql` first (once: an earlier identical entry moves up) and keeps the newest HISTORY_MAX. */
export function pushHistory(store: HistoryStore, sql: string): string[] {
  const q = sql.trim();
  const next = [q, ...readHistory(store).filter((x) => x.trim() !== q)].slice(0, HISTORY_MAX);
  try {
    store.setItem(HISTORY_KEY, JSON.stringify(next));
  } catch {
    // No storage: the history lasts as long as this page.
  }
  return next;
}
