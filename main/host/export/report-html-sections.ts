// The report's sections that list what happened: counters per node, the events of interest with their
// causal chains, and each node's final state. Every string from the run file goes through esc().

import type { TraceEvent } from '../../../engine/sim/trace.js';
import { summarisePayload, type Chain, type Interest, type InterestGroup } from './report-chains.js';
import { METRICS, type Counters } from './report-counters.js';
import type { NodeView } from './report-data.js';
import { esc } from './report-escape.js';
import { countersSvg } from './report-plot.js';

/** Simulated nanoseconds as seconds with microseconds. */
export function fmtT(ns: number): string {
  return `${(ns / 1e9).toFixed(6)} s`;
}

export function countersSection(c: Counters): string {
  const nodes = [...new Set(c.series.map((s) => s.node))].sort((a, b) => a.localeCompare(b));
  const total = (node: string, m: string): number => c.series.find((s) => s.node === node && s.metric === m)?.total ?? 0;
  const rows = nodes.map((n) => `<tr><td>${esc(n)}</td>${METRICS.map((m) => `<td class="num">${total(n, m)}</td>`).join('')}</tr>`).join('');
  const table = nodes.length
    ? `<table class="counters"><thead><tr><th>node</th><th class="num">forwarded</th><th class="num">delivered locally</th><th class="num">dropped</th></tr></thead><tbody>${rows}</tbody></table>`
    : '';
  return `<h2>Packet counters</h2>
<p class="muted">Forwarded: <code>ip_forward</code> and each multicast copy (<code>ipmr_queue_xmit</code>); delivered: <code>ip_local_deliver</code>; dropped: every drop event. Over ${fmtT(c.t1 - c.t0)} of simulated time.</p>
${table}${countersSvg(c)}`;
}

function groupLabel(g: InterestGroup): string {
  const what = g.kind === 'call' ? 'delivered locally' : g.kind === 'deliver' ? 'delivered to a socket' : g.kind;
  return `${what} at ${g.node} in ${g.fn}${g.why ? `: ${g.why}` : ''}`;
}

function eventRow(e: TraceEvent, focus: boolean): string {
  return `<tr${focus ? ' class="focus"' : ''}><td class="num">${e.seq}</td><td class="num">${(e.t / 1e9).toFixed(6)}</td><td>${esc(e.node)}</td><td class="mono">${esc(e.fn)}</td><td>${esc(e.kind)}</td><td class="num">${e.pkt ?? ''}</td><td class="data">${esc(summarisePayload(e.data))}</td></tr>`;
}

function chainTable(c: Chain, i: number): string {
  const rows = c.events.map((e, k) => {
    const gap = k === c.head && c.omitted > 0 ? `<tr class="gap"><td colspan="7">… ${c.omitted} intermediate events not shown …</td></tr>` : '';
    return gap + eventRow(e, k === c.events.length - 1);
  });
  const g = c.group;
  return `<table class="events"><caption>${i + 1}. ${esc(groupLabel(g))} — ${g.count === 1 ? 'once' : `${g.count} times`}; the first (#${g.firstSeq}) and its causes</caption>
<thead><tr><th class="num">seq</th><th class="num">t (s)</th><th>node</th><th>function</th><th>kind</th><th class="num">pkt</th><th>data</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function eventsSection(x: Interest): string {
  const head = '<h2>Events of interest</h2>';
  if (x.groups.length === 0) return `${head}<p class="muted">No packet was dropped, delivered or sent up to a daemon in this run.</p>`;
  const rows = x.groups
    .map((g) => `<tr><td>${esc(g.kind === 'call' ? 'local delivery' : g.kind)}</td><td>${esc(g.node)}</td><td class="mono">${esc(g.fn)}</td><td>${esc(g.why)}</td><td class="num">${g.count}</td><td class="num">${g.firstSeq}</td></tr>`)
    .join('');
  const more = x.moreGroups > 0 ? `<p class="muted">${x.moreGroups} more kinds of event not listed.</p>` : '';
  const shown = x.chains.length < x.groups.length ? ` (drops and upcalls first; ${x.chains.length} of ${x.groups.length})` : '';
  return `${head}
<p class="muted">Drops, deliveries and upcalls, grouped by what happened where. Each group's first event follows with its causal chain${shown}: root cause first, the event itself highlighted.</p>
<table class="groups"><thead><tr><th>kind</th><th>node</th><th>function</th><th>reason / socket</th><th class="num">count</th><th class="num">first seq</th></tr></thead><tbody>${rows}</tbody></table>${more}
<h3>Causal chains</h3>
${x.chains.map(chainTable).join('\n')}`;
}

export function nodeStateSection(views: Map<string, NodeView[]> | null, nodes: string[]): string {
  const head = '<h2>Final state of each node</h2>';
  if (views === null) return `${head}<p class="muted">Not recorded: this run file holds no final node views (<code>ip</code> and <code>/proc</code> output).</p>`;
  const order = [...nodes.filter((n) => views.has(n)), ...[...views.keys()].filter((n) => !nodes.includes(n))];
  return `${head}\n${order
    .map((n) => {
      const vs = views.get(n)!;
      const empty = vs.filter((v) => v.text.trim() === '');
      const body = vs
        .filter((v) => v.text.trim() !== '')
        .map((v) => `<h4>${esc(n)}# ${esc(v.view)}</h4><pre class="view${v.text.split('\n').length < 25 ? ' short' : ''}">${esc(v.text)}${v.cut ? `\n<span class="muted">… ${v.cut} more characters</span>` : ''}</pre>`)
        .join('');
      const none = empty.length ? `<p class="muted">No output: ${empty.map((v) => `<code>${esc(v.view)}</code>`).join(', ')}</p>` : '';
      return `<div class="node-state"><h3>${esc(n)}</h3>${body}${none}</div>`;
    })
    .join('\n')}`;
}
