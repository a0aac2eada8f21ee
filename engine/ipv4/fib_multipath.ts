// Multipath next-hop choice: fib_rebalance() and fib_select_multipath() (net/ipv4/fib_semantics.c),
// fib_multipath_hash() (net/ipv4/route.c), and the pre-4.4 per-lookup weighted round robin the book
// describes (fib_power/nh_power), used when the lab runs the "book" kernel profile.
// Facts: shared/kernel/policy-routing.md §9. The hash is not the kernel's SipHash over struct
// flow_keys, so a flow may take another hop than on a real host; what matches Linux is which fields
// count, the direction independence, the 31-bit threshold comparison and the determinism rules.

import { formatIpv4, type Ipv4Addr } from '../wire/inet.js';
import { RTNH_F_DEAD, RTNH_F_LINKDOWN, type FibResult, type FibRoute, type Flowi4 } from './fib-types.js';
import { ipIgnoreLinkdown } from './fib_trie.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { fmix32 } from '../sim/fingerprint.js';

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

function mix(h: number, k: number): number {
  // murmur3's 32-bit block step: every input bit reaches every output bit.
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The seed: net.ipv4.fib_multipath_hash_seed, or (0) one value per "boot", shared by every namespace. */
export function multipathSeed(v4: Ipv4Netns): number {
  return v4.fibMultipathHashSeed || v4.ns.sim.rng.fork('fib_multipath_hash_rand_seed').u32();
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
export function fibMultipathHash(v4: Ipv4Netns, fl: Flowi4): { hash: number; fields: string } {
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
  const [a1, a2] = src <= dst ? [src, dst] : [dst, src];
  const [p1, p2] = sport <= dport ? [sport, dport] : [dport, sport];
  let h = multipathSeed(v4) | 0;
  for (const k of [a1, a2, (p1 << 16) | p2, proto]) h = mix(h, k | 0);
  let hash = fmix32(h ^ 16);
  if (hash === 0) hash = 1;
  if (fl.mpHash) hash = fmix32(mix(hash | 0, fl.mpHash | 0));
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
