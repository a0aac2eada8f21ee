// Route and next-hop records (struct fib_alias + fib_info + fib_nh, flattened), and rtnetlink constants.

import type { NetDevice } from '../net/netdevice.js';
import type { Ipv4Addr } from '../wire/inet.js';

export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export const RTPROT_UNSPEC = 0;
export const RTPROT_REDIRECT = 1;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;

export const RTNH_F_DEAD = 1;
export const RTNH_F_PERVASIVE = 2;
export const RTNH_F_ONLINK = 4;
export const RTNH_F_OFFLOAD = 8;
export const RTNH_F_LINKDOWN = 16;

/**
 * Bumped whenever next-hop flags change in place (fib_sync_down_dev, fib_sync_up, carrier changes): the
 * tries' per-leaf summaries of their first alias (fib_trie_kv.ts) that predate it are recomputed on use.
 */
export const fibNhEpoch = { value: 1 };

export type RouteType =
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'anycast'
  | 'multicast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit'
  | 'throw'
  | 'nat';

export interface FibNh {
  gw: Ipv4Addr;
  dev: NetDevice | null;
  /** nhc_weight (1..256); `ip route` shows weight-1+1. */
  weight: number;
  flags: number;
  scope: number;
  /** nhc_upper_bound (fib_rebalance): hash-threshold bound, -1 when the next hop is unusable. */
  upperBound?: number;
}

export interface FibRoute {
  table: number;
  dst: Ipv4Addr;
  plen: number;
  tos: number;
  type: RouteType;
  protocol: number;
  scope: number;
  /** fib_priority, `metric`. */
  priority: number;
  /** fib_prefsrc, 0 if none. */
  prefsrc: Ipv4Addr;
  nhs: FibNh[];
  /** fib_metrics: RTAX_* values at index type-1 (index 0: the RTAX_LOCK mask); absent when all are 0. */
  metrics?: number[];
}

export const RTAX_LOCK = 1;
export const RTAX_MTU = 2;
export const RTAX_HOPLIMIT = 10;
export const RTAX_MAX = 17;

/** The flow key of a lookup (struct flowi4), reduced to what the model uses so far. */
export interface Flowi4 {
  daddr: Ipv4Addr;
  saddr: Ipv4Addr;
  oif: number;
  iif: number;
  mark: number;
  tos: number;
  proto: number;
  sport: number;
  dport: number;
  uid: number;
  /** flowi4_scope: routes of a narrower scope only (gateway validation); 0 otherwise. */
  scope?: number;
  /** flowi4_multipath_hash, when the caller already hashed the packet. */
  mpHash?: number;
  /** A packet is at hand (forwarding, or `ip route get`'s dummy skb): fib_multipath_hash() hashes the skb. */
  skb?: boolean;
}

export function flow(init: Partial<Flowi4> & { daddr: Ipv4Addr }): Flowi4 {
  return { saddr: 0, oif: 0, iif: 0, mark: 0, tos: 0, proto: 0, sport: 0, dport: 0, uid: 0, ...init };
}

export interface FibResult {
  route: FibRoute;
  nh: FibNh | null;
  table: number;
  /** nh_sel: index of `nh` in route.nhs. */
  nhSel?: number;
  /** The rule that produced the result (pref), when the rule engine ran. */
  rulePref?: number;
}
