// Socket options of multicast membership and source filtering: values and errnos follow
// ip_sockglue.c / igmp.c (multicast.md §12.3); the cases the oracle cannot reach offline are here.

import { describe, expect, it } from 'vitest';
import { Errno } from '../../../engine/net/errno.js';
import { readProcFile } from '../../../engine/iproute2/procfs.js';
import {
  AF_INET,
  IPPROTO_IP,
  IP_ADD_MEMBERSHIP,
  IP_ADD_SOURCE_MEMBERSHIP,
  IP_BLOCK_SOURCE,
  IP_MSFILTER,
  IP_UNBLOCK_SOURCE,
  MCAST_BLOCK_SOURCE,
  MCAST_JOIN_GROUP,
  MCAST_JOIN_SOURCE_GROUP,
  MCAST_LEAVE_GROUP,
  MCAST_LEAVE_SOURCE_GROUP,
  MCAST_MSFILTER,
} from '../../../engine/socket/constants.js';
import { setsockopt, type SockoptValue } from '../../../engine/socket/sockopt.js';
import { ip4 } from '../helpers/topo.js';
import { hostAndRouter, udpSock } from './helpers.js';
import { errnoOf } from '../helpers/errno.js';

const G = ip4('232.1.1.1');
const S1 = ip4('10.9.9.1');
const S2 = ip4('10.9.9.2');
const AF_INET6 = 10;

function setup() {
  const t = hostAndRouter();
  const sk = udpSock(t.h);
  const ifindex = t.h.devByName('eth0')!.ifindex;
  const set = (opt: number, v: SockoptValue, len?: number) => errnoOf(() => setsockopt(sk, IPPROTO_IP, opt, v, len));
  return { ...t, sk, ifindex, set };
}

