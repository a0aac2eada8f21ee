// Nothing in the `ip route` / `ip rule` front end may throw, whatever the arguments: every input ends
// in an exit status and text, as the real tool's would.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { Network } from '../../../engine/net/network.js';

const WORDS = [
  'route', 'rule', 'add', 'del', 'delete', 'change', 'replace', 'append', 'prepend', 'test', 'get', 'show', 'list', 'flush', 'help',
  'from', 'to', 'iif', 'oif', 'dev', 'via', 'src', 'table', 'lookup', 'pref', 'priority', 'metric', 'tos', 'dsfield', 'fwmark', 'mark',
  'not', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit', 'throw', 'local', 'broadcast', 'multicast', 'nat', 'unicast', 'type',
  'nexthop', 'weight', 'onlink', 'scope', 'proto', 'protocol', 'uidrange', 'uid', 'ipproto', 'sport', 'dport', 'l3mdev', 'fibmatch',
  'suppress_prefixlength', 'suppress_ifgroup', 'realms', 'tun_id', 'notify', 'all', 'default', 'main', '0', '1', '255', '256', '65535',
  '4294967295', '4294967296', '-1', '0x10', '0x03', '10.0.0.0/8', '10.0.0.1', '192.168.1.254', '1.2.3.4/33', 'e0', 'lo', 'nosuch', '1-2',
  '5-1', 'tcp', 'udp', '/', '', 'x', '0/0', '::1', 'inet', 'inet6', '-j', '-d', '-N', '-s', '-4',
  'connected', 'mtu', 'lock', 'advmss', 'hoplimit', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'ssthresh', 'reordering', 'quickack', '70000',
];

describe('ip route/rule never throw', () => {
  it('returns an exit status for any argument list', () => {
    const net = new Network({ seed: 1 });
    const ns = net.addNode('a');
    const s = net.addNode('s');
    net.addVethPair(ns, 'e0', s, 'p0');
    for (const c of ['link set lo up', 'link set e0 up', 'addr add 192.168.1.1/24 dev e0']) ipCommand(ns, c.split(' '));
    const word = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.constantFrom('route', 'rule', 'r', 'ru'), fc.array(word, { maxLength: 10 }), (obj, args) => {
        const r = ipCommand(ns, [obj, ...args]);
        expect(typeof r.rc).toBe('number');
        expect(r.rc === 0 || r.stderr.length > 0).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
