// net/ipv4/ip_options.c, the receiving and forwarding side: a source-routed datagram addressed to us moves on to
// its next hop (ip_options_rcv_srr), a forward records the output address (ip_forward_options), and an ICMP
// error carries the received options back (__ip_options_echo). Compiling a received header is ip_options.ts's
// (ipOptionsCompileRcv, called by ip_rcv_options in ip_input.ts).

import { formatIpv4, type Ipv4Addr } from '../wire/inet.js';
import { read32, write32 } from '../wire/bytes.js';
import { IPOPT_END } from '../wire/ipv4-options.js';
import { ICMP_PARAMETERPROB } from '../wire/icmp.js';
import { ipSendCheck } from '../wire/ipv4-fields.js';
import { RT_SCOPE_UNIVERSE } from './devinet.js';
import { flow } from './fib-types.js';
import { icmpSend } from './icmp.js';
import type { InputSkb, IpInfo } from './ip_input.js';
import { IPOPT_TS_PRESPEC, IPV4_HDR, type AddrIsUnicast, type IpOptions, type RcvOptions } from './ip_options.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { fibLookup, ipRouteInput, selectAddr, type Rtable } from './route.js';

/**
 * ip_options_rcv_srr(): a source-routed datagram addressed to us goes on to the route's next hop. Returns the
 * route the datagram now takes (the input route of the next hop), or null to drop it. Hops that are our own
 * addresses are skipped by rewriting the destination only ("superfast loopback forward"); the pointer moves
 * when ip_forward_options() records us.
 */
export function ipOptionsRcvSrr(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable, opt: RcvOptions): Rtable | null {
  const ns = v4.ns;
  const drop = (reason: string, extra: Record<string, unknown> = {}): null => (ns.emit('ip_options_rcv_srr', 'drop', { reason, ...extra }, skb.pkt), null);
  if (skb.pktType !== 'HOST') return drop('NOT_PACKET_HOST', { pkt_type: skb.pktType });
  if (rt.type === 'unicast') {
    if (!opt.isStrictroute) return rt; // a loose route passing through: forwarded to its destination as is
    // A strict route must name every hop: a datagram for someone else is a problem with its destination.
    const ev = ns.emit('ip_options_rcv_srr', 'drop', { reason: 'STRICT_ROUTE_NOT_FOR_US' }, skb.pkt);
    ns.sim.trace.within(ev, () => icmpSend(v4, skb, info, rt, ICMP_PARAMETERPROB, 0, (16 << 24) >>> 0));
    return null;
  }
  if (rt.type !== 'local') return drop('NOT_LOCAL', { route: rt.type });
  const h = skb.bytes;
  const o = opt.srr;
  const srrspace = h[o + 1]!;
  let srrptr = h[o + 2]!;
  let nexthop = 0;
  let cur = rt;
  for (; srrptr <= srrspace; srrptr += 4) {
    if (srrptr + 3 > srrspace) {
      const ev = ns.emit('ip_options_rcv_srr', 'drop', { reason: 'SRR_PARTIAL_ADDRESS' }, skb.pkt);
      ns.sim.trace.within(ev, () => icmpSend(v4, skb, info, rt, ICMP_PARAMETERPROB, 0, ((o + 2) << 24) >>> 0));
      return null;
    }
    nexthop = read32(h, o + srrptr - 1);
    const r = ipRouteInput(v4, nexthop, info.src, info.tos, skb.dev, info.protocol, { mark: skb.mark });
    if (!r.ok || (r.rt.type !== 'unicast' && r.rt.type !== 'local')) return drop('NEXTHOP_ROUTE', { nexthop: formatIpv4(nexthop), route: r.ok ? r.rt.type : r.reason });
    cur = r.rt;
    if (cur.type !== 'local') break;
    write32(h, 16, nexthop);
    info.dst = nexthop;
    opt.isChanged = true;
  }
  if (srrptr <= srrspace) {
    opt.srrIsHit = true;
    opt.nexthop = nexthop;
    opt.isChanged = true;
  }
  ns.emit('ip_options_rcv_srr', 'state', { hit: opt.srrIsHit, nexthop: formatIpv4(nexthop), route: cur.type });
  return cur;
}

/**
 * ip_rt_get_source(): on an output route (multicast forwarding routes each copy with ip_route_output) the
 * datagram's own source address; on an input route the preferred source of fib_lookup(daddr, saddr, oif = the
 * output device), else inet_select_addr() on the output device toward the next hop.
 */
function rtGetSource(v4: Ipv4Netns, h: Uint8Array, skb: InputSkb, rt: Rtable, outputRoute: boolean): Ipv4Addr {
  if (outputRoute) return read32(h, 12);
  const daddr = read32(h, 16);
  const res = fibLookup(v4, flow({ daddr, saddr: read32(h, 12), oif: rt.dev.ifindex, iif: skb.dev.ifindex, tos: h[1]! & 0xfc, mark: skb.mark }));
  // fib_lookup_good_nhc(): a next hop on another device than oif does not match.
  if (res && (!res.nh || res.nh.dev === rt.dev)) return res.route.prefsrc || selectAddr(v4, res.nh?.dev ?? null, res.nh?.gw ?? 0, res.route.scope);
  return selectAddr(v4, rt.dev, rt.gw || daddr, RT_SCOPE_UNIVERSE);
}

