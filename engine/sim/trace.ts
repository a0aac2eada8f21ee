// Trace events: one per kernel function the model runs (lookup, timer, rx/tx, drop, upcall, state change).
// The event's `fn` is the kernel's exact function name, so a student can grep the kernel source for it.

import type { Nanos } from './time.js';

export type TraceKind =
  | 'call' // a kernel function ran (entry point of a path: ip_rcv, ip_forward, ...)
  | 'lookup' // a table lookup and its answer (fib_table_lookup, ipmr_cache_find, ...)
  | 'rx' // a packet arrived on a device
  | 'tx' // a packet left a device
  | 'deliver' // a packet reached a socket
  | 'drop' // a packet was dropped, with the reason
  | 'timer_arm' // mod_timer
  | 'timer_fire' // a timer's function ran
  | 'timer_cancel' // del_timer
  | 'upcall' // kernel → daemon message (igmpmsg)
  | 'state' // a change to kernel state (device, address, route, MFC, sysctl, membership)
  | 'log'; // an application or daemon message

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Payload = { [key: string]: JsonValue };

export interface TraceEvent {
  /** 1-based position in the run's stream; also the event's id. */
  seq: number;
  t: Nanos;
  /** Node (network namespace) name; '' for events of the run itself. */
  node: string;
  /** Kernel function name, e.g. 'ipmr_cache_find'. */
  fn: string;
  kind: TraceKind;
  /** Packet id (see PacketRecord) or null. */
  pkt: number | null;
  /** The event that caused this one, or null for a root cause (a lab action, a timer the run started). */
  parent: number | null;
  data: Payload;
}

/** The exact bytes of a packet as it was at one point of its journey (a new record whenever bytes change). */
export interface PacketRecord {
  id: number;
  t: Nanos;
  node: string;
  /** Device name the bytes were seen on ('' if none, e.g. a locally built packet before routing). */
  dev: string;
  /** IPv4 datagram bytes (no link layer). */
  bytes: Uint8Array;
  /** The packet these bytes were derived from (forwarded copy, TTL decremented), or null. */
  origin: number | null;
}

export interface TraceSink {
  event(ev: TraceEvent): void;
  packet(p: PacketRecord): void;
}

/** Keeps everything in memory; the default for tests and short runs. */
export class MemorySink implements TraceSink {
  readonly events: TraceEvent[] = [];
  readonly packets = new Map<number, PacketRecord>();

  event(ev: TraceEvent): void {
    this.events.push(ev);
  }

  packet(p: PacketRecord): void {
    this.packets.set(p.id, p);
  }

  byFn(fn: string): TraceEvent[] {
    return this.events.filter((e) => e.fn === fn);
  }

  /** The event with sequence `seq`, if this sink saw it (a sink may be attached mid-run). */
  get(seq: number): TraceEvent | undefined {
    const first = this.events[0]?.seq ?? 1;
    return this.events[seq - first];
  }

  /** The causal chain from the root down to `seq` (as far back as this sink saw). */
  ancestors(seq: number): TraceEvent[] {
    const chain: TraceEvent[] = [];
    let cur = this.get(seq);
    while (cur) {
      chain.unshift(cur);
      cur = cur.parent === null ? undefined : this.get(cur.parent);
    }
    return chain;
  }
}
