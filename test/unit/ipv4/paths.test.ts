import { describe, expect, it } from 'vitest';
import { startPing } from '../../../engine/apps/ping.js';
import { startUdpSender } from '../../../engine/apps/udp-sender.js';
import { startUdpReceiver } from '../../../engine/apps/udp-receiver.js';
import { NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { decodeIpv4 } from '../../../engine/wire/ipv4.js';
import { addr, forwarding, ip4, route, tracedNetwork } from '../helpers/topo.js';

/** h1 — r1 — h2, with h3 also on h2's LAN. */
function threeNodes(seed = 1) {
  const { net, sink, node } = tracedNetwork(seed);
  const h1 = node('h1');
  const r1 = node('r1', 'router');
  const h2 = node('h2');
  const h3 = node('h3');
  net.link('h1', 'eth0', 'r1', 'eth0');
  net.attach('r1', 'eth1', 'lan');
  net.attach('h2', 'eth0', 'lan');
  net.attach('h3', 'eth0', 'lan');
  addr(h1, 'eth0', '10.0.1.10/24');
  addr(r1, 'eth0', '10.0.1.1/24');
  addr(r1, 'eth1', '10.0.2.1/24');
  addr(h2, 'eth0', '10.0.2.20/24');
  addr(h3, 'eth0', '10.0.2.30/24');
  route(h1, 'default', '10.0.1.1', 'eth0');
  route(h2, 'default', '10.0.2.1', 'eth0');
  route(h3, 'default', '10.0.2.1', 'eth0');
  return { net, sink, h1, r1, h2, h3 };
}

describe('IPv4 paths', () => {
  it('forwards a ping through a router only when forwarding is on', () => {
    const t = threeNodes();
    const off = startPing(t.h1, { dst: ip4('10.0.2.20'), count: 2 });
    t.net.sim.run({ until: off.endsAt });
    expect(off.received).toBe(0);
    expect(t.sink.events.some((e) => e.node === 'r1' && e.kind === 'drop' && e.data.reason === 'FORWARDING_DISABLED')).toBe(true);

    forwarding(t.r1, true);
    const on = startPing(t.h1, { dst: ip4('10.0.2.20'), count: 3 });
    t.net.sim.run({ until: on.endsAt });
    expect(on.received).toBe(3);
    // The reply came back across the router: TTL 64 - 1.
    expect(on.lines[1]).toMatch(/^64 bytes from 10\.0\.2\.20: icmp_seq=1 ttl=63 time=0\.400 ms$/);
    expect(on.summary()[2]).toBe('3 packets transmitted, 3 received, 0% packet loss, time 2000ms');
  });

  it('answers TTL 1 with Time Exceeded from the router, sourced from the ingress-side route', () => {
    const t = threeNodes();
    forwarding(t.r1, true);
    const p = startPing(t.h1, { dst: ip4('10.0.2.20'), count: 1, ttl: 1 });
    t.net.sim.run({ until: p.endsAt });
    expect(p.received).toBe(0);
    expect(p.lines).toContain('From 10.0.1.1 icmp_seq=1 Time to live exceeded');
    const fwd = t.sink.events.find((e) => e.fn === 'icmp_send' && e.kind === 'call');
    expect(fwd?.data).toMatchObject({ type: 11, code: 0, dst: '10.0.1.10', src: '10.0.1.1' });
  });

  it('decrements TTL and keeps the header checksum valid on the forwarded copy', () => {
    const t = threeNodes();
    forwarding(t.r1, true);
    const rx = startUdpReceiver(t.h2, { port: 5000 });
    startUdpSender(t.h1, { dst: ip4('10.0.2.20'), dport: 5000, count: 1, ttl: 9 });
    t.net.sim.run({ until: NSEC_PER_SEC });
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0]!.ttl).toBe(8);
    const fwd = t.sink.events.find((e) => e.fn === 'ip_forward' && e.kind === 'call')!;
    const rec = t.sink.packets.get(fwd.pkt!)!;
    const d = decodeIpv4(rec.bytes);
    expect(d.checksumValid).toBe(true);
    expect(d.header.ttl).toBe(8);
    expect(rec.origin).not.toBeNull();
  });

  it('sends ICMP port unreachable when no socket listens, and not for multicast', () => {
    const t = threeNodes();
    startUdpSender(t.h2, { dst: ip4('10.0.2.30'), dport: 9, count: 1 });
    startUdpSender(t.h2, { dst: ip4('239.1.1.1'), dport: 9, count: 1, iface: 'eth0' });
    t.net.sim.run({ until: NSEC_PER_SEC });
    const sends = t.sink.events.filter((e) => e.fn === 'icmp_send' && e.kind === 'call');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.data).toMatchObject({ type: 3, code: 3, dst: '10.0.2.20' });
  });

  it('delivers LAN multicast only to hosts that joined the group, to every socket on the port', () => {
    const t = threeNodes();
    const a = startUdpReceiver(t.h2, { port: 5000, group: ip4('239.1.1.1'), iface: 'eth0' });
    const b = startUdpReceiver(t.h2, { port: 5000 }); // did not join, but IP_MULTICAST_ALL is on
    const c = startUdpReceiver(t.h3, { port: 5000 }); // host never joined: the interface drops it
    startUdpSender(t.r1, { dst: ip4('239.1.1.1'), dport: 5000, count: 4, iface: 'eth1', interval: NSEC_PER_SEC / 10 });
    t.net.sim.run({ until: NSEC_PER_SEC });
    expect(a.received).toHaveLength(4);
    expect(b.received).toHaveLength(4);
    expect(c.received).toHaveLength(0);
    expect(a.received[0]!.ttl).toBe(1);
    expect(t.sink.events.some((e) => e.node === 'h3' && e.kind === 'drop' && e.data.reason === 'NOT_JOINED')).toBe(true);
  });

  it('refuses to send with no route (ENETUNREACH) and to broadcast without SO_BROADCAST', () => {
    const t = threeNodes();
    const p = startPing(t.r1, { dst: ip4('192.0.2.1'), count: 1 });
    expect(p.failure).toEqual({ message: 'ping: connect: Network is unreachable', rc: 2 });
    const s = t.h2.ipv4.udp.create(t.h2);
    expect(() => s.sendto(new Uint8Array(1), ip4('10.0.2.255'), 9)).toThrow(/Permission denied/);
  });
});
