// The timeline's host side: pages of the live trace under filters, locating by seq and time, one event with
// its causal chain and packet — checked against the session's own trace, not against hand-written answers.

import { describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { decodePacket } from '../../../engine/wire/decode.js';
import { fromHex } from '../../../engine/wire/hex.js';

async function labWithPing(): Promise<AppService> {
  const app = new AppService(DEFAULT_LAB);
  await app.runCommand({ node: 'src', line: 'ping -c 2 10.2.0.21' });
  return app;
}

describe('trace query (AppService.getTrace / locateEvent / getEvent)', () => {
  it('pages through the whole trace in order, and the pages join up', async () => {
    const app = await labWithPing();
    const all = app.session.trace.events;
    const first = await app.getTrace({ offset: 0, limit: 100 });
    expect(first.total).toBe(all.length);
    const second = await app.getTrace({ offset: 100, limit: 100 });
    expect([...first.events, ...second.events].map((e) => e.seq)).toEqual(all.slice(0, 200).map((e) => e.seq));
    expect(first.nodes).toEqual([...new Set(all.map((e) => e.node).filter((n) => n !== ''))].sort());
    expect(first.nodes).toEqual(expect.arrayContaining(['r1', 'rcv1', 'src']));
    expect(first.fns).toContain('fib_table_lookup');
    const beyond = await app.getTrace({ offset: all.length + 5, limit: 10 });
    expect(beyond).toMatchObject({ offset: all.length, events: [] });
  });

  it('filters by node, function, kind, packet and text, and the index follows a growing trace', async () => {
    const app = await labWithPing();
    const all = () => app.session.trace.events;
    const f = { node: 'r1', fn: 'ip_forward' };
    const page = await app.getTrace({ offset: 0, limit: 1000, filter: f });
    const expected = all().filter((e) => e.node === 'r1' && e.fn === 'ip_forward');
    expect(expected.length).toBeGreaterThanOrEqual(4); // 2 echoes out, 2 replies back
    expect(page.events.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
    await app.runCommand({ node: 'src', line: 'ping -c 1 10.2.0.22' });
    const grown = await app.getTrace({ offset: 0, limit: 1000, filter: f });
    expect(grown.total).toBe(all().filter((e) => e.node === 'r1' && e.fn === 'ip_forward').length);
    expect(grown.total).toBeGreaterThan(page.total);
    const drops = await app.getTrace({ offset: 0, limit: 1000, filter: { kind: 'rx' } });
    expect(drops.events.every((e) => e.kind === 'rx')).toBe(true);
    const pkt = all().find((e) => e.pkt !== null)!.pkt!;
    const byPkt = await app.getTrace({ offset: 0, limit: 1000, filter: { pkt } });
    expect(byPkt.events.map((e) => e.seq)).toEqual(all().filter((e) => e.pkt === pkt).map((e) => e.seq));
    const text = await app.getTrace({ offset: 0, limit: 1000, filter: { text: '10.2.0.22' } });
    expect(text.total).toBeGreaterThan(0);
    expect(text.events.every((e) => e.data.includes('10.2.0.22') || e.fn.includes('10.2.0.22'))).toBe(true);
  });

  it('locates events by seq and by time under a filter', async () => {
    const app = await labWithPing();
    const all = app.session.trace.events;
    const target = all.filter((e) => e.node === 'r1')[5]!;
    const i = await app.locateEvent({ filter: { node: 'r1' }, seq: target.seq });
    expect((await app.getTrace({ offset: i, limit: 1, filter: { node: 'r1' } })).events[0]!.seq).toBe(target.seq);
    const late = all.find((e) => e.t >= 1_000_000_000)!;
    const j = await app.locateEvent({ t: 1_000_000_000 });
    expect((await app.getTrace({ offset: j, limit: 1 })).events[0]!.seq).toBe(late.seq);
    expect(await app.locateEvent({ t: Number.MAX_SAFE_INTEGER })).toBe(all.length);
  });

  it("gives an event's causal chain both ways and its packet's bytes", async () => {
    const app = await labWithPing();
    const all = app.session.trace.events;
    const fwd = all.find((e) => e.node === 'r1' && e.fn === 'ip_forward')!;
    const d = (await app.getEvent({ seq: fwd.seq }))!;
    expect(d.event.seq).toBe(fwd.seq);
    // The chain ends at the parent and each link is the previous one's child.
    expect(d.ancestors.at(-1)!.seq).toBe(fwd.parent);
    for (let k = 1; k < d.ancestors.length; k++) expect(d.ancestors[k]!.parent).toBe(d.ancestors[k - 1]!.seq);
    expect(d.ancestors[0]!.parent).toBeNull();
    expect(d.children.map((c) => c.seq)).toEqual(all.filter((e) => e.parent === fwd.seq).map((e) => e.seq));
    expect(d.packet?.id).toBe(fwd.pkt);
    const bytes = app.session.trace.packets.get(fwd.pkt!)!.bytes;
    expect(fromHex(d.packet!.hex)).toEqual(bytes);
    expect(decodePacket(fromHex(d.packet!.hex)).layers.map((l) => l.protocol).slice(0, 2)).toEqual(['ipv4', 'icmp']);
    expect(await app.getEvent({ seq: all.length + 10 })).toBeNull();
  });

  it('counts filtered events per node per time bucket for the plot', async () => {
    const app = await labWithPing();
    const all = app.session.trace.events;
    const v = await app.getSeries({ filter: { fn: 'ip_forward' }, buckets: 10 });
    expect(v.t).toHaveLength(10);
    expect(v.t.at(-1)).toBe(app.session.now);
    const expected = all.filter((e) => e.fn === 'ip_forward');
    expect(v.series.map((s) => s.node)).toEqual([...new Set(expected.map((e) => e.node))].sort());
    for (const s of v.series) {
      const mine = expected.filter((e) => e.node === s.node);
      expect(s.counts.reduce((a, b) => a + b, 0)).toBe(mine.length);
      // Each event sits in the bucket whose end is the first at or after its time.
      for (const e of mine) {
        const b = v.t.findIndex((end) => e.t < end);
        expect(s.counts[b === -1 ? 9 : b]).toBeGreaterThan(0);
      }
    }
    await expect(Promise.resolve().then(() => parseRequest('getSeries', { buckets: 0 }))).rejects.toThrow(ApiError);
  });

  it('a reset starts a new trace', async () => {
    const app = await labWithPing();
    const before = (await app.getTrace({ offset: 0, limit: 1 })).total;
    await app.reset();
    const after = (await app.getTrace({ offset: 0, limit: 1 })).total;
    expect(after).toBe(app.session.trace.events.length);
    expect(after).toBeLessThan(before);
  });

  it('refuses bad arguments', () => {
    const bad: [string, unknown][] = [
      ['getTrace', { offset: -1, limit: 10 }],
      ['getTrace', { offset: 0, limit: 100_000 }],
      ['getTrace', { offset: 0.5, limit: 10 }],
      ['getTrace', { offset: 0, limit: 10, filter: { kind: 'nope' } }],
      ['getTrace', { offset: 0, limit: 10, filter: { fn: 'a b' } }],
      ['getTrace', { offset: 0, limit: 10, filter: { text: 'x'.repeat(201) } }],
      ['getTrace', { offset: 0, limit: 10, filter: { evil: 1 } }],
      ['locateEvent', {}],
      ['locateEvent', { seq: 1, t: 2 }],
      ['getEvent', { seq: '1' }],
    ];
    for (const [m, a] of bad) expect(() => parseRequest(m, a), `${m} ${JSON.stringify(a).slice(0, 60)}`).toThrow(ApiError);
  });
});
