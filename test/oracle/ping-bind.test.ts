// ping -I against iputils and the kernel: bound to a device (SO_BINDTODEVICE) the socket does not hear
// replies that come back on another interface; bound to an address it does. Header lines, reply lines
// and counts are compared with round-trip times masked (the model's times are simulated).

import { afterAll, describe, expect, it } from 'vitest';
import { destroyAllLabs, withLab } from './harness.js';
import { expectSamePing, pingGate } from './ping-oracle.js';

const havePing = pingGate('ping -I');

describe.skipIf(!havePing)('ping -I (SO_BINDTODEVICE vs bind to an address)', () => {
  afterAll(destroyAllLabs);

  it('matches iputils: header, replies heard or not, summary, exit code', () => {
    withLab('ping bind', ['a', 'b'], (lab) => {
      lab.script(`
        a: link add eth2 type veth peer name b2 netns {b}
        a: link add eth3 type veth peer name b3 netns {b}
        a: addr add 10.0.2.1/24 dev eth2
        a: addr add 10.0.3.1/24 dev eth3
        b: addr add 10.0.2.2/24 dev b2
        b: addr add 10.0.3.2/24 dev b3
        b: addr add 10.9.9.9/32 dev lo
        a: link set lo up
        a: link set eth2 up
        a: link set eth3 up
        b: link set lo up
        b: link set b2 up
        b: link set b3 up
        a: route add 10.9.9.9 via 10.0.3.2 dev eth3
        b: route add 10.0.3.1/32 via 10.0.2.1 dev b2
      `);
      expect(lab.report()).toBe('');
      for (const cmd of ['ping -c 2 -i 0.2 -W 1 -I eth3 10.9.9.9', 'ping -c 2 -i 0.2 -W 1 -I 10.0.3.1 10.9.9.9', 'ping -c 1 -W 1 -I eth2 10.0.2.2', 'ping -c 1 -W 1 -I 10.5.5.5 10.0.2.2']) expectSamePing(lab, 'a', cmd);
    });
  });
});
