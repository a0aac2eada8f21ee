// setsockopt(IP_OPTIONS) against the kernel: which option bytes ip_options_get()/__ip_options_compile()
// refuse (EINVAL), what getsockopt() gives back (ip_options_undo), and the bytes of a datagram the socket
// sends with a Router Alert and with an option the kernel passes through untouched, and the link scope of a
// strict source route. What receiving and forwarding hosts do with record route, timestamps and source
// routes is test/oracle/ip-options-input.test.ts.

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import type { Op } from './ipmr-ops.js';
import { run, IP } from './ipmr-lab.js';
import { IP_OPTIONS } from '../../engine/socket/constants.js';

const gate = oracleGate();
if (!gate.ok) console.log(`IP_OPTIONS kernel-oracle tests skipped: ${gate.reason}`);

const hex = (...b: number[]): string => b.map((x) => x.toString(16).padStart(2, '0')).join('');

/** Option byte strings: refused ones and accepted ones, each followed by a read-back. */
const CASES: string[] = [
  hex(...new Array<number>(41).fill(1)), // more than 40 bytes
  hex(0x94, 3, 0, 0), // Router Alert of length 3
  hex(0x01, 0x05), // NOP, then a TLV of length 0 (the padding)
  hex(0x07, 2, 4, 0), // record route with no room at all
  hex(0x07, 7, 3, 0, 0, 0, 0), // record route pointer < 4
  hex(0x07, 7, 8, 0, 0, 0, 0), // record route full (pointer past the end): accepted
  hex(0x07, 6, 4, 0, 0, 0), // record route with a partial slot
  hex(0x83, 3, 4), // source route without an address
  hex(0x83, 7, 5, 10, 0, 0, 9), // source route pointer not 4 from a socket
  hex(0x83, 9, 4, 10, 0, 0, 9, 0, 0), // source route not whole addresses
  hex(0x83, 7, 4, 10, 0, 0, 9, 0x89, 7, 4, 10, 0, 0, 8), // two source routes
  hex(0x83, 11, 4, 10, 0, 0, 9, 10, 0, 0, 8), // a loose source route: read back whole
  hex(0x89, 7, 4, 10, 0, 0, 9), // a strict one
  hex(0x44, 4, 4, 0), // timestamp pointer < 5
  hex(0x44, 4, 5, 0xf0), // full timestamp whose overflow count is 15
  hex(0x44, 4, 5, 0xe0), // full timestamp, overflow 14: accepted
  hex(0x44, 8, 5, 0x00, 0, 0, 0, 0), // timestamps only
  hex(0x44, 12, 5, 0x01, 0, 0, 0, 0, 0, 0, 0, 0), // timestamps and addresses
  hex(0x44, 8, 5, 0x01, 0, 0, 0, 0), // addresses but room for one half
  hex(0x44, 12, 5, 0x03, 10, 0, 0, 1, 0, 0, 0, 0), // prespecified, our own address
  hex(0x44, 12, 5, 0x03, 10, 9, 9, 9, 0, 0, 0, 0), // prespecified, someone else's
  hex(0x44, 8, 5, 0x02, 0, 0, 0, 0), // flag 2 (undefined): allowed to root
  hex(0x94, 4, 0, 0), // Router Alert
  hex(0x94, 4, 0, 1), // Router Alert with a value: kept, not an alert
  hex(0x00, 7, 7), // END, then bytes the kernel overwrites
  hex(0x01, 0x01, 0x01), // NOPs, padded
  hex(0x88, 4, 0, 1), // stream id
  hex(0xfe, 3, 9), // an unknown option
  hex(0x07, 7, 4, 0, 0, 0, 0, 0x07, 7, 4, 0, 0, 0, 0), // two record routes
  '', // clears the options
];

describe.skipIf(!gate.ok)('IP_OPTIONS (ip_options_get, ip_options_undo, ip_options_build)', () => {
  afterAll(destroyAllLabs);

  it('refuses and reads back option bytes as the kernel does', () => {
    run('ip options sockopt', ({ n }) => {
      const ops: Op[] = [{ op: 'socket', ns: n('s'), name: 'tx', type: 'raw', proto: 2 }];
      for (const h of CASES) ops.push({ op: 'setsockopt', sock: 'tx', level: IP, opt: IP_OPTIONS, hex: h }, { op: 'getbuf', sock: 'tx', level: IP, opt: IP_OPTIONS, hex: '', len: 40 });
      return ops;
    });
  });

  it('sends the socket’s Router Alert and pass-through options in every datagram', () => {
    run('ip options on the wire', ({ n, ifindex }) => {
      const s0 = ifindex('s', 's0');
      const send = (): Op => ({ op: 'rawsend', sock: 'tx', dst: '10.0.0.1', hex: hex(0x30, 20, 0, 0, 0, 0, 0, 0), ttl: 1, ifindex: s0 });
      const set = (h: string): Op => ({ op: 'setsockopt', sock: 'tx', level: IP, opt: IP_OPTIONS, hex: h });
      return [
        { op: 'socket', ns: n('r'), name: 'rx', type: 'raw', proto: 2 },
        { op: 'socket', ns: n('s'), name: 'tx', type: 'raw', proto: 2 },
        send(),
        set(hex(0x94, 4, 0, 0)),
        send(),
        set(hex(0x01, 0x88, 4, 0, 7)),
        send(),
        set(hex(0x94, 4, 0, 0, 0x00, 1, 2)),
        send(),
        set(''),
        send(),
        { op: 'sleep', s: 0.1 },
        { op: 'recv', sock: 'rx' },
      ];
    });
  });

  it('routes a strict source route at link scope: a first hop behind a gateway is ENETUNREACH', () => {
    run('ip options strict route', ({ n, ifindex }) => {
      const s0 = ifindex('s', 's0');
      const send = (): Op => ({ op: 'rawsend', sock: 'tx', dst: '10.2.0.2', hex: hex(0x30, 20, 0, 0, 0, 0, 0, 0), ttl: 1, ifindex: s0 });
      const set = (h: string): Op => ({ op: 'setsockopt', sock: 'tx', level: IP, opt: IP_OPTIONS, hex: h });
      return [
        { op: 'ip', ns: n('s'), args: 'route add default via 10.0.0.1' },
        { op: 'socket', ns: n('s'), name: 'tx', type: 'raw', proto: 2 },
        set(hex(0x83, 7, 4, 10, 1, 0, 2)), // loose via h1: the default route takes it
        send(),
        set(hex(0x89, 7, 4, 10, 1, 0, 2)), // strict via h1: not on s's link
        send(),
        set(hex(0x89, 7, 4, 10, 0, 0, 1)), // strict via r, a neighbour
        send(),
      ];
    });
  });
});
