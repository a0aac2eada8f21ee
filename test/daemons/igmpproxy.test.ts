// labs/daemons/igmpproxy.ts in a tree of two proxies: traffic reaches exactly the joined receivers, a leave
// prunes its branch all the way up (the lower proxy leaves upstream, the upper one stops sending down that
// link), a late join grafts a new branch, and the querier keeps memberships alive past their timeout.
//
//   src ── p1 ─eth1── p2 ─eth1── h2
//           └eth2── h3   └eth2── h4

import { describe, expect, it } from 'vitest';
import { startProxies, tree } from './topologies.js';

const G = '239.1.1.1';
/** Oifs of the router's MFC entries for the source 10.0.0.10 (the proxies' own reports to G loop back into
 *  ipmr and leave unresolved entries for their own addresses for 10 s; those are not routes). */

describe('igmpproxy.ts: two proxies in a tree', () => {
  it('forwards to exactly the joined receivers, prunes on leave, grafts on a late join', async () => {
    const lab = tree();
    await startProxies(lab);
    const h2 = lab.receiver('h2', 'eth0', G);
    const h3 = lab.receiver('h3', 'eth0', G);
    const h4 = lab.receiver('h4', 'eth0', G);
    h4.leave(); // h4 has a socket but no membership yet
    // The proxies' first general query (Max Resp Time 10 s) reaches the hosts as they join: a host then
    // answers within a random 0–10 s instead of reporting at once (the kernel cancels the unsolicited report).
    lab.run(11_000);
    expect(lab.logs('p2')).toContain(`joined ${G} upstream on eth0`);

    lab.send('src', 'eth0', G, 1, 3);
    lab.run(500);
    expect([h2.got(), h3.got(), h4.got()]).toEqual([[1, 1, 1], [1, 1, 1], []]);
    // p1 forwards to p2 (VIF 1) and h3 (VIF 2) at TTL threshold 1; p2 only to h2 (VIF 1).
    expect(lab.oifs('p1')).toEqual(['1:1 2:1']);
    expect(lab.oifs('p2')).toEqual(['1:1']);

    // h2 leaves: p2 asks twice (1 s apart), forgets the group, deletes its entry and leaves upstream;
    // p1 (quickleave) then stops sending down eth1 at once.
    h2.leave();
    lab.run(5000);
    expect(lab.logs('p2')).toContain(`left ${G} upstream on eth0`);
    expect(lab.oifs('p1')).toEqual(['2:1']);
    expect(lab.oifs('p2')).toEqual([]);
    const p2In = lab.vifPktsIn('p2', 0);
    lab.send('src', 'eth0', G, 2, 2);
    lab.run(500);
    expect([h2.got(), h3.got(), h4.got()]).toEqual([[1, 1, 1], [1, 1, 1, 2, 2], []]);
    expect(lab.vifPktsIn('p2', 0)).toBe(p2In); // the pruned link carried nothing

    // h4 joins late: p2 joins upstream again, p1 adds eth1 back, the known source's entry is reinstalled.
    h4.join();
    lab.run(3000);
    lab.send('src', 'eth0', G, 3);
    lab.run(500);
    expect([h2.got(), h3.got(), h4.got()]).toEqual([[1, 1, 1], [1, 1, 1, 2, 2, 3], [3]]);
    expect(lab.oifs('p2')).toEqual(['2:1']);

    // Past the 260 s membership timeout: only the hosts' answers to the general queries keep it alive.
    lab.run(400_000);
    lab.send('src', 'eth0', G, 4);
    lab.run(500);
    expect([h3.got().at(-1), h4.got().at(-1)]).toEqual([4, 4]);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('a membership nobody refreshes expires: the branch is pruned without a leave', async () => {
    const lab = tree();
    await startProxies(lab);
    const h3 = lab.receiver('h3', 'eth0', G);
    lab.run(11_000);
    expect(lab.oifs('p1')).toEqual([]); // no source yet, so no entry
    lab.send('src', 'eth0', G, 1);
    lab.run(500);
    expect(h3.got()).toEqual([1]);
    // h3 goes silent (its link goes down), so its reports stop; p1's timer (260 s) runs out.
    lab.ip('h3', 'link set eth0 down');
    lab.run(270_000);
    expect(lab.logs('p1')).toContain(`${G}: no members left on eth2`);
    expect(lab.oifs('p1')).toEqual([]);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('a source beyond the upstream subnet needs an altnet', async () => {
    const lab = tree();
    await lab.start('p1', 'igmpproxy.ts', { '/etc/igmpproxy.conf': 'phyint eth0 upstream\nphyint eth1 downstream\nphyint eth2 downstream\n' });
    await lab.start('p2', 'igmpproxy.ts', { '/etc/igmpproxy.conf': 'phyint eth0 upstream\nphyint eth1 downstream\nphyint eth2 downstream\n' });
    const h2 = lab.receiver('h2', 'eth0', G);
    const h3 = lab.receiver('h3', 'eth0', G);
    lab.run(11_000);
    lab.send('src', 'eth0', G, 1);
    lab.run(500);
    expect([h2.got(), h3.got()]).toEqual([[], [1]]);
    expect(lab.logs('p2')).toContain(`the source address 10.0.0.10 for group ${G} is not in any valid net for upstream eth0`);
  });

  it('config errors name the file and line', async () => {
    const lab = tree();
    await expect(lab.start('p1', 'igmpproxy.ts', { '/etc/igmpproxy.conf': 'quickleave\nphyint eth0 upstream\nphyint eth1 sideways\n' })).rejects.toThrow('/etc/igmpproxy.conf:3: unknown role "sideways"');
    await expect(lab.start('p2', 'igmpproxy.ts', { '/etc/x.conf': 'phyint eth1 downstream\n' }, ['-c', '/etc/x.conf'])).rejects.toThrow('/etc/x.conf: need exactly one upstream interface (found 0)');
  });
});
