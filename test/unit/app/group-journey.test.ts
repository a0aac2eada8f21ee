// A multicast group's journey (issue 10 §5): on 06-unresolved-queue, src's burst to 239.1.1.1 — the chart
// holds every datagram src sent to the group, in send order, each with its events at r1, merged by seq;
// validation refuses what is not a group. TraceQuery.journeys (the group chart's one pass over the packet
// records) keeps datagrams whose copies are recorded interleaved apart, and equals journey() per datagram.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import { groupJourney, MAX_GROUP_PACKETS } from '../../../main/host/group-journey.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';
import { TraceQuery } from '../../../main/host/trace-query.js';
import { MemorySink, type TraceEvent } from '../../../engine/sim/trace.js';

function service(): AppService {
  const r = openLabFile(join(import.meta.dirname, '..', '..', '..', 'labs', '06-unresolved-queue.yaml'));
  if (!r.ok) throw new Error('lab did not load');
  return new AppService(r.spec);
}

describe('getJourney of a group', () => {
  it("charts src's datagrams to 239.1.1.1 together, in send order, each with its events at r1", async () => {
    const s = service();
    await s.runStepActions({ step: 0 });
    const sent = (await s.getTrace({ offset: 0, limit: 1000, filter: { node: 'src', fn: 'ip_local_out' } })).events;
    const j = await s.getJourney({ group: '239.1.1.1', source: '10.1.0.10' });
    expect(j.group).toEqual({ group: '239.1.1.1', source: '10.1.0.10', sent: sent.length, shown: Math.min(sent.length, MAX_GROUP_PACKETS) });
    expect(sent.length).toBeGreaterThan(5);
    // Every charted root is one of src's datagrams; each has its hop src → r1.
    const roots = j.packets.filter((p) => p.origin === null).map((p) => p.id);
    expect(roots).toEqual(sent.slice(0, MAX_GROUP_PACKETS).map((e) => e.pkt));
    expect(j.hops.filter((h) => h.from === 'src' && h.to === 'r1').map((h) => h.pkt)).toEqual(roots);
    expect(j.nodes.slice(0, 2)).toEqual(['src', 'r1']);
    expect(j.events.map((e) => e.seq)).toEqual([...j.events.map((e) => e.seq)].sort((a, b) => a - b));
    // The same events as each packet's own journey, merged.
    const one = await s.getJourney({ pkt: roots[4]! });
    const seqs = new Set(j.events.map((e) => e.seq));
    expect(one.events.every((e) => seqs.has(e.seq))).toBe(true);
    expect(one.events.some((e) => e.node === 'r1' && e.fn === 'ip_rcv')).toBe(true);
    expect(j.events.length).toBeGreaterThan(one.events.length);
    // Another source sent nothing to the group; another group has no datagrams.
    expect((await s.getJourney({ group: '239.1.1.1', source: '10.9.9.9' })).group).toMatchObject({ sent: 0, shown: 0 });
    expect((await s.getJourney({ group: '239.9.9.9' })).events).toEqual([]);
  });

  it('validates: a packet or a multicast group (with an optional source), nothing else', () => {
    expect(parseRequest('getJourney', { group: '239.1.1.1' }).arg).toEqual({ group: '239.1.1.1' });
    expect(parseRequest('getJourney', { group: '224.0.0.22', source: '10.0.0.1' }).arg).toEqual({ group: '224.0.0.22', source: '10.0.0.1' });
    for (const bad of [{ group: '10.0.0.1' }, { group: '240.0.0.1' }, { group: '239.1.1' }, { group: '239.1.1.256' }, { group: '239.01.1.1' }, { pkt: 1, group: '239.1.1.1' }, { source: '10.0.0.1', pkt: 2 }, { group: '239.1.1.1', source: 'x' }, { group: 5 }]) {
      expect(() => parseRequest('getJourney', bad), JSON.stringify(bad)).toThrow(ApiError);
    }
  });
});

/** An IPv4 header from `src` to `dst` (only what groupJourney reads: version, addresses). */
function datagram(src: number, dst: number, protocol = 17): Uint8Array {
  const b = new Uint8Array(20);
  b[0] = 0x45;
  b[9] = protocol;
  new DataView(b.buffer).setUint32(12, src);
  new DataView(b.buffer).setUint32(16, dst);
  return b;
}

const G = parseIpv4('239.1.1.1')!;
const S = parseIpv4('10.1.0.10')!;

/**
 * Two datagrams A and B to G whose copies are recorded interleaved (B's copy before A's at every hop), and
 * one of A's copies recorded before the copy it was derived from: each hop is a tx on one node and an rx
 * caused by it on the next.
 */
function interleaved(): { sink: MemorySink; a: number[]; b: number[] } {
  const sink = new MemorySink();
  let seq = 0;
  const ev = (node: string, fn: string, kind: TraceEvent['kind'], pkt: number, parent: number | null): number => {
    sink.event({ seq: ++seq, t: seq * 10, node, fn, kind, pkt, parent, data: { dev: 'eth0' } });
    return seq;
  };
  const pkt = (id: number, node: string, origin: number | null): void => sink.packet({ id, t: id * 10, node, dev: 'eth0', bytes: datagram(S, G), origin });
  // Records (Map order): A=1, B=2, B'=3 (of 2), A'=4 (of 1), A'''=6 (of 5, recorded first), A''=5 (of 4), B''=7 (of 3).
  pkt(1, 'src', null);
  pkt(2, 'src', null);
  pkt(3, 'r1', 2);
  pkt(4, 'r1', 1);
  pkt(6, 'rcv', 5);
  pkt(5, 'r2', 4);
  pkt(7, 'r2', 3);
  const hop = (from: string, to: string, txPkt: number, rxPkt: number): void => {
    ev(to, 'ip_rcv', 'rx', rxPkt, ev(from, 'dev_queue_xmit', 'tx', txPkt, null));
  };
  hop('src', 'r1', 1, 1);
  hop('src', 'r1', 2, 2);
  ev('r1', 'ip_forward', 'call', 3, null);
  ev('r1', 'ip_forward', 'call', 4, null);
  hop('r1', 'r2', 3, 3);
  hop('r1', 'r2', 4, 4);
  hop('r2', 'rcv', 7, 7);
  hop('r2', 'rcv', 5, 5);
  ev('rcv', 'ip_local_deliver', 'deliver', 6, null);
  return { sink, a: [1, 4, 5, 6], b: [2, 3, 7] };
}

