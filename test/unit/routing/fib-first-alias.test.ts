// fibTableSearch() decides most lookups from a leaf's summary of its first alias (tos, scope, type, one
// usable next hop) without reading the route. These tests check it against a reference written apart:
// every prefix length from 32 down, each alias in order, the kernel's checks read from the route itself,
// including after next-hop flags change in place (carrier loss, device down) and after aliases are
// replaced or removed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { flow, RTNH_F_DEAD, RTNH_F_LINKDOWN, type FibNh, type FibRoute, type Flowi4, type RouteType } from '../../../engine/ipv4/fib-types.js';
import { FibTable, fibTableSearch, NLM_F_CREATE, NLM_F_REPLACE } from '../../../engine/ipv4/fib_trie.js';
import type { Ipv4Netns } from '../../../engine/ipv4/ipv4-netns.js';
import type { NetDevice } from '../../../engine/net/netdevice.js';
import { Network } from '../../../engine/net/network.js';

const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);
const ERR: Partial<Record<RouteType, string>> = { blackhole: 'EINVAL', unreachable: 'EHOSTUNREACH', prohibit: 'EACCES', throw: 'EAGAIN' };

function node(): { v4: Ipv4Netns; devs: NetDevice[] } {
  const net = new Network({ seed: 3 });
  const a = net.addNode('a');
  const s = net.addNode('s');
  const [e0] = net.addVethPair(a, 'e0', s, 'p0');
  const [e1] = net.addVethPair(a, 'e1', s, 'p1');
  for (const c of ['link set e0 up', 'link set e1 up', 'link set p0 up', 'link set p1 up']) ipCommand(c.startsWith('link set p') ? s : a, c.split(' '));
  return { v4: a.ipv4, devs: [e0, e1] };
}

/**
 * The reference: a short description of what fib_table_lookup answers, read from the routes. Several
 * tables are searched as the kernel's merged local+main trie: per prefix length, the higher table id's
 * aliases first.
 */
function reference(v4: Ipv4Netns, ts: FibTable[], fl: Flowi4): string {
  const ignoreLinkdown = (dev: NetDevice | null): boolean => !!dev && (v4.devconfAll.values.ignore_routes_with_linkdown !== 0 || (v4.inDev(dev)?.conf.values.ignore_routes_with_linkdown ?? 0) !== 0);
  const byId = [...ts].sort((x, y) => y.id - x.id);
  for (let plen = 32; plen >= 0; plen--) {
    for (const r of byId.flatMap((t) => t.aliasesOf((fl.daddr & mask(plen)) >>> 0, plen))) {
      if (r.tos && r.tos !== (fl.tos & 0x1c)) continue;
      if (r.scope < (fl.scope ?? 0)) continue;
      const err = ERR[r.type];
      if (err) return `${err} ${r.dst}/${r.plen}#${r.priority}`;
      const i = r.nhs.findIndex((nh) => !(nh.flags & RTNH_F_DEAD) && !(nh.flags & RTNH_F_LINKDOWN && ignoreLinkdown(nh.dev)) && (!fl.oif || fl.oif === nh.dev?.ifindex));
      if (i >= 0) return `ok ${r.dst}/${r.plen}#${r.priority} nh${i}`;
    }
  }
  return 'EAGAIN none';
}

function search(v4: Ipv4Netns, ts: FibTable[], fl: Flowi4): string {
  const o = fibTableSearch(v4, ts, ts[0]!.id, fl);
  const r = o.route;
  if (o.errno === 0) {
    expect(o.res!.nh).toBe(r!.nhs[o.res!.nhSel!]);
    return `ok ${r!.dst}/${r!.plen}#${r!.priority} nh${o.res!.nhSel}`;
  }
  const name = { 22: 'EINVAL', 113: 'EHOSTUNREACH', 13: 'EACCES', 11: 'EAGAIN' }[o.errno as number] ?? String(o.errno);
  return r ? `${name} ${r.dst}/${r.plen}#${r.priority}` : `${name} none`;
}

