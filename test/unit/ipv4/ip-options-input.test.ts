// IPv4 options on the receiving and forwarding side (ip_rcv_options, __ip_options_compile with skb set,
// ip_options_rcv_srr, ip_forward_options, __ip_options_echo, the strict-route check of ip_forward). Options
// a socket cannot send (malformed ones) are handed to r's ip_rcv directly. The kernel comparison of what
// a socket can send is test/oracle/ip-options-input.test.ts.

import { describe, expect, it } from 'vitest';
import type { Netns } from '../../../engine/net/netns.js';
import { ipOptionsCompileRcv, type RcvOptions } from '../../../engine/ipv4/ip_options.js';
import { ipOptionsEcho } from '../../../engine/ipv4/ip_options_rcv.js';
import { AF_INET, IPPROTO_IP, IP_OPTIONS, SOCK_RAW } from '../../../engine/socket/constants.js';
import { setsockopt } from '../../../engine/socket/sockopt.js';
import { socket, type RawSocket } from '../../../engine/socket/socket.js';
import { ipSendCheck } from '../../../engine/wire/ipv4-fields.js';
import { decodeIpv4Header } from '../../../engine/wire/ipv4.js';
import { addr, forwarding, ip4, route, tracedNetwork } from '../helpers/topo.js';

const PROTO = 253;
const a4 = (s: string): number[] => [...new Uint8Array([ip4(s) >>> 24, ip4(s) >>> 16, ip4(s) >>> 8, ip4(s)])];

/** A datagram with these option bytes (padded with END), 8 payload bytes, a valid checksum. */
function datagram(src: string, dst: string, opts: number[]): Uint8Array {
  const o = [...opts];
  while (o.length & 3) o.push(0);
  const ihl = 20 + o.length;
  const b = new Uint8Array(ihl + 8);
  b[0] = 0x40 | (ihl / 4);
  b[3] = b.length;
  b[8] = 64;
  b[9] = PROTO;
  b.set(a4(src), 12);
  b.set(a4(dst), 16);
  b.set(o, 20);
  b.set([1, 2, 3, 4, 5, 6, 7, 8], ihl);
  ipSendCheck(b);
  return b;
}

/** s (10.0.0.2) — r0 r r1 — h1 (10.1.0.2), the oracle's lab; raw sockets everywhere, ICMP on s. */
function lab() {
  const { net, sink, node } = tracedNetwork(7);
  const s = node('s');
  const r = node('r', 'router');
  const h1 = node('h1');
  net.link('r', 'r0', 's', 's0');
  net.link('r', 'r1', 'h1', 'h1');
  addr(r, 'r0', '10.0.0.1/24');
  addr(r, 'r1', '10.1.0.1/24');
  addr(s, 's0', '10.0.0.2/24');
  addr(h1, 'h1', '10.1.0.2/24');
  route(s, 'default', '10.0.0.1', 's0');
  route(h1, 'default', '10.1.0.1', 'h1');
  const raw = (ns: Netns, proto: number): RawSocket => socket(ns, AF_INET, SOCK_RAW, proto) as RawSocket;
  const tx = raw(s, PROTO);
  const icmp = raw(s, 1);
  const rxR = raw(r, PROTO);
  const rxH1 = raw(h1, PROTO);
  const settle = (): void => {
    net.sim.run({ until: net.sim.now + 1_000_000_000 });
  };
  const all = (sk: RawSocket): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let m = sk.recv(); m; m = sk.recv()) out.push(m.bytes);
    return out;
  };
  /** Hand `bytes` to r as if they arrived on r0 from s. */
  const inject = (bytes: Uint8Array): void => {
    const dev = r.devByName('r0')!;
    r.ipv4.ipRcv({ pkt: net.sim.trace.packet('r', 'r0', bytes), bytes, dev, pktType: 'HOST', mark: 0 });
    settle();
  };
  const send = (opts: number[], dst: string): void => {
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, Uint8Array.from(opts));
    tx.sendto(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), ip4(dst));
    settle();
  };
  return { net, sink, s, r, h1, tx, icmp, rxR, rxH1, inject, send, all };
}

/** type, code and the pointer byte of an ICMP message, and its outer options. */
function icmpOf(b: Uint8Array): { type: number; code: number; pointer: number; options: number[]; quoted: Uint8Array } {
  const ihl = (b[0]! & 15) * 4;
  return { type: b[ihl]!, code: b[ihl + 1]!, pointer: b[ihl + 4]!, options: [...b.subarray(20, ihl)], quoted: b.subarray(ihl + 8) };
}

