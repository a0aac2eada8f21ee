// setsockopt(IP_OPTIONS) and what the socket's datagrams carry (net/ipv4/ip_options.c: ip_options_get,
// __ip_options_compile with skb == NULL, ip_options_undo, ip_options_build). The kernel comparison of the
// errnos, getsockopt and the Router Alert bytes is test/oracle/ip-options.test.ts.

import { describe, expect, it } from 'vitest';
import { Network } from '../../../engine/net/network.js';
import { Errno } from '../../../engine/net/errno.js';
import { getsockopt, setsockopt } from '../../../engine/socket/sockopt.js';
import type { RawSocket } from '../../../engine/socket/socket.js';
import { socket } from '../../../engine/socket/socket.js';
import { AF_INET, IPPROTO_IP, IP_OPTIONS, SOCK_RAW } from '../../../engine/socket/constants.js';
import { MemorySink } from '../../../engine/sim/trace.js';
import { addr, ip4, route } from '../helpers/topo.js';
import { errnoOf } from '../helpers/errno.js';

const IPPROTO_IGMP = 2;

function lan() {
  const net = new Network({ seed: 3 });
  const [a, b] = [net.addNode('a'), net.addNode('b')];
  net.attach('a', 'eth0', 'lan');
  net.attach('b', 'eth0', 'lan');
  addr(a, 'eth0', '10.0.0.1/24');
  addr(b, 'eth0', '10.0.0.2/24');
  const tx = socket(a, AF_INET, SOCK_RAW, IPPROTO_IGMP) as RawSocket;
  const rx = socket(b, AF_INET, SOCK_RAW, IPPROTO_IGMP) as RawSocket;
  const sink = new MemorySink();
  net.sim.trace.addSink(sink);
  /** The header of the last datagram a sent, as on the wire: b's ip_rcv_options fills options further. */
  const sentHeader = (): Uint8Array => {
    const sent = [...sink.packets.values()].filter((p) => p.node === 'a');
    const bytes = sent[sent.length - 1]!.bytes;
    return bytes.subarray(0, (bytes[0]! & 15) * 4);
  };
  /** Sends 8 IGMP-ish bytes to `dst` and returns the IPv4 header b received (or null). */
  const sendAndSee = (dst: string): Uint8Array | null => {
    tx.sendto(new Uint8Array([0x30, 20, 0, 0, 0, 0, 0, 0]), ip4(dst));
    net.sim.run({ until: net.sim.now + 1_000_000_000 });
    const m = rx.recv();
    return m ? m.bytes.subarray(0, (m.bytes[0]! & 15) * 4) : null;
  };
  return { net, a, tx, rx, sendAndSee, sentHeader };
}

