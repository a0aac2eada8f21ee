// rp_filter on multicast input against the kernel: ip_route_input_mc() → ip_mc_validate_source() →
// fib_validate_source(daddr 0, oif 0). Strict mode drops a stream whose route back leaves by another
// interface before ipmr sees it (no forwarding, no NOCACHE upcall); loose mode forwards it; a member
// host with rp_filter on and no route back at all does not deliver it.

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { mfcctlHex, type Op } from './ipmr-ops.js';
import { initVifs, procs, run, set } from './ipmr-lab.js';
import { MRT_ADD_MFC } from '../../engine/socket/constants.js';

const gate = oracleGate();
if (!gate.ok) console.log(`multicast rp_filter kernel-oracle tests skipped: ${gate.reason}`);

describe.skipIf(!gate.ok)('rp_filter on multicast input (ip_mc_validate_source)', () => {
  afterAll(destroyAllLabs);

  it('strict drops before ipmr when the route back leaves elsewhere, loose forwards; a member host with no route back drops', () => {
    run('mc rp_filter', ({ n, ifindex }) => {
      const [r, s, h1] = [n('r'), n('s'), n('h1')];
      const conf = (dev: string): string => `/proc/sys/net/ipv4/conf/${dev}/rp_filter`;
      // UDP 5000 → 5000, 10 zero bytes, no checksum: fixed bytes (a UDP socket's ephemeral port is random).
      const send = (dst: string): Op => ({ op: 'rawsend', sock: 'tx', dst, hex: `1388138800120000${'00'.repeat(10)}`, ttl: 8, ifindex: ifindex('s', 's0') });
      const burst: Op[] = [send('239.1.1.1'), send('239.2.2.2'), { op: 'sleep', s: 0.05 }, ...procs(r), { op: 'recv', sock: 'd' }, { op: 'recv', sock: 'm' }];
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'tx', type: 'raw', proto: 17 },
        // h1's member socket: a raw UDP socket sees every datagram h1 delivers locally.
        { op: 'socket', ns: h1, name: 'm', type: 'raw', proto: 17 },
        { op: 'join', sock: 'm', group: '239.1.1.1', ifindex: ifindex('h1', 'h1') },
        ...initVifs('d', '10.0.0.1', '10.1.0.1', '10.2.0.1'),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 1, 2: 1 })),
        // The route back to the source leaves by r1, not r0 where the stream arrives.
        { op: 'ip', ns: r, args: 'route add 10.0.0.2/32 via 10.1.0.2 dev r1' },
        { op: 'sleep', s: 0.2 },
        { op: 'recv', sock: 'd' },
        { op: 'write', ns: r, path: conf('r0'), text: '1' },
        ...burst,
        { op: 'write', ns: r, path: conf('r0'), text: '2' },
        ...burst,
        // h1 knows only 10.1.0.0/24: no route back to 10.0.0.2, so even loose mode drops at h1.
        { op: 'write', ns: h1, path: conf('all'), text: '2' },
        ...burst,
        { op: 'write', ns: h1, path: conf('all'), text: '0' },
        ...burst,
      ];
    });
  });
});
