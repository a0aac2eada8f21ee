import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';

function service(): AppService {
  const r = openLabFile(join(import.meta.dirname, '..', '..', '..', 'labs', '02-static-routes.yaml'));
  if (!r.ok) throw new Error('lab did not load');
  return new AppService(r.spec);
}

async function pingThrough(s: AppService): Promise<void> {
  await s.runCommand({ node: 'r1', line: 'ip route add 10.3.0.0/24 via 10.0.12.2' });
  await s.runCommand({ node: 'r2', line: 'ip route add 10.1.0.0/24 via 10.0.12.1' });
  expect((await s.runCommand({ node: 'h1', line: 'ping -c 1 10.3.0.20' })).stdout).toContain('1 received');
}

describe('getJourney', () => {
  it("follows an echo request's forwarded copies h1 → r1 → r2 → LAN, whichever copy is asked about", async () => {
    const s = service();
    await pingThrough(s);
    const tx = (await s.getTrace({ offset: 0, limit: 1000, filter: { node: 'h1', fn: 'dev_queue_xmit' } })).events[0]!;
    const first = await s.getJourney({ pkt: tx.pkt! });
    expect(first.nodes.slice(0, 3)).toEqual(['h1', 'r1', 'r2']);
    // On the LAN the bridge sends the frame to h2's port only (its MAC is known): h3 never sees it.
    expect(first.hops.map((h) => `${h.from}:${h.txDev}>${h.to}:${h.rxDev}`)).toEqual(['h1:eth0>r1:eth0', 'r1:eth1>r2:eth0', 'r2:eth1>h2:eth0']);
    // Each forwarded copy is derived from the previous one (origin chain), root first.
    const ids = first.packets.map((p) => p.id);
    expect(first.packets.map((p) => p.origin)).toEqual([null, ids[0], ids[1]]);
    for (const h of first.hops) expect(h.t1).toBeGreaterThanOrEqual(h.t0);
    expect(first.events.every((e) => ids.includes(e.pkt))).toBe(true);
    expect(first.events.some((e) => e.node === 'h3')).toBe(false);
    // The last copy's journey is the same family.
    const last = await s.getJourney({ pkt: ids[2]! });
    expect(last.hops).toEqual(first.hops);
    expect(last.pkt).toBe(ids[2]);
    // The reply is a new packet (no origin): its own journey, back the other way.
    const reply = first.events.length ? (await s.getTrace({ offset: 0, limit: 1000, filter: { node: 'h2', fn: 'dev_queue_xmit' } })).events[0]! : null;
    const back = await s.getJourney({ pkt: reply!.pkt! });
    expect(back.hops.map((h) => `${h.from}>${h.to}`)).toEqual(['h2>r2', 'r2>r1', 'r1>h1']);
    expect(back.packets.map((p) => p.id).some((id) => ids.includes(id))).toBe(false);
  });

  it('follows a packet around a routing loop until a router drops it with TTL 1 (ip_forward: ttl <= 1)', async () => {
    const s = service();
    await s.runCommand({ node: 'r1', line: 'ip route add 10.9.0.0/24 via 10.0.12.2' });
    await s.runCommand({ node: 'r2', line: 'ip route add 10.9.0.0/24 via 10.0.12.1' });
    await s.runCommand({ node: 'h1', line: 'ping -c 1 -W 1 10.9.0.1' });
    const tx = (await s.getTrace({ offset: 0, limit: 1, filter: { node: 'h1', kind: 'tx' } })).events[0]!;
    const j = await s.getJourney({ pkt: tx.pkt! });
    // Sent with TTL 64: the routers forward the copies that arrive with TTL 64..2 (63 of them), plus h1's send.
    expect(j.packets).toHaveLength(64);
    expect(j.hops).toHaveLength(64);
    expect(j.hops.slice(1).every((h, i) => `${h.from}>${h.to}` === (i % 2 === 0 ? 'r1>r2' : 'r2>r1'))).toBe(true);
    for (let i = 1; i < j.packets.length; i++) expect(j.packets[i]!.origin).toBe(j.packets[i - 1]!.id);
    expect(j.nodes).toEqual(['h1', 'r1', 'r2']);
    expect(j.truncated).toBe(false);
    // Events come in trace order; the copy that arrived with TTL 1 went no further.
    expect(j.events.map((e) => e.seq)).toEqual([...j.events.map((e) => e.seq)].sort((x, y) => x - y));
    const lastHop = j.hops.at(-1)!;
    expect(j.events.filter((e) => e.seq > lastHop.rxSeq).some((e) => e.kind === 'tx')).toBe(false);
  });

  it('refuses an unknown packet (ENOENT) and a bad argument (EINVAL)', async () => {
    const s = service();
    await expect(s.invoke('getJourney', { pkt: 999999 })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => parseRequest('getJourney', { pkt: -1 })).toThrow(ApiError);
    expect(() => parseRequest('getJourney', { pkt: 1, seq: 2 })).toThrow(ApiError);
    expect(() => parseRequest('getJourney', undefined)).toThrow(ApiError);
  });
});
