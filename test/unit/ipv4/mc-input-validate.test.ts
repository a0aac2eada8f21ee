// ip_route_input_mc() → ip_mc_validate_source(): multicast input checks its source like unicast does
// (rp_filter strict/loose via fib_validate_source with daddr 0, oif 0) plus the martian-source rules.

import { describe, expect, it } from 'vitest';
import { writeProcFile } from '../../../engine/iproute2/procfs.js';
import { ipRouteInput } from '../../../engine/ipv4/route.js';
import { IPPROTO_IGMP } from '../../../engine/socket/constants.js';
import { IGMPMSG_NOCACHE } from '../../../engine/wire/igmpmsg.js';
import { ip4, route } from '../helpers/topo.js';
import { mrLab } from '../ipmr/lab.js';

const G = '239.1.1.1';
const IPPROTO_UDP = 17;

function listener(lab: ReturnType<typeof mrLab>, node: string, dev: string) {
  const ns = lab.node(node);
  const u = ns.ipv4.udp.create(ns);
  u.bind(0, 5000);
  u.join({ multiaddr: ip4(G), ifindex: ns.devByName(dev)!.ifindex });
  return u;
}

/** Why packets arriving on `dev` were dropped by the input route. */
function drops(lab: ReturnType<typeof mrLab>, node: string, dev: string): unknown[] {
  return lab.sink.events.filter((e) => e.node === node && e.fn === 'ip_route_input_noref' && e.kind === 'drop' && e.data['dev'] === dev).map((e) => e.data['reason']);
}

describe('multicast input validates the source (ip_mc_validate_source)', () => {
  it('a member host with strict rp_filter and no route back drops the group stream; only rp_filter 0 accepts it', () => {
    for (const [rpf, expected] of [[0, 1], [1, 0], [2, 0]] as const) {
      const lab = mrLab();
      const d = lab.daemon();
      lab.mfc(d, '10.0.0.2', G, 0, { 1: 1 });
      writeProcFile(lab.node('h1'), '/proc/sys/net/ipv4/conf/all/rp_filter', String(rpf));
      const onH1 = listener(lab, 'h1', 'eth0');
      lab.sender('s', 8).sendto(new Uint8Array([7]), ip4(G), 5000);
      lab.run();
      // h1 knows only 10.1.0.0/24: no route back to 10.0.0.2, which even loose mode rejects.
      expect(onH1.queue.length, `rp_filter ${rpf}`).toBe(expected);
      expect(drops(lab, 'h1', 'eth0'), `rp_filter ${rpf}`).toEqual(expected ? [] : ['RP_FILTER']);
    }
  });

  it('loose rp_filter accepts when a route back leaves by another interface; strict drops it before ipmr (no forward, no upcall)', () => {
    for (const rpf of [1, 2]) {
      const lab = mrLab();
      const d = lab.daemon();
      // Route back to the source via h1: the reverse path is r1, not the arrival interface r0.
      route(lab.r, '10.0.0.2/32', '10.1.0.2', 'r1');
      writeProcFile(lab.r, '/proc/sys/net/ipv4/conf/r0/rp_filter', String(rpf));
      lab.mfc(d, '10.0.0.2', G, 0, { 2: 1 });
      const onH2 = listener(lab, 'h2', 'eth0');
      const tx = lab.sender('s', 8);
      tx.sendto(new Uint8Array([1]), ip4(G), 5000);
      tx.sendto(new Uint8Array([2]), ip4('239.9.9.9'), 5000); // no MFC entry: NOCACHE unless dropped first
      lab.run();
      const upcalls = d.queue.filter((m) => m.upcall?.msg.msgtype === IGMPMSG_NOCACHE).length;
      expect({ fwd: onH2.queue.length, upcalls, drops: drops(lab, 'r', 'r0') }).toEqual(rpf === 1 ? { fwd: 0, upcalls: 0, drops: ['RP_FILTER', 'RP_FILTER'] } : { fwd: 1, upcalls: 1, drops: [] });
    }
  });

  it('rejects martian sources: multicast, broadcast, loopback, and 0.0.0.0/8 except to 224.0.0.0/24 or IGMP', () => {
    const lab = mrLab();
    lab.daemon();
    const r0 = lab.r.devByName('r0')!;
    const v4 = lab.r.ipv4;
    const res = (dst: string, src: string, proto = IPPROTO_UDP): string => {
      const r = ipRouteInput(v4, ip4(dst), ip4(src), 0, r0, proto);
      return r.ok ? r.rt.input ?? r.rt.type : r.reason;
    };
    expect(res(G, '10.0.0.2')).toBe('mr_input');
    expect(res(G, '224.1.1.1')).toBe('MARTIAN_SOURCE');
    expect(res(G, '255.255.255.255')).toBe('MARTIAN_SOURCE');
    expect(res(G, '127.0.0.1')).toBe('MARTIAN_SOURCE');
    expect(res(G, '0.0.0.0')).toBe('MARTIAN_SOURCE');
    expect(res(G, '0.1.2.3')).toBe('MARTIAN_SOURCE');
    expect(res(G, '0.0.0.0', IPPROTO_IGMP)).toBe('mr_input');
    // rp_filter off: the source must still not be one of our own addresses.
    expect(res(G, '10.1.0.1')).toBe('MARTIAN_SOURCE');
    // 224.0.0.1 is never forwarded; all-hosts is joined on every interface, and a zero source is fine for it.
    expect(res('224.0.0.1', '0.0.0.0')).toBe('local');
  });
});