describe('ip_rcv_options: malformed options', () => {
  const CASES: [string, number[], number][] = [
    ['record route of length 2', [0x07, 2, 0, 0], 21],
    ['record route pointer below 4', [0x07, 7, 3, 0, 0, 0, 0], 22],
    ['record route with a partial slot', [0x07, 6, 4, 0, 0, 0], 22],
    ['timestamp pointer below 5', [0x44, 8, 4, 0, 0, 0, 0, 0], 22],
    ['timestamp with addresses, room for half a pair', [0x44, 8, 5, 0x01, 0, 0, 0, 0], 22],
    ['full timestamp whose overflow count is 15', [0x44, 8, 9, 0xf0, 0, 0, 0, 0], 23],
    ['Router Alert of length 2', [0x94, 2, 0, 0], 21],
    ['an option longer than what is left', [0x01, 0x07, 9, 4, 0, 0, 0, 0], 21],
    ['two source routes', [0x83, 3, 4, 0x89, 3, 4], 23],
  ];
  for (const [what, opts, pointer] of CASES) {
    it(`${what}: Parameter Problem pointing at byte ${pointer}, and dropped`, () => {
      const t = lab();
      const bytes = datagram('10.0.0.2', '10.0.0.1', opts);
      t.inject(bytes);
      expect(t.all(t.rxR)).toEqual([]);
      const errs = t.all(t.icmp).map(icmpOf);
      expect(errs.map((e) => [e.type, e.code, e.pointer])).toEqual([[12, 0, pointer]]);
      expect(errs[0]!.quoted.subarray(0, 20)).toEqual(bytes.subarray(0, 20));
      const drop = t.sink.byFn('ip_rcv_options').find((e) => e.kind === 'drop');
      expect(drop?.data).toMatchObject({ reason: 'IP_INHDR', pointer });
    });
  }

  it('echoes what was compiled before the bad option in the Parameter Problem', () => {
    const t = lab();
    // A full record route, then a second one: the first is echoed (ihl 6), the pointer is at the second.
    t.inject(datagram('10.0.0.2', '10.0.0.1', [0x07, 3, 4, 0x07, 3, 4]));
    const [e] = t.all(t.icmp).map(icmpOf);
    expect(e?.pointer).toBe(23);
    expect(e?.options).toEqual([0x07, 3, 4, 0]);
  });
});

describe('ip_rcv_options: record route and timestamps', () => {
  it('records r’s address and the simulated time on local delivery, leaving the checksum stale', () => {
    const t = lab();
    t.net.sim.run({ until: 2_500_000_000 });
    t.send([0x44, 12, 5, 0x00, 0, 0, 0, 0, 0, 0, 0, 0], '10.0.0.1');
    const [h] = t.all(t.rxR);
    const o = [...h!.subarray(20, 32)];
    expect(o.slice(0, 4)).toEqual([0x44, 12, 13, 0x00]);
    const ms = (i: number): number => ((o[i]! << 24) | (o[i + 1]! << 16) | (o[i + 2]! << 8) | o[i + 3]!) >>> 0;
    // s stamped when it sent (2500 ms after the start), r when it received (the link takes less than 1 ms).
    expect(ms(4)).toBe(2500);
    expect(ms(8)).toBe(2500);
    // ip_rcv_options does not recompute the checksum: only a forward does (ip_forward_options).
    expect(decodeIpv4Header(h!).checksumValid).toBe(false);
  });

  it('records the output address when forwarding and recomputes the checksum', () => {
    const t = lab();
    forwarding(t.r, true);
    t.h1.ipv4.devconfAll.values.accept_source_route = 0;
    t.send([0x07, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0], '10.1.0.2');
    const fwd = [...t.sink.packets.values()].find((p) => p.node === 'r' && p.dev === 'r1');
    expect([...fwd!.bytes.subarray(20, 31)]).toEqual([0x07, 11, 12, ...a4('10.0.0.2'), ...a4('10.1.0.1')]);
    expect(decodeIpv4Header(fwd!.bytes).checksumValid).toBe(true);
  });
});

