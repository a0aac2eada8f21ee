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

/** ns per longest-prefix match (trie walk and alias pick) over a fixed set of random destinations. */
function timeLpm(t: FibTable, dests: Uint32Array, reps: number): number {
  let sink = 0;
  const runs: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    for (let i = 0; i < dests.length; i++) sink += t.candidates(dests[i]!)[0]?.[0]?.plen ?? 0;
    runs.push(((performance.now() - t0) * 1e6) / dests.length);
  }
  if (sink === -1) console.log(sink);
  return median(runs);
}

function rulesNode(nRules: number): Network {
  const net = new Network({ seed: 1 });
  const ns = net.addNode('a');
  const s = net.addNode('s');
  net.addVethPair(ns, 'e0', s, 'p0');
  for (const c of ['link set lo up', 'link set e0 up', 'addr add 192.168.1.1/24 dev e0', 'route add 10.1.0.0/16 via 192.168.1.254 table 100']) ipCommand(ns, c.split(' '));
  // Rules that never match the benchmark flow (fwmark), then the one that does: all are tried.
  for (let i = 0; i < nRules - 1; i++) ipCommand(ns, `rule add pref ${1000 + i} fwmark ${i + 1} lookup 100`.split(' '));
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
  timeLpm(small, smallDests, 2);
  timeLpm(big, bigDests, 2);
  const r10 = rulesNode(10);
  const r200 = rulesNode(200);
  timeRules(r10, 2000, 2);
  timeRules(r200, 200, 2);
  return [
    { name: 'fib_table_lookup, 100k prefixes', nsPerOp: timeLpm(big, bigDests, reps), baselineName: '1k prefixes', baselineNsPerOp: timeLpm(small, smallDests, reps) },
    { name: 'fib_rules_lookup, 200 rules', nsPerOp: timeRules(r200, 500, reps), baselineName: '10 rules', baselineNsPerOp: timeRules(r10, 5000, reps) },
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
  console.log('ratio = cost ÷ baseline cost: ≤ 1.5 expected for the trie (cost follows prefix length); the rule list is linear (~20 expected).');
}
