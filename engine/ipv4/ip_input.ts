// net/ipv4/ip_input.c: ip_rcv → ip_rcv_finish (routing decision) → ip_local_deliver or ip_forward.

import type { SkBuff } from '../net/skbuff.js';
import { WireError } from '../wire/errors.js';
import { decodeIpv4Header, IPPROTO_ICMP, IPPROTO_UDP } from '../wire/ipv4.js';
import { formatIpv4, isZeronet } from '../wire/inet.js';
import { RT_SCOPE_LINK, RT_SCOPE_UNIVERSE } from './devinet.js';
import { flow } from './fib-types.js';
import { LOOPBACK_IFINDEX } from './fib_rules.js';
import { inetCurrentTimestamp, ipOptionsCompileRcv, type RcvOptions } from './ip_options.js';
import { ipOptionsRcvSrr } from './ip_options_rcv.js';
import { icmpRcv, icmpSend } from './icmp.js';
import { ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, ICMP_NET_UNREACH, ICMP_PARAMETERPROB, ICMP_PKT_FILTERED, ICMP_PROT_UNREACH } from '../wire/icmp.js';
import { ipForward } from './ip_forward.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { fibLookup, ipRouteInput, selectAddr, type Rtable } from './route.js';
import { udpRcv } from './udp.js';

export type InputSkb = SkBuff & { dev: NonNullable<SkBuff['dev']> };

/** A decoded view of the header the input path needs. */
export interface IpInfo {
  src: number;
  dst: number;
  protocol: number;
  ttl: number;
  tos: number;
  headerLength: number;
  totalLength: number;
  fragmented: boolean;
  firstFragment: boolean;
  /** IPCB(skb)->opt: the options ip_rcv_options() compiled (headers longer than 20 bytes). */
  opt?: RcvOptions;
}

export function ipRcv(v4: Ipv4Netns, skb: SkBuff): void {
  const dev = skb.dev!;
  const ns = v4.ns;
  // ip_rcv_core(): frames for another host's MAC are not ours.
  if (skb.pktType === 'OTHERHOST') {
    ns.emit('ip_rcv', 'drop', { dev: dev.name, reason: 'OTHERHOST' }, skb.pkt);
    return;
  }
  let info: IpInfo;
  try {
    // ip_rcv_core() does not parse options (ip_rcv_options does, after routing, answering malformed ones
    // with Parameter Problem).
    const { header, checksumValid } = decodeIpv4Header(skb.bytes, false);
    if (!checksumValid) {
      ns.emit('ip_rcv', 'drop', { dev: dev.name, reason: 'IP_CSUM' }, skb.pkt);
      return;
    }
    if (header.totalLength > skb.bytes.length || header.totalLength < header.ihl * 4) {
      ns.emit('ip_rcv', 'drop', { dev: dev.name, reason: 'PKT_TOO_SMALL' }, skb.pkt);
      return;
    }
    info = {
      src: header.src,
      dst: header.dst,
      protocol: header.protocol,
      ttl: header.ttl,
      tos: header.tos,
      headerLength: header.ihl * 4,
      totalLength: header.totalLength,
      fragmented: header.mf || header.fragmentOffset !== 0,
      firstFragment: header.fragmentOffset === 0,
    };
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    ns.emit('ip_rcv', 'drop', { dev: dev.name, reason: 'IP_INHDR', error: e.message }, skb.pkt);
    return;
  }
  const ev = ns.emit('ip_rcv', 'call', { dev: dev.name, src: formatIpv4(info.src), dst: formatIpv4(info.dst), proto: info.protocol, ttl: info.ttl }, skb.pkt);
  ns.sim.trace.within(ev, () => ipRcvFinish(v4, { ...skb, dev }, info));
}

/** ip_rcv_finish(): route the packet, then dst_input(). */
function ipRcvFinish(v4: Ipv4Netns, skb: InputSkb, info: IpInfo): void {
  if (skb.dst && skb.pktType === 'LOOPBACK') {
    // The output route came with the skb through lo: no second lookup. Its dst.input is ip_local_deliver
    // for a local route (RTCF_LOCAL) and dst_discard for any other (a route to elsewhere `dev lo`).
    const rt = skb.dst as Rtable;
    if (info.headerLength > 20) {
      const o = ipRcvOptions(v4, skb, info, rt);
      if (!o) return;
      skb = o.skb;
    }
    if (rt.type === 'local') ipLocalDeliver(v4, skb, info, rt);
    else v4.ns.emit('dst_discard', 'drop', { dev: skb.dev.name, route: rt.type, reason: 'output route looped back' }, skb.pkt);
    return;
  }
  const res = ipRouteInput(v4, info.dst, info.src, info.tos, skb.dev, info.protocol, inputKeys(skb, info));
  if (!res.ok) {
    const ev = v4.ns.emit('ip_route_input_noref', 'drop', { dev: skb.dev.name, reason: res.reason, errno: res.errno }, skb.pkt);
    if (res.reason === 'NO_ROUTE') v4.ns.sim.trace.within(ev, () => ipError(v4, skb, info, res.errno));
    return;
  }
  let rt = res.rt;
  if (info.headerLength > 20) {
    const o = ipRcvOptions(v4, skb, info, rt);
    if (!o) return;
    ({ skb, rt } = o);
  }
  switch (rt.input) {
    case 'local':
      ipLocalDeliver(v4, skb, info, rt);
      break;
    case 'forward':
      ipForward(v4, skb, info, rt);
      break;
    case 'mr_input':
      if (v4.mrInput) v4.mrInput(skb, info, rt);
      else v4.ns.emit('ip_mr_input', 'drop', { reason: 'NO_MR_TABLE' }, skb.pkt);
      break;
    default:
      break;
  }
}

