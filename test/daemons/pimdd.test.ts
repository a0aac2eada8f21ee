// labs/daemons/pimdd.ts on three routers: the first packets flood, a router without members prunes its
// branch (and the pruned link carries nothing more), a late member grafts the branch back at once, a leave
// prunes again, and PIM packets on the wire are real PIMv2 (checksums, types) as the trace shows them.
//
//   src ── r1 ─eth1── r2 ── h2
//           └─eth2── r3 ── h3

import { describe, expect, it } from 'vitest';
import { DaemonLab } from './lab.js';
import { prunedTriangle, startRouters, triangle } from './topologies.js';

const G = '239.2.2.2';

/** Oifs of a router's (10.0.0.10, G) entry, as /proc/net/ip_mr_cache shows them. */

describe('pimdd.ts: dense mode on three routers', () => {
  it('floods, prunes the branch without members, grafts it back on a late join, prunes again on leave', async () => {
    const lab = triangle();
    await startRouters(lab);
    const h2 = lab.receiver('h2', 'eth0', G);
    const h3 = lab.receiver('h3', 'eth0', G);
    h3.leave();
    lab.run(11_000);
    expect(lab.logs('r1')).toEqual(expect.arrayContaining(['new neighbor 10.1.0.2 on eth1', 'new neighbor 10.3.0.2 on eth2']));

    // Flood: r1 sends to both neighbors; r3 has no members and no other neighbor, so it prunes.
    lab.send('src', 'eth0', G, 1, 3);
    lab.run(500);
    expect([h2.got(), h3.got()]).toEqual([[1, 1, 1], []]);
    expect(lab.logs('r3')).toContain(`prune (10.0.0.10, ${G}) sent to 10.3.0.1`);
    expect(lab.oifs('r1')).toEqual(['1:1']);
    expect(lab.oifs('r3')).toEqual(['']);
    const r3In = lab.vifPktsIn('r3', 0);
    expect(r3In).toBeGreaterThan(0); // the flood did reach r3 before the prune
    lab.send('src', 'eth0', G, 2, 2);
    lab.run(500);
    expect(lab.vifPktsIn('r3', 0)).toBe(r3In); // pruned: nothing more on r1–r3
    expect(h2.got()).toEqual([1, 1, 1, 2, 2]);

    // h3 joins: r3 grafts, r1 acknowledges and forwards on eth2 again, without waiting for the prune to end.
    h3.join();
    lab.run(1000);
    expect(lab.logs('r3')).toContain(`graft (10.0.0.10, ${G}) sent to 10.3.0.1`);
    expect(lab.oifs('r1')).toEqual(['1:1 2:1']);
    lab.send('src', 'eth0', G, 3);
    lab.run(500);
    expect([h2.got().at(-1), h3.got()]).toEqual([3, [3]]);
    // The Graft-Ack stopped the retries: one graft only.
    lab.run(10_000);
    expect(lab.logs('r3').filter((l) => l.startsWith('graft'))).toHaveLength(1);

    // h2 leaves: r2 asks once, forgets the member after 2 s, prunes; r1 stops sending on eth1.
    h2.leave();
    lab.run(3000);
    expect(lab.logs('r2')).toContain(`prune (10.0.0.10, ${G}) sent to 10.1.0.1`);
    expect(lab.oifs('r1')).toEqual(['2:1']);
    const r2In = lab.vifPktsIn('r2', 0);
    lab.send('src', 'eth0', G, 4);
    lab.run(500);
    expect(lab.vifPktsIn('r2', 0)).toBe(r2In);
    expect([h2.got().at(-1), h3.got()]).toEqual([3, [3, 4]]);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('a prune lasts its holdtime (210 s): then the flood resumes and the branch prunes again', async () => {
    const { lab, h2 } = await prunedTriangle(G);
    // A steady stream (1 packet/10 s) keeps the entries alive while r3's prune runs out.
    for (let t = 0; t < 25; t++) {
      lab.send('src', 'eth0', G, 2);
      lab.run(10_000);
    }
    const r3 = lab.logs('r3').filter((l) => l.startsWith('prune'));
    expect(r3[0]).toBe(`prune (10.0.0.10, ${G}) sent to 10.3.0.1`);
    expect(r3.slice(1)).toContain(`prune (10.0.0.10, ${G}) sent to 10.3.0.1 again: data still arrives`);
    // Between the prune and its expiry r3 got nothing; the count is the flood before it plus the one after.
    // (prune at 0.5 s, expiry at 210.5 s, data at 220 and 230 s, r3's next check at 240 s prunes again).
    expect(lab.vifPktsIn('r3', 0)).toBe(3);
    expect(h2.got().length).toBe(26);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('on a LAN, a prune waits 3 s and another router that still needs the traffic overrides it with a Join', async () => {
    // src ── r1 ─eth1─ [LAN 10.1.0.0/24] ─ r2 ── h2 (member), r3 ── h3 (none)
    const lab = new DaemonLab(1);
    for (const n of ['src', 'h2', 'h3']) lab.node(n, 'host');
    for (const n of ['r1', 'r2', 'r3']) lab.node(n, 'router');
    lab.link('src', 'eth0', '10.0.0.10/24', 'r1', 'eth0', '10.0.0.1/24');
    lab.lan('lan', [['r1', 'eth1', '10.1.0.1/24'], ['r2', 'eth0', '10.1.0.2/24'], ['r3', 'eth0', '10.1.0.3/24']]);
    lab.link('r2', 'eth1', '10.2.0.1/24', 'h2', 'eth0', '10.2.0.10/24').link('r3', 'eth1', '10.4.0.1/24', 'h3', 'eth0', '10.4.0.10/24');
    lab.ip('r2', 'route add 10.0.0.0/24 via 10.1.0.1').ip('r3', 'route add 10.0.0.0/24 via 10.1.0.1');
    lab.run(10);
    await startRouters(lab);
    const h2 = lab.receiver('h2', 'eth0', G);
    lab.run(11_000);
    lab.send('src', 'eth0', G, 1);
    lab.run(5000);
    expect(lab.logs('r3')).toContain(`prune (10.0.0.10, ${G}) sent to 10.1.0.1`);
    expect(lab.logs('r2')).toContain(`join (10.0.0.10, ${G}) sent to 10.1.0.1: overriding 10.1.0.3's prune`);
    expect(lab.logs('r1')).toContain(`prune (10.0.0.10, ${G}) on eth1 overridden by 10.1.0.2`);
    expect(lab.oifs('r1')).toEqual(['1:1']);
    lab.send('src', 'eth0', G, 2);
    lab.run(500);
    expect(h2.got()).toEqual([1, 2]);

    // Once h2 leaves, r2 prunes too and nobody overrides: after 3 s r1 stops forwarding onto the LAN.
    h2.leave();
    lab.run(2500);
    expect(lab.logs('r2')).toContain(`prune (10.0.0.10, ${G}) sent to 10.1.0.1`);
    expect(lab.oifs('r1')).toEqual(['1:1']); // still pending
    lab.run(3000);
    expect(lab.oifs('r1')).toEqual(['']);
    expect(lab.exits()).toEqual([]);
  });

  it('sends real PIMv2: hellos to 224.0.0.13 and a prune that the kernel delivers to r1’s PIM socket', async () => {
    const lab = triangle();
    await startRouters(lab);
    lab.receiver('h2', 'eth0', G);
    lab.run(11_000);
    lab.send('src', 'eth0', G, 1);
    lab.run(500);
    const rcv = lab.sink.events.filter((e) => e.node === 'r1' && e.fn === 'raw_rcv' && e.data.sock === 'raw/103').map((e) => `${String(e.data.src)}>${String(e.data.dst)}`);
    expect(rcv).toEqual(expect.arrayContaining(['10.1.0.2>224.0.0.13', '10.3.0.2>224.0.0.13']));
  });
});
