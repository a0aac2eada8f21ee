// A small IGMP querier (the router side of RFC 2236 / RFC 3376 that Linux leaves to daemons such as
// mrouted, igmpproxy or the bridge's querier): general queries (startup burst, then every query
// interval), querier election by lowest address (a querier that hears a lower-addressed one falls
// silent for the other-querier-present interval), membership timers per group, and group-specific
// queries when a v2 leave arrives. It hears IGMP as such a daemon does, through a raw IGMP socket that
// joined 224.0.0.22 and 224.0.0.2 and sits on the Router Alert chain (IP_ROUTER_ALERT): raw_v4_input
// gives it every IGMP datagram the node delivers locally (queries to 224.0.0.1, v3 reports, leaves,
// reports for groups the node is in), and ip_mr_input's ip_call_ra_chain gives it the Router Alert
// reports to any other group that reach a multicast router (a VIF puts the device in allmulti and
// turns on mc_forwarding). Without a VIF or membership, Linux drops such reports, and so does the model.

import { Errno, KernelError } from '../net/errno.js';
import type { NetDevice } from '../net/netdevice.js';
import type { Netns } from '../net/netns.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC, type Nanos } from '../sim/time.js';
import { KernelTimer } from '../sim/timer.js';
import { formatIpv4, INADDR_ALLHOSTS_GROUP, INADDR_ALLIGMPV3RTRS_GROUP, INADDR_ALLRTRS_GROUP, type Ipv4Addr } from '../wire/inet.js';
import { decodeIgmp, encodeIgmp, IGMPV3_CHANGE_TO_INCLUDE, IGMPV3_MODE_IS_INCLUDE, IGMPV3_BLOCK_OLD_SOURCES, type IgmpMessage } from '../wire/igmp.js';
import { IPPROTO_IGMP } from '../wire/ipv4.js';
import { routerAlert } from '../wire/ipv4-options.js';
import { flow } from '../ipv4/fib-types.js';
import { IPPROTO_IP, IP_ROUTER_ALERT } from '../socket/constants.js';
import { RawSocket, type RawMessage } from '../socket/raw.js';
import { setsockopt } from '../socket/sockopt.js';
import { buildDatagram, ipLocalOut } from '../ipv4/ip_output.js';
import { ipRouteOutput } from '../ipv4/route.js';

/** Send one IGMP message out of `dev` the way a daemon's raw socket does (TTL 1, TOS 0xc0, Router Alert). */
export function sendIgmpQuery(ns: Netns, dev: NetDevice, msg: IgmpMessage, dst: Ipv4Addr = INADDR_ALLHOSTS_GROUP): number | null {
  const v4 = ns.ipv4;
  let rt;
  try {
    rt = ipRouteOutput(v4, flow({ daddr: dst, oif: dev.ifindex, proto: IPPROTO_IGMP }));
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    ns.emit('igmp_querier', 'drop', { dev: dev.name, dst: formatIpv4(dst), errno: e.errno });
    return null;
  }
  const bytes = buildDatagram(v4, { src: rt.src, dst, protocol: IPPROTO_IGMP, ttl: 1, tos: 0xc0, df: true, options: [routerAlert()] }, encodeIgmp(msg));
  return ipLocalOut(v4, bytes, rt, { mcLoop: false });
}

/** IGMPV3_MRC/QQIC encoding of a value (1/10 s or s): exact below 128, else the floating-point form. */
export function igmpv3Code(value: number): number {
  if (value < 128) return value;
  for (let exp = 0; exp < 8; exp++) {
    const mant = (value >> (exp + 3)) - 0x10;
    if (mant >= 0 && mant < 16) return 0x80 | (exp << 4) | mant;
  }
  return 0xff;
}

export interface QuerierOptions {
  dev: string;
  /** 2 or 3 (default 3). */
  version?: 2 | 3;
  robustness?: number;
  /** Query interval (default 125 s). */
  queryInterval?: Nanos;
  /** Query response interval (default 10 s). */
  responseInterval?: Nanos;
  /** Last member query interval (default 1 s). */
  lastMemberInterval?: Nanos;
}

export interface QuerierHandle {
  /** Is this node the elected querier? */
  readonly querier: boolean;
  /** Groups with a running membership timer, and when it expires. */
  readonly groups: ReadonlyMap<Ipv4Addr, Nanos>;
  stop(): void;
}

