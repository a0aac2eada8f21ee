// net/ipv4/udp.c: UDP sockets — bind, sendmsg (routing, TTL/TOS, multicast interface), receive with
// the kernel's socket lookup (most specific binding wins for unicast; every matching socket gets a copy
// of multicast and broadcast) and ICMP port unreachable when no socket listens.

import { Errno, KernelError } from '../net/errno.js';
import { InetSock } from '../socket/inet-sock.js';
import { WireError } from '../wire/errors.js';
import { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH } from '../wire/icmp.js';
import { formatIpv4, isLbcast, isMulticast, type Ipv4Addr } from '../wire/inet.js';
import { IPPROTO_UDP } from '../wire/ipv4.js';
import { decodeUdp, encodeUdp } from '../wire/udp.js';
import type { Netns } from '../net/netns.js';
import { flow } from './fib-types.js';
import { icmpSend } from './icmp.js';
import type { InputSkb, IpInfo } from './ip_input.js';
import { buildDatagram, ipLocalOut } from './ip_output.js';
import { inetCurrentTimestamp, ipOptionsBuild, ipOptionsNexthop, ipSendmsgScope } from './ip_options.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { ipRouteOutput, type Rtable } from './route.js';

export interface UdpDatagram {
  data: Uint8Array;
  src: Ipv4Addr;
  sport: number;
  dst: Ipv4Addr;
  dport: number;
  ifindex: number;
  ttl: number;
  tos: number;
  /** Packet record id of the datagram that carried it. */
  pkt: number;
}

const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;

export class UdpSocket extends InetSock {
  localAddr: Ipv4Addr = 0;
  localPort = 0;
  readonly queue: UdpDatagram[] = [];
  onMessage: ((d: UdpDatagram) => void) | null = null;

  constructor(
    ns: Netns,
    private readonly table: UdpTable,
  ) {
    super(ns);
  }

  /** bind(): EADDRINUSE unless every socket on the port has SO_REUSEADDR; EADDRNOTAVAIL for a foreign unicast address. */
  bind(addr: Ipv4Addr, port: number): void {
    if (this.localPort) throw new KernelError(Errno.EINVAL);
    if (addr && !isMulticast(addr) && !isLbcast(addr) && !this.ns.ipv4.isLocalAddress(addr) && !this.ns.ipv4.sysctl.ip_nonlocal_bind) throw new KernelError(Errno.EADDRNOTAVAIL);
    const p = port || this.table.ephemeral(this.ns);
    for (const s of this.table.sockets) {
      if (s.localPort !== p || s === this) continue;
      const overlap = !s.localAddr || !addr || s.localAddr === addr;
      if (overlap && !(s.reuseAddr && this.reuseAddr)) throw new KernelError(Errno.EADDRINUSE);
    }
    this.localAddr = addr;
    this.localPort = p;
    this.table.sockets.push(this);
    this.ns.emit('udp_v4_get_port', 'state', { addr: formatIpv4(addr), port: p });
  }

  /** sendto(): returns the packet id. Errors are the kernel's (ENETUNREACH, EACCES for broadcast without SO_BROADCAST, ...). */
  sendto(data: Uint8Array, dst: Ipv4Addr, dport: number, opts: { src?: Ipv4Addr; df?: boolean } = {}): number {
    if (this.closed) throw new KernelError(Errno.EBADF);
    if (!dport) throw new KernelError(Errno.EINVAL);
    if (!this.localPort) this.bind(0, 0);
    const saddr = opts.src ?? this.localAddr;
    // IP_OPTIONS with a source route: udp_sendmsg() routes to its first hop (faddr).
    const nexthop = ipOptionsNexthop(this.ipOpt, dst);
    const oif = isMulticast(nexthop) ? this.mcIndex || this.bindDev || (this.mcAddr ? this.ifindexOf(this.mcAddr) : 0) : this.bindDev;
    const rt: Rtable = ipRouteOutput(this.ns.ipv4, flow({ daddr: nexthop, saddr: isMulticast(saddr) ? 0 : saddr, oif, tos: this.tos, proto: IPPROTO_UDP, sport: this.localPort, dport, mark: this.mark, scope: ipSendmsgScope(this.ipOpt) }));
    if (rt.type === 'broadcast' && !this.broadcast) throw new KernelError(Errno.EACCES);
    const src = saddr && !isMulticast(saddr) ? saddr : rt.src;
    const udp = encodeUdp({ srcPort: this.localPort, dstPort: dport }, data, src, dst);
    // UDP sockets default to IP_PMTUDISC_WANT: DF set (ip_dont_fragment), multicast included — observed in
    // the kernel's upcall bytes — with an id from the generator since the socket ignores DF locally.
    const df = opts.df ?? true;
    const options = this.ipOpt ? ipOptionsBuild(this.ipOpt, dst, src, inetCurrentTimestamp(this.ns.sim.now)) : [];
    const bytes = buildDatagram(this.ns.ipv4, { src, dst: nexthop, protocol: IPPROTO_UDP, ttl: this.ttlFor(nexthop), tos: this.tos, df, ignoreDf: true, options }, udp);
    const ev = this.ns.emit('udp_sendmsg', 'call', { src: formatIpv4(src), sport: this.localPort, dst: formatIpv4(dst), dport, len: data.length, dev: rt.dev.name });
    return this.ns.sim.trace.within(ev, () => ipLocalOut(this.ns.ipv4, bytes, rt, { mcLoop: this.mcLoop }));
  }

