// The daemon's sockets are the engine's (engine/socket/socket.ts): this adapts each kind to what the bridge
// needs (bind, sendto, close, a receiver) and turns what it receives into the JSON message the guest gets.

import type { Netns } from '../../../engine/net/netns.js';
import { RawSocket, socket as engineSocket, type RawMessage, type Socket as EngineSocket } from '../../../engine/socket/socket.js';
import type { UdpSocket } from '../../../engine/ipv4/udp.js';
import { toHex } from '../../../engine/wire/hex.js';
import { formatIpv4, type Ipv4Addr } from '../../../engine/wire/inet.js';
import type { JsonValue } from '../../../engine/sim/trace.js';
import type { SockoptValue } from '../../../engine/socket/sockopt.js';
import type { SiocSgReq, SiocVifReq } from '../../../engine/ipv4/ipmr-types.js';
import { rawGuestMessage } from './raw-message.js';

/** A received message for the guest: JSON fields, and which of them are hex bytes to become Uint8Arrays. */
export interface GuestMessage {
  m: { [field: string]: JsonValue };
  hx: string[];
  /** The trace event that put it on the socket, when the socket knows better than the current cause. */
  cause?: number;
}

export interface DaemonSocket {
  readonly sk: EngineSocket;
  readonly type: number;
  readonly protocol: number;
  bind(addr: Ipv4Addr, port: number): void;
  /** Throws KernelError. */
  sendto(data: Uint8Array, addr: Ipv4Addr, port: number): void;
  close(): void;
  /** Where received messages go (the daemon's queue); null stops delivery. */
  setReceiver(fn: ((msg: GuestMessage) => void) | null): void;
  /** A socket not backed by the engine (the kernel oracle's) answers these itself instead of the engine's functions on `sk`. */
  setsockopt?(level: number, optname: number, value: SockoptValue): void;
  getsockopt?(level: number, optname: number): SockoptValue;
  /** Fills in `req`'s counters, as the engine's ioctl() does. */
  ioctl?(request: number, req: SiocVifReq | SiocSgReq): void;
}

/** What ip(...) and interfaces() read when the daemon's node is not the engine's (the kernel oracle's). */
export interface DaemonSystem {
  ip(argv: string[]): { rc: number; stdout: string; stderr: string };
  interfaces(): JsonValue;
}

export type SocketFactory = (ns: Netns, family: number, type: number, protocol: number) => DaemonSocket;

class UdpDaemonSocket implements DaemonSocket {
  readonly type: number;
  readonly protocol: number;

  constructor(readonly sk: UdpSocket) {
    this.type = 2; // SOCK_DGRAM
    this.protocol = 17; // IPPROTO_UDP
  }

  bind(addr: Ipv4Addr, port: number): void {
    this.sk.bind(addr, port);
  }

  sendto(data: Uint8Array, addr: Ipv4Addr, port: number): void {
    this.sk.sendto(data, addr, port);
  }

  close(): void {
    this.sk.onMessage = null;
    this.sk.close();
  }

  setReceiver(fn: ((msg: GuestMessage) => void) | null): void {
    this.sk.onMessage = fn
      ? (d) => {
          // The daemon reads it (recvmsg), so it leaves the receive queue.
          const i = this.sk.queue.indexOf(d);
          if (i >= 0) this.sk.queue.splice(i, 1);
          // udp_queue_rcv_skb is the event emitted just before UdpSocket.deliver(): the message's cause.
          fn({ cause: this.sk.ns.sim.trace.eventCount, m: { kind: 'udp', data: toHex(d.data), src: formatIpv4(d.src), sport: d.sport, dst: formatIpv4(d.dst), dport: d.dport, ifindex: d.ifindex, ttl: d.ttl, tos: d.tos }, hx: ['data'] });
        }
      : null;
  }
}

class RawDaemonSocket implements DaemonSocket {
  readonly type = 3; // SOCK_RAW

  constructor(readonly sk: RawSocket) {}

  get protocol(): number {
    return this.sk.protocol;
  }

  /** raw_bind(): an address only (a raw socket has no port; the kernel ignores sin_port). */
  bind(addr: Ipv4Addr): void {
    this.sk.bind(addr);
  }

  sendto(data: Uint8Array, addr: Ipv4Addr): void {
    this.sk.sendto(data, addr);
  }

  close(): void {
    this.sk.onMessage = null;
    this.sk.close();
  }

  setReceiver(fn: ((msg: GuestMessage) => void) | null): void {
    this.sk.onMessage = fn
      ? (m: RawMessage) => {
          this.sk.recv(); // recvfrom(): the message leaves the receive queue
          // sock_queue_rcv_skb / raw_rcv is the event emitted just before the push: the message's cause.
          fn({ ...rawGuestMessage(m), cause: this.sk.ns.sim.trace.eventCount });
        }
      : null;
  }
}

/** socket(2): the engine's socket(), with its errnos (EAFNOSUPPORT, EPROTONOSUPPORT, EINVAL, ...). */
export const engineSocketFactory: SocketFactory = (ns, family, type, protocol) => {
  const sk = engineSocket(ns, family, type, protocol);
  return sk instanceof RawSocket ? new RawDaemonSocket(sk) : new UdpDaemonSocket(sk);
};
