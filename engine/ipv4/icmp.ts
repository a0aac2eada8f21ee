// net/ipv4/icmp.c: answering echo requests, sending ICMP errors with Linux's rules (never about an ICMP
// error, a non-first fragment, a multicast/broadcast datagram or a bogus source; rate-limited per
// destination by icmp_ratelimit/icmp_ratemask), and handing replies and errors to local sockets.

import { WireError } from '../wire/errors.js';
import {
  decodeIcmp,
  destUnreachable,
  echoReply,
  encodeIcmp,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_PARAMETERPROB,
  ICMP_REDIRECT,
  ICMP_TIME_EXCEEDED,
  icmpQuoteLength,
  timeExceeded,
  type IcmpMessage,
} from '../wire/icmp.js';
import { IPPROTO_ICMP } from '../wire/ipv4.js';
import { formatIpv4, isLbcast, isMulticast, isZeronet, type Ipv4Addr } from '../wire/inet.js';
import { NSEC_PER_MSEC } from '../sim/time.js';
import { flow } from './fib-types.js';
import type { InputSkb, IpInfo } from './ip_input.js';
import { buildDatagram, ipLocalOut } from './ip_output.js';
import { inetCurrentTimestamp, ipOptionsBuild, ipOptionsNexthop } from './ip_options.js';
import { ipOptionsEcho } from './ip_options_rcv.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { ipRouteOutput, type Rtable } from './route.js';
import { KernelError } from '../net/errno.js';

const ICMP_SOURCE_QUENCH = 4;
const IPTOS_PREC_INTERNETCONTROL = 0xc0;
const IPTOS_TOS_MASK = 0x1e;
/** XRLIM_BURST_FACTOR: a peer may save up this many tokens. */
const XRLIM_BURST_FACTOR = 6;

function isErrorType(t: number): boolean {
  return t === ICMP_DEST_UNREACH || t === ICMP_SOURCE_QUENCH || t === ICMP_REDIRECT || t === ICMP_TIME_EXCEEDED || t === ICMP_PARAMETERPROB;
}

/** icmp_rcv() */
export function icmpRcv(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable): void {
  const ns = v4.ns;
  const body = skb.bytes.subarray(info.headerLength, info.totalLength);
  let msg: IcmpMessage;
  try {
    const d = decodeIcmp(body);
    if (!d.checksumValid) {
      ns.emit('icmp_rcv', 'drop', { reason: 'ICMP_CSUM' }, skb.pkt);
      return;
    }
    msg = d.message;
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    ns.emit('icmp_rcv', 'drop', { reason: 'PKT_TOO_SMALL' }, skb.pkt);
    return;
  }
  const type = msg.kind === 'echo' ? msg.type : msg.kind === 'dest-unreachable' ? ICMP_DEST_UNREACH : msg.kind === 'time-exceeded' ? ICMP_TIME_EXCEEDED : msg.type;
  const ev = ns.emit('icmp_rcv', 'call', { type, code: msg.code, src: formatIpv4(info.src) }, skb.pkt);
  ns.sim.trace.within(ev, () => {
    if (msg.kind === 'echo' && msg.type === ICMP_ECHO) {
      if (v4.sysctl.icmp_echo_ignore_all) {
        ns.emit('icmp_echo', 'drop', { reason: 'icmp_echo_ignore_all' }, skb.pkt);
        return;
      }
      if ((rt.type === 'broadcast' || rt.type === 'multicast') && v4.sysctl.icmp_echo_ignore_broadcasts) {
        ns.emit('icmp_echo', 'drop', { reason: 'icmp_echo_ignore_broadcasts' }, skb.pkt);
        return;
      }
      icmpReply(v4, skb, info, rt, encodeIcmp(echoReply(msg.id, msg.seq, msg.data)));
      return;
    }
    // Echo replies and errors go to the sockets that wait for them (ping, UDP error queues).
    for (const l of v4.icmpListeners) l(msg, info, skb);
  });
}

/** icmp_reply(): the answer leaves from the address the request was sent to (or the route's choice). */
function icmpReply(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable, payload: Uint8Array): void {
  const saddr = rt.type === 'local' ? info.dst : 0;
  let out: Rtable;
  try {
    out = ipRouteOutput(v4, flow({ daddr: info.src, saddr, tos: info.tos & IPTOS_TOS_MASK, proto: IPPROTO_ICMP }));
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    v4.ns.emit('icmp_reply', 'drop', { reason: 'NO_ROUTE', errno: e.errno }, skb.pkt);
    return;
  }
  const bytes = buildDatagram(v4, { src: out.src, dst: info.src, protocol: IPPROTO_ICMP, ttl: v4.sysctl.ip_default_ttl, tos: info.tos, df: false }, payload);
  const ev = v4.ns.emit('icmp_reply', 'call', { dst: formatIpv4(info.src), src: formatIpv4(out.src) }, skb.pkt);
  v4.ns.sim.trace.within(ev, () => ipLocalOut(v4, bytes, out));
}