describe('fib_table_lookup: the first-alias summary answers as the routes do', () => {
  it('agrees with a scan of the routes under random tables, flows and next-hop changes', () => {
    const types: RouteType[] = ['unicast', 'unicast', 'unicast', 'local', 'blackhole', 'unreachable', 'prohibit', 'throw'];
    const rt = fc.record({
      a: fc.integer({ min: 0x0a000000, max: 0x0a0000ff }),
      len: fc.integer({ min: 0, max: 32 }),
      tos: fc.constantFrom(0, 0, 0, 4, 8),
      scope: fc.constantFrom(0, 0, 200, 253, 254),
      type: fc.constantFrom(...types),
      prio: fc.integer({ min: 0, max: 3 }),
      nhs: fc.array(fc.record({ dev: fc.integer({ min: 0, max: 1 }), flags: fc.constantFrom(0, 0, RTNH_F_DEAD, RTNH_F_LINKDOWN) }), { minLength: 1, maxLength: 3 }),
      replace: fc.boolean(),
      local: fc.boolean(),
    });
    const q = fc.record({ d: fc.integer({ min: 0x0a000000, max: 0x0a0000ff }), tos: fc.constantFrom(0, 4, 8), scope: fc.constantFrom(0, 200, 253), oif: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(fc.array(rt, { minLength: 1, maxLength: 40 }), fc.array(q, { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 39 }), (rs, qs, drop) => {
        const { v4, devs } = node();
        // Table 100 alone, and 201+200 searched merged (as local and main are until the first rule change).
        const t = new FibTable(100);
        const hi = new FibTable(201);
        const lo = new FibTable(200);
        for (const x of [t, hi, lo]) v4.tables.set(x.id, x); // so that fib_sync_* change their next hops in place
        const added: FibRoute[] = [];
        for (const x of rs) {
          const plen = x.len > 12 ? 24 + (x.len % 9) : x.len < 3 ? 0 : 16 + x.len; // mostly /24../32
          const nhs: FibNh[] = ERR[x.type] ? [] : x.nhs.map((n) => ({ gw: 0, dev: devs[n.dev]!, weight: 1, flags: n.flags, scope: 0 }));
          for (const into of [t, x.local ? hi : lo]) {
            const r: FibRoute = { table: into.id, dst: (x.a & mask(plen)) >>> 0, plen, tos: x.tos, type: x.type, protocol: 3, scope: x.scope, priority: x.prio, prefsrc: 0, nhs: nhs.map((nh) => ({ ...nh })) };
            try {
              const old = into.insertWithFlags(r, NLM_F_CREATE | (x.replace ? NLM_F_REPLACE : 0), () => false);
              if (into === t) {
                if (old) added.splice(added.indexOf(old), 1);
                added.push(r);
              }
            } catch {
              // EEXIST and friends: the table refused it, as the kernel would.
            }
          }
        }
        const gone = added[drop % added.length];
        if (gone && drop % 3 === 0) t.remove(gone);
        const flows = qs.map((x) => flow({ daddr: x.d, tos: x.tos, scope: x.scope, oif: x.oif > 2 ? 0 : x.oif }));
        const check = (): void => {
          for (const fl of flows) {
            expect(search(v4, [t], fl)).toBe(reference(v4, [t], fl));
            expect(search(v4, [hi, lo], fl)).toBe(reference(v4, [hi, lo], fl));
          }
        };
        check();
        // Next hops through e0 lose their carrier (LINKDOWN, ignored once the sysctl says so), in place;
        // then e1 goes down (its next hops die, routes left with none are flushed), and e0 comes back.
        v4.devconfAll.values.ignore_routes_with_linkdown = 1;
        ipCommand(v4.ns.net.node('s'), 'link set p0 down'.split(' '));
        check();
        ipCommand(v4.ns, 'link set e1 down'.split(' '));
        check();
        ipCommand(v4.ns.net.node('s'), 'link set p0 up'.split(' '));
        check();
      }),
      { numRuns: 150 },
    );
  });

  it('sees a next hop die in place when its device goes down', () => {
    const { v4 } = node();
    for (const c of ['addr add 192.168.1.1/24 dev e0', 'addr add 192.168.2.1/24 dev e1', 'route add 10.0.0.0/8 via 192.168.1.254', 'route add 10.0.0.0/8 via 192.168.2.254 metric 5']) ipCommand(v4.ns, c.split(' '));
    const main = v4.tables.get(254)!;
    const fl = flow({ daddr: 0x0a010203 });
    expect(search(v4, [main], fl)).toBe(reference(v4, [main], fl));
    expect(fibTableSearch(v4, [main], 254, fl).res!.nh!.dev!.name).toBe('e0');
    ipCommand(v4.ns, 'link set e0 down'.split(' '));
    expect(fibTableSearch(v4, [main], 254, fl).res!.nh!.dev!.name).toBe('e1');
    expect(search(v4, [main], fl)).toBe(reference(v4, [main], fl));
  });
});
