// NETDEV_RESEND_IGMP through the netdev notifier chain: netdev_notify_peers() (a bond/team failover or
// a virtual NIC's announce) makes igmp_netdev_event() run ip_mc_rejoin_groups() on that device only.

import { describe, expect, it } from 'vitest';
import { NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { ip4 } from '../helpers/topo.js';
import { describeIgmp, hostAndRouter, igmpSent, udpSock } from './helpers.js';

describe('NETDEV_RESEND_IGMP (igmp_netdev_event)', () => {
  it('netdev_notify_peers sends NOTIFY_PEERS then RESEND_IGMP, and each group is reported at once', () => {
    const t = hostAndRouter();
    const eth0 = t.h.devByName('eth0')!;
    const sk = udpSock(t.h);
    for (const g of ['239.1.1.1', '239.2.2.2']) sk.join({ multiaddr: ip4(g), ifindex: eth0.ifindex });
    t.net.sim.run({ until: 30 * NSEC_PER_SEC });
    const before = igmpSent(t.sink, 'h').length;
    const seq = t.sink.events.length;
    t.h.netdevNotifyPeers(eth0);
    t.net.sim.run({ until: t.net.sim.now + 1_000_000 });
    const events = t.sink.events.slice(seq);
    expect(events.filter((e) => e.fn === 'call_netdevice_notifiers').map((e) => e.data['event'])).toEqual(['NETDEV_NOTIFY_PEERS', 'NETDEV_RESEND_IGMP']);
    expect(events.filter((e) => e.fn === 'ip_mc_rejoin_groups').map((e) => e.data['dev'])).toEqual(['eth0']);
    // IGMPv3 (no older querier seen): one current-state report per group, newest first; never 224.0.0.1.
    const after = igmpSent(t.sink, 'h').slice(before).map(describeIgmp);
    expect(after.length).toBe(2);
    expect(after.join('\n')).toContain('239.2.2.2');
    expect(after.join('\n')).toContain('239.1.1.1');
    expect(after.join('\n')).not.toContain('224.0.0.1');
  });

  it('reports nothing for lo, which has only 224.0.0.1', () => {
    const t = hostAndRouter();
    t.net.sim.run({ until: 30 * NSEC_PER_SEC });
    const before = igmpSent(t.sink, 'h').length;
    t.h.netdevNotifyPeers(t.h.devByName('lo')!);
    t.net.sim.run({ until: t.net.sim.now + 1_000_000 });
    expect(t.sink.events.filter((e) => e.node === 'h' && e.fn === 'ip_mc_rejoin_groups').map((e) => e.data['dev'])).toEqual(['lo']);
    expect(igmpSent(t.sink, 'h').length).toBe(before);
  });
});
