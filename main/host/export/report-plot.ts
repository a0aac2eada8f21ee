// Counters over simulated time as small inline SVG charts (one per counter, one cumulative step line
// per node): vector, so they print sharply, and no script, so the report's CSP can forbid all of it.

import { METRICS, type Counters, type Metric } from './report-counters.js';
import { esc } from './report-escape.js';

const W = 340;
const H = 170;
const M = { left: 36, right: 10, top: 22, bottom: 30 };
/** Colour-blind-safe (Okabe–Ito), distinct in greyscale by dash pattern as well. */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];
const DASHES = ['', '6 3', '2 2', '8 3 2 3'];

/** Node k's line: colour and dash pattern both vary, so lines stay apart in greyscale print. */
function stroke(k: number): string {
  const dash = DASHES[k % DASHES.length]!;
  return ` stroke="${COLOURS[k % COLOURS.length]}"${dash ? ` stroke-dasharray="${dash}"` : ''}`;
}

export const METRIC_TITLES: Record<Metric, string> = { forwarded: 'Packets forwarded', delivered: 'Packets delivered locally', dropped: 'Packets dropped' };

/** 1, 2 or 5 times a power of ten: about `n` steps across [0, max]. */
export function niceStep(max: number, n: number): number {
  const raw = max / n;
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p);
}

function fmtSeconds(s: number, step: number): string {
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return `${s.toFixed(Math.min(digits, 6))}`;
}

function chart(c: Counters, metric: Metric, colourOf: Map<string, number>): string {
  const series = c.series.filter((s) => s.metric === metric).sort((a, b) => a.node.localeCompare(b.node));
  const title = `<text class="ptitle" x="${M.left}" y="14">${METRIC_TITLES[metric]} (cumulative)</text>`;
  if (series.length === 0) {
    return `<svg class="plot" viewBox="0 0 ${W} 60" width="${W}" height="60" role="img">${title}<text class="muted" x="${M.left}" y="42">none in this run</text></svg>`;
  }
  const n = series[0]!.buckets.length;
  const cum = series.map((s) => {
    let acc = 0;
    return s.buckets.map((v) => (acc += v));
  });
  const yMax = Math.max(1, ...cum.map((a) => a[a.length - 1]!));
  const ys = niceStep(yMax, 4);
  const yTop = Math.ceil(yMax / ys) * ys;
  const spanS = (c.t1 - c.t0) / 1e9;
  const xs = niceStep(spanS, 5);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const X = (sec: number): number => M.left + (sec / spanS) * pw;
  const Y = (v: number): number => M.top + ph - (v / yTop) * ph;
  const parts: string[] = [title];
  for (let v = 0; v <= yTop + 1e-9; v += ys) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}"/>`);
    parts.push(`<text class="tick" x="${M.left - 4}" y="${(Y(v) + 3).toFixed(1)}" text-anchor="end">${v}</text>`);
  }
  for (let s = 0; s <= spanS + 1e-9; s += xs) {
    parts.push(`<line class="axis" x1="${X(s).toFixed(1)}" x2="${X(s).toFixed(1)}" y1="${M.top + ph}" y2="${M.top + ph + 3}"/>`);
    parts.push(`<text class="tick" x="${X(s).toFixed(1)}" y="${M.top + ph + 14}" text-anchor="middle">${fmtSeconds(s, xs)}</text>`);
  }
  parts.push(`<text class="tick" x="${W - M.right}" y="${H - 2}" text-anchor="end">simulated time (s)</text>`);
  parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${M.top + ph}" y2="${M.top + ph}"/><line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}"/>`);
  series.forEach((s, i) => {
    // a step line: flat within a bucket, rising at the bucket's end
    let d = `M${X(0).toFixed(1)},${Y(0).toFixed(1)}`;
    let prev = 0;
    cum[i]!.forEach((v, b) => {
      const x = X(((b + 1) / n) * spanS).toFixed(1);
      if (v !== prev) d += `H${x}V${Y(v).toFixed(1)}`;
      prev = v;
    });
    d += `H${X(spanS).toFixed(1)}`;
    parts.push(`<path class="series" d="${d}"${stroke(colourOf.get(s.node)!)}><title>${esc(s.node)}: ${s.total}</title></path>`);
  });
  return `<svg class="plot" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${METRIC_TITLES[metric]}">${parts.join('')}</svg>`;
}

function legend(nodes: string[], colourOf: Map<string, number>): string {
  const items = nodes.map((node) => {
    const swatch = `<svg class="swatch" viewBox="0 0 24 8" width="24" height="8"><line x1="0" x2="24" y1="4" y2="4"${stroke(colourOf.get(node)!)}/></svg>`;
    return `<span class="legend-item">${swatch} ${esc(node)}</span>`;
  });
  return `<p class="legend">${items.join(' ')}</p>`;
}

export function countersSvg(c: Counters): string {
  const nodes = [...new Set(c.series.map((s) => s.node))].sort((a, b) => a.localeCompare(b));
  if (nodes.length === 0) return '<p class="muted">No packet was forwarded, delivered or dropped in this run.</p>';
  const colourOf = new Map(nodes.map((node, i) => [node, i]));
  return `${legend(nodes, colourOf)}<div class="plots">${METRICS.map((m) => chart(c, m, colourOf)).join('')}</div>`;
}
