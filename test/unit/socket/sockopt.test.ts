import { describe, expect, it } from 'vitest';
import { Network } from '../../../engine/net/network.js';
import { Errno } from '../../../engine/net/errno.js';
import { getsockopt, setsockopt } from '../../../engine/socket/sockopt.js';
import { IPPROTO_IP, IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP, IP_MULTICAST_TTL, IP_TTL, MRT_INIT, SOL_SOCKET, SO_BINDTODEVICE } from '../../../engine/socket/constants.js';
import { addr, ip4 } from '../helpers/topo.js';
import { errnoOf } from '../helpers/errno.js';

function host() {
  const net = new Network({ seed: 1 });
  const h = net.addNode('h1');
  net.attach('h1', 'eth0', 'lan');
  addr(h, 'eth0', '10.0.0.1/24');
  return { h, sk: h.ipv4.udp.create(h) };
}

describe('setsockopt/getsockopt', () => {
  it('validates IP_TTL and IP_MULTICAST_TTL like do_ip_setsockopt', () => {
    const { sk } = host();
    expect(errnoOf(() => setsockopt(sk, IPPROTO_IP, IP_TTL, 0))).toBe(Errno.EINVAL);
    expect(errnoOf(() => setsockopt(sk, IPPROTO_IP, IP_TTL, 256))).toBe(Errno.EINVAL);
    expect(getsockopt(sk, IPPROTO_IP, IP_TTL)).toBe(64);
    setsockopt(sk, IPPROTO_IP, IP_TTL, 7);
    expect(getsockopt(sk, IPPROTO_IP, IP_TTL)).toBe(7);
    setsockopt(sk, IPPROTO_IP, IP_MULTICAST_TTL, -1);
    expect(getsockopt(sk, IPPROTO_IP, IP_MULTICAST_TTL)).toBe(1);
  });

  it('joins a group once per interface and refuses to leave a group it never joined', () => {
    const { h, sk } = host();
    const m = { multiaddr: ip4('239.1.1.1'), ifindex: h.devByName('eth0')!.ifindex };
    expect(errnoOf(() => setsockopt(sk, IPPROTO_IP, IP_ADD_MEMBERSHIP, m))).toBe('ok');
    expect(h.devByName('eth0')!.inDev.mcList.has(ip4('239.1.1.1'))).toBe(true);
    expect(errnoOf(() => setsockopt(sk, IPPROTO_IP, IP_ADD_MEMBERSHIP, m))).toBe(Errno.EADDRINUSE);
    expect(errnoOf(() => setsockopt(sk, IPPROTO_IP, IP_ADD_MEMBERSHIP, { multiaddr: ip4('10.0.0.9') }))).toBe(Errno.EINVAL);
    expect(errnoOf(() => setsockopt(sk, IPPROTO_IP, IP_DROP_MEMBERSHIP, { multiaddr: ip4('239.9.9.9'), ifindex: m.ifindex }))).toBe(Errno.EADDRNOTAVAIL);
    setsockopt(sk, IPPROTO_IP, IP_DROP_MEMBERSHIP, m);
    expect(h.devByName('eth0')!.inDev.mcList.has(ip4('239.1.1.1'))).toBe(false);
  });

  it('answers ENOPROTOOPT for MRT_* without multicast routing, and ENODEV for an unknown device', () => {
    const { sk } = host();
    expect(errnoOf(() => setsockopt(sk, IPPROTO_IP, MRT_INIT, 1))).toBe(Errno.ENOPROTOOPT);
    expect(errnoOf(() => setsockopt(sk, SOL_SOCKET, SO_BINDTODEVICE, 'nope0'))).toBe(Errno.ENODEV);
    expect(errnoOf(() => setsockopt(sk, 99, 1, 1))).toBe(Errno.ENOPROTOOPT);
    sk.close();
    expect(errnoOf(() => setsockopt(sk, IPPROTO_IP, IP_TTL, 5))).toBe(Errno.EBADF);
  });
});
