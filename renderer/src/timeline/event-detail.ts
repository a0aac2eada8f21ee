// The selected event: what the kernel function decided and with which inputs (its payload), the causal chain
// (what caused it, what it caused) as links, and its packet decoded.

import type { EventDetailView, TraceEventView } from '../../../main/host/api.js';
import { h } from '../dom.js';
import { packetView } from './packet-view.js';

export function formatTime(ns: number): string {
  return `${(ns / 1e9).toFixed(6)} s`;
}

export function eventLabel(e: TraceEventView): string {
  return `#${e.seq} ${formatTime(e.t)} ${e.node || '(run)'} ${e.fn} [${e.kind}]`;
}

/** Asked by the "Journey of this packet" button: the sequence chart of `pkt`; `select` shows an event. */
export const JOURNEY_EVENT = 'workbench:journey';
export interface JourneyRequest {
  pkt: number;
  select: (seq: number) => void;
}

export function renderDetail(root: HTMLElement, d: EventDetailView | null, select: (seq: number) => void): void {
  if (!d) {
    root.replaceChildren(h('p', { class: 'hint' }, 'Select an event to see its inputs, its causes and consequences, and its packet.'));
    return;
  }
  const e = d.event;
  const link = (ev: TraceEventView): HTMLElement => {
    const a = h('button', { type: 'button', class: 'chain-link', 'data-seq': String(ev.seq) }, eventLabel(ev));
    a.addEventListener('click', () => select(ev.seq));
    return h('li', {}, a);
  };
  const parts: HTMLElement[] = [
    h('h3', { class: 'event-title' }, `${e.fn}`, h('span', { class: 'event-meta' }, ` #${e.seq} · ${formatTime(e.t)} · ${e.node || '(run)'} · ${e.kind}`)),
    h('pre', { class: 'event-data' }, JSON.stringify(JSON.parse(e.data) as unknown, null, 2)),
  ];
  parts.push(h('h4', {}, d.ancestors.length ? 'Caused by (root first)' : 'Caused by: nothing — a root cause (a lab action or a command)'));
  if (d.ancestors.length) parts.push(h('ol', { class: 'chain ancestors' }, ...d.ancestors.map(link)));
  parts.push(h('h4', {}, d.children.length ? `Caused${d.moreChildren ? ` (first ${d.children.length} of ${d.children.length + d.moreChildren})` : ''}` : 'Caused: nothing'));
  if (d.children.length) parts.push(h('ul', { class: 'chain children' }, ...d.children.map(link)));
  if (e.pkt !== null) {
    // The trace pane's owner (side-tabs.ts) opens the sequence chart: this module knows no API.
    const pkt = e.pkt;
    const journey = h('button', { type: 'button', class: 'journey-open' }, 'Journey of this packet');
    journey.addEventListener('click', () => root.dispatchEvent(new CustomEvent<JourneyRequest>(JOURNEY_EVENT, { bubbles: true, detail: { pkt, select } })));
    parts.splice(1, 0, journey);
  }
  if (d.packet) parts.push(packetView(d.packet.hex, `Packet ${d.packet.id} (bytes as recorded on ${d.packet.node}${d.packet.dev ? ` ${d.packet.dev}` : ''})`));
  root.replaceChildren(...parts);
}