/**
 * ip_rcv_options(): compile the received options on a private copy of the bytes (skb_cow), recording our
 * address and the time where asked (a bad option: Parameter Problem and drop); a source route is refused
 * unless accept_source_route is on for all AND the device, else it moves on (ip_options_rcv_srr). Returns
 * the skb and the route it now takes, or null when dropped.
 */
function ipRcvOptions(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable): { skb: InputSkb; rt: Rtable } | null {
  const ns = v4.ns;
  const bytes = skb.bytes.slice();
  const out: InputSkb = { ...skb, bytes };
  const ctx = { specDst: () => fibComputeSpecDst(v4, out, info, rt), msSinceMidnight: inetCurrentTimestamp(ns.sim.now) };
  const opt = ipOptionsCompileRcv(bytes, (a) => v4.inetAddrType(a) === 'unicast', ctx);
  if ('ppPtr' in opt) {
    info.opt = opt.partial;
    const ev = ns.emit('ip_rcv_options', 'drop', { reason: 'IP_INHDR', pointer: opt.ppPtr }, skb.pkt);
    ns.sim.trace.within(ev, () => icmpSend(v4, out, info, rt, ICMP_PARAMETERPROB, 0, (opt.ppPtr << 24) >>> 0));
    return null;
  }
  info.opt = opt;
  ns.emit('ip_rcv_options', 'state', { srr: opt.srr, rr: opt.rr, ts: opt.ts, router_alert: opt.routerAlert, changed: opt.isChanged });
  if (!opt.srr) return { skb: out, rt };
  if (!(v4.devconfAll.values.accept_source_route && skb.dev.inDev?.conf.values.accept_source_route)) {
    ns.emit('ip_rcv_options', 'drop', { reason: 'SOURCE_ROUTE_REFUSED', dev: skb.dev.name }, skb.pkt);
    return null;
  }
  const next = ipOptionsRcvSrr(v4, out, info, rt, opt);
  return next ? { skb: out, rt: next } : null;
}

/** fib_compute_spec_dst(): our destination if the packet is for us, else the source we would answer from. */
function fibComputeSpecDst(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable): number {
  if (rt.type === 'local') return info.dst;
  let scope = RT_SCOPE_LINK;
  if (!isZeronet(info.src)) {
    const res = fibLookup(v4, flow({ daddr: info.src, iif: LOOPBACK_IFINDEX, tos: info.tos & 0xfc }));
    if (res) return res.route.prefsrc || selectAddr(v4, res.nh?.dev ?? null, res.nh?.gw ?? 0, res.route.scope);
    scope = RT_SCOPE_UNIVERSE;
  }
  return selectAddr(v4, skb.dev, info.src, scope);
}

/** skb->mark and the L4 ports, which policy rules and the multipath hash may look at. */
function inputKeys(skb: InputSkb, info: IpInfo): { mark: number; sport: number; dport: number; looped: boolean } {
  const ihl = (skb.bytes[0]! & 0x0f) * 4;
  const hasPorts = (info.protocol === 6 || info.protocol === IPPROTO_UDP || info.protocol === 132) && info.firstFragment && skb.bytes.length >= ihl + 4;
  const b = skb.bytes;
  return { mark: skb.mark, sport: hasPorts ? (b[ihl]! << 8) | b[ihl + 1]! : 0, dport: hasPorts ? (b[ihl + 2]! << 8) | b[ihl + 3]! : 0, looped: skb.pktType === 'LOOPBACK' };
}

/** ip_error(): the route said no (forwarding on): ICMP unreachable with the code for the error. */
function ipError(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, errno: number): void {
  const code = errno === 101 /* ENETUNREACH */ ? ICMP_NET_UNREACH : errno === 113 /* EHOSTUNREACH */ ? ICMP_HOST_UNREACH : errno === 13 /* EACCES */ ? ICMP_PKT_FILTERED : -1;
  if (code < 0) {
    v4.ns.emit('ip_error', 'drop', { reason: 'blackhole: dropped silently', errno }, skb.pkt);
    return;
  }
  const rt: Rtable = { type: 'unreachable', dev: skb.dev, gw: 0, src: 0, table: 0 };
  icmpSend(v4, skb, info, rt, ICMP_DEST_UNREACH, code);
}

/** ip_local_deliver() → ip_local_deliver_finish(): raw sockets see it first, then the protocol handler. */
export function ipLocalDeliver(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable): void {
  if (info.fragmented) {
    v4.ns.emit('ip_local_deliver', 'drop', { reason: 'FRAGMENT_NOT_MODELLED' }, skb.pkt);
    return;
  }
  const ev = v4.ns.emit('ip_local_deliver', 'call', { proto: info.protocol, route: rt.type }, skb.pkt);
  v4.ns.sim.trace.within(ev, () => {
    const rawTaken = v4.rawDeliver ? v4.rawDeliver(skb, info) : false;
    const handler = v4.protocolHandlers.get(info.protocol);
    if (handler) handler(skb, info, rt);
    else if (info.protocol === IPPROTO_UDP) udpRcv(v4, skb, info, rt);
    else if (info.protocol === IPPROTO_ICMP) icmpRcv(v4, skb, info, rt);
    else if (!rawTaken) {
      v4.ns.emit('ip_local_deliver_finish', 'drop', { reason: 'NO_PROTOCOL', proto: info.protocol }, skb.pkt);
      icmpSend(v4, skb, info, rt, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH);
    }
  });
}
