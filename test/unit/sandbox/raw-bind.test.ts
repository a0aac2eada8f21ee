// bind() on a raw socket (raw_bind / raw_v4_match): an address only; a socket bound to a unicast address
// receives only datagrams to that address (no multicast), sends from it; a foreign address is EADDRNOTAVAIL.

import { describe, expect, it } from 'vitest';
import type { RawSocket } from '../../../engine/socket/raw.js';
import { socket } from '../../../engine/socket/socket.js';
import { AF_INET, SOCK_RAW } from '../../../engine/socket/constants.js';
import { addr, ip4 } from '../helpers/topo.js';
import { sandboxLab } from './lab.js';

const PIM = 103;

describe('raw bind', () => {
  it('a bound raw socket receives only datagrams to its address; an unbound one gets them all', async () => {
    const lab = sandboxLab();
    await lab.start('r1', `
      const bound = socket(AF_INET, SOCK_RAW, IPPROTO_PIM);
      const any = socket(AF_INET, SOCK_RAW, IPPROTO_PIM);
      for (const s of [bound, any]) s.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: '224.0.0.13', imr_ifindex: interfaces().find((i) => i.name === 'eth0')!.ifindex });
      bound.bind('10.0.12.1');
      try { any.bind('10.9.9.9'); } catch (e) { log((e as OSError).message); }
      bound.onMessage((m) => log('bound', m.src, m.dst));
      any.onMessage((m) => log('any', m.src, m.dst));
    `);
    const r2 = lab.net.node('r2');
    addr(r2, 'eth0', '10.0.12.3/24'); // a secondary address: the route's source stays 10.0.12.2
    const tx = socket(r2, AF_INET, SOCK_RAW, PIM) as RawSocket;
    tx.bind(ip4('10.0.12.3'));
    tx.mcIndex = r2.devByName('eth0')!.ifindex;
    tx.sendto(new Uint8Array([0x20, 0, 0, 0]), ip4('224.0.0.13'));
    tx.sendto(new Uint8Array([0x26, 0, 0, 0]), ip4('10.0.12.1'));
    lab.net.sim.run({ until: lab.net.sim.now + 5_000_000 });
    expect(lab.logs('r1')).toEqual([
      'bind: Cannot assign requested address (EADDRNOTAVAIL)',
      'any 10.0.12.3 224.0.0.13',
      // Newest socket first (sk_add_node), as raw_v4_input walks the hash chain.
      'any 10.0.12.3 10.0.12.1',
      'bound 10.0.12.3 10.0.12.1',
    ]);
    // Bound to a multicast address: it receives only that group, and sends from the route's source.
    const m = socket(r2, AF_INET, SOCK_RAW, PIM) as RawSocket;
    m.bind(ip4('224.0.0.13'));
    expect([m.rcvSaddr, m.saddr]).toEqual([ip4('224.0.0.13'), 0]);
  });
});