export function startQuerier(ns: Netns, o: QuerierOptions): QuerierHandle {
  const dev = ns.devByName(o.dev);
  if (!dev) throw new KernelError(Errno.ENODEV, `no device "${o.dev}"`);
  const version = o.version ?? 3;
  const rv = o.robustness ?? 2;
  const qi = o.queryInterval ?? 125 * NSEC_PER_SEC;
  const qri = o.responseInterval ?? 10 * NSEC_PER_SEC;
  const lmqi = o.lastMemberInterval ?? NSEC_PER_SEC;
  const gmi = rv * qi + qri;
  const otherPresent = rv * qi + qri / 2;
  const myAddr = (): Ipv4Addr => dev.inDev.ifaList[0]?.local ?? 0;
  const groups = new Map<Ipv4Addr, Nanos>();
  const groupTimers = new Map<Ipv4Addr, KernelTimer>();
  /** Groups in "checking membership" after a leave: repeated leaves do not restart the queries. */
  const leaving = new Set<Ipv4Addr>();
  let querier = true;
  let startup = rv;
  let stopped = false;

  const query = (group: Ipv4Addr, maxResp: Nanos): void => {
    const tenths = Math.max(1, Math.round(maxResp / (100 * NSEC_PER_MSEC)));
    const msg: IgmpMessage =
      version === 2
        ? { kind: 'query-v2', maxRespTime: Math.min(255, tenths), group }
        : { kind: 'query-v3', maxRespCode: igmpv3Code(tenths), group, sFlag: false, qrv: rv & 7, qqic: igmpv3Code(Math.round(qi / NSEC_PER_SEC)), sources: [] };
    const ev = ns.emit('igmp_querier', 'call', { dev: dev.name, query: group ? 'group-specific' : 'general', group: formatIpv4(group), version });
    ns.sim.trace.within(ev, () => sendIgmpQuery(ns, dev, msg, group || INADDR_ALLHOSTS_GROUP));
  };

  const generalTimer = new KernelTimer(ns.sim, ns.name, 'igmp_querier_general_query', () => {
    if (!querier || stopped) return;
    query(0, qri);
    if (startup > 0) startup--;
    generalTimer.modIn(startup > 0 ? qi / 4 : qi);
  }, () => ({ dev: dev.name }));
  const otherQuerierTimer = new KernelTimer(ns.sim, ns.name, 'igmp_querier_other_querier_present', () => {
    querier = true;
    ns.emit('igmp_querier', 'state', { dev: dev.name, querier: true, reason: 'other querier timed out' });
    generalTimer.modIn(0);
  }, () => ({ dev: dev.name }));

  const membership = (group: Ipv4Addr, expires: Nanos, fromReport = true): void => {
    if (fromReport) leaving.delete(group);
    let t = groupTimers.get(group);
    if (!t) {
      t = new KernelTimer(ns.sim, ns.name, 'igmp_querier_group_expire', () => {
        groups.delete(group);
        groupTimers.delete(group);
        leaving.delete(group);
        ns.emit('igmp_querier', 'state', { dev: dev.name, group: formatIpv4(group), member: false });
      }, () => ({ dev: dev.name, group: formatIpv4(group) }));
      groupTimers.set(group, t);
      ns.emit('igmp_querier', 'state', { dev: dev.name, group: formatIpv4(group), member: true });
    }
    groups.set(group, expires);
    t.mod(expires);
  };

  /** A leave (or v3 change to INCLUDE{}): ask the group with last-member queries before forgetting it. */
  const lastMember = (group: Ipv4Addr): void => {
    if (!querier || !groups.has(group) || leaving.has(group)) return;
    leaving.add(group);
    for (let i = 0; i < rv; i++) ns.sim.schedule(i * lmqi, () => !stopped && querier && groups.has(group) && query(group, lmqi));
    membership(group, Math.min(groups.get(group)!, ns.sim.now + rv * lmqi), false);
  };

  const heard = (m: RawMessage): void => {
    if (stopped || m.kind !== 'packet' || m.ifindex !== dev.ifindex) return;
    const ihl = (m.bytes[0]! & 15) * 4;
    const src = ((m.bytes[12]! << 24) | (m.bytes[13]! << 16) | (m.bytes[14]! << 8) | m.bytes[15]!) >>> 0;
    let msg: IgmpMessage;
    try {
      msg = decodeIgmp(m.bytes.subarray(ihl)).message;
    } catch {
      return;
    }
    const now = ns.sim.now;
    switch (msg.kind) {
      case 'query-v1':
      case 'query-v2':
      case 'query-v3':
        // election: the lowest address queries
        if (src && src < myAddr()) {
          if (querier) ns.emit('igmp_querier', 'state', { dev: dev.name, querier: false, other: formatIpv4(src) });
          querier = false;
          generalTimer.del();
          otherQuerierTimer.modIn(otherPresent);
        }
        break;
      case 'report-v1':
      case 'report-v2':
        membership(msg.group, now + gmi);
        break;
      case 'leave-v2':
        lastMember(msg.group);
        break;
      case 'report-v3':
        for (const r of msg.records) {
          const leaving = (r.type === IGMPV3_CHANGE_TO_INCLUDE || r.type === IGMPV3_MODE_IS_INCLUDE) && r.sources.length === 0;
          if (leaving) lastMember(r.group);
          else if (r.type !== IGMPV3_BLOCK_OLD_SOURCES) membership(r.group, now + gmi);
        }
        break;
      default:
        break;
    }
  };

  // socket(AF_INET, SOCK_RAW, IPPROTO_IGMP); IP_ROUTER_ALERT; v3 reports and v2 leaves joined on the
  // device (as mrouted and igmpproxy join them). The socket is read as soon as the kernel queues.
  const sk = new RawSocket(ns, IPPROTO_IGMP);
  setsockopt(sk, IPPROTO_IP, IP_ROUTER_ALERT, 1);
  for (const g of [INADDR_ALLIGMPV3RTRS_GROUP, INADDR_ALLRTRS_GROUP]) sk.join({ multiaddr: g, ifindex: dev.ifindex });
  sk.onMessage = () => {
    for (let m = sk.recv(); m; m = sk.recv()) heard(m);
  };
  generalTimer.modIn(0);
  return {
    get querier() {
      return querier;
    },
    groups,
    stop() {
      if (stopped) return;
      stopped = true;
      generalTimer.del();
      otherQuerierTimer.del();
      for (const t of groupTimers.values()) t.del();
      sk.close();
    },
  };
}
