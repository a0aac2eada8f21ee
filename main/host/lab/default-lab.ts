// The lab the app opens first until the lab file format lands: two LANs joined by a router, a sender
// on one side and two receivers on the other — the shape of the chapter's first multicast exercise.

import type { LabSpec } from './spec.js';

export const DEFAULT_LAB: LabSpec = {
  name: 'first-steps',
  title: 'First steps: one router, two LANs',
  description: 'A sender on LAN A, a router r1, two receivers on LAN B. Look at addresses and routes, ping across the router, switch forwarding on and off.',
  seed: 1,
  profile: 'modern',
  nodes: [
    { name: 'src', role: 'host', startup: ['ip addr add 10.1.0.10/24 dev eth0', 'ip link set eth0 up', 'ip route add default via 10.1.0.1'] },
    {
      name: 'r1',
      role: 'router',
      startup: ['ip addr add 10.1.0.1/24 dev eth0', 'ip addr add 10.2.0.1/24 dev eth1', 'ip link set eth0 up', 'ip link set eth1 up', 'sysctl -w net.ipv4.ip_forward=1'],
    },
    { name: 'rcv1', role: 'host', startup: ['ip addr add 10.2.0.21/24 dev eth0', 'ip link set eth0 up', 'ip route add default via 10.2.0.1'] },
    { name: 'rcv2', role: 'host', startup: ['ip addr add 10.2.0.22/24 dev eth0', 'ip link set eth0 up', 'ip route add default via 10.2.0.1'] },
  ],
  links: [{ endpoints: [{ node: 'src', iface: 'eth0' }, { node: 'r1', iface: 'eth0' }] }],
  segments: [
    {
      name: 'lanb',
      members: [
        { node: 'r1', iface: 'eth1' },
        { node: 'rcv1', iface: 'eth0' },
        { node: 'rcv2', iface: 'eth0' },
      ],
    },
  ],
  layout: { src: { x: 80, y: 200 }, r1: { x: 300, y: 200 }, rcv1: { x: 520, y: 120 }, rcv2: { x: 520, y: 280 } },
};
