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
  /** A packet's journey, or a multicast group's (all its senders' datagrams, or one source's). */
  what: { pkt: number } | { group: string; source?: string };
  select: (seq: number) => void;
}

/** Destination and source of an IPv4 datagram given as hex, if the destination is a multicast group. */
export function multicastOf(hex: string): { group: string; source: string } | null {
  if (hex.length < 40) return null;
  const byte = (i: number): number => parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  if (byte(0) >> 4 !== 4 || byte(16) < 224 || byte(16) > 239) return null;
  const quad = (at: number): string => [0, 1, 2, 3].map((k) => byte(at + k)).join('.');
  return { group: quad(16), source: quad(12) };
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
    const open = (what: JourneyRequest['what']): void => void root.dispatchEvent(new CustomEvent<JourneyRequest>(JOURNEY_EVENT, { bubbles: true, detail: { what, select } }));
    const journey = h('button', { type: 'button', class: 'journey-open' }, 'Journey of this packet');
    journey.addEventListener('click', () => open({ pkt }));
    const buttons = h('div', { class: 'journey-buttons' }, journey);
    // A multicast datagram: the journey of every datagram to its group (from this source), packets side by side.
    const mc = d.packet ? multicastOf(d.packet.hex) : null;
    if (mc) {
      const group = h('button', { type: 'button', class: 'journey-group-open', title: `Every datagram ${mc.source} sent to ${mc.group}, forwarded copies included` }, `Journey of (${mc.source}, ${mc.group})`);
      group.addEventListener('click', () => open({ group: mc.group, source: mc.source }));
      buttons.append(group);
    }
    parts.splice(1, 0, buttons);
  }
  if (d.packet) parts.push(packetView(d.packet.hex, `Packet ${d.packet.id} (bytes as recorded on ${d.packet.node}${d.packet.dev ? ` ${d.packet.dev}` : ''})`));
  root.replaceChildren(...parts);
}
