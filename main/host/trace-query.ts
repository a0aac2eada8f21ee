// The live run's trace as the app's timeline reads it: pages of events under a filter, one event with its
// causal chain and packet. Filters keep an index of matching positions that grows with the trace, so a
// scroll through a million events costs one pass per filter, not one per page.

import type { PacketRecord, TraceEvent } from '../../engine/sim/trace.js';
import { toHex } from '../../engine/wire/hex.js';
import type { EventDetailView, SeriesView, TraceFilter, TracePage, TraceEventView } from './api.js';
import type { MemorySink } from '../../engine/sim/trace.js';
import { MAX_JOURNEY_EVENTS, type JourneyView } from './guide-api.js';

/** Children listed per event (a timer that fires a thousand times stays readable). */
const MAX_CHILDREN = 50;
/** Ancestors listed per event; chains are short in practice, this bounds a pathological one. */
const MAX_ANCESTORS = 200;

interface FilterIndex {
  /** Positions in sink.events that match, in order. */
  hits: number[];
  /** sink.events[0 .. scanned) has been examined. */
  scanned: number;
}

export function eventView(ev: TraceEvent): TraceEventView {
  return { seq: ev.seq, t: ev.t, node: ev.node, fn: ev.fn, kind: ev.kind, pkt: ev.pkt, parent: ev.parent, data: JSON.stringify(ev.data) };
}

function matcher(f: TraceFilter): (ev: TraceEvent) => boolean {
  const text = f.text?.toLowerCase();
  return (ev) =>
    (f.node === undefined || ev.node === f.node) &&
    (f.fn === undefined || ev.fn === f.fn) &&
    (f.kind === undefined || ev.kind === f.kind) &&
    (f.pkt === undefined || ev.pkt === f.pkt) &&
    (text === undefined || ev.fn.toLowerCase().includes(text) || JSON.stringify(ev.data).toLowerCase().includes(text));
}

/**
 * Each event's children (the events whose parent it is), as linked lists over positions in the trace:
 * first child, last child, next sibling (-1: none). Three typed arrays rather than a Map of a million
 * small arrays: the first selection in a 1M-event run built that Map in ~0.75 s (test/bench/ui.ts).
 */
class ChildLists {
  private first = new Int32Array(0);
  private last = new Int32Array(0);
  private next = new Int32Array(0);
  private scanned = 0;

  /** Takes in the events added since the last scan (a child comes after its parent). */
  scan(events: readonly TraceEvent[]): void {
    if (this.scanned >= events.length) return;
    if (events.length > this.first.length) this.grow(events.length);
    const base = events[0]!.seq;
    for (; this.scanned < events.length; this.scanned++) {
      const parent = events[this.scanned]!.parent;
      if (parent === null) continue;
      const p = parent - base;
      // A parent before the trace's first event (a sink attached mid-run) has no row to list it under.
      if (p < 0 || p >= this.scanned) continue;
      const tail = this.last[p]!;
      if (tail === -1) this.first[p] = this.scanned;
      else this.next[tail] = this.scanned;
      this.last[p] = this.scanned;
    }
  }

  /** The first `limit` children of the event at position `pos`, and how many more there are. */
  of(pos: number, limit: number): { positions: number[]; more: number } {
    const positions: number[] = [];
    let more = 0;
    for (let c = pos < this.scanned ? this.first[pos]! : -1; c !== -1; c = this.next[c]!) {
      if (positions.length < limit) positions.push(c);
      else more++;
    }
    return { positions, more };
  }

  private grow(n: number): void {
    const size = Math.max(n, this.first.length * 2, 1024);
    const widen = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size).fill(-1);
      b.set(a);
      return b;
    };
    this.first = widen(this.first);
    this.last = widen(this.last);
    this.next = widen(this.next);
  }
}

export class TraceQuery {
  private readonly indexes = new Map<string, FilterIndex>();
  private readonly children = new ChildLists();
  private readonly names = { nodes: new Set<string>(), fns: new Set<string>(), scanned: 0 };

  constructor(private readonly sink: MemorySink) {}

