// net/ipv4/ip_output.c: building a datagram for a local sender, ip_output/ip_mc_output, and the
// neighbour step (ip_finish_output2). Neighbour resolution is instantaneous in this model: the MAC of
// the next hop is read from the topology. A next hop nobody answers for fails after the kernel's
// 3 s of ARP probes (ucast_solicit 3 × retrans_time 1 s) and the packet is dropped.

import { IFF_LOOPBACK, IFF_NOARP } from '../net/if-flags.js';
import { devQueueXmit, netifRx, processContext } from '../net/link-xmit.js';
import type { NetDevice } from '../net/netdevice.js';
import { BROADCAST_MAC, type SkBuff } from '../net/skbuff.js';
import { NSEC_PER_SEC } from '../sim/time.js';
import { encodeIpv4 } from '../wire/ipv4.js';
import type { Ipv4Option } from '../wire/ipv4-options.js';
import { ethMcMap, formatIpv4, isLbcast, isLocalMulticast, isMulticast, type Ipv4Addr } from '../wire/inet.js';
import { ipCheckMc } from './igmp.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import type { Rtable } from './route.js';

export interface BuildOptions {
  src: Ipv4Addr;
  dst: Ipv4Addr;
  protocol: number;
  ttl: number;
  tos: number;
  df: boolean;
  /**
   * skb->ignore_df: set for sockets with IP_PMTUDISC_WANT (ip_sk_ignore_df), the default of UDP, raw and
   * ping sockets. Their DF datagrams still take an id from the generator; only packets the kernel builds
   * itself with DF (IGMP) carry id 0 (ip_select_ident_segs).
   */
  ignoreDf?: boolean;
  options?: Ipv4Option[];
}

/** __ip_select_ident(): a fresh IP id (a per-namespace counter from a seeded start). */
export function ipSelectIdent(v4: Ipv4Netns): number {
  if (v4.ipId === 0) v4.ipId = 1 + v4.ns.sim.rng.below(0xfffe);
  v4.ipId = (v4.ipId + 1) & 0xffff;
  return v4.ipId;
}

export function buildDatagram(v4: Ipv4Netns, o: BuildOptions, payload: Uint8Array): Uint8Array {
  return encodeIpv4(
    { ttl: o.ttl, protocol: o.protocol, src: o.src, dst: o.dst, tos: o.tos, df: o.df, id: o.df && !o.ignoreDf ? 0 : ipSelectIdent(v4), options: o.options ?? [] },
    payload,
  );
}

export interface LocalOutOptions {
  /**
   * IP_MULTICAST_LOOP (sk_mc_loop): a local copy of multicast for members on the output interface. Given
   * only by a socket's sendmsg, which runs in process context, so a looped-back copy is received at once
   * (netifRx); the kernel's own senders (IGMP and ICMP, skb->sk NULL: loop on) run from timers or the
   * receive path, where the copy waits in the backlog.
   */
  mcLoop?: boolean;
}

/** ip_local_out(): a locally built datagram leaves along `rt`. Returns the packet record id. */
export function ipLocalOut(v4: Ipv4Netns, bytes: Uint8Array, rt: Rtable, opts: LocalOutOptions = {}): number {
  const { mcLoop } = opts;
  return mcLoop === undefined ? localOut(v4, bytes, rt, true) : processContext(v4.ns.sim, () => localOut(v4, bytes, rt, mcLoop));
}

function localOut(v4: Ipv4Netns, bytes: Uint8Array, rt: Rtable, mcLoop: boolean): number {
  const pkt = v4.ns.sim.trace.packet(v4.ns.name, rt.dev.name, bytes);
  const ev = v4.ns.emit('ip_local_out', 'call', { dev: rt.dev.name, route: rt.type, len: bytes.length }, pkt);
  v4.ns.sim.trace.within(ev, () => {
    const skb: SkBuff = { pkt, bytes, dev: rt.dev, pktType: 'OUTGOING', mark: 0 };
    if (rt.type === 'local') {
      // Destined to ourselves: through the loopback device.
      const lo = v4.ns.devByName('lo')!;
      devQueueXmit({ ...skb, dev: lo, dstMac: lo.mac, dst: rt });
      return;
    }
    if (rt.type === 'multicast' || rt.type === 'broadcast') ipMcOutput(v4, skb, rt, mcLoop);
    else ipFinishOutput2(v4, skb, rt);
  });
  return pkt;
}