const opt = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('IP_OPTIONS', () => {
  it('refuses what __ip_options_compile refuses, with EINVAL', () => {
    const { tx } = lan();
    const set = (b: Uint8Array): Errno | 'ok' => errnoOf(() => setsockopt(tx, IPPROTO_IP, IP_OPTIONS, b));
    expect(set(new Uint8Array(41).fill(1))).toBe(Errno.EINVAL); // more than 40 bytes
    expect(set(opt(0x94, 3, 0, 0))).toBe(Errno.EINVAL); // Router Alert shorter than 4
    expect(set(opt(0x01, 0x05))).toBe(Errno.EINVAL); // a TLV with length 0 after the NOP (padding is 0)
    expect(set(opt(0x07, 2, 4, 0))).toBe(Errno.EINVAL); // record route without room
    expect(set(opt(0x83, 7, 5, 10, 0, 0, 9))).toBe(Errno.EINVAL); // source route pointer not 4
    expect(set(opt(0x83, 3, 4, 0))).toBe(Errno.EINVAL); // source route without an address
    expect(set(opt(0x83, 7, 4, 10, 0, 0, 9, 0x89, 7, 4, 10, 0, 0, 8))).toBe(Errno.EINVAL); // two source routes
    expect(set(opt(0x44, 4, 4, 0))).toBe(Errno.EINVAL); // timestamp pointer < 5
    expect(set(opt(0x44, 4, 5, 0xf0))).toBe(Errno.EINVAL); // full timestamp with overflow 15
    expect(set(opt(0x94, 4, 0, 0))).toBe('ok');
    expect(set(opt(0x00, 7, 7))).toBe('ok'); // after END anything goes: it is overwritten
    expect(set(opt(0x88, 4, 0, 1))).toBe('ok'); // stream id: allowed to CAP_NET_RAW
  });

  it('reads back what was set, padded, with bytes after END zeroed, and the source route whole', () => {
    const { tx } = lan();
    const get = (): number[] => [...(getsockopt(tx, IPPROTO_IP, IP_OPTIONS) as Uint8Array)];
    expect(get()).toEqual([]);
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt(0x94, 4, 0, 0));
    expect(get()).toEqual([0x94, 4, 0, 0]);
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt(0x01, 0x00, 7, 7, 7));
    expect(get()).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    const lsrr = opt(0x83, 11, 4, 10, 0, 0, 9, 10, 0, 0, 8);
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, lsrr);
    expect(get()).toEqual([...lsrr, 0]); // ip_options_undo puts the first hop back
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt());
    expect(get()).toEqual([]);
  });

  it('puts the Router Alert into every datagram the socket sends (ihl 6)', () => {
    const { tx, sendAndSee } = lan();
    expect([...sendAndSee('10.0.0.2')!].length).toBe(20);
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt(0x94, 4, 0, 0));
    const h = sendAndSee('10.0.0.2')!;
    expect(h[0]).toBe(0x46);
    expect([...h.subarray(20)]).toEqual([0x94, 4, 0, 0]);
  });

  it('fills record route and timestamp slots with the source address and the time (ip_options_build)', () => {
    const { net, tx, sendAndSee, sentHeader } = lan();
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt(0x07, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0x44, 12, 5, 0x01, 0, 0, 0, 0, 0, 0, 0, 0));
    net.sim.run({ until: 2_500_000_000 });
    expect(sendAndSee('10.0.0.2')).not.toBeNull();
    const o = [...sentHeader().subarray(20)];
    // RR: pointer moved past the first slot, which holds 10.0.0.1.
    expect(o.slice(0, 11)).toEqual([0x07, 11, 8, 10, 0, 0, 1, 0, 0, 0, 0]);
    // TS with addresses: pointer past the first pair; address, then ms since the start (2500).
    expect(o.slice(11, 23)).toEqual([0x44, 12, 13, 0x01, 10, 0, 0, 1, 0, 0, 0x09, 0xc4]);
  });

  it('routes a loose source route to its first hop and writes the destination into the last slot', () => {
    const { tx, sendAndSee, sentHeader } = lan();
    // LSRR via 10.0.0.2, then to 10.9.9.9: the datagram goes to 10.0.0.2 (which drops it: b's
    // accept_source_route is off, as conf/all's is by default).
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt(0x83, 7, 4, 10, 0, 0, 2));
    expect(sendAndSee('10.9.9.9')).toBeNull();
    const h = sentHeader();
    expect([...h.subarray(16, 20)]).toEqual([10, 0, 0, 2]);
    expect([...h.subarray(20)]).toEqual([0x83, 7, 4, 10, 9, 9, 9, 0]);
    expect(errnoOf(() => tx.sendto(new Uint8Array(8), 0))).toBe(Errno.EINVAL); // no destination with a source route
  });

  it('routes a strict source route at link scope: a first hop behind a gateway is ENETUNREACH (ip_sendmsg_scope)', () => {
    const { a, tx, sentHeader } = lan();
    route(a, 'default', '10.0.0.2', 'eth0');
    const send = (): Errno | 'ok' => errnoOf(() => tx.sendto(new Uint8Array(8), ip4('10.9.9.9')));
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt(0x83, 7, 4, 10, 5, 5, 5)); // loose via 10.5.5.5: the default route
    expect(send()).toBe('ok');
    expect([...sentHeader().subarray(16, 20)]).toEqual([10, 5, 5, 5]);
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt(0x89, 7, 4, 10, 5, 5, 5)); // strict via 10.5.5.5: not on-link
    expect(send()).toBe(Errno.ENETUNREACH);
    setsockopt(tx, IPPROTO_IP, IP_OPTIONS, opt(0x89, 7, 4, 10, 0, 0, 2)); // strict via a neighbour: fine
    expect(send()).toBe('ok');
  });
});
