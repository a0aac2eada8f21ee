// A receiver: binds a UDP port, optionally joins a group on an interface, and counts what arrives by
// source and destination, so a lab check can ask "did R get N packets of (S,G), none from S2?".

import { Errno, KernelError } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import { formatIpv4, type Ipv4Addr } from '../wire/inet.js';
import type { UdpDatagram } from '../ipv4/udp.js';

export interface UdpReceiverOptions {
  port: number;
  /** Group to join (IP_ADD_MEMBERSHIP). */
  group?: Ipv4Addr;
  /** Interface to join on, by name (default: the kernel's choice, by route to the group). */
  iface?: string;
  /** Address to bind (default INADDR_ANY). */
  bind?: Ipv4Addr;
}

export interface UdpReceiverHandle {
  received: UdpDatagram[];
  /** "src -> dst" → count */
  counts: Map<string, number>;
  close(): void;
}

export function startUdpReceiver(ns: Netns, o: UdpReceiverOptions): UdpReceiverHandle {
  const sock = ns.ipv4.udp.create(ns);
  sock.reuseAddr = true;
  sock.bind(o.bind ?? 0, o.port);
  if (o.group !== undefined) {
    let ifindex = 0;
    if (o.iface) {
      const dev = ns.devByName(o.iface);
      if (!dev) throw new KernelError(Errno.ENODEV, `no device "${o.iface}"`);
      ifindex = dev.ifindex;
    }
    sock.join({ multiaddr: o.group, ifindex });
  }
  const h: UdpReceiverHandle = { received: [], counts: new Map(), close: () => sock.close() };
  sock.onMessage = (d) => {
    h.received.push(d);
    const key = `${formatIpv4(d.src)} -> ${formatIpv4(d.dst)}`;
    h.counts.set(key, (h.counts.get(key) ?? 0) + 1);
    ns.emit('udp_receiver', 'log', { from: formatIpv4(d.src), sport: d.sport, to: formatIpv4(d.dst), dport: d.dport, len: d.data.length, ttl: d.ttl }, d.pkt);
  };
  return h;
}
