// Lab 17 grades Exercise 3 by the split the kernel made: weights 4:2 are the same as 2:1, and without the
// layer-4 hash policy the 60 flows (which differ only in their ports) all take one hop.

import { describe, expect, it } from 'vitest';
import { answered, failedChecks, loadLab } from './answers.js';

const lab = loadLab('labs/17-multipath.yaml');
const ROUTE = 'Two next hops, weights 2 and 1';
const MANY = 'Many flows';

describe('17-multipath grades behaviour', () => {
  it('passes weights 4 and 2 added after deleting the old route, and hash policy 1 via /proc, on two seeds', async () => {
    const s = answered(lab, {
      [ROUTE]: ['r1: ip route del 10.9.0.0/24', 'r1: ip route add 10.9.0.0/24 nexthop via 10.0.1.2 weight 4 nexthop via 10.0.2.2 weight 2'],
      [MANY]: ['r1: echo 1 > /proc/sys/net/ipv4/fib_multipath_hash_policy'],
    });
    expect(await failedChecks(s)).toEqual([]);
    expect(await failedChecks(s, 2)).toEqual([]);
  });

  it('with the default hash policy (addresses only) the 60 flows do not spread', async () => {
    const s = answered(lab, { [ROUTE]: ['r1: ip route replace 10.9.0.0/24 nexthop via 10.0.1.2 weight 2 nexthop via 10.0.2.2 weight 1'] });
    expect(await failedChecks(s)).toEqual(['hash-policy-l4', 'many-via-ra', 'many-via-rb']);
  });
});
