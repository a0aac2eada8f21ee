// The route printer on routes `ip route add` will create (not yet modelled as a command): expected
// lines are the ones observed on iproute2 6.1 in shared/kernel/policy-routing.md §10.2.

import { describe, expect, it } from 'vitest';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE } from '../../../engine/ipv4/devinet.js';
import { RTNH_F_ONLINK, RTPROT_BOOT, RTPROT_STATIC, RT_TABLE_LOCAL, RT_TABLE_MAIN, type FibRoute, type RouteType } from '../../../engine/ipv4/fib-types.js';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { Network } from '../../../engine/net/network.js';
import type { Netns } from '../../../engine/net/netns.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';

function ip4(s: string): number {
  return parseIpv4(s)!;
}

function node(): Netns {
  const net = new Network({ seed: 1 });
  const ns = net.addNode('r');
  net.addNode('s');
  net.addVethPair(ns, 'v1', net.node('s'), 'p1');
  net.addVethPair(ns, 'v2', net.node('s'), 'p2');
  return ns;
}

function add(ns: Netns, table: number, r: { type?: RouteType; dst: string; plen: number; gw?: string; dev?: string; proto?: number; scope?: number; metric?: number; nhFlags?: number }): void {
  const route: FibRoute = {
    table,
    dst: ip4(r.dst),
    plen: r.plen,
    tos: 0,
    type: r.type ?? 'unicast',
    protocol: r.proto ?? RTPROT_BOOT,
    scope: r.scope ?? RT_SCOPE_UNIVERSE,
    priority: r.metric ?? 0,
    prefsrc: 0,
    nhs: r.gw || r.dev ? [{ gw: r.gw ? ip4(r.gw) : 0, dev: r.dev ? ns.devByName(r.dev)! : null, weight: 1, flags: r.nhFlags ?? 0, scope: RT_SCOPE_LINK }] : [],
  };
  ns.ipv4.fibTable(table, true)!.insert(route);
}

describe('print_route on static routes', () => {
  it('prints each type, gateway, onlink, proto and metric as iproute2 6.1 does', () => {
    const ns = node();
    add(ns, RT_TABLE_MAIN, { dst: '0.0.0.0', plen: 0, gw: '192.168.1.254', dev: 'v1' });
    add(ns, RT_TABLE_MAIN, { dst: '10.24.0.0', plen: 16, dev: 'v2', scope: RT_SCOPE_LINK });
    add(ns, RT_TABLE_MAIN, { type: 'blackhole', dst: '10.20.0.0', plen: 16 });
    add(ns, RT_TABLE_MAIN, { type: 'throw', dst: '10.23.0.0', plen: 16 });
    add(ns, RT_TABLE_MAIN, { type: 'multicast', dst: '10.27.0.0', plen: 16, dev: 'v1', scope: RT_SCOPE_LINK });
    add(ns, RT_TABLE_MAIN, { dst: '10.125.0.0', plen: 16, gw: '10.200.0.1', dev: 'v1', nhFlags: RTNH_F_ONLINK });
    expect(ipCommand(ns, ['route']).stdout).toBe(
      'default via 192.168.1.254 dev v1 \n' +
        'blackhole 10.20.0.0/16 \n' +
        'throw 10.23.0.0/16 \n' +
        '10.24.0.0/16 dev v2 scope link \n' +
        'multicast 10.27.0.0/16 dev v1 scope link \n' +
        '10.125.0.0/16 via 10.200.0.1 dev v1 onlink \n',
    );
  });

  it('omits `table` for the table asked for, shows it with `table all`, adds type/proto/scope with -d', () => {
    const ns = node();
    add(ns, 200, { dst: '10.134.0.0', plen: 16, gw: '192.168.1.254', dev: 'v1', proto: RTPROT_STATIC, metric: 5 });
    add(ns, RT_TABLE_LOCAL, { type: 'local', dst: '10.25.0.0', plen: 16, dev: 'lo', scope: RT_SCOPE_HOST });
    add(ns, RT_TABLE_MAIN, { dst: '10.90.0.0', plen: 16, dev: 'v1', scope: RT_SCOPE_LINK });
    expect(ipCommand(ns, ['route', 'show', 'table', '200']).stdout).toBe('10.134.0.0/16 via 192.168.1.254 dev v1 proto static metric 5 \n');
    expect(ipCommand(ns, ['route', 'show', 'table', 'all']).stdout).toContain('local 10.25.0.0/16 dev lo table local scope host \n');
    expect(ipCommand(ns, ['-d', 'route', 'show', '10.90.0.0/16']).stdout).toBe('unicast 10.90.0.0/16 dev v1 proto boot scope link \n');
  });

  it('dumps tables in hash-bucket order: id & 255 ascending, so 300 (=44) before 200', () => {
    const ns = node();
    add(ns, 200, { dst: '10.2.0.0', plen: 16, dev: 'v1', scope: RT_SCOPE_LINK });
    add(ns, 300, { dst: '10.3.0.0', plen: 16, dev: 'v1', scope: RT_SCOPE_LINK });
    add(ns, 100, { dst: '10.1.0.0', plen: 16, dev: 'v1', scope: RT_SCOPE_LINK });
    expect(ipCommand(ns, ['route', 'show', 'table', 'all']).stdout).toBe(
      '10.3.0.0/16 dev v1 table 300 scope link \n10.1.0.0/16 dev v1 table 100 scope link \n10.2.0.0/16 dev v1 table 200 scope link \n',
    );
  });
});