describe('source routes', () => {
  it('drops a source route unless accept_source_route is on in all and on the device', () => {
    const t = lab();
    forwarding(t.r, true);
    const lsrr = [0x83, 7, 4, ...a4('10.0.0.1')];
    t.send(lsrr, '10.1.0.2');
    t.r.ipv4.devconfAll.values.accept_source_route = 1;
    t.r.devByName('r0')!.inDev.conf.values.accept_source_route = 0;
    t.send(lsrr, '10.1.0.2');
    const refused = t.sink.byFn('ip_rcv_options').filter((e) => e.kind === 'drop');
    expect(refused.map((e) => e.data['reason'])).toEqual(['SOURCE_ROUTE_REFUSED', 'SOURCE_ROUTE_REFUSED']);
    t.r.devByName('r0')!.inDev.conf.values.accept_source_route = 1;
    t.h1.ipv4.devconfAll.values.accept_source_route = 1;
    t.send(lsrr, '10.1.0.2');
    const [h] = t.all(t.rxH1);
    // At h1: destination moved to the next hop, r recorded with its output address, the pointer past it.
    expect([...h!.subarray(16, 28)]).toEqual([...a4('10.1.0.2'), 0x83, 7, 8, ...a4('10.1.0.1'), 0]);
  });

  it('answers a strict route that names another host first with Parameter Problem at the destination', () => {
    const t = lab();
    forwarding(t.r, true);
    t.r.ipv4.devconfAll.values.accept_source_route = 1;
    t.inject(datagram('10.0.0.2', '10.1.0.2', [0x89, 7, 4, ...a4('10.2.0.2')]));
    expect(t.all(t.icmp).map(icmpOf).map((e) => [e.type, e.code, e.pointer])).toEqual([[12, 0, 16]]);
    // A loose one passes through untouched but for the TTL.
    t.inject(datagram('10.0.0.2', '10.1.0.2', [0x83, 7, 4, ...a4('10.2.0.2')]));
    const fwd = t.sink.byFn('ip_forward').filter((e) => e.kind === 'call');
    expect(fwd).toHaveLength(1);
    expect([...t.sink.packets.get(fwd[0]!.pkt!)!.bytes.subarray(20, 28)]).toEqual([0x83, 7, 4, ...a4('10.2.0.2'), 0]);
  });

  it('refuses a route whose next slot is a partial address, pointing at the route’s pointer', () => {
    const t = lab();
    t.r.ipv4.devconfAll.values.accept_source_route = 1;
    t.inject(datagram('10.0.0.2', '10.0.0.1', [0x01, 0x83, 6, 4, 10, 1, 0]));
    expect(t.all(t.icmp).map(icmpOf).map((e) => [e.type, e.code, e.pointer])).toEqual([[12, 0, 23]]);
    expect(t.sink.byFn('ip_options_rcv_srr').find((e) => e.kind === 'drop')?.data['reason']).toBe('SRR_PARTIAL_ADDRESS');
  });

  it('sends SR_FAILED for a strict route whose next hop is via a gateway', () => {
    const t = lab();
    forwarding(t.r, true);
    t.r.ipv4.devconfAll.values.accept_source_route = 1;
    route(t.r, '10.9.0.0/24', '10.1.0.2', 'r1');
    t.send([0x89, 7, 4, ...a4('10.0.0.1')], '10.9.0.5');
    expect(t.all(t.icmp).map(icmpOf).map((e) => [e.type, e.code])).toEqual([[3, 5]]);
    expect(t.sink.byFn('ip_forward').find((e) => e.kind === 'drop')?.data).toMatchObject({ reason: 'SR_FAILED', gw: '10.1.0.2' });
    // The loose one goes on through the gateway.
    t.send([0x83, 7, 4, ...a4('10.0.0.1')], '10.9.0.5');
    expect(t.sink.byFn('ip_forward').filter((e) => e.kind === 'call')).toHaveLength(1);
  });
});

describe('__ip_options_echo', () => {
  const compiled = (h: Uint8Array): RcvOptions => {
    const o = ipOptionsCompileRcv(h, () => true, { specDst: () => ip4('10.0.0.1'), msSinceMidnight: 0 });
    if ('ppPtr' in o) throw new Error(`pointer ${o.ppPtr}`);
    return o;
  };
  const lsrrDone = [0x83, 15, 16, ...a4('10.5.0.1'), ...a4('10.6.0.1'), ...a4('10.7.0.1')];

  it('reverses the hops a source route passed: the last one is where the answer goes', () => {
    const h = datagram('10.0.0.2', '10.0.0.1', lsrrDone);
    const e = ipOptionsEcho(compiled(h), h, () => true);
    expect(e).not.toBe('EINVAL');
    // The last slot is left for ip_options_build(): the original source, where the route back ends.
    expect(e && e !== 'EINVAL' ? [[...e.data], e.faddr] : null).toEqual([[0x83, 15, 4, ...a4('10.6.0.1'), ...a4('10.5.0.1'), 0, 0, 0, 0, 0], ip4('10.7.0.1')]);
  });

  it('leaves out the sender itself when it is the first hop listed (RFC 1812)', () => {
    const h = datagram('10.5.0.1', '10.0.0.1', lsrrDone);
    const e = ipOptionsEcho(compiled(h), h, () => true);
    // One hop fewer: 10.5.0.1's slot becomes the last one (overwritten by the destination when built).
    expect(e && e !== 'EINVAL' ? [...e.data] : null).toEqual([0x83, 11, 4, ...a4('10.6.0.1'), ...a4('10.5.0.1'), 0]);
  });

  it('gives record route room for the answering host, or nothing when it is full', () => {
    const h = datagram('10.0.0.2', '10.0.0.1', [0x07, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
    const e = ipOptionsEcho(compiled(h), h, () => true);
    // Compiled on input: r's address in slot 1, pointer 8; the echo moves the pointer past slot 2.
    expect(e && e !== 'EINVAL' ? [[...e.data], e.rrNeedaddr] : null).toEqual([[0x07, 11, 12, ...a4('10.0.0.1'), 0, 0, 0, 0, 0], true]);
    const full = datagram('10.0.0.2', '10.0.0.1', [0x07, 7, 8, 0, 0, 0, 0]);
    const f = ipOptionsEcho(compiled(full), full, () => true);
    expect(f && f !== 'EINVAL' ? [[...f.data], f.rrNeedaddr] : null).toEqual([[0x07, 7, 8, 0, 0, 0, 0, 0], false]);
  });
});
