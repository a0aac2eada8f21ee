// In-memory files for lab loader tests: readFile throws ENOENT like fs does.

import type { LabFileIO } from '../../../main/host/lab/lab-file.js';

export function memFiles(files: Record<string, string>): LabFileIO {
  return {
    readFile(p: string): string {
      const t = files[p];
      if (t === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      return t;
    },
  };
}

/** A small valid lab: a sender and two receivers on one LAN, a router on a link. */
export const SMALL_LAB = `name: small
title: Small
seed: 7
topology:
  nodes:
    src:
      exec:
        - ip addr add 10.2.0.10/24 dev eth0
        - ip link set eth0 up
    rcv1:
      exec: ["ip addr add 10.2.0.21/24 dev eth0", "ip link set eth0 up"]
    rcv2:
      exec: ["ip addr add 10.2.0.22/24 dev eth0", "ip link set eth0 up"]
    r1:
      role: router
      startup: r1.startup
  links:
    - endpoints: ["r1:eth0", "src:eth1"]
  lans:
    lanb: ["src:eth0", "rcv1:eth0", "rcv2:eth0"]
steps:
  - title: Traffic
    text: Send.
    actions:
      - udp-receiver: { name: rx1, node: rcv1, port: 5000, group: 239.1.1.1, iface: eth0 }
      - udp-receiver: { name: rx2, node: rcv2, port: 5000 }
      - udp-sender: { node: src, dst: 239.1.1.1, port: 5000, count: 5, interval: 100ms, iface: eth0 }
      - wait: 2s
    checks:
      - name: rx1-got-all
        delivery: { receiver: rx1, from: 10.2.0.10, to: 239.1.1.1, packets: 5 }
      - name: rx2-got-none
        delivery: { receiver: rx2, packets: 0 }
`;

export const R1_STARTUP = `# r1
ip addr add 10.1.0.1/24 dev eth0

ip link set eth0 up
`;
