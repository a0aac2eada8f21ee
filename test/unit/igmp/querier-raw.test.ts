// The querier hears IGMP the way a daemon's raw IGMP socket does (raw_v4_input, ip_call_ra_chain), not
// through igmp_rcv: v3 reports (224.0.0.22, which it joined) always; v2 reports to a group the router
// is not in only on a multicast router, where the VIF makes the NIC allmulti and ip_mr_input hands the
// Router Alert report to the RA chain. Without a VIF Linux drops such a report in ip_route_input.

import { describe, expect, it } from 'vitest';
import { startQuerier } from '../../../engine/apps/querier.js';
import { NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { IPPROTO_IGMP, IPPROTO_IP, MRT_ADD_VIF, MRT_INIT } from '../../../engine/socket/constants.js';
import { setsockopt, socket } from '../../../engine/socket/socket.js';
import { ip4 } from '../helpers/topo.js';
import { hostAndRouter, udpSock } from './helpers.js';

const G = ip4('239.7.7.7');

function scenario(hostVersion: 2 | 3, routerHasVif: boolean) {
  const t = hostAndRouter();
  t.h.devByName('eth0')!.inDev.conf.values.force_igmp_version = hostVersion === 2 ? 2 : 0;
  if (routerHasVif) {
    const d = socket(t.r, 2, 3, IPPROTO_IGMP);
    setsockopt(d, IPPROTO_IP, MRT_INIT, 1);
    setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, { vifi: 0, flags: 0, threshold: 1, rateLimit: 0, lclAddr: ip4('10.0.0.1'), rmtAddr: 0 });
  }
  const q = startQuerier(t.r, { dev: 'eth0', version: 3 });
  const member = udpSock(t.h);
  member.join({ multiaddr: G, ifindex: t.h.devByName('eth0')!.ifindex });
  t.net.sim.run({ until: 12 * NSEC_PER_SEC });
  const heard = q.groups.has(G);
  const routerIsMember = t.r.devByName('eth0')!.inDev.mcList.has(G);
  q.stop();
  return { t, heard, routerIsMember };
}

describe('querier on a raw IGMP socket', () => {
  it('hears a v2 report for a group it is not in on a multicast router (ip_mr_input → ip_call_ra_chain)', () => {
    const { t, heard, routerIsMember } = scenario(2, true);
    expect(routerIsMember).toBe(false);
    expect(heard).toBe(true);
    const ra = t.sink.events.filter((e) => e.node === 'r' && e.fn === 'ip_call_ra_chain');
    // The querier's socket and the daemon's both take it.
    expect(ra.some((e) => e.data['sockets'] === 2)).toBe(true);
  });

  it('does not hear that v2 report without a VIF: the router drops it before any socket', () => {
    const { t, heard } = scenario(2, false);
    expect(heard).toBe(false);
    expect(t.sink.events.some((e) => e.node === 'r' && e.fn === 'raw_rcv' && e.data['dst'] === '239.7.7.7')).toBe(false);
  });

  it('hears a v3 report to 224.0.0.22 without a VIF (raw_v4_input of a joined group)', () => {
    const { t, heard } = scenario(3, false);
    expect(heard).toBe(true);
    expect(t.sink.events.some((e) => e.node === 'r' && e.fn === 'raw_rcv' && e.data['dst'] === '224.0.0.22')).toBe(true);
    // igmp_rcv runs as well (the node is in 224.0.0.22), but only the socket informs the querier.
    expect(t.sink.events.some((e) => e.node === 'r' && e.fn === 'igmp_rcv' && e.data['dst'] === '224.0.0.22')).toBe(true);
  });
});
