// Delivery of multicast datagrams under source filters: the interface filter derived from all sockets
// (ip_check_mc_rcu) and each socket's own filter (ip_mc_sf_allow), multicast.md §12.4.

import { describe, expect, it } from 'vitest';
import { NSEC_PER_MSEC } from '../../../engine/sim/time.js';
import { IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, IP_BLOCK_SOURCE } from '../../../engine/socket/constants.js';
import { setsockopt } from '../../../engine/socket/sockopt.js';
import { formatIpv4 } from '../../../engine/wire/inet.js';
import type { UdpSocket } from '../../../engine/ipv4/udp.js';
import { addr, ip4 } from '../helpers/topo.js';
import { hostAndRouter, udpSock } from './helpers.js';

const G = ip4('232.2.2.2');
const S1 = '10.0.0.1';
const S2 = '10.0.0.3';

function lab() {
  const t = hostAndRouter();
  addr(t.r, 'eth0', `${S2}/24`);
  const ifindex = t.h.devByName('eth0')!.ifindex;
  const send = () => {
    for (const src of [S1, S2]) {
      const sk = udpSock(t.r);
      sk.mcIndex = t.r.devByName('eth0')!.ifindex;
      sk.bind(ip4(src), 0);
      sk.sendto(new Uint8Array(4), G, 5000);
      sk.close();
    }
    t.net.sim.run({ until: t.net.sim.now + 10 * NSEC_PER_MSEC });
  };
  const from = (sk: UdpSocket) => sk.queue.map((d) => formatIpv4(d.src));
  return { ...t, ifindex, send, from };
}

describe('source-filtered delivery', () => {
  it('each socket gets what its own filter allows; unjoined sockets follow IP_MULTICAST_ALL', () => {
    const t = lab();
    const asm = udpSock(t.h, 5000);
    asm.join({ multiaddr: G, ifindex: t.ifindex });
    const include = udpSock(t.h, 5000);
    setsockopt(include, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, { multiaddr: G, interface: ip4('10.0.0.2'), sourceaddr: ip4(S1) }, 12);
    const exclude = udpSock(t.h, 5000);
    exclude.join({ multiaddr: G, ifindex: t.ifindex });
    setsockopt(exclude, IPPROTO_IP, IP_BLOCK_SOURCE, { multiaddr: G, interface: ip4('10.0.0.2'), sourceaddr: ip4(S1) }, 12);
    const all = udpSock(t.h, 5000);
    const notAll = udpSock(t.h, 5000);
    notAll.mcAll = false;
    t.send();
    expect(t.from(asm)).toEqual([S1, S2]);
    expect(t.from(include)).toEqual([S1]);
    expect(t.from(exclude)).toEqual([S2]);
    expect(t.from(all)).toEqual([S1, S2]);
    expect(t.from(notAll)).toEqual([]);
    const denied = t.sink.byFn('ip_mc_sf_allow').filter((e) => e.data.decision === 'deny');
    expect(denied.map((e) => `${e.data.source} ${e.data.reason}`).sort()).toEqual(['10.0.0.1 EXCLUDE lists the source', '10.0.0.1 not joined here', '10.0.0.3 INCLUDE does not list the source', '10.0.0.3 not joined here']);
  });

  it('an interface whose only member is INCLUDE{S1} drops S2 before any socket sees it', () => {
    const t = lab();
    const include = udpSock(t.h, 5000);
    setsockopt(include, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, { multiaddr: G, interface: ip4('10.0.0.2'), sourceaddr: ip4(S1) }, 12);
    const all = udpSock(t.h, 5000); // IP_MULTICAST_ALL: would take anything the interface accepts
    t.send();
    expect(t.from(include)).toEqual([S1]);
    expect(t.from(all)).toEqual([S1]);
    expect(t.sink.events.filter((e) => e.node === 'h' && e.fn === 'ip_route_input_noref' && e.data.reason === 'NOT_JOINED')).toHaveLength(1);
  });
});
