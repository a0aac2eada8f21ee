// FIB benchmarks for `npm run bench`: the cost of one longest-prefix lookup in a table of 1k and of 100k
// prefixes (the trie's cost follows the prefix length, so the ratio should stay near 1), and of one
// policy lookup through 10 and 200 rules (a linear list, as in the kernel). Each row has its baseline
// measured in the same run.

import { performance } from 'node:perf_hooks';
import { ipCommand } from '../../engine/iproute2/ip.js';
import { flow, type FibRoute } from '../../engine/ipv4/fib-types.js';
import { fibRulesLookup } from '../../engine/ipv4/fib_rules.js';
import { FibTable } from '../../engine/ipv4/fib_trie.js';
import { Network } from '../../engine/net/network.js';
import { Prng } from '../../engine/sim/prng.js';

export interface FibRow {
  name: string;
  nsPerOp: number;
  baselineName: string;
  baselineNsPerOp: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function tableOf(n: number, rng: Prng): FibTable {
  const t = new FibTable(254);
  const seen = new Set<number>();
  while (seen.size < n) {
    const plen = 16 + rng.below(9); // /16../24, like a real routing table's bulk
    const dst = (rng.u32() & ((0xffffffff << (32 - plen)) >>> 0)) >>> 0;
    const key = dst * 33 + plen;
    if (seen.has(key)) continue;
    seen.add(key);
    const r: FibRoute = { table: 254, dst, plen, tos: 0, type: 'unicast', protocol: 3, scope: 0, priority: 0, prefsrc: 0, nhs: [] };
    t.insert(r);
  }
  return t;
}

/**
 * ns per longest-prefix match over a fixed set of random destinations: `walk` is fib_table_lookup's trie
 * walk to the longest covering prefix (leaf and prefix length); otherwise the lookup also reads that
 * prefix's alias list and first route (JS heap objects, which at 100k routes are mostly cache misses).
 */
function timeLpmOnce(t: FibTable, dests: Uint32Array, walk: boolean): number {
  let sink = 0;
  const t0 = performance.now();
  if (walk) for (let i = 0; i < dests.length; i++) sink += t.longestPrefix(dests[i]!);
  else for (let i = 0; i < dests.length; i++) sink += t.longest(dests[i]!)?.[0]?.plen ?? 0;
  const ns = ((performance.now() - t0) * 1e6) / dests.length;
  if (sink === -1) console.log(sink);
  return ns;
}

/**
 * Table and baseline timed alternately, `reps` times each, so both see the same machine load (other
 * processes share the cores); the best run of each is kept, the usual estimate of a loop's own cost.
 */
function timeLpmPair(t: FibTable, dests: Uint32Array, base: FibTable, baseDests: Uint32Array, reps: number, walk: boolean): [number, number] {
  let best = Infinity;
  let bestBase = Infinity;
  for (let k = 0; k < reps; k++) {
    best = Math.min(best, timeLpmOnce(t, dests, walk));
    bestBase = Math.min(bestBase, timeLpmOnce(base, baseDests, walk));
  }
  return [best, bestBase];
}

function rulesNode(nRules: number, mixed = false): Network {
  const net = new Network({ seed: 1 });
  const ns = net.addNode('a');
  const s = net.addNode('s');
  net.addVethPair(ns, 'e0', s, 'p0');
  for (const c of ['link set lo up', 'link set e0 up', 'addr add 192.168.1.1/24 dev e0', 'route add 10.1.0.0/16 via 192.168.1.254 table 100']) ipCommand(ns, c.split(' '));
  // Rules that never match the benchmark flow (fwmark), then the one that does: all are tried.
  // `mixed`: every other rule misses on `from` instead, so no two neighbours fold into one trace entry.
  for (let i = 0; i < nRules - 1; i++) {
    const sel = mixed && i % 2 ? `from 172.16.${i & 255}.0/24` : `fwmark ${i + 1}`;
    ipCommand(ns, `rule add pref ${1000 + i} ${sel} lookup 100`.split(' '));
  }
  ipCommand(ns, `rule add pref ${1000 + nRules} to 10.1.0.0/16 lookup 100`.split(' '));
  return net;
}

function timeRules(net: Network, iters: number, reps: number): number {
  const v4 = net.node('a').ipv4;
  const fl = flow({ daddr: 0x0a010101, iif: 1 });
  const runs: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fibRulesLookup(v4, fl);
    runs.push(((performance.now() - t0) * 1e6) / iters);
  }
  return median(runs);
}

export function fibRows(reps: number): FibRow[] {
  const rng = new Prng(42);
  const small = tableOf(1_000, rng);
  const big = tableOf(100_000, rng);
  // Destinations inside stored prefixes: every lookup walks down to a /16../24 match in both tables.
  const hits = (t: FibTable): Uint32Array => {
    const routes = t.routes;
    const d = new Uint32Array(200_000);
    for (let i = 0; i < d.length; i++) {
      const r = routes[rng.below(routes.length)]!;
      d[i] = (r.dst | (rng.u32() & ~((0xffffffff << (32 - r.plen)) >>> 0))) >>> 0;
    }
    return d;
  };
  const smallDests = hits(small);
  const bigDests = hits(big);
  timeLpmPair(big, bigDests, small, smallDests, 2, true);
  timeLpmPair(big, bigDests, small, smallDests, 2, false);
  const r10 = rulesNode(10);
  const r200 = rulesNode(200);
  const r10m = rulesNode(10, true);
  const r200m = rulesNode(200, true);
  for (const n of [r10, r10m]) timeRules(n, 2000, 2);
  for (const n of [r200, r200m]) timeRules(n, 200, 2);
  const [walkBig, walkSmall] = timeLpmPair(big, bigDests, small, smallDests, reps, true);
  const [fullBig, fullSmall] = timeLpmPair(big, bigDests, small, smallDests, reps, false);
  const depth = (t: FibTable): string => t.stats().avgDepth.toFixed(2);
  return [
    { name: `fib_table_lookup trie walk, 100k prefixes (avg depth ${depth(big)})`, nsPerOp: walkBig, baselineName: `1k prefixes (avg depth ${depth(small)})`, baselineNsPerOp: walkSmall },
    { name: 'trie walk + alias list + first route, 100k', nsPerOp: fullBig, baselineName: '1k prefixes', baselineNsPerOp: fullSmall },
    { name: 'fib_rules_lookup, 200 rules', nsPerOp: timeRules(r200, 500, reps), baselineName: '10 rules', baselineNsPerOp: timeRules(r10, 5000, reps) },
    { name: 'fib_rules_lookup, 200 rules, alternating selectors', nsPerOp: timeRules(r200m, 500, reps), baselineName: '10 rules, alternating', baselineNsPerOp: timeRules(r10m, 5000, reps) },
  ];
}

export function printFibRows(rows: FibRow[]): void {
  const header = ['FIB scenario', 'ns/lookup', 'baseline', 'baseline ns/lookup', 'ratio'];
  const body = rows.map((r) => [r.name, r.nsPerOp.toFixed(0), r.baselineName, r.baselineNsPerOp.toFixed(0), (r.nsPerOp / r.baselineNsPerOp).toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
  console.log('ratio = cost ÷ baseline cost: ≤ 1.5 expected for the trie walk (cost follows prefix length, not table size). The rule list is linear, but the fixed cost of a lookup (its trace events) dominates: consecutive rules that miss on the same selector share one trace entry.');
  console.log('Trie rows: best of interleaved runs. The second trie row adds reading the prefix\'s alias list and route, JS heap objects that 100k routes spread over tens of MB (cache misses, not trie depth).');
}
