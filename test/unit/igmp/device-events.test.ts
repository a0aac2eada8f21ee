// Device events on a host with groups: unregistering the device (inetdev_destroy → ip_mc_destroy_dev:
// nothing more is sent, the socket can still leave), NETDEV_RESEND_IGMP (ip_mc_rejoin_groups: one
// report per group at once), and getsockopt(IP_MSFILTER) through getsockopt().

import { describe, expect, it } from 'vitest';
import { ipMcRejoinGroups } from '../../../engine/ipv4/igmp.js';
import { unregisterNetdevice } from '../../../engine/net/dev.js';
import { NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, IP_MSFILTER } from '../../../engine/socket/constants.js';
import { getsockopt, setsockopt } from '../../../engine/socket/socket.js';
import { ip4 } from '../helpers/topo.js';
import { describeIgmp, hostAndRouter, igmpSent, udpSock } from './helpers.js';

describe('IGMP and device events', () => {
  it('drops every group silently when the device is unregistered with live groups', () => {
    const t = hostAndRouter();
    const eth0 = t.h.devByName('eth0')!;
    const ifindex = eth0.ifindex;
    const sk = udpSock(t.h);
    sk.join({ multiaddr: ip4('239.1.1.1'), ifindex });
    t.net.sim.run({ until: t.net.sim.now + 5_000_000 });
    // The first state-change report is out; its retransmission is still pending.
    const before = igmpSent(t.sink, 'h').length;
    expect(before).toBe(1);
    expect(eth0.inDev.mcList.size).toBe(2); // 224.0.0.1 and 239.1.1.1
    unregisterNetdevice(eth0);
    t.net.sim.run({ until: t.net.sim.now + 5 * NSEC_PER_SEC });
    expect(igmpSent(t.sink, 'h').length).toBe(before);
    const destroy = t.sink.events.find((e) => e.node === 'h' && e.fn === 'ip_mc_destroy_dev');
    // dev_close() ran ip_mc_down first (224.0.0.1 went with it); the joined group is what is left.
    expect(destroy?.data['groups']).toEqual(['239.1.1.1']);
    expect(eth0.inDev.mcList.size).toBe(0);
    // ip_mc_leave_group() without the device still finds the socket's membership by ifindex.
    expect(() => sk.leave({ multiaddr: ip4('239.1.1.1'), address: 0, ifindex })).not.toThrow();
  });

  it('reports every group at once on NETDEV_RESEND_IGMP, in the interface’s version', () => {
    const t = hostAndRouter();
    const eth0 = t.h.devByName('eth0')!;
    eth0.inDev.conf.values.force_igmp_version = 2;
    const sk = udpSock(t.h);
    for (const g of ['239.1.1.1', '239.2.2.2']) sk.join({ multiaddr: ip4(g), ifindex: eth0.ifindex });
    t.net.sim.run({ until: 30 * NSEC_PER_SEC });
    const before = igmpSent(t.sink, 'h').length;
    ipMcRejoinGroups(eth0.inDev);
    t.net.sim.run({ until: t.net.sim.now + 1_000_000 });
    const after = igmpSent(t.sink, 'h').slice(before).map(describeIgmp);
    // Newest group first (the kernel's list order); 224.0.0.1 is never reported.
    expect(after).toEqual(['report-v2 239.2.2.2 -> 239.2.2.2', 'report-v2 239.1.1.1 -> 239.1.1.1']);
  });

  it('answers getsockopt(IP_MSFILTER) with the mode, the count and the sources that fit', () => {
    const t = hostAndRouter();
    const sk = udpSock(t.h);
    const me = ip4('10.0.0.2');
    for (const s of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) setsockopt(sk, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, { multiaddr: ip4('232.1.1.1'), interface: me, sourceaddr: ip4(s) });
    const got = getsockopt(sk, IPPROTO_IP, IP_MSFILTER, { multiaddr: ip4('232.1.1.1'), interface: me, numsrc: 2 });
    expect(got).toEqual({ multiaddr: ip4('232.1.1.1'), interface: me, fmode: 1, numsrc: 3, slist: [ip4('10.9.0.1'), ip4('10.9.0.2')] });
    expect(() => getsockopt(sk, IPPROTO_IP, IP_MSFILTER, { multiaddr: ip4('239.9.9.9'), interface: me, numsrc: 2 })).toThrow(/EADDRNOTAVAIL/);
    expect(() => getsockopt(sk, IPPROTO_IP, IP_MSFILTER, new Uint8Array(12))).toThrow(/EINVAL/);
  });
});
