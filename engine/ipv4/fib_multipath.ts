// Multipath next-hop choice: fib_rebalance() and fib_select_multipath() (net/ipv4/fib_semantics.c),
// fib_multipath_hash() (net/ipv4/route.c), and the pre-4.4 per-lookup weighted round robin the book
// describes (fib_power/nh_power), used when the lab runs the "book" kernel profile.
// Facts: shared/kernel/policy-routing.md §9. The hash is the kernel's: SipHash-2-4 over struct
// flow_keys (6.18 layout) keyed by the namespace's seed, so with the same fib_multipath_hash_seed a
// flow takes the same next hop as on a real host (checked against the kernel in test/oracle/).

import { formatIpv4, type Ipv4Addr } from '../wire/inet.js';
import { RTNH_F_DEAD, RTNH_F_LINKDOWN, type FibResult, type FibRoute, type Flowi4 } from './fib-types.js';
import { ipIgnoreLinkdown } from './fib_trie.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { siphash } from './siphash.js';

function rol32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** jhash_2words() (include/linux/jhash.h): how a caller-provided flowi4_multipath_hash is folded in. */
function jhash2Words(a: number, b: number, initval: number): number {
  const JHASH_INITVAL = 0xdeadbeef;
  let x = (a + JHASH_INITVAL + (2 << 2) + initval) >>> 0;
  let y = (b + JHASH_INITVAL + (2 << 2) + initval) >>> 0;
  let c = (JHASH_INITVAL + (2 << 2) + initval) >>> 0;
  // __jhash_final(a, b, c)
  c = ((c ^ y) - rol32(y, 14)) >>> 0;
  x = ((x ^ c) - rol32(c, 11)) >>> 0;
  y = ((y ^ x) - rol32(x, 25)) >>> 0;
  c = ((c ^ y) - rol32(y, 16)) >>> 0;
  x = ((x ^ c) - rol32(c, 4)) >>> 0;
  y = ((y ^ x) - rol32(x, 14)) >>> 0;
  c = ((c ^ y) - rol32(y, 24)) >>> 0;
  return c;
}

/** fib_rebalance(): upper bounds over the alive next hops' weights (dead or ignored-linkdown: -1). */
export function fibRebalance(v4: Ipv4Netns, r: FibRoute): void {
  if (r.nhs.length < 2) return;
  const alive = (nh: FibRoute['nhs'][number]): boolean => !(nh.flags & RTNH_F_DEAD) && !(nh.flags & RTNH_F_LINKDOWN && ipIgnoreLinkdown(v4, nh.dev));
  let total = 0;
  for (const nh of r.nhs) if (alive(nh)) total += nh.weight;
  let w = 0;
  for (const nh of r.nhs) {
    if (!alive(nh) || total === 0) {
      nh.upperBound = -1;
      continue;
    }
    w += nh.weight;
    // DIV_ROUND_CLOSEST_ULL(w << 31, total) - 1
    nh.upperBound = Math.floor((w * 2 ** 31 + Math.floor(total / 2)) / total) - 1;
  }
}

/**
 * mp_seed: net.ipv4.fib_multipath_hash_seed, or (0) proc_fib_multipath_hash_rand_seed, one value per
 * boot shared by every namespace (the lab's PRNG draw here).
 */
export function multipathSeed(v4: Ipv4Netns): number {
  return v4.fibMultipathHashSeed || v4.ns.sim.rng.fork('fib_multipath_hash_rand_seed').u32();
}

