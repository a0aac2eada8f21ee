// Performance API marks on the trace pane's hot paths (issue 10's performance targets), for test/bench/ui.ts
// and the browser's performance panel: a selection from click to its state on screen, and each list paint.
// One mark of each name is kept (cleared before it is set again), so a long session does not fill the
// performance timeline.

export const PERF = {
  select: 'rlw:select',
  stateShown: 'rlw:state-shown',
  selectToState: 'rlw:select→state',
  paint: 'rlw:paint',
} as const;

function mark(name: string, detail: unknown): void {
  performance.clearMarks(name);
  performance.mark(name, { detail });
}

/** A row was chosen (click, key, scrubber release): the start of select → state. */
export function markSelect(seq: number): void {
  mark(PERF.select, { seq });
}

/** The state view shows the state for `seq`'s selection: measures select → state if that select is the latest. */
export function markStateShown(seq: number): void {
  mark(PERF.stateShown, { seq });
  const start = performance.getEntriesByName(PERF.select, 'mark').at(-1) as PerformanceMark | undefined;
  if ((start?.detail as { seq?: number } | undefined)?.seq !== seq) return;
  performance.clearMeasures(PERF.selectToState);
  performance.measure(PERF.selectToState, { start: PERF.select, end: PERF.stateShown, detail: { seq } });
}

/** Times one paint of the list (rows drawn, pages missing), as a measure ending now. */
export function measurePaint(startedAt: number, rows: number, missingPages: number): void {
  performance.clearMeasures(PERF.paint);
  performance.measure(PERF.paint, { start: startedAt, end: performance.now(), detail: { rows, missingPages } });
}
