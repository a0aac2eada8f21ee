// IPv4 options on the receiving and forwarding side against the kernel: s sends with setsockopt(IP_OPTIONS)
// to r (local delivery) and through r to h1 (forward); raw sockets on r and h1 see the header as input left
// it (record route and timestamps filled by __ip_options_compile with skb set, ip_forward_options on the
// way out, whether the checksum is recomputed), source routes are refused or followed (accept_source_route,
// ip_options_rcv_srr), and the ICMP errors (Parameter Problem, SR_FAILED) s gets back are compared byte by
// byte. What differs by nature is masked: IP ids (and the checksums that cover them) and the timestamp
// values (inet_current_timestamp is wall-clock time; the model counts simulated time).

import { afterAll, describe, expect, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { mfcctlHex, runEngine, runKernel, type Op, type OpResult } from './ipmr-ops.js';
import { IP, initVifs, set, topology } from './ipmr-lab.js';
import { IP_OPTIONS, MRT_ADD_MFC } from '../../engine/socket/constants.js';
import { fromHex } from '../../engine/wire/hex.js';

const gate = oracleGate();
if (!gate.ok) console.log(`IP options input kernel-oracle tests skipped: ${gate.reason}`);

const PROTO = 253; // experimental: no protocol handler on either side, only the raw sockets
const hex = (...b: number[]): string => b.map((x) => x.toString(16).padStart(2, '0')).join('');
const a4 = (s: string): number[] => s.split('.').map(Number);

function checksumOk(h: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += (h[i]! << 8) | h[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/**
 * Timestamp option values: wall-clock in the kernel, simulated time in the model. The slots before the
 * pointer (filled) are masked; the ones after it stay compared (still zero).
 */
function maskTimestamps(b: Uint8Array, ihl: number): void {
  for (let p = 20; p < ihl; ) {
    const t = b[p]!;
    if (t === 0) break;
    if (t === 1) {
      p++;
      continue;
    }
    const len = b[p + 1]!;
    if (len < 2) break;
    if (t === 0x44 && len >= 4) {
      const flag = b[p + 3]! & 15;
      const ptr = b[p + 2]!;
      for (let o = flag === 0 ? 4 : 8; o + 4 <= len && o < ptr - 1; o += flag === 0 ? 4 : 8) b.fill(0x7e, p + o, p + o + 4);
    }
    p += len;
  }
}

/** One IPv4 header in place: id masked, checksum replaced by whether it was right, timestamps masked. */
function maskHeader(b: Uint8Array, at: number): string {
  const ihl = (b[at]! & 15) * 4;
  const h = b.subarray(at, at + ihl);
  const ok = h.length === ihl && checksumOk(h);
  h[4] = h[5] = 0;
  h[10] = h[11] = 0;
  maskTimestamps(h, ihl);
  return ok ? 'ok' : 'stale';
}

function normaliseMsg(m: string): string {
  const b = fromHex(m);
  const ihl = (b[0]! & 15) * 4;
  const csum = maskHeader(b, 0);
  let inner = '';
  if (b[9] === 1 && b.length >= ihl + 28) {
    // An ICMP error: its checksum covers the quoted header's id; the quoted header is masked the same way.
    b[ihl + 2] = b[ihl + 3] = 0;
    inner = ` inner-csum:${maskHeader(b, ihl + 8)}`;
  }
  return `${hex(...b)} csum:${csum}${inner}`;
}

function normalise(rs: OpResult[]): OpResult[] {
  return rs.map((r) => (Array.isArray(r['msgs']) ? { msgs: (r['msgs'] as string[]).map(normaliseMsg) } : r));
}

function compare(title: string, build: (t: ReturnType<typeof topology>) => Op[]): OpResult[] {
  const t = topology(title);
  try {
    expect(t.lab.report()).toBe('');
    const ops = build(t);
    const real = normalise(runKernel(ops));
    const model = normalise(runEngine(t.lab, ops));
    if (process.env['RLW_IPMR_DUMP']) ops.forEach((o, i) => console.log(`${JSON.stringify(o)}\n  => ${JSON.stringify(real[i])}`));
    const diffs: string[] = [];
    ops.forEach((o, i) => {
      const a = JSON.stringify(real[i]);
      const b = JSON.stringify(model[i]);
      if (a !== b) diffs.push(`#${i} ${JSON.stringify(o)}\n  kernel: ${a}\n  engine: ${b}`);
    });
    expect(diffs.join('\n')).toBe('');
    return real;
  } finally {
    t.lab.destroy();
  }
}

const sysctl = (ns: string, key: string, v: number): Op => ({ op: 'write', ns, path: `/proc/sys/net/ipv4/${key}`, text: String(v) });

/** The common setup: sockets on s (sender, ICMP errors), r and h1; default routes on s and h1. */
function setup(n: (x: string) => string, fwd: boolean, srcRoute: boolean): Op[] {
  const ops: Op[] = [
    { op: 'ip', ns: n('s'), args: 'route add default via 10.0.0.1' },
    { op: 'ip', ns: n('h1'), args: 'route add default via 10.1.0.1' },
    { op: 'socket', ns: n('s'), name: 'tx', type: 'raw', proto: PROTO },
    { op: 'socket', ns: n('s'), name: 'icmp', type: 'raw', proto: 1 },
    { op: 'socket', ns: n('r'), name: 'r', type: 'raw', proto: PROTO },
    { op: 'socket', ns: n('h1'), name: 'h1', type: 'raw', proto: PROTO },
  ];
  if (fwd) ops.push(sysctl(n('r'), 'conf/all/forwarding', 1));
  if (srcRoute) for (const x of ['r', 'h1']) ops.push(sysctl(n(x), 'conf/all/accept_source_route', 1));
  return ops;
}

const recvAll = (): Op[] => [{ op: 'sleep', s: 0.2 }, { op: 'recv', sock: 'r' }, { op: 'recv', sock: 'h1' }, { op: 'recv', sock: 'icmp' }];

function sendWith(opts: string, dst: string): Op[] {
  return [
    { op: 'setsockopt', sock: 'tx', level: IP, opt: IP_OPTIONS, hex: opts },
    { op: 'rawsend', sock: 'tx', dst, hex: hex(1, 2, 3, 4, 5, 6, 7, 8), ttl: 64, ifindex: 0 },
  ];
}

const RR3 = hex(0x07, 15, 4, ...new Array<number>(12).fill(0), 0);
const TS_ONLY = hex(0x44, 12, 5, 0x00, ...new Array<number>(8).fill(0));
const TS_ADDR = hex(0x44, 20, 5, 0x01, ...new Array<number>(16).fill(0));
const TS_PRESPEC = hex(0x44, 20, 5, 0x03, ...a4('10.0.0.2'), 0, 0, 0, 0, ...a4('10.0.0.1'), 0, 0, 0, 0);
const TS_PRESPEC_FWD = hex(0x44, 28, 5, 0x03, ...a4('10.0.0.2'), 0, 0, 0, 0, ...a4('10.1.0.1'), 0, 0, 0, 0, ...a4('10.1.0.2'), 0, 0, 0, 0);
const TS_FULL = hex(0x44, 8, 9, 0x00, 0, 0, 0, 0);
const TS_FULL14 = hex(0x44, 8, 9, 0xe1, 0, 0, 0, 0);
const TS_FLAG2 = hex(0x44, 8, 5, 0x02, 0, 0, 0, 0);

describe.skipIf(!gate.ok)('IPv4 options on input and forward (ip_rcv_options, ip_forward_options)', () => {
  afterAll(destroyAllLabs);

  it('fills record route and timestamps on local delivery as the kernel does', () => {
    compare('ip options input local', ({ n }) => [
      ...setup(n, false, false),
      ...[RR3, TS_ONLY, TS_ADDR, TS_PRESPEC, TS_FULL, TS_FULL14, TS_FLAG2].flatMap((o) => sendWith(o, '10.0.0.1')),
      ...recvAll(),
    ]);
  });

  it('records the output address when forwarding', () => {
    compare('ip options forward', ({ n }) => [
      ...setup(n, true, false),
      ...[RR3, TS_ONLY, TS_ADDR, TS_PRESPEC_FWD, TS_FULL, TS_FLAG2].flatMap((o) => sendWith(o, '10.1.0.2')),
      ...recvAll(),
    ]);
  });
});

describe.skipIf(!gate.ok)('IPv4 source routes and option errors on input (ip_options_rcv_srr, SR_FAILED)', () => {
  afterAll(destroyAllLabs);
  /** A source route whose only listed hop is `first`; the sender writes the final destination after it. */
  const srr = (type: number, first: string): string => hex(type, 7, 4, ...a4(first), 0);

  it('drops source-routed datagrams unless accept_source_route is on for all and the device', () => {
    compare('ip options srr refused', ({ n }) => [
      ...setup(n, true, false),
      ...sendWith(srr(0x83, '10.0.0.1'), '10.1.0.2'),
      ...sendWith(srr(0x89, '10.0.0.1'), '10.1.0.2'),
      ...recvAll(),
      sysctl(n('r'), 'conf/all/accept_source_route', 1),
      sysctl(n('r'), 'conf/r0/accept_source_route', 0),
      ...sendWith(srr(0x83, '10.0.0.1'), '10.1.0.2'),
      ...recvAll(),
    ]);
  });

  it('follows loose and strict source routes through r, and refuses a strict one via a gateway', () => {
    compare('ip options srr', ({ n }) => [
      ...setup(n, true, true),
      { op: 'ip', ns: n('r'), args: 'route add 10.9.0.0/24 via 10.1.0.2' },
      ...sendWith(srr(0x83, '10.0.0.1'), '10.1.0.2'),
      ...sendWith(srr(0x89, '10.0.0.1'), '10.1.0.2'),
      ...sendWith(srr(0x83, '10.0.0.1'), '10.0.0.1'), // the last hop is r itself: delivered locally
      ...sendWith(hex(0x83, 11, 4, ...a4('10.0.0.1'), ...a4('10.1.0.1'), 0), '10.1.0.2'), // r twice in a row
      ...sendWith(hex(0x89, 11, 4, ...a4('10.0.0.1'), 0, 0, 0, 0, 0x07, 7, 4, 0, 0, 0, 0, 0), '10.1.0.2'), // next hop 0.0.0.0: dropped
      ...sendWith(hex(0x89, 7, 4, ...a4('10.0.0.1'), 0x07, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), '10.1.0.2'), // with record route
      ...recvAll(),
      ...sendWith(srr(0x89, '10.0.0.1'), '10.9.0.5'), // strict, but the next hop is via a gateway: SR_FAILED
      ...sendWith(srr(0x83, '10.0.0.1'), '10.9.0.5'), // loose via the gateway: forwarded (h1 drops it)
      ...sendWith(srr(0x83, '10.1.0.2'), '10.1.0.2'), // loose, first hop not r: passed through untouched
      ...sendWith(hex(0x83, 7, 4, ...a4('10.1.0.2'), 0x07, 7, 4, 0, 0, 0, 0, 0, 0), '10.1.0.2'), // the same with record route
      ...recvAll(),
    ]);
  });

  it('answers a full timestamp whose overflow count wraps with Parameter Problem', () => {
    compare('ip options pp', ({ n }) => [
      ...setup(n, true, false),
      ...sendWith(hex(0x44, 8, 9, 0xe0, 0, 0, 0, 0), '10.1.0.2'), // r counts 15, h1 refuses it
      ...sendWith(hex(0x01, 0x07, 7, 8, 0, 0, 0, 0, 0x44, 8, 9, 0xe1, 0, 0, 0, 0), '10.1.0.2'), // after a full record route
      ...recvAll(),
    ]);
  });

  it('sends the error back along the reversed source route (__ip_options_echo)', () => {
    compare('ip options echo', ({ n }) => [
      ...setup(n, true, true),
      sysctl(n('s'), 'conf/all/accept_source_route', 1),
      // Through r by a loose route; r counts the timestamp's overflow to 15 and h1 refuses it.
      ...sendWith(hex(0x83, 7, 4, ...a4('10.0.0.1'), 0x44, 8, 9, 0xe0, 0, 0, 0, 0, 0x07, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0), '10.1.0.2'),
      ...recvAll(),
    ]);
  });
});

describe.skipIf(!gate.ok)('IPv4 options on multicast forwarding (ipmr_forward_finish)', () => {
  afterAll(destroyAllLabs);

  it('fills record route and timestamps on each forwarded copy as the kernel does', () => {
    compare('ip options ipmr', ({ n, ifindex }) => {
      const send = (opts: string): Op[] => [
        { op: 'setsockopt', sock: 'tx', level: IP, opt: IP_OPTIONS, hex: opts },
        { op: 'rawsend', sock: 'tx', dst: '239.7.7.7', hex: hex(1, 2, 3, 4, 5, 6, 7, 8), ttl: 8, ifindex: ifindex('s', 's0') },
      ];
      return [
        { op: 'socket', ns: n('r'), name: 'd', type: 'raw', proto: 2 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1', '10.2.0.1'),
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.7.7.7', 0, { 1: 1, 2: 1 })),
        { op: 'socket', ns: n('s'), name: 'tx', type: 'raw', proto: PROTO },
        { op: 'socket', ns: n('h1'), name: 'h1', type: 'raw', proto: PROTO },
        { op: 'join', sock: 'h1', group: '239.7.7.7', ifindex: ifindex('h1', 'h1') },
        { op: 'socket', ns: n('h2'), name: 'h2', type: 'raw', proto: PROTO },
        { op: 'join', sock: 'h2', group: '239.7.7.7', ifindex: ifindex('h2', 'h2') },
        { op: 'sleep', s: 0.1 },
        ...[RR3, TS_ONLY, TS_ADDR, TS_FULL].flatMap(send),
        { op: 'sleep', s: 0.2 },
        { op: 'recv', sock: 'h1' },
        { op: 'recv', sock: 'h2' },
      ];
    });
  });
});