/**
 * ip_mc_output(): loop a copy back for local members (IP_MULTICAST_LOOP), then transmit. The copy goes
 * first (ip_mc_finish_output → dev_loopback_xmit → netif_rx): from a socket's sendmsg it is received —
 * local delivery, ip_mr_input and its upcall — before the original leaves (e.g. before reg_vif_xmit's
 * WHOLEPKT); from softirq (ipmr forwarding, IGMP timers) it is received after.
 */
export function ipMcOutput(v4: Ipv4Netns, skb: SkBuff, rt: Rtable, loop: boolean): void {
  const dst = readDst(skb.bytes);
  const dev = rt.dev;
  // On a multicast router (IN_DEV_MFORWARD, routable group) the copy is looped even without members:
  // it reaches ip_mr_input through the output route (ipmr's forwarded copies pass loop = member).
  const mforward = isMulticast(dst) && !isLocalMulticast(dst) && v4.devconfAll.values.mc_forwarding !== 0 && dev.inDev.conf.values.mc_forwarding !== 0;
  if (loop && ((isMulticast(dst) && (mforward || ipCheckMc(dev.inDev, dst, 0, skb.bytes[9]!))) || rt.type === 'broadcast')) {
    v4.ns.emit('dev_loopback_xmit', 'call', { dev: dev.name }, skb.pkt);
    netifRx(dev, { ...skb, dev, pktType: 'LOOPBACK' }, false);
  }
  const ttl = skb.bytes[8]!;
  if (ttl === 0) return; // ip_mc_output: a TTL-0 datagram is only looped back
  ipFinishOutput2(v4, skb, rt);
}

function readDst(b: Uint8Array): Ipv4Addr {
  return ((b[16]! << 24) | (b[17]! << 16) | (b[18]! << 8) | b[19]!) >>> 0;
}

/** ip_finish_output2() + neigh_output(): pick the destination MAC and hand the frame to the device. */
export function ipFinishOutput2(v4: Ipv4Netns, skb: SkBuff, rt: Rtable): void {
  const dev = rt.dev;
  const dst = readDst(skb.bytes);
  if (isMulticast(dst)) {
    devQueueXmit({ ...skb, dev, dstMac: ethMcMap(dst) });
    return;
  }
  if (isLbcast(dst) || rt.type === 'broadcast') {
    devQueueXmit({ ...skb, dev, dstMac: BROADCAST_MAC });
    return;
  }
  const nexthop = rt.gw || dst;
  if (dev.flags & (IFF_NOARP | IFF_LOOPBACK)) {
    // arp_constructor(): NUD_NOARP, the neighbour's address is the device's own (none for pimreg): no ARP,
    // the frame leaves at once — and a peer that is not this MAC drops it as PACKET_OTHERHOST.
    v4.ns.emit('neigh_resolve_output', 'lookup', { dev: dev.name, nexthop: formatIpv4(nexthop), result: 'NOARP' }, skb.pkt);
    // Out of lo the output route stays with the skb (loopback_xmit keeps skb_dst).
    devQueueXmit({ ...skb, dev, dstMac: dev.mac, ...(dev.kind === 'loopback' ? { dst: rt } : {}) });
    return;
  }
  const mac = neighResolve(dev, nexthop);
  v4.ns.emit('neigh_resolve_output', 'lookup', { dev: dev.name, nexthop: formatIpv4(nexthop), result: mac ? 'REACHABLE' : 'FAILED' }, skb.pkt);
  if (mac) {
    devQueueXmit({ ...skb, dev, dstMac: mac });
    return;
  }
  // arp_solicit() would probe for 3 s; then neigh_invalidate() → ipv4_link_failure() drops the packet.
  v4.ns.sim.schedule(3 * NSEC_PER_SEC, () => {
    v4.ns.emit('ipv4_link_failure', 'drop', { dev: dev.name, nexthop: formatIpv4(nexthop), reason: 'NEIGH_FAILED' }, skb.pkt);
    v4.onLinkFailure?.(skb);
  });
}

/** Who answers ARP for `addr` on the link of `dev`? (arp_ignore=0: any local address of the peer node.) */
export function neighResolve(dev: NetDevice, addr: Ipv4Addr): Uint8Array | null {
  const peer = dev.peer?.dev;
  if (!peer || !dev.operational) return null;
  const candidates: NetDevice[] = peer.segment ? peer.segment.ports.filter((p) => p !== peer && p.operational && p.peer).map((p) => p.peer!.dev) : [peer];
  for (const c of candidates) {
    if (!c.operational) continue;
    for (const { ifa } of c.ns.ipv4.allIfaddrs()) if (ifa.local === addr) return c.mac;
  }
  return null;
}
