// struct sk_buff, reduced to what routing needs: the IPv4 datagram's exact bytes, the packet record id
// that names those bytes in the trace, the device, and the link-layer class of the frame.

import type { NetDevice } from './netdevice.js';

/** skb->pkt_type as eth_type_trans() sets it from the destination MAC. */
export type PktType = 'HOST' | 'BROADCAST' | 'MULTICAST' | 'OTHERHOST' | 'LOOPBACK' | 'OUTGOING';

export interface SkBuff {
  /** Packet record id of these exact bytes (Tracer.packet). */
  pkt: number;
  bytes: Uint8Array;
  /** Device the packet arrived on (input) or leaves by (output). */
  dev: NetDevice | null;
  pktType: PktType;
  /** skb->mark (fwmark), set by sockets (SO_MARK) or the lab. */
  mark: number;
  /** Destination MAC of the frame on the wire (set by neighbour output). */
  dstMac?: Uint8Array;
  /**
   * skb_dst() of a datagram a socket addressed to this host: the output route goes with it through lo, so
   * ip_rcv_finish() delivers it without an input lookup (which would call 127.0.0.1 a martian).
   */
  dst?: { readonly type: string };
}

export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isMulticastMac(mac: Uint8Array): boolean {
  return ((mac[0] ?? 0) & 1) === 1;
}

export const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
