// Each reference daemon, in its scenario, gives the same trace fingerprint (and the same logs) on two runs
// with the same seed: nothing in a daemon depends on the host (wall clock, iteration order of host objects).

import { describe, expect, it } from 'vitest';
import type { DaemonLab } from './lab.js';
import { DaemonLab as Lab } from './lab.js';
import { startProxies, startRouters, tree, triangle } from './topologies.js';

const G = '239.1.1.1';

async function smcroute(seed: number): Promise<DaemonLab> {
  const lab = new Lab(seed);
  for (const n of ['src', 'h1']) lab.node(n, 'host');
  lab.node('r', 'router');
  lab.link('src', 'eth0', '10.0.0.10/24', 'r', 'eth0', '10.0.0.1/24').link('r', 'eth1', '10.1.0.1/24', 'h1', 'eth0', '10.1.0.10/24');
  await lab.start('r', 'smcroute.ts', { '/etc/smcroute.conf': `phyint eth0 enable\nphyint eth1 enable\nmroute from eth0 group ${G} to eth1\n` }, ['-N']);
  lab.receiver('h1', 'eth0', G);
  lab.run(2000);
  lab.send('src', 'eth0', G, 1, 3);
  lab.run(70_000);
  return lab;
}

async function igmpproxy(seed: number): Promise<DaemonLab> {
  const lab = tree(seed);
  await startProxies(lab);
  const h2 = lab.receiver('h2', 'eth0', G);
  lab.receiver('h3', 'eth0', G);
  lab.run(11_000);
  lab.send('src', 'eth0', G, 1, 2);
  lab.run(500);
  h2.leave();
  lab.run(130_000);
  return lab;
}

async function pimdd(seed: number): Promise<DaemonLab> {
  const lab = triangle(seed);
  await startRouters(lab);
  const h3 = lab.receiver('h3', 'eth0', G);
  h3.leave();
  lab.receiver('h2', 'eth0', G);
  lab.run(11_000);
  lab.send('src', 'eth0', G, 1, 2);
  lab.run(500);
  h3.join();
  lab.run(65_000);
  return lab;
}

describe('reference daemons: same seed, same trace fingerprint', () => {
  for (const [name, scenario] of [['smcroute.ts', smcroute], ['igmpproxy.ts', igmpproxy], ['pimdd.ts', pimdd]] as const) {
    it(name, async () => {
      const a = await scenario(42);
      const b = await scenario(42);
      expect(a.exits()).toEqual([]);
      expect(a.logs().length).toBeGreaterThan(2);
      expect(b.net.sim.trace.fingerprint()).toBe(a.net.sim.trace.fingerprint());
      expect(b.logs()).toEqual(a.logs());
      expect(b.sink.events.length).toBe(a.sink.events.length);
    }, 60_000);
  }
});
