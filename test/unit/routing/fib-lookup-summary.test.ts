// fibTableSearch() decides most lookups from a 13-bit summary of the leaf's first alias kept in the trie
// (engine/ipv4/fib_trie_kv.ts) and a per-leaf copy of its first alias and next hop. Against a reference
// written here from fib_table_lookup()'s rules (tos, scope, the type's error, dead and linkdown next hops,
// the oif), with routes of every kind, after inserts, deletes and next-hop flag changes (fibNhEpoch),
// local and main merged or not: the same answer every time.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { fibNhEpoch, flow, RTNH_F_DEAD, RTNH_F_LINKDOWN, type FibNh, type FibRoute, type Flowi4, type RouteType } from '../../../engine/ipv4/fib-types.js';
import { FibTable, fibTableSearch } from '../../../engine/ipv4/fib_trie.js';
import type { Ipv4Netns } from '../../../engine/ipv4/ipv4-netns.js';
import { Errno } from '../../../engine/net/errno.js';
import type { NetDevice } from '../../../engine/net/netdevice.js';
import { Network } from '../../../engine/net/network.js';

const mask = (l: number): number => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);
const ERR: Partial<Record<RouteType, Errno>> = { blackhole: Errno.EINVAL, unreachable: Errno.EHOSTUNREACH, prohibit: Errno.EACCES, throw: Errno.EAGAIN };

function node(): { v4: Ipv4Netns; devs: NetDevice[] } {
  const net = new Network({ seed: 1 });
  const a = net.addNode('a');
  const s = net.addNode('s');
  const [d1] = net.addVethPair(a, 'e1', s, 'p1');
  const [d2] = net.addVethPair(a, 'e2', s, 'p2');
  for (const c of ['link set e1 up', 'link set e2 up']) ipCommand(a, c.split(' '));
  return { v4: a.ipv4, devs: [d1, d2] };
}

/** The answer fib_table_lookup() gives, from every stored alias (longest prefix first, local before main). */
function reference(tables: FibTable[], stored: FibRoute[], fl: Flowi4): { errno: number; route: FibRoute | null; nh: FibNh | null } {
  const covering = stored.filter((r) => ((fl.daddr & mask(r.plen)) >>> 0) === r.dst);
  const lens = [...new Set(covering.map((r) => r.plen))].sort((a, b) => b - a);
  for (const plen of lens) {
    // One prefix: each table's aliases in the table's own order (trie.test.ts checks that order).
    for (const t of [...tables].sort((a, b) => b.id - a.id)) {
      for (const r of t.aliasesOf(covering.find((c) => c.plen === plen)!.dst, plen)) {
        if (r.tos && r.tos !== (fl.tos & 0x1c)) continue;
        if (r.scope < (fl.scope ?? 0)) continue;
        const err = ERR[r.type];
        if (err !== undefined) return { errno: err, route: r, nh: null };
        if (r.nhs.length > 0 && r.nhs.every((nh) => nh.flags & RTNH_F_DEAD)) continue;
        // No device here ignores linkdown routes (ignore_routes_with_linkdown is 0): only dead hops and the oif count.
        const nh = r.nhs.find((h) => !(h.flags & RTNH_F_DEAD) && (!fl.oif || fl.oif === (h.dev?.ifindex ?? 0)));
        if (nh) return { errno: 0, route: r, nh };
      }
    }
  }
  return { errno: Errno.EAGAIN, route: null, nh: null };
}

