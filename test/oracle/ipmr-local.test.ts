// ipmr and IGMP on a multicast router against the kernel: the router's own multicast through
// ip_mr_input, IGMP to routable groups handed to the daemon, and the Router Alert chain
// (ip_call_ra_chain) delivering to every raw IGMP socket on it.

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { intHex, mfcctlHex, type Op } from './ipmr-ops.js';
import { initVifs, procs, run, set } from './ipmr-lab.js';
import { MRT_ADD_MFC } from '../../engine/socket/constants.js';

const gate = oracleGate();
if (!gate.ok) console.log(`ipmr local-delivery kernel-oracle tests skipped: ${gate.reason}`);

describe.skipIf(!gate.ok)('the router’s own multicast (ip_mc_output → ip_mr_input)', () => {
  afterAll(destroyAllLabs);

  it('forwards its own datagrams from the parent VIF, silently drops them elsewhere, NOCACHEs unknown groups', () => {
    run('ipmr local origin', ({ n, ifindex }) => {
      const r = n('r');
      const r0 = ifindex('r', 'r0');
      const send = (dst: string, loop: 0 | 1 = 1): Op => ({ op: 'udp', sock: 'tx', dst, port: 5000, ttl: 8, ifindex: r0, loop });
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'tx', type: 'udp', proto: 0 },
        { op: 'socket', ns: r, name: 'rx', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1', '10.2.0.1'),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.1', '239.1.1.1', 0, { 1: 1 })),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.1', '239.2.2.2', 1, { 2: 1 })),
        send('239.1.1.1'),
        send('239.2.2.2'),
        send('239.3.3.3'),
        send('239.1.1.1', 0),
        { op: 'sleep', s: 0.05 },
        ...procs(r),
        { op: 'recv', sock: 'd' },
        { op: 'join', sock: 'rx', group: '239.1.1.1', ifindex: ifindex('r', 'r1') },
        send('239.1.1.1'),
        { op: 'sleep', s: 0.05 },
        ...procs(r),
        { op: 'recv', sock: 'd' },
      ];
    });
  });
});

describe.skipIf(!gate.ok)('IGMP on a multicast router', () => {
  afterAll(destroyAllLabs);

  it('gives IGMP to a routable group to the daemon socket and does not forward it', () => {
    run('ipmr igmp interception', ({ n, ifindex }) => {
      const [r, s] = [n('r'), n('s')];
      // An IGMPv2 report for 239.1.1.1 (type 0x16, checksum 0xf9fc), sent without Router Alert.
      const report = '1600f9fcef010101';
      const send: Op = { op: 'rawsend', sock: 'ig', dst: '239.1.1.1', hex: report, ttl: 8, ifindex: ifindex('s', 's0') };
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'ig', type: 'raw', proto: 2 },
        send,
        { op: 'sleep', s: 0.05 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1'),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 1 })),
        send,
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        ...procs(r),
        { op: 'recv', sock: 'ig' },
      ];
    });
  });
});


describe.skipIf(!gate.ok)('the Router Alert chain (ip_ra_control, ip_call_ra_chain)', () => {
  afterAll(destroyAllLabs);

  it('gives a Router Alert report to every raw IGMP socket on the chain, and a member router’s to all raw sockets', () => {
    run('ipmr ra chain', ({ n, ifindex }) => {
      const [r, h1] = [n('r'), n('h1')];
      const h1i = ifindex('h1', 'h1');
      const conf = (k: string): string => `/proc/sys/net/ipv4/conf/h1/${k}`;
      const join = (g: string): Op => ({ op: 'join', sock: 'm', group: g, ifindex: h1i });
      const recvAll: Op[] = [{ op: 'sleep', s: 0.2 }, { op: 'recv', sock: 'd' }, { op: 'recv', sock: 'q' }];
      return [
        // h1 speaks IGMPv2 and sends one unsolicited report per join (igmp_qrv 1: no repeat, which the kernel
        // would send at a random time within igmpv2_unsolicited_report_interval — once in a while inside this test).
        { op: 'write', ns: h1, path: conf('force_igmp_version'), text: '2' },
        { op: 'write', ns: h1, path: '/proc/sys/net/ipv4/igmp_qrv', text: '1' },
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'q', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'rx', type: 'udp', proto: 0 },
        { op: 'socket', ns: h1, name: 'm', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1'),
        set('q', 5, intHex(1)),
        set('q', 5, intHex(1)),
        join('239.1.1.1'),
        ...recvAll,
        // Off the chain: only the daemon hears the next report.
        set('q', 5, intHex(0)),
        set('q', 5, intHex(0)),
        join('239.1.1.2'),
        ...recvAll,
        // The router joins 239.1.1.3 on r1: the report is delivered locally to every raw IGMP socket
        // (the daemon's too, IP_MULTICAST_ALL) and, with no MFC entry, also makes a NOCACHE upcall.
        { op: 'join', sock: 'rx', group: '239.1.1.3', ifindex: ifindex('r', 'r1') },
        ...recvAll,
        join('239.1.1.3'),
        ...recvAll,
        ...procs(r),
      ];
    });
  });
});
