// labs/daemons/pimdd.ts with -r, State Refresh (RFC 3973 §4.5): r1, next to the source, sends a State
// Refresh down the tree every 60 s while data flows, so r3's Prune never runs out: no flood every 210 s
// (compare pimdd.test.ts, "a prune lasts its holdtime", without -r). r3 keeps its entry alive on the
// refreshes alone, so a late member still grafts at once.
//
//   src ── r1 ─eth1── r2 ── h2 (member)
//           └─eth2── r3 ── h3 (joins late)

import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../engine/wire/checksum.js';
import { decodePim } from '../../engine/wire/pim.js';
import { Daemon } from '../../main/host/sandbox/daemon.js';
import { loadQuickJS } from '../../main/host/sandbox/quickjs.js';
import type { DaemonLab } from './lab.js';
import { startRouters, triangle } from './topologies.js';

const G = '239.2.2.2';
const S = '10.0.0.10';


/** PIM messages of one type `node` received, as (source address, PIM bytes). */
function pimReceived(lab: DaemonLab, node: string, type: number): { from: string; pim: Uint8Array }[] {
  return lab.sink.events
    .filter((e) => e.node === node && e.fn === 'raw_rcv' && e.data.sock === 'raw/103' && e.pkt !== null)
    .map((e) => lab.sink.packets.get(e.pkt!)!.bytes)
    .map((ip) => ({ from: ip.subarray(12, 16).join('.'), pim: ip.subarray((ip[0]! & 15) * 4) }))
    .filter(({ pim }) => (pim[0]! & 15) === type);
}

describe('pimdd.ts -r: State Refresh', () => {
  it('keeps a Prune alive while data flows, and keeps the pruned router’s entry for a late Graft', async () => {
    const lab = triangle();
    await startRouters(lab, ['-r']);
    const h2 = lab.receiver('h2', 'eth0', G);
    const h3 = lab.receiver('h3', 'eth0', G);
    h3.leave();
    lab.run(11_000);
    // Hellos say "State Refresh capable": option 21, version 1, interval 60 s.
    const hello = pimReceived(lab, 'r3', 0).find((m) => m.from === '10.3.0.1')!.pim;
    expect([...hello.subarray(hello.length - 8)]).toEqual([0, 21, 0, 4, 1, 60, 0, 0]);

    lab.send('src', 'eth0', G, 1);
    lab.run(500);
    expect(lab.oifs('r1')).toEqual(['1:1']);
    const r3In = lab.vifPktsIn('r3', 0);
    // A steady stream (1 packet / 10 s) for 300 s: longer than a Prune's 210 s holdtime.
    for (let t = 0; t < 30; t++) {
      lab.send('src', 'eth0', G, 2);
      lab.run(10_000);
    }
    expect(lab.vifPktsIn('r3', 0)).toBe(r3In); // never flooded again
    expect(lab.oifs('r1')).toEqual(['1:1']);
    expect(lab.logs('r3').filter((l) => l.startsWith('prune'))).toEqual([`prune (${S}, ${G}) sent to 10.3.0.1`]);
    expect(lab.logs('r1')).toContain(`state refresh (${S}, ${G}) sent on eth1, eth2 (P)`);
    expect(lab.logs('r3').filter((l) => l === `state refresh (${S}, ${G}) from 10.3.0.1 (P)`).length).toBeGreaterThanOrEqual(4);
    expect(h2.got().length).toBe(31);

    // On the wire (RFC 3973 §4.7): type 9, checksum right, group, source, originator (r1 on the source's LAN),
    // preference 0 / metric 0 (a connected source), masklen 24, TTL 16, P bit set on the pruned link, interval 60.
    const sr = pimReceived(lab, 'r3', 9)[0]!.pim;
    expect(decodePim(sr).checksumValid).toBe(true);
    expect(sr.length).toBe(36);
    expect([sr.subarray(8, 12).join('.'), sr.subarray(14, 18).join('.'), sr.subarray(20, 24).join('.')]).toEqual([G, S, '10.0.0.1']);
    expect([...sr.subarray(24, 36)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 24, 16, 0x80, 60]);
    const toR2 = pimReceived(lab, 'r2', 9)[0]!.pim;
    expect(toR2[34]).toBe(0); // r2's link is not pruned: no P bit

    // r3 saw no data for 300 s but kept (S,G) on the refreshes: h3 joins, r3 grafts, data flows at once.
    h3.join();
    lab.run(1000);
    expect(lab.logs('r3')).toContain(`graft (${S}, ${G}) sent to 10.3.0.1`);
    lab.send('src', 'eth0', G, 3);
    lab.run(500);
    expect(h3.got()).toEqual([3]);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('a pruned router that gets a State Refresh without the P bit prunes again: its upstream forgot the Prune', async () => {
    const lab = triangle();
    await startRouters(lab, ['-r']);
    lab.receiver('h2', 'eth0', G);
    lab.run(11_000);
    lab.send('src', 'eth0', G, 1);
    lab.run(500);
    expect(lab.oifs('r1')).toEqual(['1:1']);
    // A second program on r1 sends one State Refresh to r3 with the P bit clear, as an upstream router that
    // lost its prune state would (the other ways to lose it, a restart, are caught earlier by the GenID).
    const sr = [0x29, 0, 0, 0, 1, 0, 0, 32, ...G.split('.').map(Number), 1, 0, ...S.split('.').map(Number), 1, 0, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 24, 16, 0, 60];
    const c = internetChecksum(new Uint8Array(sr));
    [sr[2], sr[3]] = [c >> 8, c & 255];
    const r3Prunes = lab.logs('r3').filter((l) => l.startsWith('prune')).length;
    const sender = Daemon.start(await loadQuickJS(), lab.net.node('r1'), { file: 'sr.ts', source: `
      const s = socket(AF_INET, SOCK_RAW, IPPROTO_PIM);
      s.setsockopt(IPPROTO_IP, IP_MULTICAST_IF, { imr_multiaddr: '0.0.0.0', imr_ifindex: interfaces().find((i) => i.name === 'eth2')!.ifindex });
      s.sendto(new Uint8Array(${JSON.stringify(sr)}), '224.0.0.13');` });
    expect(sender.exit).toBeNull();
    lab.run(500);
    expect(lab.logs('r3')).toContain(`state refresh (${S}, ${G}) from 10.3.0.1`);
    expect(lab.logs('r3')).toContain(`prune (${S}, ${G}) sent to 10.3.0.1 again: its state refresh has no P bit`);
    expect(lab.logs('r3').filter((l) => l.startsWith('prune'))).toHaveLength(r3Prunes + 1);
    expect(lab.exits()).toEqual([]);
  });
});
