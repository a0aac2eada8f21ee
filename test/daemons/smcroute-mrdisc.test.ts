// labs/daemons/smcroute.ts's Multicast Router Discovery (RFC 4286, `phyint IF ... mrdisc`): what a snooping
// switch on the LAN would read. One Advertisement when the interface is enabled, then one every -m seconds
// (20 by default, no jitter, as smcrouted 2.5.6); an immediate one in answer to a Solicitation; none on
// interfaces without `mrdisc`. The bytes are compared with the real smcrouted's in test/oracle/smcroute.test.ts.
//
//   src ── r ─eth1── h1 (listens on 224.0.0.106)
//          └─eth2── h2 (listens too; eth2 has no mrdisc)

import { describe, expect, it } from 'vitest';
import { AF_INET, IPPROTO_IGMP, IPPROTO_IP, IP_ADD_MEMBERSHIP, IP_MULTICAST_IF, SOCK_RAW } from '../../engine/socket/constants.js';
import { setsockopt, socket } from '../../engine/socket/socket.js';
import { RawSocket } from '../../engine/socket/raw.js';
import { ip4 } from '../unit/helpers/topo.js';
import { DaemonLab } from './lab.js';

function star(): DaemonLab {
  const lab = new DaemonLab(5);
  for (const n of ['src', 'h1', 'h2']) lab.node(n, 'host');
  lab.node('r', 'router');
  lab.link('src', 'eth0', '10.0.0.10/24', 'r', 'eth0', '10.0.0.1/24').link('r', 'eth1', '10.1.0.1/24', 'h1', 'eth0', '10.1.0.10/24').link('r', 'eth2', '10.2.0.1/24', 'h2', 'eth0', '10.2.0.10/24');
  lab.run(10);
  return lab;
}

interface Heard { src: string; dst: string; ttl: number; options: number[]; igmp: number[] }

/** A raw IGMP socket on `node` joined to All-Snoopers: every advertisement it reads, decoded. */
function snooper(lab: DaemonLab, node: string): { heard: () => Heard[]; sock: RawSocket } {
  const ns = lab.net.node(node);
  const sock = socket(ns, AF_INET, SOCK_RAW, IPPROTO_IGMP);
  if (!(sock instanceof RawSocket)) throw new Error('not a raw socket');
  setsockopt(sock, IPPROTO_IP, IP_ADD_MEMBERSHIP, { multiaddr: ip4('224.0.0.106'), ifindex: ns.devByName('eth0')!.ifindex });
  const all: Heard[] = [];
  const heard = (): Heard[] => {
    for (let m = sock.recv(); m; m = sock.recv()) {
      const b = m.bytes;
      const ihl = (b[0]! & 15) * 4;
      const a = (o: number): string => [...b.subarray(o, o + 4)].join('.');
      // Only what is addressed to All-Snoopers: the host's own joins produce IGMP traffic too.
      if (a(16) === '224.0.0.106') all.push({ src: a(12), dst: a(16), ttl: b[8]!, options: [...b.subarray(20, ihl)], igmp: [...b.subarray(ihl)] });
    }
    return all;
  };
  return { heard, sock };
}

/** The Internet checksum over `b` is 0 when its checksum field is right. */
function checksumOk(b: number[]): boolean {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s === 0xffff;
}

describe('smcroute.ts mrdisc', () => {
  it('advertises at start and every 20 s on mrdisc interfaces only, with the RFC 4286 fields', async () => {
    const lab = star();
    const h1 = snooper(lab, 'h1');
    const h2 = snooper(lab, 'h2');
    await lab.start('r', 'smcroute.ts', { '/etc/smcroute.conf': 'phyint eth0 enable\nphyint eth1 enable mrdisc\nphyint eth2 enable\n' }, ['-N']);
    lab.run(100);
    expect(h1.heard()).toHaveLength(1);
    const first = h1.heard()[0]!;
    expect({ src: first.src, ttl: first.ttl }).toEqual({ src: '10.1.0.1', ttl: 1 });
    expect(first.options).toEqual([0x94, 4, 0, 0]); // Router Alert, set with IP_OPTIONS as smcrouted does
    // Type 0x30, Advertisement Interval 20 s, checksum, Query Interval 0, Robustness 0 (smcrouted has no querier).
    expect(first.igmp).toHaveLength(8);
    expect([first.igmp[0], first.igmp[1], ...first.igmp.slice(4)]).toEqual([0x30, 20, 0, 0, 0, 0]);
    expect(checksumOk(first.igmp)).toBe(true);
    // The next one 20 s after start, not before; then every 20 s.
    lab.run(19_800);
    expect(h1.heard()).toHaveLength(1);
    lab.run(200);
    expect(h1.heard()).toHaveLength(2);
    lab.run(40_000);
    expect(h1.heard()).toHaveLength(4);
    expect(new Set(h1.heard().map((h) => h.igmp.join(' '))).size).toBe(1); // all the same bytes
    expect(h2.heard()).toEqual([]);
    expect(lab.logs('r').filter((l) => l === 'Sending mrdisc announcement on eth1')).toHaveLength(4);
    expect(lab.exits()).toEqual([]);
  });

  it('-m sets the interval and the field; a Solicitation gets an immediate Advertisement', async () => {
    const lab = star();
    const h1 = snooper(lab, 'h1');
    await lab.start('r', 'smcroute.ts', { '/etc/smcroute.conf': 'phyint eth1 enable mrdisc\n' }, ['-N', '-m', '4']);
    lab.run(10_000); // at 0, 4 and 8 s
    // As smcrouted: -m applies once the config file is read, so the first advertisement still says 20.
    expect(h1.heard().map((h) => h.igmp[1])).toEqual([20, 4, 4]);
    // A Solicitation (type 0x31, to All-Routers 224.0.0.2, TTL 1) from h1, half-way between two timer ticks.
    const ns = lab.net.node('h1');
    setsockopt(h1.sock, IPPROTO_IP, IP_MULTICAST_IF, { ifindex: ns.devByName('eth0')!.ifindex });
    h1.sock.sendto(new Uint8Array([0x31, 0, 0xce, 0xff, 0, 0, 0, 0]), ip4('224.0.0.2'));
    lab.run(50);
    expect(h1.heard()).toHaveLength(4);
    expect(lab.logs('r')).toContain('Received mrdisc solicitation on eth1 from 10.1.0.10');
    // The answer does not move the timer: the next tick is still 12 s after start.
    lab.run(1000);
    expect(h1.heard()).toHaveLength(4);
    lab.run(1000);
    expect(h1.heard()).toHaveLength(5);
    expect(lab.exits()).toEqual([]);
  });

  it('rejects an interval outside 4-180, as smcrouted', async () => {
    const lab = star();
    await expect(lab.start('r', 'smcroute.ts', {}, ['-m', '3'])).rejects.toThrow('Invalid mrdisc announcement interval, 4-180.');
  });
});
