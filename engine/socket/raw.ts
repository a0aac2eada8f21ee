// net/ipv4/raw.c + the Router Alert chain of ip_sockglue.c: raw IPv4 sockets (a multicast routing
// daemon's socket(AF_INET, SOCK_RAW, IPPROTO_IGMP)), their receive queue — IP datagrams of their
// protocol (raw_local_deliver) and, on the mroute socket, igmpmsg upcalls — and ip_ra_control /
// ip_call_ra_chain.

import { inetCurrentTimestamp, ipOptionsBuild, ipOptionsNexthop, ipSendmsgScope } from '../ipv4/ip_options.js';
import { Errno, KernelError } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import { decodeIgmp, type IgmpDecoded } from '../wire/igmp.js';
import { decodeIgmpmsg, igmpmsgTypeName, type IgmpmsgDecoded } from '../wire/igmpmsg.js';
import { formatIpv4, isLbcast, isMulticast, type Ipv4Addr } from '../wire/inet.js';
import { WireError } from '../wire/errors.js';
import { flow } from '../ipv4/fib-types.js';
import type { InputSkb, IpInfo } from '../ipv4/ip_input.js';
import { buildDatagram, ipLocalOut } from '../ipv4/ip_output.js';
import { ipRouteOutput } from '../ipv4/route.js';
import { IPPROTO_IGMP, IPPROTO_RAW, SOCK_RAW } from './constants.js';
import { InetSock } from './inet-sock.js';
import { skbTruesize } from './sock-rcvbuf.js';

/** One datagram read from a raw socket: the IP header and payload, as recvfrom() returns them. */
export interface RawMessage {
  kind: 'packet' | 'upcall';
  bytes: Uint8Array;
  /** Packet record id of the datagram (or of the packet an upcall reports). */
  pkt: number | null;
  /** Arrival interface (IP_PKTINFO), 0 for upcalls. */
  ifindex: number;
  /** The decoded igmpmsg, for upcalls (im_mbz, the protocol byte, is 0). */
  upcall?: IgmpmsgDecoded;
  /** The decoded IGMP message, for IGMP datagrams that decode. */
  igmp?: IgmpDecoded;
  /** skb->truesize charged to the socket's receive buffer until the message is read. */
  truesize?: number;
}

interface RaEntry {
  sk: RawSocket;
  destructor: ((sk: RawSocket) => void) | null;
}

/** net->ipv4.ra_chain and the raw socket table of each namespace. */
const raChains = new WeakMap<Netns, RaEntry[]>();
const rawTables = new WeakMap<Netns, RawSocket[]>();

function rawTable(ns: Netns): RawSocket[] {
  let t = rawTables.get(ns);
  if (!t) {
    t = [];
    rawTables.set(ns, t);
    const table = t;
    ns.ipv4.rawDeliver = (skb, info) => rawLocalDeliver(ns, table, skb, info);
  }
  return t;
}

export class RawSocket extends InetSock {
  readonly type = SOCK_RAW;
  /** raw_sk(sk)->ipmr_table (MRT_TABLE); 0 means RT_TABLE_DEFAULT. */
  ipmrTable = 0;
  /** ns_capable(CAP_NET_ADMIN): lab daemons run as root. */
  capNetAdmin = true;
  readonly queue: RawMessage[] = [];
  /** inet_rcv_saddr, set by bind(): when non-zero, only datagrams to this address are received. */
  rcvSaddr: Ipv4Addr = 0;
  /** inet_saddr: the source address of what it sends; 0 (the route's) after a multicast/broadcast bind. */
  saddr: Ipv4Addr = 0;
  /**
   * Called synchronously from inside the kernel path that queued the message (sock_queue_rcv_skb),
   * before that path has finished (e.g. before the unresolved entry of a NOCACHE exists). A daemon
   * must react from a later event, as a woken process does (sim.schedule).
   */
  onMessage: ((m: RawMessage) => void) | null = null;

  constructor(
    ns: Netns,
    /** inet_num: the IP protocol this socket receives and sends. */
    readonly protocol: number,
  ) {
    super(ns);
    rawTable(ns).unshift(this); // sk_add_node(): newest first
  }

  private push(m: RawMessage): void {
    this.rmemAlloc += m.truesize ?? 0;
    this.queue.push(m);
    this.onMessage?.(m);
  }

  /** sk_rmem_alloc: truesize of the queued messages; sk_drops: messages refused for a full buffer. */
  rmemAlloc = 0;
  drops = 0;

