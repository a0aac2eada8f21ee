// ipmr against the kernel: the same MRT_* calls, packets and /proc reads through the project's MRT
// driver (real namespaces) and through the engine's socket API; every answer must be equal.

import { afterAll, describe, expect, it } from 'vitest';
import { destroyAllLabs } from './harness.js';
import { oracleGate } from './harness.js';
import { compareRuns, intHex, mfcctlHex, vifctlHex, type Op } from './ipmr-ops.js';
import { IP, initVifs, mcfwd, procs, run, set, topology } from './ipmr-lab.js';
import { MRT_INIT, MRT_DONE, MRT_ADD_VIF, MRT_DEL_VIF, MRT_ADD_MFC, MRT_DEL_MFC, MRT_VERSION, MRT_ASSERT, MRT_PIM, MRT_TABLE, MRT_ADD_MFC_PROXY, MRT_DEL_MFC_PROXY, MRT_FLUSH } from '../../engine/socket/constants.js';

const gate = oracleGate();
if (!gate.ok) console.log(`ipmr kernel-oracle tests skipped: ${gate.reason}`);

describe.skipIf(!gate.ok)('ipmr against the kernel (MRT driver)', () => {
  afterAll(destroyAllLabs);

  it('answers invalid MRT_* calls with the kernel errno, in the kernel order', () => {
    run('ipmr errno', ({ n }) => {
      const r = n('r');
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'd2', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'u', type: 'udp', proto: 0 },
        { op: 'socket', ns: r, name: 'icmp', type: 'raw', proto: 1 },
        set('u', MRT_INIT, intHex(1)),
        set('icmp', MRT_INIT, intHex(1)),
        set('d', MRT_INIT, intHex(1, 2)),
        set('d', MRT_INIT, intHex(1, 8)),
        set('d', MRT_DONE, intHex(0)),
        set('d', MRT_INIT, intHex(1)),
        set('d2', MRT_INIT, intHex(1)),
        set('d2', MRT_DONE, intHex(0)),
        set('d', MRT_VERSION, intHex(1)),
        set('d', 213, intHex(1)),
        set('d', MRT_ADD_VIF, vifctlHex(0, 0, '10.0.0.1', 15)),
        set('d', MRT_ADD_VIF, vifctlHex(0, 0, '10.0.0.1', 17)),
        set('d', MRT_ADD_VIF, vifctlHex(32, 0, '10.0.0.1')),
        set('d', MRT_ADD_VIF, vifctlHex(0, 0, '10.9.9.9')),
        set('d', MRT_ADD_VIF, vifctlHex(0, 0, '0.0.0.0')),
        set('d', MRT_ADD_VIF, vifctlHex(0, 2, '10.0.0.1')),
        set('d', MRT_ADD_VIF, vifctlHex(0, 3, '10.0.0.1')),
        set('d', MRT_ADD_VIF, vifctlHex(0, 0x18, '10.0.0.1')),
        set('d', MRT_ADD_VIF, vifctlHex(0, 8, 99)),
        // VIFF_TUNNEL needs ipip's tunl0, absent here as in the model.
        set('d', MRT_ADD_VIF, vifctlHex(1, 1, '10.0.0.1')),
        set('d', MRT_ADD_VIF, vifctlHex(0, 0, '10.0.0.1')),
        set('d', MRT_ADD_VIF, vifctlHex(0, 0, '10.1.0.1')),
        set('d', MRT_ADD_VIF, vifctlHex(3, 0, '10.1.0.1')),
        set('d', MRT_DEL_VIF, vifctlHex(5, 0, '0.0.0.0')),
        set('d', MRT_DEL_VIF, vifctlHex(2, 0, '0.0.0.0')),
        set('d', MRT_DEL_VIF, vifctlHex(40, 0, '0.0.0.0')),
        set('d', MRT_DEL_VIF, vifctlHex(3, 0, '0.0.0.0', 20)),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 3: 1 }, 59)),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 32, { 3: 1 })),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '10.1.1.1', 0, { 3: 1 })),
        set('d', MRT_DEL_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, {})),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 7, { 3: 1 })),
        set('d', MRT_ADD_MFC, mfcctlHex('0.0.0.0', '0.0.0.0', 0, { 0: 1, 3: 1 })),
        set('d', MRT_ADD_MFC, mfcctlHex('0.0.0.0', '239.9.9.9', 0, { 3: 1 })),
        set('d', MRT_DEL_MFC_PROXY, mfcctlHex('0.0.0.0', '239.9.9.9', 3, {})),
        set('d', MRT_ADD_MFC_PROXY, mfcctlHex('0.0.0.0', '239.9.9.9', 3, { 0: 2 })),
        ...procs(r),
        set('d', MRT_DEL_MFC_PROXY, mfcctlHex('0.0.0.0', '239.9.9.9', 0, {})),
        set('d', MRT_DEL_MFC, mfcctlHex('0.0.0.0', '239.9.9.9', 0, {})),
        set('d', MRT_DEL_MFC, mfcctlHex('0.0.0.0', '239.9.9.9', 0, {})),
        set('d', MRT_ASSERT, intHex(1, 1)),
        set('d', MRT_PIM, intHex(1, 8)),
        set('d', MRT_FLUSH, intHex(0, 2)),
        set('d', MRT_TABLE, intHex(5)),
        set('d2', MRT_TABLE, intHex(1_000_000_000)),
        set('d2', MRT_TABLE, intHex(5)),
        set('d2', MRT_INIT, intHex(0)),
        set('d2', MRT_TABLE, intHex(6)),
        set('d2', MRT_INIT, intHex(0)),
        { op: 'getsockopt', sock: 'u', level: IP, opt: MRT_VERSION, len: 4 },
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_VERSION, len: 4 },
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_ASSERT, len: 4 },
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_ADD_VIF, len: 4 },
        { op: 'vifcnt', sock: 'd', vifi: 7 },
        { op: 'vifcnt', sock: 'd', vifi: 2 },
        { op: 'vifcnt', sock: 'd', vifi: 0 },
        { op: 'sgcnt', sock: 'd', src: '10.0.0.2', grp: '239.1.1.1' },
        { op: 'sgcnt', sock: 'd', src: '10.0.0.9', grp: '239.1.1.1' },
        { op: 'socket', ns: r, name: 'x1', type: 'any', family: 2, stype: 3, proto: 0 },
        { op: 'socket', ns: r, name: 'x2', type: 'any', family: 2, stype: 3, proto: 300 },
        { op: 'socket', ns: r, name: 'x3', type: 'any', family: 2, stype: 2, proto: 6 },
        { op: 'socket', ns: r, name: 'x4', type: 'any', family: 2, stype: 99, proto: 0 },
        // SOCK_RDM and SOCK_SEQPACKET: no inet protosw for the type.
        { op: 'socket', ns: r, name: 'x5', type: 'any', family: 2, stype: 4, proto: 0 },
        { op: 'socket', ns: r, name: 'x6', type: 'any', family: 2, stype: 5, proto: 0 },
        // SIOCGETRPF on the daemon socket and SIOCGETVIFCNT on a UDP socket: ENOIOCTLCMD → ENOTTY.
        { op: 'ioctl', sock: 'd', req: 0x89e2 },
        { op: 'ioctl', sock: 'u', req: 0x89e0 },
        ...procs(r),
      ];
    });
  });

  it('counts mc_forwarding through MRT_INIT, static VIFs, MRT_DONE, close and two tables', () => {
    run('ipmr mc_forwarding', ({ n }) => {
      const r = n('r');
      const devs = ['all', 'r0', 'r1', 'r2'];
      return [
        ...mcfwd(r, devs),
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'st', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'd5', type: 'raw', proto: 2 },
        set('d', MRT_INIT, intHex(1)),
        ...mcfwd(r, devs),
        set('d', MRT_ADD_VIF, vifctlHex(0, 0, '10.0.0.1')),
        set('d', MRT_ADD_VIF, vifctlHex(1, 0, '10.1.0.1')),
        set('st', MRT_ADD_VIF, vifctlHex(2, 0, '10.2.0.1')),
        set('st', MRT_ADD_VIF, vifctlHex(4, 0, '10.2.0.1')),
        set('st', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 2: 1 })),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.2', 0, { 1: 1 })),
        ...mcfwd(r, devs),
        ...procs(r),
        set('d5', MRT_TABLE, intHex(5)),
        ...initVifs('d5', '10.1.0.1'),
        ...mcfwd(r, devs),
        set('d', MRT_DONE, intHex(0)),
        ...mcfwd(r, devs),
        ...procs(r),
        set('d', MRT_INIT, intHex(1)),
        ...mcfwd(r, devs),
        { op: 'close', sock: 'd' },
        { op: 'close', sock: 'd5' },
        ...mcfwd(r, devs),
        ...procs(r),
        set('st', MRT_FLUSH, intHex(8 | 2)),
        ...mcfwd(r, devs),
        ...procs(r),
        // IP_ROUTER_ALERT: the daemon is already on the chain; turning it off ends the daemon.
        { op: 'socket', ns: r, name: 'u', type: 'udp', proto: 0 },
        { op: 'socket', ns: r, name: 'd6', type: 'raw', proto: 2 },
        set('u', 5, intHex(1)),
        set('st', 5, intHex(0)),
        ...initVifs('d6', '10.0.0.1'),
        set('d6', 5, intHex(1)),
        ...mcfwd(r, devs),
        set('d6', 5, intHex(0)),
        ...mcfwd(r, devs),
        ...procs(r),
        set('d6', MRT_DONE, intHex(0)),
        set('d6', 5, intHex(1)),
        set('d6', MRT_INIT, intHex(1)),
      ];
    });
  });

  it('forwards by the TTL threshold table, decrements TTL and counts like the kernel', () => {
    run('ipmr ttl thresholds', ({ n, ifindex }) => {
      const [r, s] = [n('r'), n('s')];
      const s0 = ifindex('s', 's0');
      const ops: Op[] = [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'tx', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1', '10.2.0.1'),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 1, 2: 5 })),
      ];
      for (const ttl of [1, 2, 5, 6, 64]) {
        ops.push({ op: 'udp', sock: 'tx', dst: '239.1.1.1', port: 5000, ttl, ifindex: s0, size: 10 + ttl });
        ops.push({ op: 'sleep', s: 0.05 }, ...procs(r));
      }
      // Update in place keeps the counters; 255 and 0 are not outputs.
      ops.push(set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 255, 2: 0 })));
      ops.push({ op: 'udp', sock: 'tx', dst: '239.1.1.1', port: 5000, ttl: 64, ifindex: s0 }, { op: 'sleep', s: 0.05 }, ...procs(r));
      ops.push({ op: 'vifcnt', sock: 'd', vifi: 1 }, { op: 'sgcnt', sock: 'd', src: '10.0.0.2', grp: '239.1.1.1' }, { op: 'recv', sock: 'd' });
      return ops;
    });
  });

  it('queues 4 packets on an unresolved (S,G) with one NOCACHE, releases them on MRT_ADD_MFC, expires others after 10 s', () => {
    run('ipmr unresolved queue', ({ n, ifindex }) => {
      const [r, s] = [n('r'), n('s')];
      const s0 = ifindex('s', 's0');
      const ops: Op[] = [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'tx', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1'),
        { op: 'udp', sock: 'tx', dst: '239.2.2.2', port: 5000, ttl: 8, ifindex: s0, count: 6 },
        { op: 'sleep', s: 0.1 },
        { op: 'recv', sock: 'd' },
        ...procs(r),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.2.2.2', 0, { 1: 1 })),
        { op: 'sleep', s: 0.05 },
        ...procs(r),
        { op: 'recv', sock: 'd' },
      ];
      for (let i = 1; i <= 12; i++) ops.push({ op: 'udp', sock: 'tx', dst: `239.4.0.${i}`, port: 5000, ttl: 8, ifindex: s0 });
      ops.push({ op: 'sleep', s: 0.1 }, ...procs(r), { op: 'recv', sock: 'd' });
      ops.push({ op: 'sleep', s: 5 }, { op: 'udp', sock: 'tx', dst: '239.3.3.3', port: 5000, ttl: 8, ifindex: s0 }, { op: 'sleep', s: 0.1 }, ...procs(r));
      ops.push({ op: 'sleep', s: 5.2 }, ...procs(r), { op: 'recv', sock: 'd' });
      ops.push({ op: 'sleep', s: 5 }, ...procs(r), { op: 'recv', sock: 'd' });
      return ops;
    }, 40_000);
  }, 60_000);

  it('counts wrong_if, sends WRONGVIF only with MRT_ASSERT and at most once per 3 s', () => {
    run('ipmr wrong_if', ({ n, ifindex }) => {
      const [r, h1] = [n('r'), n('h1')];
      const h1i = ifindex('h1', 'h1');
      const send: Op = { op: 'udp', sock: 'tx', dst: '239.1.1.1', port: 5000, ttl: 8, ifindex: h1i };
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: h1, name: 'tx', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1', '10.2.0.1'),
        set('d', MRT_ADD_MFC, mfcctlHex('10.1.0.2', '239.1.1.1', 0, { 1: 1, 2: 1 })),
        send,
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        set('d', MRT_ASSERT, intHex(1)),
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_ASSERT, len: 4 },
        send,
        { op: 'sleep', s: 0.3 },
        send,
        { op: 'sleep', s: 0.3 },
        { op: 'recv', sock: 'd' },
        { op: 'sleep', s: 3 },
        send,
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        // Arrival VIF not an output: no assert without PIM.
        set('d', MRT_ADD_MFC, mfcctlHex('10.1.0.2', '239.1.1.1', 0, { 2: 1 })),
        { op: 'sleep', s: 3.1 },
        send,
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        set('d', MRT_PIM, intHex(1)),
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_ASSERT, len: 4 },
        send,
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        // MRT_PIM 4 (from PIM off) also turns on WRVIFWHOLE: the whole datagram follows each WRONGVIF.
        set('d', MRT_PIM, intHex(0)),
        set('d', MRT_PIM, intHex(4)),
        { op: 'sleep', s: 3.1 },
        send,
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        ...procs(r),
        { op: 'sgcnt', sock: 'd', src: '10.1.0.2', grp: '239.1.1.1' },
      ];
    }, 20_000);
  });

  it('matches (*,G) and (*,*) entries as the kernel does', () => {
    run('ipmr wildcards', ({ n, ifindex }) => {
      const [r, s, h1] = [n('r'), n('s'), n('h1')];
      const s0 = ifindex('s', 's0');
      const h1i = ifindex('h1', 'h1');
      const fromS = (g: string): Op => ({ op: 'udp', sock: 'tx', dst: g, port: 5000, ttl: 8, ifindex: s0 });
      const fromH1 = (g: string): Op => ({ op: 'udp', sock: 'tx1', dst: g, port: 5000, ttl: 8, ifindex: h1i });
      const wait: Op = { op: 'sleep', s: 0.05 };
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'tx', type: 'udp', proto: 0 },
        { op: 'socket', ns: h1, name: 'tx1', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1', '10.2.0.1'),
        set('d', MRT_ADD_MFC, mfcctlHex('0.0.0.0', '239.5.5.5', 0, { 0: 1, 1: 1, 2: 1 })),
        fromS('239.5.5.5'),
        wait,
        fromH1('239.5.5.5'),
        wait,
        ...procs(r),
        set('d', MRT_ADD_MFC, mfcctlHex('0.0.0.0', '239.6.6.6', 0, { 1: 1, 2: 1 })),
        fromS('239.6.6.6'),
        wait,
        fromH1('239.6.6.6'),
        wait,
        ...procs(r),
        set('d', MRT_ADD_MFC, mfcctlHex('0.0.0.0', '0.0.0.0', 0, { 0: 1, 1: 1, 2: 1 })),
        fromS('239.6.6.6'),
        wait,
        fromH1('239.7.7.7'),
        wait,
        fromS('239.7.7.7'),
        wait,
        ...procs(r),
        { op: 'recv', sock: 'd' },
        { op: 'vifcnt', sock: 'd', vifi: 0 },
        { op: 'vifcnt', sock: 'd', vifi: 1 },
        { op: 'vifcnt', sock: 'd', vifi: 2 },
      ];
    });
  });

  it('removes a VIF whose device is deleted and keeps the MFC entries that name it', () => {
    const t = topology('ipmr vif device deletion');
    try {
      const [r, s] = [t.n('r'), t.n('s')];
      const s0 = t.ifindex('s', 's0');
      const before: Op[] = [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1'),
        set('d', MRT_ADD_VIF, vifctlHex(2, 8, t.ifindex('r', 'r2'))),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 1, 2: 1 })),
        ...procs(r),
        ...mcfwd(r, ['all', 'r2']),
      ];
      // The driver process holds the daemon socket only while it runs: the deletion happens in between
      // in both worlds, so it is checked with a static (non-daemon) configuration instead.
      const statics: Op[] = [
        { op: 'socket', ns: r, name: 'st', type: 'raw', proto: 2 },
        set('st', MRT_ADD_VIF, vifctlHex(0, 0, '10.0.0.1')),
        set('st', MRT_ADD_VIF, vifctlHex(1, 0, '10.1.0.1')),
        set('st', MRT_ADD_VIF, vifctlHex(2, 8, t.ifindex('r', 'r2'))),
        set('st', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 1, 2: 1 })),
        { op: 'close', sock: 'st' },
      ];
      expect(compareRuns(t.lab, [...before, ...statics]).join('\n')).toBe('');
      t.lab.run('r', 'link del r2');
      const after: Op[] = [
        ...procs(r),
        ...mcfwd(r, ['all', 'r1']),
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'tx', type: 'udp', proto: 0 },
        set('d', MRT_INIT, intHex(1)),
        { op: 'udp', sock: 'tx', dst: '239.1.1.1', port: 5000, ttl: 8, ifindex: s0 },
        { op: 'sleep', s: 0.05 },
        ...procs(r),
        { op: 'vifcnt', sock: 'd', vifi: 2 },
        set('d', MRT_ADD_VIF, vifctlHex(2, 0, '10.1.0.1')),
        ...procs(r),
        set('d', MRT_FLUSH, intHex(15)),
        ...procs(r),
        ...mcfwd(r, ['all', 'r0', 'r1']),
      ];
      expect(compareRuns(t.lab, after).join('\n')).toBe('');
      expect(t.lab.report()).toBe('');
    } finally {
      t.lab.destroy();
    }
  });

  it('answers MRT_PIM value 4 and MRT_FLUSH flags like the kernel', () => {
    run('ipmr pim and flush', ({ n }) => {
      const r = n('r');
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'st', type: 'raw', proto: 2 },
        set('d', MRT_PIM, intHex(4)),
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_PIM, len: 4 },
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_ASSERT, len: 4 },
        set('d', MRT_ASSERT, intHex(0)),
        set('d', MRT_PIM, intHex(4)),
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_ASSERT, len: 4 },
        set('d', MRT_PIM, intHex(0)),
        { op: 'getsockopt', sock: 'd', level: IP, opt: MRT_PIM, len: 4 },
        ...initVifs('d', '10.0.0.1'),
        set('st', MRT_ADD_VIF, vifctlHex(1, 0, '10.1.0.1')),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 1 })),
        set('st', MRT_ADD_MFC, mfcctlHex('10.0.0.3', '239.1.1.1', 0, { 1: 1 })),
        set('st', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 2 })),
        ...procs(r),
        set('d', MRT_FLUSH, intHex(1)),
        ...procs(r),
        set('d', MRT_FLUSH, intHex(0x30)),
        set('d', MRT_FLUSH, intHex(4)),
        ...procs(r),
        set('d', MRT_FLUSH, intHex(2 | 8)),
        ...procs(r),
        ...mcfwd(r, ['all', 'r0', 'r1']),
      ];
    });
  });
});

// Keep the unused option numbers referenced so the table above reads as the uapi list.
void [MRT_DEL_MFC, MRT_DEL_MFC_PROXY, MRT_ADD_MFC_PROXY];