  page(offset: number, limit: number, filter: TraceFilter = {}): TracePage {
    const hits = this.hits(filter);
    const total = hits === null ? this.sink.events.length : hits.length;
    const from = Math.max(0, Math.min(offset, total));
    const to = Math.min(total, from + limit);
    const events: TraceEventView[] = [];
    for (let i = from; i < to; i++) events.push(eventView(this.sink.events[hits === null ? i : hits[i]!]!));
    this.scanNames();
    return { total, offset: from, events, nodes: [...this.names.nodes].sort(), fns: [...this.names.fns].sort() };
  }

  /** Position, under `filter`, of the first event with seq ≥ `seq` (or time ≥ `t`); total if none. */
  locate(filter: TraceFilter, at: { seq?: number; t?: number }): number {
    const events = this.sink.events;
    const hits = this.hits(filter);
    const n = hits === null ? events.length : hits.length;
    const key = (i: number): TraceEvent => events[hits === null ? i : hits[i]!]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const ev = key(mid);
      const before = at.seq !== undefined ? ev.seq < at.seq : ev.t < (at.t ?? 0);
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  detail(seq: number): EventDetailView | null {
    const ev = this.sink.get(seq);
    if (!ev) return null;
    const ancestors = this.sink.ancestors(seq).slice(0, -1).slice(-MAX_ANCESTORS).map(eventView);
    const events = this.sink.events;
    this.children.scan(events);
    const first = events[0]!.seq;
    const kids = this.children.of(seq - first, MAX_CHILDREN);
    const children = kids.positions.map((i) => eventView(events[i]!));
    const p: PacketRecord | undefined = ev.pkt === null ? undefined : this.sink.packets.get(ev.pkt);
    return {
      event: eventView(ev),
      ancestors,
      children,
      moreChildren: kids.more,
      packet: p ? { id: p.id, t: p.t, node: p.node, dev: p.dev, origin: p.origin, hex: toHex(p.bytes) } : null,
    };
  }

  /** Matching events per time bucket over [0, end], one series per node (events of the run itself under ''). */
  series(filter: TraceFilter, buckets: number, end: number): SeriesView {
    const span = Math.max(1, end);
    const t = Array.from({ length: buckets }, (_, i) => Math.round((span * (i + 1)) / buckets));
    const byNode = new Map<string, number[]>();
    const events = this.sink.events;
    const hits = this.hits(filter);
    const n = hits === null ? events.length : hits.length;
    for (let i = 0; i < n; i++) {
      const ev = events[hits === null ? i : hits[i]!]!;
      let counts = byNode.get(ev.node);
      if (!counts) byNode.set(ev.node, (counts = new Array<number>(buckets).fill(0)));
      counts[Math.min(buckets - 1, Math.floor((ev.t * buckets) / span))]!++;
    }
    return { t, series: [...byNode].sort(([a], [b]) => a.localeCompare(b)).map(([node, counts]) => ({ node, counts })) };
  }

  /**
   * A packet's journey for the sequence chart: its family (the packet it was derived from, up to the root,
   * and every packet derived from those: forwarded copies), their events, and the hops (an rx caused by a
   * tx on another node). null if the trace has no such packet.
   */
  journey(pkt: number): JourneyView | null {
    const packets = this.sink.packets;
    if (!packets.has(pkt)) return null;
    const root = this.rootOf(pkt);
    const family = new Set([root]);
    // Derived packets are recorded after their origin, so one pass usually collects every descendant; repeat
    // until nothing is added rather than rely on that order.
    for (let grew = true; grew; ) {
      grew = false;
      for (const [id, p] of packets) {
        if (p.origin !== null && !family.has(id) && family.has(p.origin)) {
          family.add(id);
          grew = true;
        }
      }
    }
    return this.familyView(pkt, family);
  }

  /** The datagram `pkt` was derived from, followed back to the first (a sender's original). */
  private rootOf(pkt: number): number {
    const packets = this.sink.packets;
    let root = pkt;
    for (let guard = 0; guard < 10000; guard++) {
      const o = packets.get(root)?.origin ?? null;
      if (o === null || !packets.has(o)) break;
      root = o;
    }
    return root;
  }

  /**
   * journey() of each packet in `pkts` (null where the trace has no such packet), the same views, from one
   * pass over the packet records for all of them: an index of each packet's derived packets is built once,
   * and each family is then a walk down it. A group's journey asks for ~40 datagrams at once; journey()
   * scans every record per call (test/bench/journeys.ts).
   */
  journeys(pkts: readonly number[]): (JourneyView | null)[] {
    const packets = this.sink.packets;
    const derived = new Map<number, number[]>();
    for (const [id, p] of packets) {
      if (p.origin === null) continue;
      const list = derived.get(p.origin);
      if (list) list.push(id);
      else derived.set(p.origin, [id]);
    }
    return pkts.map((pkt) => {
      if (!packets.has(pkt)) return null;
      const root = this.rootOf(pkt);
      // The same family as journey()'s fixed point: every packet whose origin is in it, transitively.
      const family = new Set([root]);
      for (const id of family) for (const child of derived.get(id) ?? []) family.add(child);
      return this.familyView(pkt, family);
    });
  }

  /** The sequence chart of `family` (asked about as `pkt`): its events, hops and packets. */
  private familyView(pkt: number, family: ReadonlySet<number>): JourneyView {
    const packets = this.sink.packets;
    this.scanPackets();
    const positions = [...family].flatMap((id) => this.byPkt.get(id) ?? []).sort((a, b) => a - b);
    const truncated = positions.length > MAX_JOURNEY_EVENTS;
    const events: JourneyView['events'] = [];
    const hops: JourneyView['hops'] = [];
    const nodes: string[] = [];
    for (const i of positions.slice(0, MAX_JOURNEY_EVENTS)) {
      const ev = this.sink.events[i]!;
      events.push({ seq: ev.seq, t: ev.t, node: ev.node, fn: ev.fn, kind: ev.kind, pkt: ev.pkt! });
      if (!nodes.includes(ev.node)) nodes.push(ev.node);
      const tx = ev.kind === 'rx' && ev.parent !== null ? this.sink.get(ev.parent) : undefined;
      if (tx && tx.kind === 'tx' && tx.node !== ev.node) {
        hops.push({ pkt: ev.pkt!, from: tx.node, to: ev.node, txSeq: tx.seq, rxSeq: ev.seq, txDev: String(tx.data.dev ?? ''), rxDev: String(ev.data.dev ?? ''), t0: tx.t, t1: ev.t });
      }
    }
    const list = [...family].sort((a, b) => a - b).map((id) => {
      const p = packets.get(id)!;
      return { id, origin: p.origin, node: p.node, dev: p.dev, t: p.t };
    });
    return { pkt, packets: list, nodes, events, hops, truncated };
  }

  /** Positions of each packet's events, grown with the trace (one pass in all, like the children index). */
  private readonly byPkt = new Map<number, number[]>();
  private pktScanned = 0;

  private scanPackets(): void {
    const events = this.sink.events;
    for (; this.pktScanned < events.length; this.pktScanned++) {
      const id = events[this.pktScanned]!.pkt;
      if (id === null) continue;
      const list = this.byPkt.get(id);
      if (list) list.push(this.pktScanned);
      else this.byPkt.set(id, [this.pktScanned]);
    }
  }

  /** null: no filter, every event. */
  private hits(filter: TraceFilter): number[] | null {
    if (filter.node === undefined && filter.fn === undefined && filter.kind === undefined && filter.text === undefined && filter.pkt === undefined) return null;
    const key = JSON.stringify([filter.node, filter.fn, filter.kind, filter.text, filter.pkt]);
    let idx = this.indexes.get(key);
    if (!idx) {
      idx = { hits: [], scanned: 0 };
      this.indexes.set(key, idx);
    }
    const match = matcher(filter);
    const events = this.sink.events;
    for (; idx.scanned < events.length; idx.scanned++) if (match(events[idx.scanned]!)) idx.hits.push(idx.scanned);
    return idx.hits;
  }

  private scanNames(): void {
    const events = this.sink.events;
    for (; this.names.scanned < events.length; this.names.scanned++) {
      const ev = events[this.names.scanned]!;
      if (ev.node) this.names.nodes.add(ev.node);
      this.names.fns.add(ev.fn);
    }
  }
}
