// getsockopt(IP_MSFILTER) against the kernel (ip_mc_msfget through do_ip_getsockopt): the socket's
// filter mode, its source count and as many sources as the request has room for, and the errnos.

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import type { Op } from './ipmr-ops.js';
import { run } from './ipmr-lab.js';
import { parseIpv4 } from '../../engine/wire/inet.js';

const gate = oracleGate();
if (!gate.ok) console.log(`IP_MSFILTER kernel-oracle tests skipped: ${gate.reason}`);

const IP = 0;
const IP_MSFILTER = 41;
const IP_BLOCK_SOURCE = 38;
const IP_ADD_SOURCE_MEMBERSHIP = 39;
const IP_ADD_MEMBERSHIP = 35;

function a(s: string): string {
  const v = parseIpv4(s)!;
  return (v >>> 0).toString(16).padStart(8, '0');
}
/** Little-endian u32. */
function le(v: number): string {
  return [0, 8, 16, 24].map((sh) => ((v >>> sh) & 0xff).toString(16).padStart(2, '0')).join('');
}

describe.skipIf(!gate.ok)('getsockopt(IP_MSFILTER)', () => {
  afterAll(destroyAllLabs);

  it('returns the mode, the count and the sources that fit, with the kernel errnos', () => {
    run('igmp msfget', ({ n }) => {
      const h1 = n('h1');
      const set = (opt: number, hex: string): Op => ({ op: 'setsockopt', sock: 'u', level: IP, opt, hex });
      const msf = (group: string, iface: string, numsrc: number, len: number): Op => ({ op: 'getbuf', sock: 'u', level: IP, opt: IP_MSFILTER, hex: a(group) + a(iface) + le(0) + le(numsrc), len });
      const me = '10.1.0.2';
      return [
        { op: 'socket', ns: h1, name: 'u', type: 'udp', proto: 0 },
        ...['10.0.0.7', '10.0.0.8', '10.0.0.9'].map((s) => set(IP_ADD_SOURCE_MEMBERSHIP, a('232.1.1.1') + a(me) + a(s))),
        msf('232.1.1.1', me, 2, 24),
        msf('232.1.1.1', me, 5, 36),
        msf('232.1.1.1', me, 0, 16),
        set(IP_ADD_MEMBERSHIP, a('239.2.2.2') + a(me)),
        set(IP_BLOCK_SOURCE, a('239.2.2.2') + a(me) + a('10.0.0.5')),
        msf('239.2.2.2', me, 4, 32),
        msf('239.3.3.3', me, 4, 32),
        msf('10.3.3.3', me, 4, 32),
        msf('232.1.1.1', '10.9.9.9', 4, 32),
        { op: 'getbuf', sock: 'u', level: IP, opt: IP_MSFILTER, hex: a('232.1.1.1') + a(me), len: 12 },
        { op: 'read', ns: h1, path: '/proc/net/mcfilter' },
      ];
    });
  });
});
