// The serialisable state of one node (network namespace) at one moment: plain JSON, so the host can
// store it, diff it and send it to the renderer. Times are absolute simulated ns (a timer's expiry,
// not its remaining time), so a state does not go stale while the clock runs. `views` holds the exact
// text of `ip` and `/proc` views, printed by the engine's own printers.

import type { JsonValue } from '../sim/trace.js';

/** One device (struct net_device with its IPv4 in_device). */
export interface DeviceState {
  ifindex: number;
  name: string;
  kind: string;
  /** dev_get_flags(): what `ip link` shows. */
  flags: number;
  operstate: string;
  mtu: number;
  mac: string;
  carrier: boolean;
  /** dev->allmulti reference count (ipmr takes one per VIF). */
  allmulti: number;
  promiscuity: number;
  /** Hardware multicast filter: [MAC, references]. */
  mc: [string, number][];
  /** The peer of a veth: "node/dev" ('' if none). */
  peer: string;
  txqlen: number;
  group: number;
  qdisc: string;
  carrierChanges: number;
}

export interface AddressState {
  dev: string;
  local: string;
  address: string;
  prefixlen: number;
  broadcast: string;
  scope: number;
  label: string;
  flags: number;
}

export interface NextHopState {
  gw: string;
  dev: string;
  weight: number;
  flags: number;
}

export interface RouteState {
  dst: string;
  plen: number;
  type: string;
  tos: number;
  protocol: number;
  scope: number;
  metric: number;
  prefsrc: string;
  nhs: NextHopState[];
}

export interface FibState {
  tables: { id: number; routes: RouteState[] }[];
  /** The policy rules in list order, each as the fields that select and act. */
  rules: { [field: string]: JsonValue }[];
}

export interface VifState {
  vifi: number;
  dev: string;
  flags: number;
  threshold: number;
  local: number;
  remote: string;
  bytesIn: number;
  pktIn: number;
  bytesOut: number;
  pktOut: number;
}

export interface MfcState {
  origin: string;
  group: string;
  /** Input VIF. */
  iif: number;
  /** Output VIFs with their TTL thresholds. */
  oifs: [vif: number, ttl: number][];
  pkt: number;
  bytes: number;
  wrongIf: number;
  lastuse: number;
}

export interface UnresState {
  origin: string;
  group: string;
  /** Absolute simulated time the entry expires at. */
  expires: number;
  /** Packets queued on the entry (at most 4), by packet id. */
  queued: number;
  pkts: (number | null)[];
}

export interface MrTableState {
  id: number;
  /** An mroute socket (MRT_INIT) owns the table. */
  mrouteSocket: boolean;
  vifs: VifState[];
  mfc: MfcState[];
  unres: UnresState[];
  /** ipmr_expire_process: absolute expiry, or null when not armed. */
  expireTimer: number | null;
  assert: boolean;
  pim: boolean;
}

export interface IpmrState {
  tables: MrTableState[];
  rules: { pref: number; action: string; table: number; iif: string; oif: string }[];
}

export interface IgmpGroupState {
  group: string;
  users: number;
  /** 'include' | 'exclude' */
  mode: string;
  sfcount: [exclude: number, include: number];
  sources: { addr: string; include: number; exclude: number }[];
  /** Report timer: absolute expiry, or null when not running. */
  timer: number | null;
  reporter: boolean;
  unsolicitCount: number;
}

export interface IgmpDevState {
  dev: string;
  /** Compatibility mode (1, 2, 3) and the times older queriers were last heard until (0 = never). */
  v1Seen: number;
  v2Seen: number;
  qi: number;
  qri: number;
  qrv: number;
  gqTimer: number | null;
  ifcTimer: number | null;
  ifcCount: number;
  groups: IgmpGroupState[];
}

export interface SocketState {
  /** Position among the node's sockets of its kind (creation order). */
  id: string;
  type: 'raw' | 'udp';
  protocol: number;
  local: string;
  /** MRT_INIT done on this socket for these tables. */
  mrouteTables: number[];
  memberships: { group: string; ifindex: number; mode: string; sources: string[] | null }[];
  /** Datagrams or upcalls waiting to be read. */
  queued: number;
}

export interface SysctlState {
  /** net.ipv4.* namespace-wide integers. */
  ipv4: { [key: string]: number };
  /** net.ipv4.conf.{all,default,DEV}.* that routing and multicast depend on. */
  conf: { [dev: string]: { [key: string]: number } };
}

/** The parts a node's state is stored and diffed by; views depend on some of them (see views.ts). */
export interface NodeParts {
  links: DeviceState[];
  /** Device counters by device name (ip -s link). */
  stats: { [dev: string]: { [counter: string]: number } };
  addrs: AddressState[];
  sysctl: SysctlState;
  fib: FibState;
  /** null until something uses multicast routing in the namespace. */
  ipmr: IpmrState | null;
  igmp: IgmpDevState[];
  sockets: SocketState[];
}

export type PartName = keyof NodeParts;
export const PART_NAMES: readonly PartName[] = ['links', 'stats', 'addrs', 'sysctl', 'fib', 'ipmr', 'igmp', 'sockets'];

export interface NodeState extends NodeParts {
  node: string;
  role: string;
  /** View name (the command a user types, e.g. 'ip route show table all') → its exact output. */
  views: { [view: string]: string };
}

/** Every node of a lab at one point of a run: after event `seq`, before the next one. */
export interface NetState {
  seq: number;
  t: number;
  nodes: { [node: string]: NodeState };
}
