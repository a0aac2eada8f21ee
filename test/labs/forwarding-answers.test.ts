// Labs 01 and 02 grade behaviour, not keystrokes: another correct way to do each step passes every check,
// and a wrong answer loses exactly the checks whose behaviour it breaks.

import { describe, expect, it } from 'vitest';
import { answered, failedChecks, loadLab } from './answers.js';

describe('01-forwarding grades behaviour', () => {
  const lab = loadLab('labs/01-forwarding.yaml');

  it('passes another correct answer: link up first, `ip address ... broadcast +`, forwarding via /proc/sys/.../all/forwarding', async () => {
    const s = answered(lab, {
      'Address the LAN side': ['r1: ip link set dev eth1 up', 'r1: ip address add 10.2.0.1/24 broadcast + dev eth1'],
      'Switch forwarding on': ['r1: echo 1 > /proc/sys/net/ipv4/conf/all/forwarding'],
    });
    expect(await failedChecks(s)).toEqual([]);
    expect(await failedChecks(s, 2)).toEqual([]);
  });

  it("takes off only what a wrong gateway address breaks: the LAN route, r1's own pings and TTL exceeded pass, h1's pings to the LAN fail", async () => {
    // 10.2.0.2 is a valid LAN address for r1, but h2 and h3 send their replies to 10.2.0.1.
    const s = answered(lab, {
      'Address the LAN side': ['r1: ip addr add 10.2.0.2/24 dev eth1', 'r1: ip link set eth1 up'],
      'Switch forwarding on': ['r1: sysctl -w net.ipv4.ip_forward=1'],
    });
    expect(await failedChecks(s)).toEqual(['h1-to-h2', 'h1-to-h3']); // Time exceeded still comes back: r1 sends it from eth0
  });

  it('forwarding left off fails the forwarding checks and what depends on them', async () => {
    const s = answered(lab, { 'Address the LAN side': ['r1: ip addr add 10.2.0.1/24 dev eth1', 'r1: ip link set eth1 up'] });
    expect(await failedChecks(s)).toEqual(['ip-forward', 'eth1-forwarding', 'h1-to-h2', 'forwarded-in-trace', 'ttl-exceeded', 'ttl-drop-in-trace', 'icmp-time-exceeded', 'h1-to-h3']);
  });
});

describe('02-static-routes grades behaviour', () => {
  const lab = loadLab('labs/02-static-routes.yaml');

  it('passes default routes instead of prefix routes, on two seeds', async () => {
    const s = answered(lab, {
      'A route on r1': ['r1: ip route add default via 10.0.12.2'],
      'The way back': ['r2: ip route add default via 10.0.12.1 dev eth0'],
    });
    expect(await failedChecks(s)).toEqual([]);
    expect(await failedChecks(s, 2)).toEqual([]);
  });

  it('a route back to the wrong prefix fails the way back, and only that', async () => {
    const s = answered(lab, {
      'A route on r1': ['r1: ip route add 10.3.0.0/24 via 10.0.12.2'],
      'The way back': ['r2: ip route add 10.9.0.0/24 via 10.0.12.1'],
    });
    expect(await failedChecks(s)).toEqual(['r2-route-back', 'h1-to-h2', 'h1-to-h3']);
  });
});
