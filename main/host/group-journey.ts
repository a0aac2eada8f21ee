// A multicast group's journey (issue 10 §5: "one packet's (or one group's) journey"): every datagram a
// sender addressed to the group (optionally from one source), each with its family of forwarded copies,
// merged into one sequence chart — so a student sees the first packets queue at the router, the upcall,
// the MFC entry, and the later packets fan out without it.

import type { MemorySink } from '../../engine/sim/trace.js';
import { read32 } from '../../engine/wire/bytes.js';
import { parseIpv4 } from '../../engine/wire/inet.js';
import { MAX_JOURNEY_EVENTS, type JourneyView } from './guide-api.js';

const IPPROTO_IGMP = 2;

/** Senders' datagrams charted per request: a chart with more is unreadable anyway. */
export const MAX_GROUP_PACKETS = 40;

export interface GroupJourneyRequest {
  /** The group, dotted quad (224.0.0.0/4). */
  group: string;
  /** Only datagrams from this source, dotted quad. */
  source?: string;
}

/** Journeys of many packets at once (TraceQuery.journeys: one pass over the packet records for all). */
export interface JourneyBatch {
  journeys(pkts: readonly number[]): (JourneyView | null)[];
}

/**
 * The senders' datagrams to `group` (roots: not derived from another packet; IGMP reports excluded), first MAX_GROUP_PACKETS in
 * time order, each charted with its family, merged by seq. `journeys` is a TraceQuery (its batch method);
 * a per-packet function (TraceQuery.journey) gives the same chart, one scan of the records per datagram.
 */
export function groupJourney(sink: MemorySink, req: GroupJourneyRequest, journeys: JourneyBatch | ((pkt: number) => JourneyView | null)): JourneyView {
  const group = parseIpv4(req.group);
  const source = req.source === undefined ? null : parseIpv4(req.source);
  const roots: number[] = [];
  for (const [id, p] of sink.packets) {
    if (p.origin !== null || p.bytes.length < 20 || p.bytes[0]! >> 4 !== 4) continue;
    if (read32(p.bytes, 16) !== group) continue;
    // An IGMPv1/v2 report is addressed to its group too, but it is a host talking to routers, not traffic.
    if (p.bytes[9] === IPPROTO_IGMP) continue;
    if (source !== null && read32(p.bytes, 12) !== source) continue;
    roots.push(id);
  }
  roots.sort((a, b) => sink.packets.get(a)!.t - sink.packets.get(b)!.t || a - b);
  const shown = roots.slice(0, MAX_GROUP_PACKETS);
  const events = new Map<number, JourneyView['events'][number]>();
  const hops = new Map<string, JourneyView['hops'][number]>();
  const packets = new Map<number, JourneyView['packets'][number]>();
  let truncated = roots.length > shown.length;
  const charted = typeof journeys === 'function' ? shown.map((p) => journeys(p)) : journeys.journeys(shown);
  for (const j of charted) {
    if (!j) continue;
    truncated ||= j.truncated;
    for (const e of j.events) events.set(e.seq, e);
    for (const hop of j.hops) hops.set(`${hop.txSeq}:${hop.rxSeq}`, hop);
    for (const p of j.packets) packets.set(p.id, p);
  }
  const ordered = [...events.values()].sort((a, b) => a.seq - b.seq);
  if (ordered.length > MAX_JOURNEY_EVENTS) {
    truncated = true;
    ordered.length = MAX_JOURNEY_EVENTS;
  }
  const kept = new Set(ordered.map((e) => e.seq));
  const nodes: string[] = [];
  for (const e of ordered) if (!nodes.includes(e.node)) nodes.push(e.node);
  return {
    pkt: shown[0] ?? -1,
    group: { group: req.group, source: req.source ?? null, sent: roots.length, shown: shown.length },
    packets: [...packets.values()].sort((a, b) => a.id - b.id),
    nodes,
    events: ordered,
    hops: [...hops.values()].filter((hop) => kept.has(hop.txSeq) && kept.has(hop.rxSeq)).sort((a, b) => a.txSeq - b.txSeq),
    truncated,
  };
}
