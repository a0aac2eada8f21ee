// `ip mroute` and `ip mrule` against iproute2 6.1 and the kernel, for the same MRT_* state.

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { intHex, mfcctlHex, vifctlHex, type Op } from './ipmr-ops.js';
import { initVifs, run, set } from './ipmr-lab.js';
import { MRT_ADD_MFC, MRT_ADD_VIF, MRT_DEL_MFC, MRT_INIT, MRT_TABLE } from '../../engine/socket/constants.js';

const gate = oracleGate();
if (!gate.ok) console.log(`ip mroute/mrule kernel-oracle tests skipped: ${gate.reason}`);

describe.skipIf(!gate.ok)('ip mroute / ip mrule against iproute2 6.1', () => {
  afterAll(destroyAllLabs);

  it('prints resolved, unresolved, wildcard and wrong-iif entries as `ip mroute` does', () => {
    run('ip mroute', ({ n, ifindex }) => {
      const [r, s] = [n('r'), n('s')];
      const s0 = ifindex('s', 's0');
      const ip = (args: string): Op => ({ op: 'ip', ns: r, args });
      const views = ['mroute', 'mroute show', '-s mroute', '-j mroute', '-s -j mroute', 'mroute show table all', '-s mroute show table all', 'mroute show iif r1', 'mroute show iif r0', '-d mroute', 'mroute lst table default'];
      return [
        ip('mroute'),
        ip('mrule'),
        ip('-j mrule'),
        ip('mrule show'),
        ip('mroute show to 239.1.1.1'),
        ip('mroute show from 10.0.0.2'),
        ip('mroute show table 5'),
        ip('mroute show table nonsense'),
        ip('mroute show iif nope0'),
        ip('mroute show to all'),
        ip('mroute frob'),
        ip('mroute show iif'),
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'd5', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'tx', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1', '10.2.0.1'),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 1, 2: 4 })),
        set('d', MRT_ADD_MFC, mfcctlHex('0.0.0.0', '239.2.2.2', 0, { 1: 3 })),
        set('d', MRT_ADD_MFC, mfcctlHex('0.0.0.0', '0.0.0.0', 0, { 0: 1, 1: 1 })),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.3.3.3', 1, {})),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.8.8.8', 5, { 1: 1 })),
        set('d5', MRT_TABLE, intHex(5)),
        set('d5', MRT_INIT, intHex(1)),
        set('d5', MRT_ADD_VIF, vifctlHex(3, 0, '10.2.0.1')),
        set('d5', MRT_ADD_MFC, mfcctlHex('10.0.0.9', '239.9.9.9', 3, { 3: 1 })),
        { op: 'udp', sock: 'tx', dst: '239.1.1.1', port: 5000, ttl: 8, ifindex: s0, count: 2 },
        { op: 'udp', sock: 'tx', dst: '239.3.3.3', port: 5000, ttl: 8, ifindex: s0 },
        { op: 'udp', sock: 'tx', dst: '239.7.7.7', port: 5000, ttl: 8, ifindex: s0 },
        { op: 'udp', sock: 'tx', dst: '239.6.6.6', port: 5000, ttl: 8, ifindex: s0 },
        { op: 'sleep', s: 0.1 },
        ...views.map(ip),
        ip('mroute show table 5'),
        ip('-j mroute show table 5'),
        // Without the (*,*) catch-all, a new group stays unresolved.
        set('d', MRT_DEL_MFC, mfcctlHex('0.0.0.0', '0.0.0.0', 0, {})),
        { op: 'udp', sock: 'tx', dst: '239.7.7.7', port: 5000, ttl: 8, ifindex: s0 },
        { op: 'sleep', s: 0.1 },
        ...['mroute', '-s mroute', '-j mroute', '-j -s mroute', 'mroute show iif r0', 'mroute show table all'].map(ip),
      ];
    });
  });
});


describe.skipIf(!gate.ok)('ip mrule add/del and the table ipmr_fib_lookup picks', () => {
  afterAll(destroyAllLabs);

  it('adds, prints, deletes and flushes multicast rules, and routes by them', () => {
    run('ip mrule', ({ n, ifindex }) => {
      const [r, s, h1, h2] = [n('r'), n('s'), n('h1'), n('h2')];
      const ip = (args: string): Op => ({ op: 'ip', ns: r, args });
      const from = (sock: string, dst: string, node: string, dev: string): Op => ({ op: 'udp', sock, dst, port: 5000, ttl: 8, ifindex: ifindex(node, dev) });
      const look: Op[] = [{ op: 'sleep', s: 0.05 }, { op: 'recv', sock: 'd' }, { op: 'recv', sock: 'd5' }];
      return [
        ip('mrule add iif r1 table 5'),
        ip('mrule add pref 100 oif r2 table default'),
        ip('mrule add pref 100 oif r2 table default'),
        ip('mrule add iif r2 unreachable pref 50'),
        ip('mrule add fwmark 3/0xff prohibit'),
        ip('mrule add blackhole iif nope'),
        ip('mrule add pref 200 iif r1 table 7 unreachable'),
        ip('mrule add from 10.0.0.0/8 table 6'),
        ip('mrule add table foo'),
        ip('mrule add frob'),
        ip('mrule add pref x table 5'),
        ip('mrule add fwmark x table 5'),
        ip('mrule add iif'),
        ip('mrule add'),
        ip('mrule del'),
        ip('mrule'),
        ip('-j mrule'),
        ip('-d mrule'),
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'd5', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'ts', type: 'udp', proto: 0 },
        { op: 'socket', ns: h1, name: 't1', type: 'udp', proto: 0 },
        { op: 'socket', ns: h2, name: 't2', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1', '10.2.0.1'),
        set('d5', MRT_TABLE, intHex(5)),
        set('d5', MRT_INIT, intHex(1)),
        set('d5', MRT_ADD_VIF, vifctlHex(0, 0, '10.1.0.1')),
        set('d5', MRT_ADD_VIF, vifctlHex(1, 0, '10.0.0.1')),
        // From h1 (iif r1): table 5's daemon; from s: the default table; from h2: unreachable, dropped.
        from('t1', '239.5.5.5', 'h1', 'h1'),
        from('ts', '239.5.5.6', 's', 's0'),
        from('t2', '239.5.5.7', 'h2', 'h2'),
        ...look,
        ip('mroute show table all'),
        ip('mrule del iif r2 pref 50'),
        ip('mrule del pref 999'),
        from('t2', '239.5.5.8', 'h2', 'h2'),
        ...look,
        ip('mrule del table 5'),
        from('t1', '239.5.5.9', 'h1', 'h1'),
        ...look,
        ip('mrule'),
        // Without any rule, ipmr_fib_lookup fails and nothing is looked up.
        ip('mrule flush'),
        ip('mrule'),
        from('ts', '239.5.5.10', 's', 's0'),
        ...look,
        ip('mroute show table all'),
      ];
    });
  });
});