  /** __sock_queue_rcv_skb(): refused (-ENOMEM) once rmem_alloc has reached sk_rcvbuf. */
  private rcvbufFull(pkt: number | null): boolean {
    if (this.rmemAlloc < this.rcvbuf) return false;
    this.drops++;
    this.ns.emit('sock_queue_rcv_skb', 'drop', { sock: `raw/${this.protocol}`, reason: 'receive buffer full', rmem_alloc: this.rmemAlloc, rcvbuf: this.rcvbuf, drops: this.drops, errno: 'ENOMEM' }, pkt);
    return true;
  }

  /** recvfrom(): the oldest queued datagram, or undefined (EAGAIN for a non-blocking socket). */
  recv(): RawMessage | undefined {
    const m = this.queue.shift();
    if (m) this.rmemAlloc -= m.truesize ?? 0;
    return m;
  }

  /** sock_queue_rcv_skb() of an ipmr_cache_report() upcall. */
  queueUpcall(bytes: Uint8Array, pkt: number | null): boolean {
    if (this.closed || this.rcvbufFull(pkt)) return false;
    const upcall = decodeIgmpmsg(bytes);
    // NOCACHE/WRONGVIF are built in alloc_skb(128); the WHOLEPKT kinds copy the datagram.
    const truesize = skbTruesize(upcall.msg.msgtype <= 2 ? 128 : bytes.length);
    const ev = this.ns.emit('sock_queue_rcv_skb', 'deliver', { sock: `raw/${this.protocol}`, msgtype: igmpmsgTypeName(upcall.msg.msgtype), vif: upcall.vifIndex, len: bytes.length }, pkt);
    this.ns.sim.trace.within(ev, () => this.push({ kind: 'upcall', bytes, pkt, ifindex: 0, upcall, truesize }));
    return true;
  }

  /** raw_rcv(): a copy of the datagram. */
  rawRcv(skb: InputSkb, info: IpInfo): void {
    if (this.closed || this.rcvbufFull(skb.pkt)) return;
    const bytes = skb.bytes.slice(0, info.totalLength);
    let igmp: IgmpDecoded | undefined;
    if (info.protocol === IPPROTO_IGMP) {
      try {
        igmp = decodeIgmp(bytes.subarray(info.headerLength));
      } catch (e) {
        if (!(e instanceof WireError)) throw e;
      }
    }
    const ev = this.ns.emit('raw_rcv', 'deliver', { sock: `raw/${this.protocol}`, src: formatIpv4(info.src), dst: formatIpv4(info.dst), dev: skb.dev.name, len: bytes.length }, skb.pkt);
    // The received skb's truesize depends on the driver; approximated as a fresh skb for the frame.
    const truesize = skbTruesize(bytes.length + 14);
    this.ns.sim.trace.within(ev, () => this.push({ kind: 'packet', bytes, pkt: skb.pkt, ifindex: skb.dev.ifindex, igmp, truesize }));
  }

  /**
   * raw_bind(): a local, multicast or broadcast address, or 0.0.0.0 (else EADDRNOTAVAIL unless
   * ip_nonlocal_bind). There is no port. From then on raw_v4_match() skips datagrams to other addresses:
   * a raw socket bound to a unicast address no longer sees multicast, e.g. PIM hellos to 224.0.0.13.
   */
  bind(addr: Ipv4Addr): void {
    if (this.closed) throw new KernelError(Errno.EBADF);
    const special = addr === 0 || isMulticast(addr) || isLbcast(addr);
    if (!special && !this.ns.ipv4.isLocalAddress(addr) && !this.ns.ipv4.sysctl.ip_nonlocal_bind) throw new KernelError(Errno.EADDRNOTAVAIL);
    this.rcvSaddr = addr;
    this.saddr = special ? 0 : addr;
  }