  private ifindexOf(addr: Ipv4Addr): number {
    for (const { dev, ifa } of this.ns.ipv4.allIfaddrs()) if (ifa.local === addr) return dev.ifindex;
    return 0;
  }

  deliver(d: UdpDatagram): void {
    this.queue.push(d);
    this.onMessage?.(d);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dropMemberships();
    const i = this.table.sockets.indexOf(this);
    if (i >= 0) this.table.sockets.splice(i, 1);
  }
}

export class UdpTable {
  readonly sockets: UdpSocket[] = [];
  private nextPort = 0;

  create(ns: Netns): UdpSocket {
    return new UdpSocket(ns, this);
  }

  /** inet_csk_get_port()-like ephemeral choice: a seeded start, then sequential. */
  ephemeral(ns: Netns): number {
    if (!this.nextPort) this.nextPort = EPHEMERAL_LOW + ns.sim.rng.below(EPHEMERAL_HIGH - EPHEMERAL_LOW + 1);
    for (let i = 0; i <= EPHEMERAL_HIGH - EPHEMERAL_LOW; i++) {
      const p = this.nextPort;
      this.nextPort = p >= EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
      if (!this.sockets.some((s) => s.localPort === p)) return p;
    }
    throw new KernelError(Errno.EADDRINUSE);
  }
}

/** compute_score(): -1 = no match; higher = more specific. */
function score(s: UdpSocket, dst: Ipv4Addr, dport: number, ifindex: number): number {
  if (s.localPort !== dport) return -1;
  let sc = 0;
  if (s.localAddr) {
    if (s.localAddr !== dst) return -1;
    sc += 4;
  }
  if (s.bindDev) {
    if (s.bindDev !== ifindex) return -1;
    sc += 4;
  }
  return sc;
}

/** __udp4_lib_rcv() */
export function udpRcv(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable): void {
  const ns = v4.ns;
  let d;
  try {
    d = decodeUdp(skb.bytes.subarray(info.headerLength, info.totalLength), info.src, info.dst);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    ns.emit('udp_rcv', 'drop', { reason: 'PKT_TOO_SMALL' }, skb.pkt);
    return;
  }
  if (d.checksumStatus === 'invalid') {
    ns.emit('udp_rcv', 'drop', { reason: 'UDP_CSUM' }, skb.pkt);
    return;
  }
  const dgram = (): UdpDatagram => ({
    data: d.payload.slice(),
    src: info.src,
    sport: d.header.srcPort,
    dst: info.dst,
    dport: d.header.dstPort,
    ifindex: skb.dev.ifindex,
    ttl: info.ttl,
    tos: info.tos,
    pkt: skb.pkt,
  });
  const ifindex = skb.dev.ifindex;
  if (rt.type === 'multicast' || rt.type === 'broadcast') {
    // __udp4_lib_mcast_deliver(): a copy to every socket on the port that wants it.
    const targets = v4.udp.sockets.filter((s) => score(s, info.dst, d.header.dstPort, ifindex) >= 0 && s.mcSfAllow(info.dst, info.src, ifindex));
    if (targets.length === 0) {
      ns.emit('__udp4_lib_mcast_deliver', 'drop', { reason: 'NO_SOCKET', dport: d.header.dstPort }, skb.pkt);
      return;
    }
    for (const s of targets) {
      ns.emit('udp_queue_rcv_skb', 'deliver', { sock: `${formatIpv4(s.localAddr)}:${s.localPort}`, from: `${formatIpv4(info.src)}:${d.header.srcPort}`, len: d.payload.length }, skb.pkt);
      s.deliver(dgram());
    }
    return;
  }
  let best: UdpSocket | null = null;
  let bestScore = -1;
  for (const s of v4.udp.sockets) {
    const sc = score(s, info.dst, d.header.dstPort, ifindex);
    if (sc > bestScore) {
      best = s;
      bestScore = sc;
    }
  }
  if (!best) {
    const ev = ns.emit('__udp4_lib_rcv', 'drop', { reason: 'NO_SOCKET', dport: d.header.dstPort }, skb.pkt);
    ns.sim.trace.within(ev, () => icmpSend(v4, skb, info, rt, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH));
    return;
  }
  ns.emit('udp_queue_rcv_skb', 'deliver', { sock: `${formatIpv4(best.localAddr)}:${best.localPort}`, from: `${formatIpv4(info.src)}:${d.header.srcPort}`, len: d.payload.length }, skb.pkt);
  best.deliver(dgram());
}
