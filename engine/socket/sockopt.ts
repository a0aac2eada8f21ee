// setsockopt()/getsockopt() entry points: the level and option number pick the handler as in the kernel
// (sock_setsockopt for SOL_SOCKET; ip_setsockopt for SOL_IP, which hands MRT_* to ip_mroute_setsockopt).
// Values are typed (a number, or the struct as an object); `optlen` may be given to reproduce the
// kernel's length checks exactly as a C caller would trigger them.

import { Errno, KernelError } from '../net/errno.js';
import { IPPROTO_IP, IP_ROUTER_ALERT, MRT_BASE, MRT_MAX, SOL_SOCKET, SO_BINDTODEVICE, SO_BROADCAST, SO_MARK, SO_RCVBUF, SO_RCVBUFFORCE, SO_REUSEADDR } from './constants.js';
import { rcvbufFor } from './sock-rcvbuf.js';
import type { InetSock } from './inet-sock.js';
import { ipGetsockopt, ipSetsockopt, type SockoptValue } from './ip_sockglue.js';
import { ipRaControl } from './raw.js';

export type { SockoptValue };

/** Handler for MRT_* options; installed by the ipmr module (a kernel without CONFIG_IP_MROUTE has none). */
export type MrouteSockopt = {
  set(sk: InetSock, optname: number, value: SockoptValue, optlen?: number): void;
  get(sk: InetSock, optname: number): SockoptValue;
};

let mroute: MrouteSockopt | null = null;

export function registerMrouteSockopt(handler: MrouteSockopt): void {
  mroute = handler;
}

export function setsockopt(sk: InetSock, level: number, optname: number, value: SockoptValue, optlen?: number): void {
  if (sk.closed) throw new KernelError(Errno.EBADF);
  // The system call's entry (do_sock_setsockopt in 6.x): which level and option the caller asked for.
  sk.ns.emit('__sys_setsockopt', 'call', { level, optname, optlen: optlen ?? null });
  if (level === SOL_SOCKET) return sockSetsockopt(sk, optname, value);
  if (level !== IPPROTO_IP) throw new KernelError(Errno.ENOPROTOOPT);
  if (optname >= MRT_BASE && optname <= MRT_MAX) {
    if (!mroute) throw new KernelError(Errno.ENOPROTOOPT);
    return mroute.set(sk, optname, value, optlen);
  }
  // do_ip_setsockopt(): IP_ROUTER_ALERT joins or leaves the Router Alert chain (leaving ends a daemon).
  if (optname === IP_ROUTER_ALERT) {
    const on = value instanceof Uint8Array ? value.subarray(0, 4).some((b) => b !== 0) : intOf(value) !== 0;
    return ipRaControl(sk, on, null);
  }
  ipSetsockopt(sk, optname, value, optlen);
}

/** getsockopt(); `req` is the caller's buffer for value-result options (IP_MSFILTER). */
export function getsockopt(sk: InetSock, level: number, optname: number, req?: SockoptValue): SockoptValue {
  if (sk.closed) throw new KernelError(Errno.EBADF);
  if (level === SOL_SOCKET) return sockGetsockopt(sk, optname);
  if (level !== IPPROTO_IP) throw new KernelError(Errno.ENOPROTOOPT);
  if (optname >= MRT_BASE && optname <= MRT_MAX) {
    if (!mroute) throw new KernelError(Errno.ENOPROTOOPT);
    return mroute.get(sk, optname);
  }
  return ipGetsockopt(sk, optname, req);
}

function intOf(value: SockoptValue): number {
  if (typeof value === 'number') return value;
  // C bytes: sock_setsockopt() reads an int (optlen < 4 is EINVAL), host order (little-endian).
  if (value instanceof Uint8Array) {
    if (value.length < 4) throw new KernelError(Errno.EINVAL);
    return (value[0]! | (value[1]! << 8) | (value[2]! << 16) | (value[3]! << 24)) | 0;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new KernelError(Errno.EINVAL);
}

function sockSetsockopt(sk: InetSock, optname: number, value: SockoptValue): void {
  switch (optname) {
    case SO_REUSEADDR:
      sk.reuseAddr = intOf(value) !== 0;
      return;
    case SO_BROADCAST:
      sk.broadcast = intOf(value) !== 0;
      return;
    case SO_MARK:
      sk.mark = intOf(value) >>> 0;
      return;
    case SO_RCVBUF:
    case SO_RCVBUFFORCE:
      sk.rcvbuf = rcvbufFor(intOf(value), optname === SO_RCVBUFFORCE);
      return;
    case SO_BINDTODEVICE: {
      if (typeof value !== 'string') throw new KernelError(Errno.EINVAL);
      if (value === '') {
        sk.bindDev = 0;
        return;
      }
      const dev = sk.ns.devByName(value);
      if (!dev) throw new KernelError(Errno.ENODEV);
      sk.bindDev = dev.ifindex;
      return;
    }
    default:
      throw new KernelError(Errno.ENOPROTOOPT);
  }
}

function sockGetsockopt(sk: InetSock, optname: number): SockoptValue {
  switch (optname) {
    case SO_REUSEADDR:
      return sk.reuseAddr ? 1 : 0;
    case SO_BROADCAST:
      return sk.broadcast ? 1 : 0;
    case SO_MARK:
      return sk.mark;
    case SO_RCVBUF:
      return sk.rcvbuf;
    case SO_BINDTODEVICE:
      return sk.bindDev ? (sk.ns.devByIndex(sk.bindDev)?.name ?? '') : '';
    default:
      throw new KernelError(Errno.ENOPROTOOPT);
  }
}
