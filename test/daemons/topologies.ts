// The daemon scenario topologies, shared by each daemon's test and by the fingerprint test.

import { expect } from 'vitest';
import { DaemonLab, type Receiver } from './lab.js';

/** igmpproxy: src ── p1 ─eth1── p2 ─eth1── h2; p1 ─eth2── h3; p2 ─eth2── h4. */
const P1_CONF = `# upper proxy: the source's LAN is upstream
quickleave
phyint eth0 upstream  ratelimit 0  threshold 1
phyint eth1 downstream  ratelimit 0  threshold 1
phyint eth2 downstream  ratelimit 0  threshold 1
`;
const P2_CONF = `# lower proxy: the source is two hops away, so its network is an altnet
phyint eth0 upstream  ratelimit 0  threshold 1
        altnet 10.0.0.0/24
phyint eth1 downstream  ratelimit 0  threshold 1
phyint eth2 downstream  ratelimit 0  threshold 1
`;

export function tree(seed = 1): DaemonLab {
  const lab = new DaemonLab(seed);
  for (const n of ['src', 'h2', 'h3', 'h4']) lab.node(n, 'host');
  for (const n of ['p1', 'p2']) lab.node(n, 'router');
  lab
    .link('src', 'eth0', '10.0.0.10/24', 'p1', 'eth0', '10.0.0.1/24')
    .link('p1', 'eth1', '10.1.0.1/24', 'p2', 'eth0', '10.1.0.2/24')
    .link('p1', 'eth2', '10.3.0.1/24', 'h3', 'eth0', '10.3.0.10/24')
    .link('p2', 'eth1', '10.2.0.1/24', 'h2', 'eth0', '10.2.0.10/24')
    .link('p2', 'eth2', '10.4.0.1/24', 'h4', 'eth0', '10.4.0.10/24');
  lab.ip('p2', 'route add default via 10.1.0.1');
  lab.run(10);
  return lab;
}

export async function startProxies(lab: DaemonLab): Promise<void> {
  await lab.start('p1', 'igmpproxy.ts', { '/etc/igmpproxy.conf': P1_CONF });
  await lab.start('p2', 'igmpproxy.ts', { '/etc/igmpproxy.conf': P2_CONF });
}


/** pimdd: src ── r1 ─eth1── r2 ── h2; r1 ─eth2── r3 ── h3. */
export function triangle(seed = 1): DaemonLab {
  const lab = new DaemonLab(seed);
  for (const n of ['src', 'h2', 'h3']) lab.node(n, 'host');
  for (const n of ['r1', 'r2', 'r3']) lab.node(n, 'router');
  lab
    .link('src', 'eth0', '10.0.0.10/24', 'r1', 'eth0', '10.0.0.1/24')
    .link('r1', 'eth1', '10.1.0.1/24', 'r2', 'eth0', '10.1.0.2/24')
    .link('r1', 'eth2', '10.3.0.1/24', 'r3', 'eth0', '10.3.0.2/24')
    .link('r2', 'eth1', '10.2.0.1/24', 'h2', 'eth0', '10.2.0.10/24')
    .link('r3', 'eth1', '10.4.0.1/24', 'h3', 'eth0', '10.4.0.10/24');
  // RPF: r2 and r3 reach the source through r1.
  lab.ip('r2', 'route add 10.0.0.0/24 via 10.1.0.1').ip('r3', 'route add 10.0.0.0/24 via 10.3.0.1');
  lab.run(10);
  return lab;
}

export async function startRouters(lab: DaemonLab, args: string[] = []): Promise<void> {
  for (const r of ['r1', 'r2', 'r3']) await lab.start(r, 'pimdd.ts', {}, args);
}

/**
 * The triangle with pimdd on its routers, h2 a member of `group`, and the flood of src's first datagram
 * pruned back: r3 (no member) has pruned, so r1 forwards on eth1 only.
 */
export async function prunedTriangle(group: string): Promise<{ lab: DaemonLab; h2: Receiver }> {
  const lab = triangle();
  await startRouters(lab);
  const h2 = lab.receiver('h2', 'eth0', group);
  lab.run(11_000);
  lab.send('src', 'eth0', group, 1);
  lab.run(500);
  expect(lab.oifs('r1')).toEqual(['1:1']); // r3 pruned
  return { lab, h2 };
}


/**
 * pimdd Assert: two routers, ra and rb, both reach the source through r0 and both serve one receiver LAN
 * (10.5.0.0/24, host h): src ── r0 ─eth1── ra ─┬─ LAN ─ h
 *                                 └─eth2── rb ─┘
 * ra's route to the source has metric `metricA`, rb's `metricB` (the Assert compares them). With
 * `downstream`, a third router rc (10.5.0.3, host h4 behind it) sits on the LAN and routes to the source via ra.
 */
export function twoForwarders(metricA: number, metricB: number, downstream = false, seed = 1): DaemonLab {
  const lab = new DaemonLab(seed);
  for (const n of ['src', 'h', ...(downstream ? ['h4'] : [])]) lab.node(n, 'host');
  for (const n of ['r0', 'ra', 'rb', ...(downstream ? ['rc'] : [])]) lab.node(n, 'router');
  const onLan: [string, string, string][] = [['ra', 'eth1', '10.5.0.1/24'], ['rb', 'eth1', '10.5.0.2/24'], ['h', 'eth0', '10.5.0.10/24']];
  if (downstream) onLan.push(['rc', 'eth0', '10.5.0.3/24']);
  lab
    .link('src', 'eth0', '10.0.0.10/24', 'r0', 'eth0', '10.0.0.1/24')
    .link('r0', 'eth1', '10.1.0.1/24', 'ra', 'eth0', '10.1.0.2/24')
    .link('r0', 'eth2', '10.2.0.1/24', 'rb', 'eth0', '10.2.0.2/24')
    .lan('lan', onLan);
  lab.ip('ra', `route add 10.0.0.0/24 via 10.1.0.1 metric ${metricA}`).ip('rb', `route add 10.0.0.0/24 via 10.2.0.1 metric ${metricB}`);
  if (downstream) lab.link('rc', 'eth1', '10.6.0.1/24', 'h4', 'eth0', '10.6.0.10/24').ip('rc', 'route add 10.0.0.0/24 via 10.5.0.1');
  lab.run(10);
  return lab;
}

export async function startForwarders(lab: DaemonLab): Promise<void> {
  for (const r of ['r0', 'ra', 'rb', 'rc']) if (lab.net.nodes.has(r)) await lab.start(r, 'pimdd.ts');
}