const bswap32 = (x: number): number => (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
const bswap16 = (x: number): number => ((x & 0xff) << 8) | ((x >>> 8) & 0xff);

/**
 * flow_hash_from_keys_seed() for IPv4 keys: __flow_hash_consistentify() orders the addresses and the
 * ports (compared as the little-endian host reads the network-order fields), then SipHash-2-4 runs over
 * struct flow_keys from `basic` to the end of the IPv4 addresses (48 bytes on 6.18: basic, tags, vlan,
 * cvlan, keyid, ports, icmp, addrs; all zero but the fields set), keyed by mp_seed in all four halves
 * (fib_multipath_hash_construct_key). A zero hash becomes 1.
 */
export function flowHashFromKeys(seed: number, saddr: number, daddr: number, proto: number, sport: number, dport: number): number {
  if (bswap32(daddr) < bswap32(saddr)) [saddr, daddr] = [daddr, saddr];
  if (bswap16(dport) < bswap16(sport)) [sport, dport] = [dport, sport];
  const k = new Uint8Array(48);
  k[2] = proto;
  k[28] = sport >>> 8;
  k[29] = sport & 0xff;
  k[30] = dport >>> 8;
  k[31] = dport & 0xff;
  for (let i = 0; i < 4; i++) {
    k[36 + i] = (saddr >>> (24 - 8 * i)) & 0xff;
    k[40 + i] = (daddr >>> (24 - 8 * i)) & 0xff;
  }
  const s = seed >>> 0;
  const hash = siphash(k, s, s, s, s)[1];
  return hash === 0 ? 1 : hash;
}

export const FIB_MULTIPATH_HASH_FIELD_SRC_IP = 0x1;
export const FIB_MULTIPATH_HASH_FIELD_DST_IP = 0x2;
export const FIB_MULTIPATH_HASH_FIELD_IP_PROTO = 0x4;
export const FIB_MULTIPATH_HASH_FIELD_SRC_PORT = 0x10;
export const FIB_MULTIPATH_HASH_FIELD_DST_PORT = 0x20;

/**
 * fib_multipath_hash(): a 31-bit hash of the fields the policy selects. Like the kernel's
 * __flow_hash_consistentify, addresses and ports are ordered first, so both directions hash alike.
 */
export function fibMultipathHash(v4: Ipv4Netns, fl: Flowi4, skb = false): { hash: number; fields: string } {
  const policy = v4.sysctl.fib_multipath_hash_policy;
  let mask: number;
  if (policy === 1) mask = 0x37;
  else if (policy === 3) mask = v4.sysctl.fib_multipath_hash_fields;
  else mask = 0x3; // 0 and 2 (no encapsulation in the model: the outer L3 header)
  const src = mask & FIB_MULTIPATH_HASH_FIELD_SRC_IP ? fl.saddr : 0;
  const dst = mask & FIB_MULTIPATH_HASH_FIELD_DST_IP ? fl.daddr : 0;
  const sport = mask & FIB_MULTIPATH_HASH_FIELD_SRC_PORT ? fl.sport : 0;
  const dport = mask & FIB_MULTIPATH_HASH_FIELD_DST_PORT ? fl.dport : 0;
  const proto = mask & FIB_MULTIPATH_HASH_FIELD_IP_PROTO ? fl.proto : 0;
  // Policy 3 with no outer field selected hashes nothing (fib_multipath_custom_hash_*: 0); with a
  // packet, fib_multipath_custom_hash_skb() folds in the inner hash (0: no encapsulation in the model).
  let hash = policy === 3 && !(mask & 0x3f) ? 0 : flowHashFromKeys(multipathSeed(v4), src, dst, proto, sport, dport);
  if (policy === 3 && skb) hash = jhash2Words(hash, 0, 0);
  if (fl.mpHash) hash = jhash2Words(hash, fl.mpHash, 0);
  const names = ['src', 'dst', 'proto', '', 'sport', 'dport'].filter((n, i) => n && mask & (1 << i));
  return { hash: hash >>> 1, fields: names.join(',') };
}

/**
 * fib_select_multipath() (6.18's scoring loop): +2 when the next hop's source is the flow's source,
 * +1 when the hash is within its upper bound; the first best wins (early stop at 3, or at 1 without
 * a source). Returns the chosen index; the trace carries the bounds and the scores.
 */
export function fibSelectMultipath(v4: Ipv4Netns, res: FibResult, hash: number, saddr: Ipv4Addr, nhSaddr: (i: number) => Ipv4Addr): number {
  const r = res.route;
  let best = -1;
  let bestScore = -1;
  const scores: Array<{ nh: number; upper_bound: number; score: number | null }> = [];
  for (let i = 0; i < r.nhs.length; i++) {
    const nh = r.nhs[i]!;
    const ub = nh.upperBound ?? -1;
    if (ub === -1) {
      scores.push({ nh: i, upper_bound: ub, score: null });
      continue;
    }
    const score = (saddr && nhSaddr(i) === saddr ? 2 : 0) + (hash <= ub ? 1 : 0);
    scores.push({ nh: i, upper_bound: ub, score });
    if (score > bestScore) {
      best = i;
      bestScore = score;
      if (score === 3 || (!saddr && score === 1)) break;
    }
  }
  const chosen = best >= 0 ? best : (res.nhSel ?? 0);
  v4.ns.emit('fib_select_multipath', 'lookup', {
    prefix: `${formatIpv4(r.dst)}/${r.plen}`,
    hash,
    saddr: formatIpv4(saddr),
    nexthops: scores,
    decision: chosen,
    reason: best >= 0 ? (bestScore & 1 ? 'first next hop whose upper bound is >= the hash' : 'source address match') : 'no usable next hop: keep the lookup\'s first good one',
  });
  return chosen;
}

/** Pre-4.4 fib_select_multipath(): each next hop is taken `weight` times per round of Σweights lookups. */
export function fibSelectMultipathBook(v4: Ipv4Netns, r: FibRoute & { fibPower?: number }): number {
  const nhs = r.nhs as Array<FibRoute['nhs'][number] & { nhPower?: number }>;
  if (!r.fibPower || r.fibPower <= 0) {
    let power = 0;
    for (const nh of nhs) {
      if (nh.flags & RTNH_F_DEAD) continue;
      power += nh.weight;
      nh.nhPower = nh.weight;
    }
    r.fibPower = power;
    if (power <= 0) return 0;
  }
  // w = jiffies % fib_power (HZ = 250)
  const jiffies = Math.floor(Number(v4.ns.sim.now) / 4_000_000);
  let w = jiffies % r.fibPower;
  for (let i = 0; i < nhs.length; i++) {
    const nh = nhs[i]!;
    if (nh.flags & RTNH_F_DEAD || !nh.nhPower) continue;
    w -= nh.nhPower;
    if (w <= 0) {
      nh.nhPower--;
      r.fibPower--;
      v4.ns.emit('fib_select_multipath', 'lookup', { profile: 'book', prefix: `${formatIpv4(r.dst)}/${r.plen}`, jiffies, decision: i, nh_power_left: nh.nhPower, fib_power_left: r.fibPower, reason: 'weighted round robin (Linux < 4.4)' });
      return i;
    }
  }
  return 0;
}