describe('TraceQuery.journeys (one pass for many packets)', () => {
  it("keeps each datagram's family apart when their copies are recorded interleaved", () => {
    const { sink, a, b } = interleaved();
    const q = new TraceQuery(sink);
    const [ja, jb, none] = q.journeys([1, 2, 99]);
    expect(ja!.packets.map((p) => p.id)).toEqual(a);
    expect(jb!.packets.map((p) => p.id)).toEqual(b);
    expect(none).toBeNull();
    // No event, hop or packet of one datagram in the other's chart.
    expect(ja!.events.every((e) => a.includes(e.pkt))).toBe(true);
    expect(jb!.events.every((e) => b.includes(e.pkt))).toBe(true);
    expect(ja!.events.some((e) => e.fn === 'ip_local_deliver')).toBe(true);
    expect(jb!.events.some((e) => e.node === 'rcv' && e.fn === 'ip_local_deliver')).toBe(false);
    expect(ja!.hops.map((h) => `${h.from}>${h.to}:${h.pkt}`)).toEqual(['src>r1:1', 'r1>r2:4', 'r2>rcv:5']);
    expect(jb!.hops.map((h) => `${h.from}>${h.to}:${h.pkt}`)).toEqual(['src>r1:2', 'r1>r2:3', 'r2>rcv:7']);
    // Asked about a copy: the whole family, as journey() charts it.
    const [copy] = q.journeys([6]);
    expect(copy).toEqual(q.journey(6));
    expect(copy!.packets.map((p) => p.id)).toEqual(a);
    expect(q.journeys([1, 2, 6, 3])).toEqual([1, 2, 6, 3].map((id) => q.journey(id)));
  });

  it('gives the group chart journey() per datagram gives, with both datagrams in it', () => {
    const { sink } = interleaved();
    const q = new TraceQuery(sink);
    const batched = groupJourney(sink, { group: '239.1.1.1' }, q);
    expect(batched).toEqual(groupJourney(sink, { group: '239.1.1.1' }, (p) => q.journey(p)));
    expect(batched.packets.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batched.group).toMatchObject({ sent: 2, shown: 2 });
  });

  it('leaves out IGMP reports addressed to the group (a v2 report goes to the group it reports)', () => {
    const { sink } = interleaved();
    sink.packet({ id: 8, t: 5, node: 'rcv', dev: 'eth0', bytes: datagram(parseIpv4('10.2.0.20')!, G, 2), origin: null });
    const j = groupJourney(sink, { group: '239.1.1.1' }, new TraceQuery(sink));
    expect(j.group).toMatchObject({ sent: 2, shown: 2 });
    expect(j.packets.map((p) => p.id)).not.toContain(8);
  });

  it("on 06-unresolved-queue with the solution daemon (queued datagrams' copies recorded after later datagrams), equals journey() per datagram", async () => {
    const s = service();
    const lab = join(import.meta.dirname, '..', '..', '..', 'labs', '06-unresolved-queue');
    await s.startDaemon({ node: 'r1', file: 'solution.ts', source: readFileSync(join(lab, 'solution.ts'), 'utf8') });
    await s.runStepActions({ step: 0 });
    await s.runStepActions({ step: 1 });
    const sink = s.session.trace;
    const roots = [...sink.packets.values()].filter((p) => p.origin === null && parseIpv4([...p.bytes.subarray(16, 20)].join('.')) === parseIpv4('239.1.1.1')).map((p) => p.id);
    const q = new TraceQuery(sink);
    const batched = q.journeys(roots);
    // A fresh index for the per-datagram side, so neither shares state with the other.
    const perRoot = new TraceQuery(sink);
    expect(batched).toEqual(roots.map((id) => perRoot.journey(id)));
    // Forwarded datagrams have copies (r1 → rcv) in their family; no packet is in two families.
    const forwarded = batched.filter((j) => j!.hops.some((h) => h.from === 'r1' && h.to === 'rcv'));
    expect(forwarded.length).toBeGreaterThanOrEqual(8);
    for (const j of forwarded) expect(j!.packets.length).toBeGreaterThan(1);
    const seen = new Set<number>();
    for (const j of batched) {
      for (const p of j!.packets) {
        expect(seen.has(p.id)).toBe(false);
        seen.add(p.id);
      }
    }
    for (const req of [{ group: '239.1.1.1' }, { group: '239.1.1.1', source: '10.1.0.10' }]) {
      expect(groupJourney(sink, req, q)).toEqual(groupJourney(sink, req, (p) => perRoot.journey(p)));
    }
    expect(await s.getJourney({ group: '239.1.1.1' })).toEqual(groupJourney(sink, { group: '239.1.1.1' }, q));
  });
});
