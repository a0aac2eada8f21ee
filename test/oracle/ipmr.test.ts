// ipmr against the kernel: the same MRT_* calls, packets and /proc reads through the project's MRT
// driver (real namespaces) and through the engine's socket API; every answer must be equal.

import { afterAll, describe, expect, it } from 'vitest';
import { destroyAllLabs, OracleLab } from './harness.js';
import { oracleGate } from './harness.js';
import { compareRuns, intHex, mfcctlHex, vifctlHex, type Op } from './ipmr-ops.js';
import { IPPROTO_IP, MRT_INIT, MRT_DONE, MRT_ADD_VIF, MRT_DEL_VIF, MRT_ADD_MFC, MRT_DEL_MFC, MRT_VERSION, MRT_ASSERT, MRT_PIM, MRT_TABLE, MRT_ADD_MFC_PROXY, MRT_DEL_MFC_PROXY, MRT_FLUSH } from '../../engine/socket/constants.js';

const gate = oracleGate();
if (!gate.ok) console.log(`ipmr kernel-oracle tests skipped: ${gate.reason}`);

const IP = IPPROTO_IP;

/** Router r with upstream s (10.0.0.0/24) and downstream h1 (10.1.0.0/24), h2 (10.2.0.0/24). */
function topology(title: string): { lab: OracleLab; n: (x: string) => string; ifindex: (node: string, dev: string) => number } {
  const lab = new OracleLab(['r', 's', 'h1', 'h2'], title);
  lab.script(`
    r: link add r0 address 02:00:00:00:00:10 type veth peer name s0 address 02:00:00:00:00:20 netns {s}
    r: link add r1 address 02:00:00:00:00:11 type veth peer name h1 address 02:00:00:00:00:21 netns {h1}
    r: link add r2 address 02:00:00:00:00:12 type veth peer name h2 address 02:00:00:00:00:22 netns {h2}
    r: addr add 10.0.0.1/24 dev r0
    r: addr add 10.1.0.1/24 dev r1
    r: addr add 10.2.0.1/24 dev r2
    s: addr add 10.0.0.2/24 dev s0
    h1: addr add 10.1.0.2/24 dev h1
    h2: addr add 10.2.0.2/24 dev h2
    r: link set lo up
    r: link set r0 up
    r: link set r1 up
    r: link set r2 up
    s: link set s0 up
    h1: link set h1 up
    h2: link set h2 up
    r: -o link show
    s: -o link show
    h1: -o link show
  `);
  const n = (x: string): string => lab.names.get(x)!;
  const ifindex = (node: string, dev: string): number => lab.net.node(n(node)).devByName(dev)!.ifindex;
  return { lab, n, ifindex };
}

function run(title: string, build: (t: ReturnType<typeof topology>) => Op[], timeoutMs?: number): void {
  const t = topology(title);
  try {
    expect(t.lab.report()).toBe('');
    const diffs = compareRuns(t.lab, build(t), timeoutMs);
    expect(diffs.join('\n')).toBe('');
  } finally {
    t.lab.destroy();
  }
}

const set = (sock: string, opt: number, hex: string): Op => ({ op: 'setsockopt', sock, level: IP, opt, hex });
const read = (ns: string, path: string): Op => ({ op: 'read', ns, path });
const procs = (r: string): Op[] => [read(r, '/proc/net/ip_mr_vif'), read(r, '/proc/net/ip_mr_cache')];
/** A daemon's usual start: MRT_INIT, then VIF i on the i-th local address. */
const initVifs = (sock: string, ...addrs: string[]): Op[] => [set(sock, MRT_INIT, intHex(1)), ...addrs.map((a, i) => set(sock, MRT_ADD_VIF, vifctlHex(i, 0, a)))];
const mcfwd = (r: string, devs: string[]): Op[] => devs.map((d) => read(r, `/proc/sys/net/ipv4/conf/${d}/mc_forwarding`));

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

// Keep the unused option numbers referenced so the table above reads as the uapi list.
void [MRT_DEL_MFC, MRT_DEL_MFC_PROXY, MRT_ADD_MFC_PROXY];
