// Unicast out of a NOARP device against the kernel: arp_constructor() gives the neighbour NUD_NOARP and the
// device's own address, so nothing is asked and every frame leaves at once, addressed to the sender's own
// MAC — the peer drops it as PACKET_OTHERHOST. A device with `arp off` therefore sends (TX counts) but is
// never answered. (dummy, NOARP too, is not in this CI kernel: `ip link add type dummy` says "Unknown device
// type".) Datagrams to ourselves keep their output route through lo (no input lookup: 127.0.0.1 would be a
// martian there), and a route to elsewhere via lo is sent and silently discarded. Without the NOARP rule the model would wait
// for ARP and send nothing, and the TX counters would differ.

import { afterAll, describe, expect, it } from 'vitest';
import { destroyAllLabs, withLab } from './harness.js';
import { expectSamePing, pingGate } from './ping-oracle.js';

const havePing = pingGate('NOARP');

describe.skipIf(!havePing)('NOARP devices (arp off): frames leave with no ARP, to the own MAC', () => {
  afterAll(destroyAllLabs);

  it('sends every ping on an arp-off veth, none is answered; the peer counts them as received', () => {
    withLab('noarp', ['a', 'b'], (lab) => {
      lab.script(`
        a: link add eth0 address 02:00:00:00:0a:01 type veth peer name b0 address 02:00:00:00:0b:01 netns {b}
        a: addr add 10.0.0.1/24 dev eth0
        b: addr add 10.0.0.2/24 dev b0
        a: link set lo up
        a: link set eth0 up
        b: link set lo up
        b: link set b0 up
        a: link set eth0 arp off
        a: route add 10.9.9.0/24 dev lo
      `);
      expect(lab.report()).toBe('');
      for (const cmd of ['ping -c 3 -i 0.2 -W 1 10.0.0.2', 'ping -c 2 -i 0.2 -W 1 127.0.0.1', 'ping -c 2 -i 0.2 -W 1 10.9.9.9', 'ping -c 1 -W 1 10.0.0.1']) expectSamePing(lab, 'a', cmd);
      // The counters: 3 echo requests sent on eth0 and received by b0 (then dropped by ip_rcv). On lo, each
      // datagram to 127.0.0.1 or to our own 10.0.0.1 is counted once sent and once received (with the 14-byte
      // header, as the drivers count); a route to elsewhere `dev lo` loops the request back, where the output
      // route's dst_discard drops it: sent and received on lo, never answered.
      lab.script(`
        a: -s link show dev eth0
        a: -s link show dev lo
        b: -s link show dev b0
        a: -j -s link show dev eth0
      `);
      expect(lab.report()).toBe('');
    });
  });
});
