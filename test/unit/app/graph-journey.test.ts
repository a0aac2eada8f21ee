// A packet's journey as the graph animates it (renderer/src/graph/journey-plan.ts): hops become legs over
// the topology's elements, started at the step their copy reached the sending node; drops are placed
// where the copy ended. Journeys come from the app service running the labs.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import { planJourney, type JourneyPlan } from '../../../renderer/src/graph/journey-plan.js';
import { along } from '../../../renderer/src/graph/polyline.js';

function service(lab: string): AppService {
  const r = openLabFile(join(import.meta.dirname, '..', '..', '..', 'labs', lab));
  if (!r.ok) throw new Error('lab did not load');
  return new AppService(r.spec);
}

const legs = (p: JourneyPlan): string[] => p.legs.map((l) => `${l.step}:${l.from}>${l.to}${l.last ? '.' : ''}`);

describe('planJourney', () => {
  it('fans a dense-mode flood out at r1 (one leg per branch, same step) and ends the pruned branch with a drop at r3', async () => {
    const s = service('15-dense-mode.yaml');
    for (const d of await s.listDaemons()) await s.startDaemon({ node: d.node, file: d.file, source: d.source });
    await s.runStepActions({ step: 0 });
    await s.runCommand({ node: 'r2', line: 'ip route add 10.1.0.0/24 via 10.0.12.1' });
    await s.runCommand({ node: 'r3', line: 'ip route add 10.1.0.0/24 via 10.0.13.1' });
    await s.runStepActions({ step: 1 });
    const sent = (await s.getTrace({ offset: 0, limit: 1000, filter: { node: 'src', kind: 'tx' } })).events.filter((e) => e.pkt !== null);
    // The first datagram to the group is flooded before any prune: both branches.
    let plan: JourneyPlan | null = null;
    for (const e of sent) {
      const p = planJourney(await s.getJourney({ pkt: e.pkt! }), await s.getLab());
      if (p.legs.some((l) => l.to === 'r3')) {
        plan = p;
        break;
      }
    }
    expect(plan).not.toBeNull();
    const p = plan!;
    expect(legs(p).sort()).toEqual(['0:src>r1', '1:r1>r2', '1:r1>r3.', '2:r2>rx2.']);
    expect(p.drops).toEqual([{ node: 'r3', step: 2, fn: 'ip_mr_forward' }]);
    expect(p.steps).toBe(3);
    const r1r3 = p.legs.find((l) => l.to === 'r3')!;
    expect(r1r3).toMatchObject({ path: ['n:r1', 'n:r3'], edges: ['l:2'] });
    expect(p.legs.find((l) => l.to === 'rx2')).toMatchObject({ path: ['n:r2', 's:lan2', 'n:rx2'], edges: ['m:lan2:r2:eth1', 'm:lan2:rx2:eth0'] });
    expect(p.edges.sort()).toEqual(['l:0', 'l:1', 'l:2', 'm:lan2:r2:eth1', 'm:lan2:rx2:eth0']);
    expect(p.nodes).toEqual(expect.arrayContaining(['n:src', 'n:r1', 'n:r2', 'n:r3', 'n:rx2', 's:lan2']));
  }, 60_000);

  it('sends a unicast frame on a LAN only to the member that owns its MAC (the bridge fdb): h2, not h3', async () => {
    const s = service('02-static-routes.yaml');
    await s.runCommand({ node: 'r1', line: 'ip route add 10.3.0.0/24 via 10.0.12.2' });
    await s.runCommand({ node: 'r2', line: 'ip route add 10.1.0.0/24 via 10.0.12.1' });
    await s.runCommand({ node: 'h1', line: 'ping -c 1 10.3.0.20' });
    const tx = (await s.getTrace({ offset: 0, limit: 1000, filter: { node: 'h1', fn: 'dev_queue_xmit' } })).events.find((e) => e.pkt !== null)!;
    const p = planJourney(await s.getJourney({ pkt: tx.pkt! }), await s.getLab());
    expect(legs(p)).toEqual(['0:h1>r1', '1:r1>r2', '2:r2>h2.']);
    expect(p.drops).toEqual([]);
    expect(p.steps).toBe(3);
  });

  it('follows a routing loop hop by hop to the router that drops the copy with TTL 1', async () => {
    const s = service('02-static-routes.yaml');
    await s.runCommand({ node: 'r1', line: 'ip route add 10.9.0.0/24 via 10.0.12.2' });
    await s.runCommand({ node: 'r2', line: 'ip route add 10.9.0.0/24 via 10.0.12.1' });
    await s.runCommand({ node: 'h1', line: 'ping -c 1 -W 1 10.9.0.1' });
    const tx = (await s.getTrace({ offset: 0, limit: 1, filter: { node: 'h1', kind: 'tx' } })).events[0]!;
    const j = await s.getJourney({ pkt: tx.pkt! });
    const p = planJourney(j, await s.getLab());
    expect(p.legs.map((l) => l.step)).toEqual(j.hops.map((_, i) => i));
    // Only the copy at the end of the loop goes no further.
    expect(p.legs.filter((l) => l.last)).toHaveLength(1);
    expect(p.legs.at(-1)!.last).toBe(true);
    const end = p.legs.at(-1)!.to;
    expect(p.drops.filter((d) => d.node === end).map((d) => d.step)).toContain(j.hops.length);
    expect(p.steps).toBe(j.hops.length);
  });

  it('starts a hop after the latest arrival at its sender and keeps a hop the topology cannot draw, without a path', () => {
    const topo = { links: [{ endpoints: [{ node: 'a', iface: 'e0' }, { node: 'b', iface: 'e0' }] as [{ node: string; iface: string }, { node: string; iface: string }] }], segments: [] };
    const hop = (from: string, to: string, txSeq: number, rxSeq: number) => ({ pkt: 1, from, to, txSeq, rxSeq, txDev: 'e0', rxDev: 'e0', t0: 0, t1: 0 });
    const p = planJourney({ nodes: ['a', 'b', 'c'], events: [], hops: [hop('b', 'a', 5, 6), hop('a', 'b', 1, 2), hop('a', 'c', 7, 8)] }, topo);
    expect(legs(p)).toEqual(['0:a>b', '1:b>a', '2:a>c.']);
    expect(p.legs[2]).toMatchObject({ path: [], edges: [] });
    expect(p.edges).toEqual(['l:0']);
  });
});

describe('along', () => {
  it('walks a polyline by length', () => {
    const pts = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 30 }];
    expect(along(pts, 0)).toEqual({ x: 0, y: 0 });
    expect(along(pts, 0.25)).toEqual({ x: 10, y: 0 });
    expect(along(pts, 0.5)).toEqual({ x: 10, y: 10 });
    expect(along(pts, 1)).toEqual({ x: 10, y: 30 });
    expect(along(pts, 2)).toEqual({ x: 10, y: 30 });
  });
});