describe('multicast socket options', () => {
  it('MCAST_* twins join, filter and leave by ifindex, with their family checks', () => {
    const { sk, ifindex, set, h } = setup();
    expect(set(MCAST_JOIN_GROUP, { interface: ifindex, group: G, family: AF_INET6 })).toBe(Errno.EINVAL);
    expect(set(MCAST_JOIN_GROUP, { interface: ifindex, group: G }, 100)).toBe(Errno.EINVAL); // < sizeof(group_req)
    expect(set(MCAST_JOIN_SOURCE_GROUP, { interface: ifindex, group: G, source: S1, sourceFamily: AF_INET6 })).toBe(Errno.EADDRNOTAVAIL);
    expect(set(MCAST_JOIN_SOURCE_GROUP, { interface: ifindex, group: G, source: S1 }, 136)).toBe(Errno.EINVAL); // != sizeof(group_source_req)
    expect(set(MCAST_JOIN_SOURCE_GROUP, { interface: ifindex, group: G, source: S1, family: AF_INET, sourceFamily: AF_INET })).toBe('ok');
    expect(set(MCAST_JOIN_SOURCE_GROUP, { interface: ifindex, group: G, source: S2 })).toBe('ok');
    expect(sk.mcList).toEqual([{ group: G, ifindex, address: 0, sfmode: 1, sflist: [S1, S2] }]);
    // an INCLUDE list cannot take EXCLUDE-mode changes
    expect(set(MCAST_BLOCK_SOURCE, { interface: ifindex, group: G, source: S1 })).toBe(Errno.EINVAL);
    expect(set(MCAST_LEAVE_SOURCE_GROUP, { interface: ifindex, group: G, source: S1 })).toBe('ok');
    expect(readProcFile(h, '/proc/net/mcfilter')).toBe('Idx Device        MCA        SRC    INC    EXC\n  2   eth0 0xe8010101 0x0a090902      1      0\n');
    // removing the last INCLUDE source leaves the group
    expect(set(MCAST_LEAVE_SOURCE_GROUP, { interface: ifindex, group: G, source: S2 })).toBe('ok');
    expect(sk.mcList).toEqual([]);
    expect(set(MCAST_LEAVE_GROUP, { interface: ifindex, group: G })).toBe(Errno.EADDRNOTAVAIL);
  });

  it('MCAST_MSFILTER and IP_MSFILTER check sizes, igmp_max_msf and the mode', () => {
    const { sk, ifindex, set } = setup();
    expect(set(MCAST_MSFILTER, { interface: ifindex, group: G, fmode: 0, slist: [S1] })).toBe(Errno.EINVAL); // no prior join
    expect(set(MCAST_JOIN_GROUP, { interface: ifindex, group: G })).toBe('ok');
    expect(set(MCAST_MSFILTER, { interface: ifindex, group: G, fmode: 0, slist: [S1] }, 143)).toBe(Errno.EINVAL); // < GROUP_FILTER_SIZE(0)
    expect(set(MCAST_MSFILTER, { interface: ifindex, group: G, fmode: 0, slist: [S1] }, 200)).toBe(Errno.EINVAL); // < GROUP_FILTER_SIZE(1) = 272
    expect(set(MCAST_MSFILTER, { interface: ifindex, group: G, fmode: 0, slist: [S1] }, 200_000)).toBe(Errno.ENOBUFS); // > optmem_max
    const eleven = Array.from({ length: 11 }, (_, i) => ip4(`10.8.0.${i + 1}`));
    expect(set(MCAST_MSFILTER, { interface: ifindex, group: G, fmode: 0, slist: eleven })).toBe(Errno.ENOBUFS);
    expect(set(MCAST_MSFILTER, { interface: ifindex, group: G, fmode: 0, slist: [S1, S2] })).toBe('ok');
    expect(sk.msfget(G, 0, ifindex)).toEqual({ multiaddr: G, interface: 0, fmode: 0, slist: [S1, S2] });
    expect(set(IP_MSFILTER, { multiaddr: G, interface: ip4('10.0.0.2'), fmode: 1, slist: [S2] }, 15)).toBe(Errno.EINVAL);
    expect(set(IP_MSFILTER, { multiaddr: G, interface: ip4('10.0.0.2'), fmode: 1, slist: [S2], numsrc: 2 }, 20)).toBe(Errno.EINVAL); // 16 + 4*2 > 20
    expect(set(IP_MSFILTER, { multiaddr: G, interface: ip4('10.0.0.2'), fmode: 1, slist: [S2] })).toBe('ok');
    expect(sk.msfget(G, ip4('10.0.0.2'), 0).slist).toEqual([S2]);
    expect(errnoOf(() => sk.msfget(ip4('232.9.9.9'), 0, ifindex))).toBe(Errno.EADDRNOTAVAIL);
  });

  it('refuses the 21st membership of a socket (igmp_max_memberships) and follows the sysctl', () => {
    const { ifindex, set, h } = setup();
    for (let i = 0; i < 20; i++) expect(set(IP_ADD_MEMBERSHIP, { multiaddr: ip4(`239.0.0.${i + 1}`), ifindex })).toBe('ok');
    expect(set(IP_ADD_MEMBERSHIP, { multiaddr: ip4('239.0.0.99'), ifindex })).toBe(Errno.ENOBUFS);
    h.ipv4.sysctl.igmp_max_memberships = 21;
    expect(set(IP_ADD_MEMBERSHIP, { multiaddr: ip4('239.0.0.99'), ifindex })).toBe('ok');
  });

  it('keeps an emptied EXCLUDE list: a later INCLUDE source is a mode conflict (EINVAL)', () => {
    const { ifindex, set } = setup();
    const iface = ip4('10.0.0.2');
    expect(set(IP_ADD_MEMBERSHIP, { multiaddr: G, ifindex })).toBe('ok');
    expect(set(IP_BLOCK_SOURCE, { multiaddr: G, interface: iface, sourceaddr: S1 }, 12)).toBe('ok');
    expect(set(IP_UNBLOCK_SOURCE, { multiaddr: G, interface: iface, sourceaddr: S1 }, 12)).toBe('ok');
    expect(set(IP_ADD_SOURCE_MEMBERSHIP, { multiaddr: G, interface: iface, sourceaddr: S1 }, 12)).toBe(Errno.EINVAL);
    expect(set(IP_ADD_SOURCE_MEMBERSHIP, { multiaddr: G, interface: iface, sourceaddr: S1 }, 8)).toBe(Errno.EINVAL); // optlen != 12
  });
});
