// A multicast group's journey (issue 10 §5): on 06-unresolved-queue, src's burst to 239.1.1.1 — the chart
// holds every datagram src sent to the group, in send order, each with its events at r1, merged by seq;
// validation refuses what is not a group.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import { MAX_GROUP_PACKETS } from '../../../main/host/group-journey.js';

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