/**
 * ip_forward_options(): on the way out, record route gets the output address (over the input's spec_dst),
 * a source route hit moves the destination to the next hop and records us in its slot, and the header
 * checksum is recomputed if anything changed. `h` is the forwarded header, edited in place.
 */
export function ipForwardOptions(v4: Ipv4Netns, h: Uint8Array, skb: InputSkb, rt: Rtable, opt: RcvOptions, outputRoute = false): void {
  if (opt.rrNeedaddr) {
    write32(h, opt.rr + h[opt.rr + 2]! - 5, rtGetSource(v4, h, skb, rt, outputRoute));
    opt.isChanged = true;
  }
  if (opt.srrIsHit) {
    const o = opt.srr;
    const srrspace = h[o + 1]!;
    let srrptr = h[o + 2]!;
    for (; srrptr <= srrspace; srrptr += 4) {
      if (srrptr + 3 > srrspace) break;
      if (read32(h, o + srrptr - 1) === opt.nexthop) break;
    }
    if (srrptr + 3 <= srrspace) {
      opt.isChanged = true;
      write32(h, 16, opt.nexthop);
      write32(h, o + srrptr - 1, rtGetSource(v4, h, skb, rt, outputRoute));
      h[o + 2] = srrptr + 4;
    } else v4.ns.emit('ip_forward_options', 'drop', { reason: 'Argh! Destination lost!' }, skb.pkt);
    // As in the kernel, timestamp-with-address is rewritten only here, for a source route hit.
    if (opt.tsNeedaddr) {
      write32(h, opt.ts + h[opt.ts + 2]! - 9, rtGetSource(v4, h, skb, rt, outputRoute));
      opt.isChanged = true;
    }
  }
  if (opt.isChanged) {
    opt.isChanged = false;
    ipSendCheck(h);
  }
}

/**
 * __ip_options_echo(): the options an ICMP error about a received datagram carries back — its record route
 * and timestamp (with room for the answering host) and its source route reversed (the way back), padded.
 * `hdr` is the received header as input left it. null: nothing to echo; 'EINVAL': no error is sent.
 */
export function ipOptionsEcho(sopt: RcvOptions, hdr: Uint8Array, isUnicast: AddrIsUnicast): IpOptions | null | 'EINVAL' {
  const out: number[] = [];
  let rr = 0, ts = 0, srr = 0, faddr = 0;
  let rrNeedaddr = false, tsNeedaddr = false, tsNeedtime = false, isStrictroute = false;
  if (sopt.rr) {
    const optlen = hdr[sopt.rr + 1]!;
    const soffset = hdr[sopt.rr + 2]!;
    rr = IPV4_HDR + out.length;
    const d = Array.from(hdr.subarray(sopt.rr, sopt.rr + optlen));
    if (sopt.rrNeedaddr && soffset <= optlen) {
      if (soffset + 3 > optlen) return 'EINVAL';
      d[2] = soffset + 4;
      rrNeedaddr = true;
    }
    out.push(...d);
  }
  if (sopt.ts) {
    const optlen = hdr[sopt.ts + 1]!;
    let soffset = hdr[sopt.ts + 2]!;
    ts = IPV4_HDR + out.length;
    const d = Array.from(hdr.subarray(sopt.ts, sopt.ts + optlen));
    if (soffset <= optlen) {
      if (sopt.tsNeedaddr) {
        if (soffset + 3 > optlen) return 'EINVAL';
        tsNeedaddr = true;
        soffset += 4;
      }
      if (sopt.tsNeedtime) {
        if (soffset + 3 > optlen) return 'EINVAL';
        if ((d[3]! & 0xf) !== IPOPT_TS_PRESPEC) {
          tsNeedtime = true;
          soffset += 4;
        } else if (soffset + 7 <= optlen && !isUnicast(read32(hdr, sopt.ts + soffset - 1))) {
          tsNeedtime = true;
          soffset += 8;
        }
      }
      d[2] = soffset;
    }
    out.push(...d);
  }
  if (sopt.srr) {
    // The hops already passed, in reverse; the first of them is where the answer is routed (faddr).
    const start = sopt.srr;
    const optlen = hdr[start + 1]!;
    let soffset = hdr[start + 2]!;
    let doffset = 0;
    if (soffset > optlen) soffset = optlen + 1;
    soffset -= 4;
    const d: number[] = [];
    if (soffset > 3) {
      faddr = read32(hdr, start + soffset - 1);
      for (soffset -= 4, doffset = 4; soffset > 3; soffset -= 4, doffset += 4) d.push(...hdr.subarray(start + soffset - 1, start + soffset + 3));
      // RFC 1812 requires to fix illegal source routes: the sender itself is not a hop back.
      if (read32(hdr, 12) === read32(hdr, start + soffset + 3)) doffset -= 4;
    }
    if (doffset > 3) {
      // doffset + 3 bytes: the hops back, then the slot ip_options_build() fills with the original source.
      const o = new Array<number>(doffset + 3).fill(0);
      o.splice(0, 3, hdr[start]!, doffset + 3, 4);
      for (let i = 0; i < d.length && 3 + i < o.length; i++) o[3 + i] = d[i]!;
      srr = IPV4_HDR + out.length;
      out.push(...o);
      isStrictroute = sopt.isStrictroute;
    }
  }
  if (out.length === 0) return null;
  while (out.length & 3) out.push(IPOPT_END);
  return { data: Uint8Array.from(out), srr, rr, ts, faddr, isStrictroute, rrNeedaddr, tsNeedaddr, tsNeedtime, routerAlert: 0 };
}
