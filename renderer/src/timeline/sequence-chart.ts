// A packet's journey as a sequence chart (OMNeT++ style): one vertical lifeline per node, time downwards,
// one row per event of the packet's family (marks on the lifelines), an arrow per hop from the tx on one
// node to the rx on the next. Rows follow event order, not a linear time scale: a hop takes microseconds
// and a node's work none, so a linear scale would pile every mark onto a few pixels.

import type { WorkbenchApi } from '../../../main/host/api.js';
import type { GetJourneyRequest, JourneyEvent, JourneyView } from '../../../main/host/guide-api.js';
import { h } from '../dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEAD = 44;
const ROW = 20;
const GUTTER = 84;
const RIGHT = 16;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

/** µs with enough digits to tell hops apart (simulated links take 100 µs). */
function micros(ns: number): string {
  return `${(ns / 1000).toFixed(ns % 1000 === 0 ? 0 : 3)} µs`;
}

/** Simulated time as the trace list shows it, to the µs. */
function seconds(ns: number): string {
  return `${(ns / 1e9).toFixed(6)} s`;
}

export interface ChartOptions {
  width: number;
  /** Clicking a mark selects that event in the trace. */
  select?: (seq: number) => void;
}

export function renderSequenceChart(j: JourneyView, opts: ChartOptions): SVGSVGElement {
  const width = Math.max(360, opts.width);
  const n = Math.max(1, j.nodes.length);
  const span = width - GUTTER - RIGHT;
  const x = new Map(j.nodes.map((node, i) => [node, GUTTER + span * ((i + 0.5) / n)]));
  const rowOf = new Map<number, number>(j.events.map((e, i) => [e.seq, i]));
  const y = (row: number): number => HEAD + ROW * (row + 0.5);
  const height = HEAD + ROW * j.events.length + 12;
  const svg = el('svg', { class: 'seq-chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${j.group ? `Journey of (${j.group.source ?? '*'}, ${j.group.group})` : `Journey of packet ${j.pkt}`}: ${j.hops.length} hops across ${j.nodes.join(', ')}` });
  svg.append(
    el('defs', {}, el('marker', { id: 'seq-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'seq-arrowhead' }))),
  );
  // Time in the gutter, when it changes; a light band marks every other instant.
  let lastT = -1;
  let band = false;
  j.events.forEach((e, i) => {
    if (e.t === lastT) return;
    lastT = e.t;
    band = !band;
    let rows = 1;
    while (j.events[i + rows]?.t === e.t) rows++;
    if (band) svg.append(el('rect', { class: 'seq-band', x: 0, y: HEAD + ROW * i, width, height: ROW * rows }));
    svg.append(el('text', { class: 'seq-time', x: GUTTER - 10, y: y(i) + 4, 'text-anchor': 'end' }, seconds(e.t)));
  });
  // Lifelines and their heads.
  for (const [node, cx] of x) {
    svg.append(el('line', { class: 'seq-lifeline', x1: cx, x2: cx, y1: HEAD - 8, y2: height - 6 }));
    const w = Math.min(span / n - 8, Math.max(44, node.length * 8 + 16));
    svg.append(el('rect', { class: 'seq-head', x: cx - w / 2, y: 6, width: w, height: 24, rx: 5 }), el('text', { class: 'seq-head-text', x: cx, y: 22, 'text-anchor': 'middle' }, node));
  }
  for (const hop of j.hops) {
    const r0 = rowOf.get(hop.txSeq);
    const r1 = rowOf.get(hop.rxSeq);
    if (r0 === undefined || r1 === undefined) continue;
    const x0 = x.get(hop.from)!;
    const x1 = x.get(hop.to)!;
    const dir = x1 > x0 ? 1 : -1;
    svg.append(
      el('line', { class: 'seq-hop', x1: x0, y1: y(r0), x2: x1 - dir * 5, y2: y(r1), 'marker-end': 'url(#seq-arrow)', 'data-pkt': hop.pkt }, el('title', {}, `packet ${hop.pkt}: ${hop.from} ${hop.txDev} → ${hop.to} ${hop.rxDev}, ${micros(hop.t1 - hop.t0)}`)),
    );
  }
  j.events.forEach((e, i) => svg.append(mark(e, x.get(e.node)!, y(i), width, opts.select)));
  return svg;
}

function mark(e: JourneyEvent, cx: number, cy: number, width: number, select?: (seq: number) => void): SVGGElement {
  const g = el('g', { class: `seq-event kind-${e.kind}`, 'data-seq': e.seq, tabindex: 0 }, el('title', {}, `#${e.seq} ${micros(e.t)} ${e.node} ${e.fn} [${e.kind}] packet ${e.pkt}`));
  g.append(el('circle', { class: 'seq-mark', cx, cy, r: 4 }));
  // The label goes on the side with more room, so the rightmost lifeline's labels stay inside.
  const right = cx < width * 0.62;
  const label = `${e.fn}${e.kind === 'drop' ? ' ✘' : ''}`;
  g.append(el('text', { class: 'seq-label', x: right ? cx + 8 : cx - 8, y: cy + 4, 'text-anchor': right ? 'start' : 'end' }, label));
  if (select) {
    g.addEventListener('click', () => select(e.seq));
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') select(e.seq);
    });
  }
  return g;
}

/** The chart in a panel over `host` (the trace pane), with a close button; one at a time. */
export async function openJourney(host: HTMLElement, api: WorkbenchApi, what: GetJourneyRequest, select?: (seq: number) => void): Promise<void> {
  host.querySelector('.journey-panel')?.remove();
  const j = await api.getJourney(what);
  const close = h('button', { type: 'button', class: 'journey-close', 'aria-label': 'Close the journey' }, 'Close');
  const ids = j.packets.map((p) => p.id);
  const hops = `${j.hops.length} hop${j.hops.length === 1 ? '' : 's'} · ${j.events.length} events${j.truncated ? ' (first ones)' : ''}`;
  const g = j.group;
  const name = g ? `Journey of (${g.source ?? '*'}, ${g.group})` : `Journey of packet ${j.pkt}`;
  const meta = g ? ` · ${g.shown === g.sent ? `${g.sent}` : `first ${g.shown} of ${g.sent}`} datagram${g.sent === 1 ? '' : 's'} sent · ${hops}` : ` · packets ${ids.join(' → ')} · ${hops}`;
  const title = h('h3', { class: 'journey-title' }, name, h('span', { class: 'event-meta' }, meta));
  const body = h('div', { class: 'journey-body' });
  const panel = h('div', { class: 'journey-panel', role: 'dialog', 'aria-label': name }, h('div', { class: 'journey-head' }, title, close), body);
  host.append(panel);
  const draw = (): void => {
    body.replaceChildren(renderSequenceChart(j, { width: body.clientWidth - 4, select: select ? (seq) => (panel.remove(), select(seq)) : undefined }));
  };
  draw();
  close.addEventListener('click', () => panel.remove());
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') panel.remove();
  });
  close.focus();
}
