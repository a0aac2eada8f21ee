// The trace emitter: numbers events, remembers the current cause, feeds the sinks and the run's fingerprint.

import { Fingerprint } from './fingerprint.js';
import type { Nanos } from './time.js';
import type { Payload, PacketRecord, TraceEvent, TraceKind, TraceSink } from './trace.js';

export class Tracer {
  private seq = 0;
  private pktSeq = 0;
  private readonly hash = new Fingerprint();
  private readonly sinks: TraceSink[] = [];
  /** The event whose consequences are being computed; new events take it as their parent. */
  current: number | null = null;

  constructor(private readonly now: () => Nanos) {}

  addSink(sink: TraceSink): void {
    this.sinks.push(sink);
  }

  get eventCount(): number {
    return this.seq;
  }

  emit(node: string, fn: string, kind: TraceKind, data: Payload = {}, pkt: number | null = null, parent: number | null = this.current): number {
    const ev: TraceEvent = { seq: ++this.seq, t: this.now(), node, fn, kind, pkt, parent, data };
    // Canonical form: fixed field order; payload key order is the code's construction order, itself deterministic.
    const h = this.hash;
    h.updateSymbol('event');
    h.updateNumber(ev.seq);
    h.updateNumber(ev.t);
    h.updateSymbol(node);
    h.updateSymbol(fn);
    h.updateSymbol(kind);
    h.updateNullableNumber(pkt);
    h.updateNullableNumber(parent);
    h.updateValue(data);
    for (const s of this.sinks) s.event(ev);
    return ev.seq;
  }

  /** Records a packet's exact bytes and returns its id. */
  packet(node: string, dev: string, bytes: Uint8Array, origin: number | null = null): number {
    const rec: PacketRecord = { id: ++this.pktSeq, t: this.now(), node, dev, bytes, origin };
    const h = this.hash;
    h.updateSymbol('pkt');
    h.updateNumber(rec.id);
    h.updateNumber(rec.t);
    h.updateSymbol(node);
    h.updateSymbol(dev);
    h.updateNullableNumber(origin);
    h.updateBytes(bytes);
    for (const s of this.sinks) s.packet(rec);
    return rec.id;
  }

  /** Runs `body` with `cause` as the parent of every event it emits. */
  within<T>(cause: number | null, body: () => T): T {
    const saved = this.current;
    this.current = cause;
    try {
      return body();
    } finally {
      this.current = saved;
    }
  }

  /** 128-bit hash of the event and packet stream so far, hex. Same lab, inputs and seed → same fingerprint. */
  fingerprint(): string {
    return this.hash.hex();
  }
}
