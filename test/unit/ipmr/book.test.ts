// The "book" profile: the 3.x ipmr of the chapter — 64 MFC hash chains (MFC_HASH on the first octets,
// newest first per chain) and at most 10 unresolved entries per table. Expected values follow the 3.10
// source (kernel/multicast.md §5.1, §6.1, §14), computed by hand here.

import { describe, expect, it } from 'vitest';
import { readProcFile } from '../../../engine/iproute2/procfs.js';
import { IGMPMSG_NOCACHE, IGMPMSG_WRONGVIF, IGMPMSG_WRVIFWHOLE } from '../../../engine/wire/igmpmsg.js';
import { Errno, KernelError } from '../../../engine/net/errno.js';
import { IPPROTO_IP, MRT_FLUSH, MRT_PIM } from '../../../engine/socket/constants.js';
import { setsockopt } from '../../../engine/socket/socket.js';
import { ip4 } from '../helpers/topo.js';
import { mrLab } from './lab.js';

function groups(cache: string): string[] {
  return cache.split('\n').slice(1, -1).map((l) => l.slice(0, 8));
}

describe('the book profile (3.x ipmr)', () => {
  it('lists the MFC by hash line, newest first within a line, and shows the line in ipmr_cache_find', () => {
    const lab = mrLab();
    lab.net.profile = 'book';
    const d = lab.daemon();
    // MFC_HASH with S = 10.x: 239 ^ 2 = 237 → line 45; 224 ^ 2 → 34; 232 ^ 2 → 42.
    for (const g of ['239.1.1.1', '224.5.5.5', '239.2.2.2', '232.1.1.1']) lab.mfc(d, '10.0.0.2', g, 0, { 1: 1 });
    expect(groups(readProcFile(lab.r, '/proc/net/ip_mr_cache'))).toEqual(['050505E0', '010101E8', '020202EF', '010101EF']);
    lab.sender('s', 8).sendto(new Uint8Array(1), ip4('239.1.1.1'), 5000);
    lab.run();
    const find = lab.sink.byFn('ipmr_cache_find').at(-1)!;
    expect([find.data['MFC_HASH'], find.data['chain_length'], find.data['decision']]).toEqual([45, 2, 'hit']);
  });

  it('keeps the modern order (insertion) and no hash line in the default profile', () => {
    const lab = mrLab();
    const d = lab.daemon();
    for (const g of ['239.1.1.1', '224.5.5.5', '239.2.2.2', '232.1.1.1']) lab.mfc(d, '10.0.0.2', g, 0, { 1: 1 });
    expect(groups(readProcFile(lab.r, '/proc/net/ip_mr_cache'))).toEqual(['010101EF', '050505E0', '020202EF', '010101E8']);
  });

  it('caps unresolved entries at 10: later groups are dropped without an upcall', () => {
    for (const [profile, expected] of [['book', 10], ['modern', 12]] as const) {
      const lab = mrLab();
      lab.net.profile = profile;
      const d = lab.daemon();
      const tx = lab.sender('s', 8);
      for (let i = 1; i <= 12; i++) tx.sendto(new Uint8Array(1), ip4(`239.4.0.${i}`), 5000);
      lab.run();
      expect(d.queue.filter((m) => m.upcall?.msg.msgtype === IGMPMSG_NOCACHE).length).toBe(expected);
      expect(readProcFile(lab.r, '/proc/net/ip_mr_cache').split('\n').length - 2).toBe(expected);
    }
  });

  it('has no MRT_FLUSH (ENOPROTOOPT) and takes MRT_PIM 4 as plain PIM, without WRVIFWHOLE', () => {
    for (const profile of ['book', 'modern'] as const) {
      const lab = mrLab();
      lab.net.profile = profile;
      const d = lab.daemon();
      const flush = (() => {
        try {
          setsockopt(d, IPPROTO_IP, MRT_FLUSH, 1);
          return 'ok';
        } catch (e) {
          return e instanceof KernelError ? Errno[e.errno] : 'throw';
        }
      })();
      expect(flush).toBe(profile === 'book' ? 'ENOPROTOOPT' : 'ok');
      setsockopt(d, IPPROTO_IP, MRT_PIM, 4);
      lab.mfc(d, '10.1.0.2', '239.1.1.1', 0, { 1: 1, 2: 1 });
      lab.sender('h1', 8).sendto(new Uint8Array(1), ip4('239.1.1.1'), 5000);
      lab.run();
      // A wrong-interface arrival: WRONGVIF always; the whole packet (WRVIFWHOLE) only in 6.x.
      const types = d.queue.map((m) => m.upcall?.msg.msgtype);
      expect(types).toEqual(profile === 'book' ? [IGMPMSG_WRONGVIF] : [IGMPMSG_WRONGVIF, IGMPMSG_WRVIFWHOLE]);
    }
  });
});
