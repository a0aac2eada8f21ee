// Forwarding decisions of a router (ip_route_input_slow → ip_error): what ping shows when the router's
// route is unreachable, prohibit or missing (ICMP codes 1, 13, 0 — policy-routing.md §5.5), that a
// blackhole stays silent, that with forwarding off nothing is sent, and that rp_filter=1 drops a
// packet whose reverse route leaves by another device.

import { describe, expect, it } from 'vitest';
import { startPing } from '../../../engine/apps/ping.js';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { addr, forwarding, ip4, route, tracedNetwork } from '../helpers/topo.js';

function lab() {
  const { net, sink, node } = tracedNetwork(5);
  const h1 = node('h1');
  const r1 = node('r1', 'router');
  net.link('h1', 'eth0', 'r1', 'eth0');
  addr(h1, 'eth0', '10.0.1.10/24');
  addr(r1, 'eth0', '10.0.1.1/24');
  route(h1, 'default', '10.0.1.1', 'eth0');
  forwarding(r1, true);
  const ip = (cmd: string): void => expect(ipCommand(r1, cmd.split(' ')).rc).toBe(0);
  ip('route add unreachable 10.21.0.0/16');
  ip('route add prohibit 10.22.0.0/16');
  ip('route add blackhole 10.20.0.0/16');
  return { net, sink, h1, r1, ip };
}

function ping(t: ReturnType<typeof lab>, dst: string): string[] {
  const p = startPing(t.h1, { dst: ip4(dst), count: 1 });
  t.net.sim.run({ until: p.endsAt });
  return p.lines;
}

describe('forwarding decisions', () => {
  it('answers unreachable, prohibit and no-route with the kernel\'s ICMP codes; a blackhole is silent', () => {
    const t = lab();
    expect(ping(t, '10.21.1.1')).toContain('From 10.0.1.1 icmp_seq=1 Destination Host Unreachable');
    expect(ping(t, '10.22.1.1')).toContain('From 10.0.1.1 icmp_seq=1 Packet filtered');
    expect(ping(t, '8.8.8.8')).toContain('From 10.0.1.1 icmp_seq=1 Destination Net Unreachable');
    const before = t.sink.events.filter((e) => e.fn === 'icmp_send' && e.kind === 'call').length;
    ping(t, '10.20.1.1');
    expect(t.sink.events.filter((e) => e.fn === 'icmp_send' && e.kind === 'call').length).toBe(before);
    expect(t.sink.events.some((e) => e.fn === 'ip_error' && e.kind === 'drop')).toBe(true);
  });

  it('sends nothing when forwarding is off on the ingress device', () => {
    const t = lab();
    forwarding(t.r1, false);
    ping(t, '10.21.1.1');
    expect(t.sink.events.filter((e) => e.fn === 'icmp_send' && e.kind === 'call')).toHaveLength(0);
    const drop = t.sink.events.find((e) => e.fn === 'ip_route_input_noref' && e.kind === 'drop')!;
    expect(drop.data['reason']).toBe('NO_ROUTE_FORWARDING_DISABLED');
  });

  it('strict rp_filter drops a source whose route back leaves by another device, and says why in the trace', () => {
    const t = lab();
    const s = t.net.addNode('s');
    t.net.addVethPair(t.r1, 'eth1', s, 'p1');
    t.ip('link set eth1 up');
    ipCommand(s, ['link', 'set', 'p1', 'up']);
    t.ip('addr add 10.0.9.1/24 dev eth1');
    t.ip('route add 10.0.1.0/25 dev eth1');
    t.ip('route add 10.30.0.0/16 via 10.0.9.254');
    t.r1.ipv4.devconfAll.values.rp_filter = 1;
    ping(t, '10.30.1.1');
    const v = t.sink.events.filter((e) => e.fn === 'fib_validate_source' && e.data['decision'] === 'reject');
    expect(v.length).toBeGreaterThan(0);
    expect(String(v[0]!.data['reason'])).toContain('strict rp_filter');
    expect(t.sink.events.filter((e) => e.fn === 'icmp_send' && e.kind === 'call')).toHaveLength(0);
    expect(t.sink.events.some((e) => e.fn === 'ip_forward')).toBe(false);
    // Loose mode accepts it: a route back exists, whatever its device.
    t.r1.ipv4.devconfAll.values.rp_filter = 2;
    ping(t, '10.30.1.1');
    expect(t.sink.events.some((e) => e.fn === 'ip_forward' && e.kind === 'call')).toBe(true);
  });
});
