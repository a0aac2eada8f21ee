// labs/daemons/pimdd.ts, Assert (RFC 3973 §4.6): two routers forward the same (S,G) onto one receiver LAN.
// Each sees the other's copies arrive on an outgoing VIF (the kernel's WRONGVIF upcall), both send Asserts,
// and the one with the worse route to the source stops forwarding there.
//
//   src ── r0 ─eth1── ra ─┬─ LAN 10.5.0.0/24 ─ h
//           └─eth2── rb ─┘

import { describe, expect, it } from 'vitest';
import { decodePim } from '../../engine/wire/pim.js';
import type { DaemonLab } from './lab.js';
import { startForwarders, twoForwarders } from './topologies.js';

const G = '239.3.3.3';
const S = '10.0.0.10';

/** Oifs of a router's (S, G) entry, as /proc/net/ip_mr_cache shows them. */

/** PIM Asserts a node's PIM socket received, decoded from the bytes in the trace. */
function assertsReceived(lab: DaemonLab, node: string): { from: string; group: string; source: string; pref: number; metric: number; checksumOk: boolean }[] {
  return lab.sink.events
    .filter((e) => e.node === node && e.fn === 'raw_rcv' && e.data.sock === 'raw/103' && e.pkt !== null)
    .map((e) => lab.sink.packets.get(e.pkt!)!.bytes)
    .map((ip) => ({ ip, pim: ip.subarray((ip[0]! & 15) * 4) }))
    .filter(({ pim }) => (pim[0]! & 15) === 5)
    .map(({ ip, pim }) => {
      const d = decodePim(pim);
      const at = (o: number): string => pim.subarray(o, o + 4).join('.');
      const u32 = (o: number): number => new DataView(pim.buffer, pim.byteOffset + o, 4).getUint32(0);
      return { from: ip.subarray(12, 16).join('.'), group: at(8), source: at(14), pref: u32(18) & 0x7fffffff, metric: u32(22), checksumOk: d.checksumValid };
    });
}

const wrongVifUpcalls = (lab: DaemonLab, node: string): number =>
  lab.sink.events.filter((e) => e.node === node && e.fn === 'ipmr_cache_report' && e.data.msgtype === 'IGMPMSG_WRONGVIF').length;

