// net/ipv4/ip_forward.c: forwarding a unicast datagram — TTL check and Time Exceeded, the new bytes with
// TTL decremented (ip_decrease_ttl), strict source route check, MTU check, options (ip_forward_options),
// then the output path.

import { ICMP_DEST_UNREACH, ICMP_EXC_TTL, ICMP_FRAG_NEEDED, ICMP_SR_FAILED, ICMP_TIME_EXCEEDED } from '../wire/icmp.js';
import { decrementTtl } from '../wire/ipv4-fields.js';
import { IP_DF } from '../wire/ipv4.js';
import { formatIpv4 } from '../wire/inet.js';
import { icmpSend } from './icmp.js';
import type { InputSkb, IpInfo } from './ip_input.js';
import { ipForwardOptions } from './ip_options_rcv.js';
import { ipFinishOutput2 } from './ip_output.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import type { Rtable } from './route.js';

export function ipForward(v4: Ipv4Netns, skb: InputSkb, info: IpInfo, rt: Rtable): void {
  const ns = v4.ns;
  // Frames that were not addressed to our MAC are never forwarded.
  if (skb.pktType !== 'HOST') {
    ns.emit('ip_forward', 'drop', { reason: 'NOT_PACKET_HOST', pkt_type: skb.pktType }, skb.pkt);
    return;
  }
  if (info.ttl <= 1) {
    const ev = ns.emit('ip_forward', 'drop', { reason: 'TTL_EXPIRED', ttl: info.ttl }, skb.pkt);
    ns.sim.trace.within(ev, () => icmpSend(v4, skb, info, rt, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL));
    return;
  }
  // Strict routing permits no gatewaying.
  if (info.opt?.isStrictroute && rt.gw) {
    const ev = ns.emit('ip_forward', 'drop', { reason: 'SR_FAILED', gw: formatIpv4(rt.gw) }, skb.pkt);
    ns.sim.trace.within(ev, () => icmpSend(v4, skb, info, rt, ICMP_DEST_UNREACH, ICMP_SR_FAILED));
    return;
  }
  const df = ((skb.bytes[6]! << 8) | skb.bytes[7]!) & IP_DF;
  if (info.totalLength > rt.dev.mtu) {
    if (df) {
      const ev = ns.emit('ip_forward', 'drop', { reason: 'PKT_TOO_BIG', mtu: rt.dev.mtu, len: info.totalLength }, skb.pkt);
      ns.sim.trace.within(ev, () => icmpSend(v4, skb, info, rt, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, rt.dev.mtu));
    } else {
      ns.emit('ip_forward', 'drop', { reason: 'FRAGMENTATION_NOT_MODELLED', mtu: rt.dev.mtu, len: info.totalLength }, skb.pkt);
    }
    return;
  }
  const bytes = skb.bytes.slice();
  const ttl = decrementTtl(bytes);
  // ip_forward_finish(): ip_forward_options() rewrites the header (and its checksum) after the TTL.
  if (info.opt) ipForwardOptions(v4, bytes, skb, rt, info.opt);
  const pkt = ns.sim.trace.packet(ns.name, rt.dev.name, bytes, skb.pkt);
  const ev = ns.emit('ip_forward', 'call', { in: skb.dev.name, out: rt.dev.name, ttl, gw: rt.gw ? formatIpv4(rt.gw) : null }, pkt);
  ns.sim.trace.within(ev, () => ipFinishOutput2(v4, { ...skb, pkt, bytes, dev: rt.dev, pktType: 'OUTGOING' }, rt));
}
