// The graph's pure parts: which cytoscape elements join two nodes, a causal chain's elements, and the
// label of each link's counters. Topologies are the labs' own (LabView from the app service) where it matters.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import { chainElements, legsBetween, type Topo } from '../../../renderer/src/graph/graph-route.js';
import { edgeCounters, withCount } from '../../../renderer/src/graph/link-counters.js';

function service(lab: string): AppService {
  const r = openLabFile(join(import.meta.dirname, '..', '..', '..', 'labs', lab));
  if (!r.ok) throw new Error('lab did not load');
  return new AppService(r.spec);
}

// Two links between r1 and r2 (multipath) and a LAN with three members.
const topo: Topo = {
  links: [
    { endpoints: [{ node: 'h1', iface: 'eth0' }, { node: 'r1', iface: 'eth0' }] },
    { endpoints: [{ node: 'r1', iface: 'eth1' }, { node: 'r2', iface: 'eth0' }] },
    { endpoints: [{ node: 'r2', iface: 'eth2' }, { node: 'r1', iface: 'eth2' }] },
  ],
  segments: [{ name: 'lanc', members: [{ node: 'r2', iface: 'eth1' }, { node: 'h2', iface: 'eth0' }, { node: 'h3', iface: 'eth0' }] }],
};

describe('legsBetween', () => {
  it('finds a link in either direction, and only the one the devices name when they are known', () => {
    expect(legsBetween(topo, 'r1', 'h1')).toEqual([{ path: ['n:r1', 'n:h1'], edges: ['l:0'] }]);
    expect(legsBetween(topo, 'r1', 'r2').map((l) => l.edges)).toEqual([['l:1'], ['l:2']]);
    expect(legsBetween(topo, 'r1', 'r2', 'eth2', 'eth2').map((l) => l.edges)).toEqual([['l:2']]);
    expect(legsBetween(topo, 'r2', 'r1', 'eth0', 'eth1').map((l) => l.edges)).toEqual([['l:1']]);
    expect(legsBetween(topo, 'r1', 'r2', 'eth0', 'eth0')).toEqual([]);
  });

  it('crosses a LAN through its segment node, by the two members’ edges', () => {
    expect(legsBetween(topo, 'r2', 'h3', 'eth1', 'eth0')).toEqual([{ path: ['n:r2', 's:lanc', 'n:h3'], edges: ['m:lanc:r2:eth1', 'm:lanc:h3:eth0'] }]);
    expect(legsBetween(topo, 'h1', 'h3')).toEqual([]);
  });
});

describe('chainElements', () => {
  it('highlights the chain’s nodes and every way between consecutive distinct nodes, skipping the run’s own events', () => {
    const c = chainElements(topo, ['', 'h1', 'h1', 'r1', 'r1', 'r2', 'h2']);
    expect(c.nodes.sort()).toEqual(['n:h1', 'n:h2', 'n:r1', 'n:r2', 's:lanc']);
    expect(c.edges.sort()).toEqual(['l:0', 'l:1', 'l:2', 'm:lanc:h2:eth0', 'm:lanc:r2:eth1']);
  });

  it('gives a chain on one node that node alone, and an empty chain nothing', () => {
    expect(chainElements(topo, ['r1', 'r1'])).toEqual({ nodes: ['n:r1'], edges: [] });
    expect(chainElements(topo, [])).toEqual({ nodes: [], edges: [] });
  });

  it('walks a lab’s own topology: link indices and LAN members as the lab lists them', async () => {
    const lab = await service('02-static-routes.yaml').getLab();
    const c = chainElements(lab, ['h1', 'r1', 'r2', 'h3']);
    expect(c.edges).toEqual(['l:0', 'l:1', 'm:lanc:r2:eth1', 'm:lanc:h3:eth0']);
    expect(lab.links[1]!.endpoints.map((e) => e.node)).toEqual(['r1', 'r2']);
    expect(c.nodes).toEqual(['n:h1', 'n:r1', 'n:r2', 'n:h3', 's:lanc']);
  });
});

describe('edgeCounters', () => {
  it('counts the TX packets of both ends of each link and of each LAN member, as ip -s link counts them', async () => {
    const s = service('02-static-routes.yaml');
    await s.runCommand({ node: 'r1', line: 'ip route add 10.3.0.0/24 via 10.0.12.2' });
    await s.runCommand({ node: 'r2', line: 'ip route add 10.1.0.0/24 via 10.0.12.1' });
    expect((await s.runCommand({ node: 'h1', line: 'ping -c 3 10.3.0.20' })).stdout).toContain('3 received');
    const lab = await s.getLab();
    const labels = edgeCounters(lab, await s.getCounters());
    // The numbers `ip -s link show DEV` prints under TX: packets.
    const txOf = async (node: string, dev: string): Promise<number> => {
      const out = (await s.runCommand({ node, line: `ip -s link show ${dev}` })).stdout.split('\n');
      const i = out.findIndex((l) => l.trim().startsWith('TX:'));
      return Number(out[i + 1]!.trim().split(/\s+/)[1]);
    };
    const h1r1 = labels.get('l:0')!;
    expect(h1r1.txSource).toBe(await txOf('h1', 'eth0'));
    expect(h1r1.txTarget).toBe(await txOf('r1', 'eth0'));
    // Three echo requests out of h1 (ARP as well), three replies back from r1.
    expect(h1r1.txSource).toBeGreaterThanOrEqual(3);
    expect(h1r1.txTarget).toBeGreaterThanOrEqual(3);
    expect(labels.get('l:1')).toEqual({ txSource: await txOf('r1', 'eth1'), txTarget: await txOf('r2', 'eth0') });
    expect(labels.get('m:lanc:h2:eth0')).toEqual({ txSource: await txOf('h2', 'eth0'), txTarget: null });
    expect(labels.get('m:lanc:r2:eth1')!.txSource).toBeGreaterThanOrEqual(3);
    expect(labels.get('m:lanc:h3:eth0')!.txSource).toBe(await txOf('h3', 'eth0'));
    expect(labels.size).toBe(2 + 3);
  });

  it("puts the count under the interface and addresses; a LAN's own end keeps its empty label", () => {
    expect(withCount('eth0\n10.1.0.10/24', 8)).toBe('eth0\n10.1.0.10/24\nTX 8');
    expect(withCount('', 0)).toBe('TX 0');
    expect(withCount('', null)).toBe('');
  });
});