/** icmpv4_xrlim_allow(): token bucket per destination (inet_peer), loopback exempt. */
function xrlimAllow(v4: Ipv4Netns, type: number, dst: Ipv4Addr, outIsLoopback: boolean): boolean {
  if (type > 18 || !((v4.sysctl.icmp_ratemask >>> type) & 1)) return true;
  if (outIsLoopback) return true;
  const timeout = v4.sysctl.icmp_ratelimit * NSEC_PER_MSEC;
  if (timeout === 0) return true;
  const now = v4.ns.sim.now;
  const peer = v4.icmpPeers.get(dst) ?? { tokens: XRLIM_BURST_FACTOR * timeout, last: now };
  peer.tokens = Math.min(peer.tokens + (now - peer.last), XRLIM_BURST_FACTOR * timeout);
  peer.last = now;
  v4.icmpPeers.set(dst, peer);
  if (peer.tokens >= timeout) {
    peer.tokens -= timeout;
    return true;
  }
  return false;
}

/** __icmp_send(): an error about `skb` back to its source. */
export function icmpSend(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable, type: number, code: number, mtu = 0): void {
  const ns = v4.ns;
  const refuse = (reason: string): void => void ns.emit('icmp_send', 'drop', { type, code, reason }, skb.pkt);
  if (rt.type === 'multicast' || rt.type === 'broadcast' || isMulticast(info.dst) || isLbcast(info.dst)) return refuse('DST_NOT_UNICAST');
  if (skb.pktType !== 'HOST' && skb.pktType !== 'LOOPBACK' && skb.pktType !== 'OUTGOING') return refuse('NOT_PACKET_HOST');
  if (!info.firstFragment) return refuse('NOT_FIRST_FRAGMENT');
  if (isZeronet(info.src) || isMulticast(info.src) || isLbcast(info.src)) return refuse('BOGUS_SOURCE');
  if (info.protocol === IPPROTO_ICMP) {
    const innerType = skb.bytes[info.headerLength];
    if (innerType === undefined || isErrorType(innerType)) return refuse('ABOUT_ICMP_ERROR');
  }
  // The source: our address if the packet was for us, else what the route back to the sender picks.
  let saddr = rt.type === 'local' ? info.dst : 0;
  if (!saddr && v4.sysctl.icmp_errors_use_inbound_ifaddr) saddr = skb.dev.inDev.ifaList[0]?.local ?? 0;
  const tos = (info.tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL;
  // __ip_options_echo(): the received options go back (a reversed source route is the way back).
  const echo = info.opt ? ipOptionsEcho(info.opt, skb.bytes, (a) => v4.inetAddrType(a) === 'unicast') : null;
  if (echo === 'EINVAL') return refuse('OPTIONS_ECHO');
  let out: Rtable;
  try {
    out = ipRouteOutput(v4, flow({ daddr: ipOptionsNexthop(echo, info.src), saddr, tos: tos & IPTOS_TOS_MASK, proto: IPPROTO_ICMP }));
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return refuse('NO_ROUTE');
  }
  if (!xrlimAllow(v4, type, info.src, out.dev.kind === 'loopback')) return refuse('RATELIMIT');
  const optlen = echo ? echo.data.length : 0;
  const whole = skb.bytes.subarray(0, info.totalLength);
  const original = whole.subarray(0, icmpQuoteLength(whole, 'linux', 576, optlen));
  // Parameter Problem: `mtu` carries icmp_send()'s info word (the pointer in its top byte).
  const msg: IcmpMessage =
    type === ICMP_TIME_EXCEEDED ? timeExceeded(code, original) : type === ICMP_PARAMETERPROB ? { kind: 'generic', type, code, rest: mtu >>> 0, data: original.slice() } : destUnreachable(code, original, mtu);
  const options = echo ? ipOptionsBuild(echo, info.src, out.src, inetCurrentTimestamp(ns.sim.now)) : undefined;
  const bytes = buildDatagram(v4, { src: out.src, dst: ipOptionsNexthop(echo, info.src), protocol: IPPROTO_ICMP, ttl: v4.sysctl.ip_default_ttl, tos, df: false, ...(options ? { options } : {}) }, encodeIcmp(msg));
  const ev = ns.emit('icmp_send', 'call', { type, code, dst: formatIpv4(info.src), src: formatIpv4(out.src) }, skb.pkt);
  ns.sim.trace.within(ev, () => ipLocalOut(v4, bytes, out));
}

