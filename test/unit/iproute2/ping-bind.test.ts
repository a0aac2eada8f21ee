// ping -I: an interface name binds the socket to the device (SO_BINDTODEVICE: replies arriving on
// another interface are not delivered), an address binds the source only; iputils' header names both.
// Topology as verified on Linux 6.x with iputils 20221126: a (eth2 10.0.2.1, eth3 10.0.3.1) — b, where
// a reaches 10.9.9.9 via eth3 and b answers 10.0.3.1 via eth2.

import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { runCommandLine } from '../../../engine/iproute2/shell.js';
import { tokenize } from '../../../engine/iproute2/tokenize.js';
import { tracedNetwork } from '../helpers/topo.js';

function lab() {
  const { net, node } = tracedNetwork(1);
  const a = node('a');
  const b = node('b');
  net.link('a', 'eth2', 'b', 'b2');
  net.link('a', 'eth3', 'b', 'b3');
  const ip = (ns: typeof a, line: string): void => {
    const r = ipCommand(ns, tokenize(line));
    expect(r.stderr, line).toBe('');
  };
  for (const l of ['addr add 10.0.2.1/24 dev eth2', 'addr add 10.0.3.1/24 dev eth3', 'link set eth2 up', 'link set eth3 up']) ip(a, l);
  for (const l of ['addr add 10.0.2.2/24 dev b2', 'addr add 10.0.3.2/24 dev b3', 'addr add 10.9.9.9/32 dev lo', 'link set b2 up', 'link set b3 up']) ip(b, l);
  net.sim.run({ until: net.sim.now + 1_000_000 });
  ip(a, 'route add 10.9.9.9 via 10.0.3.2 dev eth3');
  ip(b, 'route add 10.0.3.1/32 via 10.0.2.1 dev b2');
  return { a };
}

describe('ping -I', () => {
  it('bound to eth3, does not hear replies that come back on eth2', () => {
    const { a } = lab();
    const r = runCommandLine(a, 'ping -c 2 -i 0.2 -W 1 -I eth3 10.9.9.9');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('PING 10.9.9.9 (10.9.9.9) from 10.0.3.1 eth3: 56(84) bytes of data.');
    expect(r.stdout).not.toContain('bytes from');
    expect(r.stdout).toContain('2 packets transmitted, 0 received, 100% packet loss');
    expect(r.rc).toBe(1);
  });

  it('with an address, binds only the source: the replies on eth2 are delivered; the header has an empty device', () => {
    const { a } = lab();
    const r = runCommandLine(a, 'ping -c 2 -i 0.2 -W 1 -I 10.0.3.1 10.9.9.9');
    expect(r.stdout.split('\n')[0]).toBe('PING 10.9.9.9 (10.9.9.9) from 10.0.3.1 : 56(84) bytes of data.');
    expect(r.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    expect(r.rc).toBe(0);
  });

  it('bound to the interface the replies use, hears them; a foreign address cannot be bound', () => {
    const { a } = lab();
    const r = runCommandLine(a, 'ping -c 1 -W 1 -I eth2 10.0.2.2');
    expect(r.stdout.split('\n')[0]).toBe('PING 10.0.2.2 (10.0.2.2) from 10.0.2.1 eth2: 56(84) bytes of data.');
    expect(r.stdout).toContain('1 packets transmitted, 1 received, 0% packet loss');
    const bad = runCommandLine(a, 'ping -c 1 -I 10.5.5.5 10.0.2.2');
    expect({ rc: bad.rc, stderr: bad.stderr }).toEqual({ rc: 2, stderr: 'ping: bind: Cannot assign requested address\n' });
  });
});
