// The trace's current filter plotted over simulated time, one line per node, cumulative: "how many
// ip_mr_forward on r1 and r2 so far" reads straight off the chart. uPlot draws it (small, fast, canvas).

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesView } from '../../../main/host/api.js';

const PALETTE = ['#1f6feb', '#d97706', '#2f8a3a', '#b42318', '#7c3aed', '#0e7490', '#be185d', '#4d7c0f'];

export function cumulative(counts: number[]): number[] {
  let sum = 0;
  return counts.map((c) => (sum += c));
}

export class SeriesPlot {
  private plot: uPlot | null = null;

  constructor(private readonly root: HTMLElement) {}

  show(view: SeriesView, title: string): void {
    this.plot?.destroy();
    const data: uPlot.AlignedData = [view.t.map((ns) => ns / 1e9), ...view.series.map((s) => cumulative(s.counts))];
    const dark = document.documentElement.dataset.theme === 'dark';
    const axis = { stroke: dark ? '#c9d1d9' : '#1d2430', grid: { stroke: dark ? '#2e3541' : '#e5e8ec' } };
    this.plot = new uPlot(
      {
        title,
        width: Math.max(300, this.root.clientWidth - 4),
        height: 170,
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'simulated time (s)' }, { ...axis, label: 'events (cumulative)' }],
        series: [{ label: 't (s)' }, ...view.series.map((s, i) => ({ label: s.node || '(run)', stroke: PALETTE[i % PALETTE.length], width: 2 }))],
      },
      data,
      this.root,
    );
  }

  hide(): void {
    this.plot?.destroy();
    this.plot = null;
  }
}