describe('pimdd.ts: Assert elects one forwarder per LAN', () => {
  it('the better metric wins: duplicates stop, the loser prunes; when the winner’s upstream fails the loser takes over after the Assert timer', async () => {
    const lab = twoForwarders(10, 20); // ra (10.5.0.1) has the better route; rb has the higher address
    await startForwarders(lab);
    const h = lab.receiver('h', 'eth0', G);
    lab.run(11_000);
    expect(lab.oifs('ra')).toEqual([]);

    lab.send('src', 'eth0', G, 1, 3);
    lab.run(1000);
    // Before the Assert both forwarded: h got the first burst twice (it was in flight before any Assert). Each
    // router got one WRONGVIF upcall (the kernel sends at most one per entry every 3 s).
    expect(h.got()).toEqual([1, 1, 1, 1, 1, 1]);
    expect([wrongVifUpcalls(lab, 'ra'), wrongVifUpcalls(lab, 'rb')]).toEqual([1, 1]);
    // The Asserts on the wire: real PIMv2 type 5, checksum right, the sender's route metric inside.
    const atRb = assertsReceived(lab, 'rb');
    expect(atRb.length).toBeGreaterThan(0);
    expect(atRb[0]).toEqual({ from: '10.5.0.1', group: G, source: S, pref: 101, metric: 10, checksumOk: true });
    const atRa = assertsReceived(lab, 'ra');
    expect(atRa.map((a) => [a.from, a.metric, a.checksumOk])).toContainEqual(['10.5.0.2', 20, true]);
    expect(lab.logs('rb')).toContain(`assert (${S}, ${G}) on eth1 lost to 10.5.0.1: it forwards there, not us`);
    expect(lab.logs('ra').filter((l) => l.includes('lost to'))).toEqual([]);
    // The loser took the LAN out of its entry, so with nothing left to forward it pruned upstream.
    expect(lab.oifs('ra')).toEqual(['1:1']);
    expect(lab.oifs('rb')).toEqual(['']);
    expect(lab.logs('rb')).toContain(`prune (${S}, ${G}) sent to 10.2.0.1`);

    // From now on each datagram reaches h once.
    const before = h.got().length;
    lab.send('src', 'eth0', G, 2, 4);
    lab.run(1000);
    expect(h.got().slice(before)).toEqual([2, 2, 2, 2]);

    // The winner's upstream link fails: nothing reaches h, until the loser's Assert timer (180 s) runs out;
    // then rb puts the LAN back, grafts towards r0, and forwards.
    lab.ip('ra', 'link set eth0 down');
    lab.run(10_000);
    lab.send('src', 'eth0', G, 3);
    lab.run(1000);
    expect(h.got().filter((x) => x === 3)).toEqual([]);
    lab.run(175_000);
    expect(lab.logs('rb')).toContain(`assert (${S}, ${G}) on eth1 timed out`);
    expect(lab.logs('rb')).toContain(`graft (${S}, ${G}) sent to 10.2.0.1`);
    expect(lab.oifs('rb')).toEqual(['1:1']);
    lab.send('src', 'eth0', G, 4, 2);
    lab.run(1000);
    expect(h.got().filter((x) => x === 4)).toEqual([4, 4]);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('when the winner leaves the LAN, the loser forwards once its Hellos stop (neighbor timeout, 105 s), before the Assert timer', async () => {
    const lab = twoForwarders(10, 20);
    await startForwarders(lab);
    const h = lab.receiver('h', 'eth0', G);
    lab.run(11_000);
    lab.send('src', 'eth0', G, 1, 3);
    lab.run(1000);
    expect(lab.oifs('rb')).toEqual(['']);
    lab.ip('ra', 'link set eth1 down');
    lab.run(88_000); // t = 100 s
    expect(lab.oifs('rb')).toEqual(['']); // ra's last Hello on the LAN (at start) holds until 105 s
    lab.run(10_000);
    expect(lab.logs('rb')).toContain(`assert (${S}, ${G}) on eth1 forgotten: winner 10.5.0.1 is gone or restarted`);
    expect(lab.logs('rb').filter((l) => l.includes('timed out'))).toEqual([]);
    expect(lab.oifs('rb')).toEqual(['1:1']);
    lab.send('src', 'eth0', G, 2, 2);
    lab.run(1000);
    expect(h.got().filter((x) => x === 2)).toEqual([2, 2]);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('equal routes: the higher IP address wins; after the Assert timer the loser forwards, duplicates, and loses again', async () => {
    const lab = twoForwarders(10, 10);
    await startForwarders(lab);
    const h = lab.receiver('h', 'eth0', G);
    lab.run(11_000);
    lab.send('src', 'eth0', G, 1, 3);
    lab.run(1000);
    expect(h.got().length).toBeGreaterThan(3);
    expect(lab.logs('ra')).toContain(`assert (${S}, ${G}) on eth1 lost to 10.5.0.2: it forwards there, not us`);
    expect(lab.logs('rb').filter((l) => l.includes('lost to'))).toEqual([]);
    expect(assertsReceived(lab, 'ra').map((a) => [a.from, a.pref, a.metric])).toContainEqual(['10.5.0.2', 101, 10]);
    expect([lab.oifs('ra'), lab.oifs('rb')]).toEqual([[''], ['1:1']]);

    // A steady stream: once each, while the Assert holds.
    for (let i = 0; i < 17; i++) {
      const n = h.got().length;
      lab.send('src', 'eth0', G, 2);
      lab.run(10_000);
      expect(h.got().length - n).toBe(1);
    }
    // At 180 s the loser's Assert timer ends: ra forwards (and grafts) again, the duplicates trigger WRONGVIF
    // again, and the same election gives the same answer.
    const wrongVifs = wrongVifUpcalls(lab, 'ra') + wrongVifUpcalls(lab, 'rb');
    for (let i = 0; i < 3; i++) {
      lab.send('src', 'eth0', G, 3);
      lab.run(5000);
    }
    expect(lab.logs('ra')).toContain(`assert (${S}, ${G}) on eth1 timed out`);
    expect(lab.logs('ra').filter((l) => l.includes('lost to 10.5.0.2'))).toHaveLength(2);
    expect(wrongVifUpcalls(lab, 'ra') + wrongVifUpcalls(lab, 'rb')).toBeGreaterThan(wrongVifs);
    expect([lab.oifs('ra'), lab.oifs('rb')]).toEqual([[''], ['1:1']]);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('a downstream router on the LAN follows the Assert: its RPF\' becomes the winner, and its Prunes go there', async () => {
    // rc routes to the source via ra (10.5.0.1), but equal routes make rb (10.5.0.2) the winner.
    const lab = twoForwarders(10, 10, true);
    await startForwarders(lab);
    lab.receiver('h', 'eth0', G);
    lab.run(11_000);
    lab.send('src', 'eth0', G, 1, 3);
    lab.run(1000);
    // rc has no members behind it: its first Prune went to its unicast next hop, before the Assert settled.
    expect(lab.logs('rc')).toContain(`prune (${S}, ${G}) sent to 10.5.0.1`);
    expect(lab.logs('rc')).toContain(`RPF' of (${S}, ${G}) is now 10.5.0.2, the Assert winner on eth0`);
    // h keeps rb forwarding onto the LAN, so rc sees data despite its Prune and prunes again: to rb now.
    for (let i = 0; i < 7; i++) {
      lab.send('src', 'eth0', G, 2);
      lab.run(10_000);
    }
    expect(lab.logs('rc')).toContain(`prune (${S}, ${G}) sent to 10.5.0.2 again: data still arrives`);
    expect(lab.logs('rc').filter((l) => l.includes('sent to 10.5.0.1 again'))).toEqual([]);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('is deterministic: the Assert scenario gives the same trace fingerprint and logs on two runs with one seed', async () => {
    const run = async (): Promise<DaemonLab> => {
      const lab = twoForwarders(10, 10, true, 42);
      await startForwarders(lab);
      lab.receiver('h', 'eth0', G);
      lab.run(11_000);
      for (let i = 0; i < 11; i++) {
        lab.send('src', 'eth0', G, 1, 3);
        lab.run(20_000);
      }
      return lab;
    };
    const [a, b] = [await run(), await run()];
    expect(a.logs().filter((l) => l.includes('lost to'))).toHaveLength(2); // the first Assert, and the one after the timer
    expect(b.net.sim.trace.fingerprint()).toBe(a.net.sim.trace.fingerprint());
    expect(b.logs()).toEqual(a.logs());
  }, 60_000);
});
