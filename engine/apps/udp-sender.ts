// A traffic generator: `count` UDP datagrams of `size` bytes every `interval`, to a unicast or multicast
// destination, with the socket options a sender sets (TTL, TOS, multicast interface, source address).

import { KernelError, strerror, Errno } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import { NSEC_PER_MSEC, type Nanos } from '../sim/time.js';
import { formatIpv4, isMulticast, type Ipv4Addr } from '../wire/inet.js';

export interface UdpSenderOptions {
  dst: Ipv4Addr;
  dport: number;
  count: number;
  /** Time between datagrams (default 1 s). */
  interval?: Nanos;
  /** Payload bytes (default 64). */
  size?: number;
  /** TTL (multicast: IP_MULTICAST_TTL, default 1 like the socket default; unicast: IP_TTL). */
  ttl?: number;
  tos?: number;
  /** Source address (bind). */
  src?: Ipv4Addr;
  sport?: number;
  /** Output interface for multicast (IP_MULTICAST_IF), by name. */
  iface?: string;
  /** Delay before the first datagram (default 0). */
  start?: Nanos;
  loop?: boolean;
}

export interface UdpSenderHandle {
  sent: number;
  errors: Array<{ seq: number; errno: Errno; text: string }>;
  packets: number[];
  stop(): void;
}

export function startUdpSender(ns: Netns, o: UdpSenderOptions): UdpSenderHandle {
  const sock = ns.ipv4.udp.create(ns);
  if (o.iface) {
    const dev = ns.devByName(o.iface);
    if (!dev) throw new KernelError(Errno.ENODEV, `no device "${o.iface}"`);
    sock.mcIndex = dev.ifindex;
  }
  if (o.ttl !== undefined) {
    if (isMulticast(o.dst)) sock.mcTtl = o.ttl;
    else sock.ttl = o.ttl;
  }
  if (o.tos !== undefined) sock.tos = o.tos;
  if (o.loop !== undefined) sock.mcLoop = o.loop;
  sock.broadcast = true;
  sock.bind(o.src ?? 0, o.sport ?? 0);
  const size = o.size ?? 64;
  const interval = o.interval ?? 1000 * NSEC_PER_MSEC;
  const h: UdpSenderHandle = { sent: 0, errors: [], packets: [], stop: () => void (stopped = true) };
  let stopped = false;
  let seq = 0;
  const tick = (): void => {
    if (stopped || seq >= o.count) {
      sock.close();
      return;
    }
    const payload = new Uint8Array(size);
    // A recognisable payload: sequence number, then a pattern (like iperf/mtools senders).
    for (let i = 0; i < size; i++) payload[i] = i < 4 ? (seq >>> (8 * (3 - i))) & 0xff : i & 0xff;
    try {
      h.packets.push(sock.sendto(payload, o.dst, o.dport));
      h.sent++;
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      h.errors.push({ seq, errno: e.errno, text: strerror(e.errno) });
      ns.emit('udp_sender', 'log', { seq, dst: formatIpv4(o.dst), error: `sendto: ${strerror(e.errno)}` });
    }
    seq++;
    if (seq < o.count && !stopped) ns.sim.schedule(interval, tick);
    else sock.close();
  };
  ns.sim.schedule(o.start ?? 0, tick);
  return h;
}
