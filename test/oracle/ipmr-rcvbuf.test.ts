// A daemon that does not read: the mroute socket's receive buffer (SO_RCVBUF) fills, further NOCACHE
// upcalls are refused by sock_queue_rcv_skb and ipmr_cache_unresolved then creates no entry; reading
// the socket makes room again. Counts and /proc/net/ip_mr_cache against the kernel.

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { intHex, type Op } from './ipmr-ops.js';
import { initVifs, procs, run, set } from './ipmr-lab.js';

const gate = oracleGate();
if (!gate.ok) console.log(`ipmr receive-buffer kernel-oracle tests skipped: ${gate.reason}`);

const SOL_SOCKET = 1;
const SO_RCVBUF = 8;

describe.skipIf(!gate.ok)('the mroute socket’s receive buffer', () => {
  afterAll(destroyAllLabs);

  it('drops upcalls once sk_rcvbuf is reached, and no unresolved entry is made for them', () => {
    run('ipmr rcvbuf', ({ n, ifindex }) => {
      const [r, s] = [n('r'), n('s')];
      const burst = (tag: number, count: number): Op[] =>
        Array.from({ length: count }, (_, i): Op => ({ op: 'udp', sock: 'tx', dst: `239.${tag}.0.${i + 1}`, port: 5000, ttl: 8, ifindex: ifindex('s', 's0') }));
      const rcvbuf = (v: number): Op[] => [
        { op: 'setsockopt', sock: 'd', level: SOL_SOCKET, opt: SO_RCVBUF, hex: intHex(v) },
        { op: 'getsockopt', sock: 'd', level: SOL_SOCKET, opt: SO_RCVBUF, len: 4 },
      ];
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'tx', type: 'udp', proto: 0 },
        { op: 'setsockopt', sock: 'd', level: SOL_SOCKET, opt: SO_RCVBUF, hex: intHex(1, 2) },
        ...rcvbuf(1),
        ...initVifs('d', '10.0.0.1'),
        set('d', 207, intHex(0)),
        ...burst(10, 6),
        { op: 'sleep', s: 0.1 },
        ...procs(r),
        { op: 'recv', sock: 'd' },
        // Room again: the next groups are reported; a larger buffer takes more.
        ...rcvbuf(2500),
        ...burst(11, 10),
        { op: 'sleep', s: 0.1 },
        ...procs(r),
        { op: 'recv', sock: 'd' },
      ];
    });
  });
});