  /** sendto() without IP_HDRINCL: the kernel builds the header (multicast TTL and interface apply). */
  sendto(payload: Uint8Array, dst: Ipv4Addr, opts: { src?: Ipv4Addr } = {}): number {
    if (this.closed) throw new KernelError(Errno.EBADF);
    if (this.protocol === IPPROTO_RAW) throw new KernelError(Errno.EINVAL);
    // IP_OPTIONS with a source route: raw_sendmsg() routes to its first hop (daddr 0 is EINVAL then).
    if (this.ipOpt?.srr && !dst) throw new KernelError(Errno.EINVAL);
    const nexthop = ipOptionsNexthop(this.ipOpt, dst);
    const oif = isMulticast(nexthop) ? this.mcIndex || this.bindDev : this.bindDev;
    const saddr = opts.src ?? this.saddr;
    const rt = ipRouteOutput(this.ns.ipv4, flow({ daddr: nexthop, saddr, oif, tos: this.tos, proto: this.protocol, mark: this.mark, scope: ipSendmsgScope(this.ipOpt) }));
    const src = saddr || rt.src;
    const options = this.ipOpt ? ipOptionsBuild(this.ipOpt, dst, src, inetCurrentTimestamp(this.ns.sim.now)) : [];
    // IP_PMTUDISC_WANT (ip_no_pmtu_disc = 0): DF on every datagram, multicast included (observed).
    const bytes = buildDatagram(this.ns.ipv4, { src, dst: nexthop, protocol: this.protocol, ttl: this.ttlFor(nexthop), tos: this.tos, df: true, ignoreDf: true, options }, payload);
    const ev = this.ns.emit('raw_sendmsg', 'call', { proto: this.protocol, dst: formatIpv4(dst), dev: rt.dev.name, len: payload.length });
    return this.ns.sim.trace.within(ev, () => ipLocalOut(this.ns.ipv4, bytes, rt, { mcLoop: this.mcLoop }));
  }

  /** raw_close(): leaves the Router Alert chain (running mrtsock_destruct for a daemon), drops groups. */
  close(): void {
    if (this.closed) return;
    try {
      ipRaControl(this, false, null);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e; // not on the chain
    }
    this.closed = true;
    this.dropMemberships();
    const t = rawTable(this.ns);
    const i = t.indexOf(this);
    if (i >= 0) t.splice(i, 1);
    this.ns.emit('raw_close', 'call', { proto: this.protocol });
  }
}

/** ip_ra_control(): join (on) or leave the Router Alert chain; leaving runs the destructor. */
export function ipRaControl(sk: InetSock, on: boolean, destructor: ((sk: RawSocket) => void) | null): void {
  if (!(sk instanceof RawSocket) || sk.protocol === IPPROTO_RAW) throw new KernelError(Errno.EINVAL);
  let chain = raChains.get(sk.ns);
  if (!chain) {
    chain = [];
    raChains.set(sk.ns, chain);
  }
  const i = chain.findIndex((r) => r.sk === sk);
  if (i >= 0) {
    if (on) throw new KernelError(Errno.EADDRINUSE);
    const [ra] = chain.splice(i, 1);
    sk.ns.emit('ip_ra_control', 'state', { on: false, proto: sk.protocol });
    ra!.destructor?.(sk);
    return;
  }
  if (!on) throw new KernelError(Errno.ENOBUFS);
  chain.push({ sk, destructor });
  sk.ns.emit('ip_ra_control', 'state', { on: true, proto: sk.protocol });
}

/** ip_call_ra_chain(): Router Alert packets go to every chain socket of their protocol; true if one took it. */
export function ipCallRaChain(ns: Netns, skb: InputSkb, info: IpInfo): boolean {
  const takers = (raChains.get(ns) ?? []).filter((r) => r.sk.protocol === info.protocol && (!r.sk.bindDev || r.sk.bindDev === skb.dev.ifindex));
  ns.emit('ip_call_ra_chain', 'lookup', { proto: info.protocol, sockets: takers.length, decision: takers.length ? 'consumed' : 'none' }, skb.pkt);
  for (const r of takers) r.sk.rawRcv(skb, info);
  return takers.length > 0;
}

/** raw_local_deliver() → raw_v4_input(): a copy to every raw socket of the protocol that wants it. */
function rawLocalDeliver(ns: Netns, table: readonly RawSocket[], skb: InputSkb, info: IpInfo): boolean {
  let taken = false;
  for (const sk of [...table]) {
    if (sk.protocol !== info.protocol) continue;
    if (sk.bindDev && sk.bindDev !== skb.dev.ifindex) continue;
    if (sk.rcvSaddr && sk.rcvSaddr !== info.dst) continue;
    if (isMulticast(info.dst) && !sk.mcSfAllow(info.dst, info.src, skb.dev.ifindex)) continue;
    sk.rawRcv(skb, info);
    taken = true;
  }
  if (!taken && table.length > 0) ns.emit('raw_v4_input', 'lookup', { proto: info.protocol, decision: 'no raw socket' }, skb.pkt);
  return taken;
}