describe('fib_table_lookup: the per-leaf summary gives the scan\'s answer', () => {
  it('after inserts, deletes and next-hop changes, in one table and in local+main merged', () => {
    const { v4, devs } = node();
    const addr = fc.integer({ min: 0x0a000000, max: 0x0a0000ff });
    const routeArb = fc.record({
      a: addr,
      len: fc.constantFrom(24, 26, 28, 30, 32),
      local: fc.boolean(),
      tos: fc.constantFrom(0, 0, 0, 0x10),
      scope: fc.constantFrom(0, 0, 253, 254),
      type: fc.constantFrom<RouteType>('unicast', 'unicast', 'unicast', 'blackhole', 'unreachable', 'prohibit', 'throw'),
      nhs: fc.array(fc.record({ dev: fc.integer({ min: 0, max: 1 }), flags: fc.constantFrom(0, 0, RTNH_F_DEAD, RTNH_F_LINKDOWN) }), { minLength: 1, maxLength: 2 }),
      priority: fc.integer({ min: 0, max: 2 }),
    });
    const step = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), r: routeArb }),
      fc.record({ kind: fc.constant('del' as const), i: fc.nat() }),
      fc.record({ kind: fc.constant('flags' as const), i: fc.nat(), flags: fc.constantFrom(0, RTNH_F_DEAD, RTNH_F_LINKDOWN) }),
    );
    const query = fc.record({ d: addr, tos: fc.constantFrom(0, 0x10), scope: fc.constantFrom(0, 253), oif: fc.constantFrom(0, 0, 1) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.array(query, { minLength: 1, maxLength: 12 }), fc.boolean(), (steps, queries, merged) => {
        const main = new FibTable(254);
        const local = new FibTable(255);
        const stored: FibRoute[] = [];
        const check = (): void => {
          const tables = merged ? [local, main] : [main];
          const live = stored.filter((r) => merged || r.table === 254);
          for (const q of queries) {
            const fl = flow({ daddr: q.d, tos: q.tos, oif: q.oif ? devs[0]!.ifindex : 0 });
            fl.scope = q.scope;
            const got = fibTableSearch(v4, tables, 254, fl);
            const want = reference(tables, live, fl);
            expect({ errno: got.errno, route: got.route, nh: got.res?.nh ?? null }).toEqual(want);
            if (got.res) expect(got.res.route.nhs[got.res.nhSel!]).toBe(got.res.nh);
          }
        };
        for (const s of steps) {
          if (s.kind === 'add') {
            const t = s.r.local ? local : main;
            const nhs = s.r.nhs.map((h) => ({ gw: 0, dev: devs[h.dev]!, weight: 1, flags: h.flags, scope: 253 }));
            const r: FibRoute = { table: t.id, dst: (s.r.a & mask(s.r.len)) >>> 0, plen: s.r.len, tos: s.r.tos, type: s.r.type, protocol: 3, scope: s.r.scope, priority: s.r.priority, prefsrc: 0, nhs };
            t.insert(r);
            stored.push(r);
          } else if (stored.length > 0) {
            const r = stored[s.i % stored.length]!;
            if (s.kind === 'del') {
              expect((r.table === 255 ? local : main).remove(r)).toBe(true);
              stored.splice(stored.indexOf(r), 1);
            } else {
              // Next-hop flags change in place, as fib_sync_down_dev does; the epoch tells the tries.
              r.nhs[0]!.flags = s.flags;
              fibNhEpoch.value++;
            }
          }
          expect(main.problems()).toEqual([]);
          expect(local.problems()).toEqual([]);
          check();
        }
      }),
      { numRuns: 120 },
    );
  });

  it('a 100k-prefix table answers each lookup like the scan of its covering prefixes', () => {
    const { v4, devs } = node();
    const t = new FibTable(254);
    let x = 12345;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const byKey = new Map<string, FibRoute>();
    while (t.size < 100_000) {
      const plen = 16 + (rnd() % 9);
      const dst = (rnd() & mask(plen)) >>> 0;
      if (byKey.has(`${dst}/${plen}`)) continue;
      const r: FibRoute = { table: 254, dst, plen, tos: 0, type: rnd() % 50 ? 'unicast' : 'unreachable', protocol: 3, scope: 0, priority: 0, prefsrc: 0, nhs: [{ gw: 0, dev: devs[rnd() & 1]!, weight: 1, flags: 0, scope: 253 }] };
      t.insert(r);
      byKey.set(`${dst}/${plen}`, r);
    }
    expect(t.problems()).toEqual([]);
    for (let i = 0; i < 3000; i++) {
      const d = rnd();
      let want: FibRoute | null = null;
      for (let plen = 24; plen >= 16 && !want; plen--) want = byKey.get(`${(d & mask(plen)) >>> 0}/${plen}`) ?? null;
      const got = fibTableSearch(v4, [t], 254, flow({ daddr: d }));
      expect(got.route).toBe(want);
      expect(got.errno).toBe(want ? (want.type === 'unicast' ? 0 : Errno.EHOSTUNREACH) : Errno.EAGAIN);
      if (want?.type === 'unicast') expect(got.res?.nh).toBe(want.nhs[0]);
    }
  });
});
