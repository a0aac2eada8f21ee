// net/ipv4/ip_options.c, the sending side: setsockopt(IP_OPTIONS) stores a socket's options after
// ip_options_get()/ip_options_compile() checked them (skb == NULL: the caller is a local socket, and root, so
// CAP_NET_RAW holds), getsockopt() reads them back through ip_options_undo(), and every datagram the socket
// sends carries them, filled in by ip_options_build(). On input (ip_rcv_options in ip_input.ts) the same
// compile runs on the received header with skb set (record route and timestamps filled), a source route
// moves on to its next hop and a forward records the output address (both in ip_options_rcv.ts).

import { Errno, KernelError } from '../net/errno.js';
import { decodeIpv4Options, IPOPT_END, IPOPT_LSRR, IPOPT_NOOP, IPOPT_RA, IPOPT_RR, IPOPT_SSRR, IPOPT_TIMESTAMP, type Ipv4Option } from '../wire/ipv4-options.js';
import type { Ipv4Addr } from '../wire/inet.js';
import { read32, write32 } from '../wire/bytes.js';
import { RT_SCOPE_LINK, RT_SCOPE_UNIVERSE } from './devinet.js';

export const IPV4_HDR = 20;
/** MAX_IPOPTLEN */
export const MAX_IPOPTLEN = 40;
const IPOPT_TS_TSONLY = 0;
const IPOPT_TS_TSANDADDR = 1;
export const IPOPT_TS_PRESPEC = 3;

/** struct ip_options of a socket: the compiled bytes and where each option the build step fills sits. */
export interface IpOptions {
  /** __data: optlen bytes, padded to 4 with IPOPT_END, as compiled (a source route's first hop removed). */
  readonly data: Uint8Array;
  /** Offsets from the start of the IP header (as the kernel keeps them); 0 = absent. */
  readonly srr: number;
  readonly rr: number;
  readonly ts: number;
  /** The source route's first hop: where the datagram is routed to (and its header's destination). */
  readonly faddr: Ipv4Addr;
  readonly isStrictroute: boolean;
  readonly rrNeedaddr: boolean;
  readonly tsNeedaddr: boolean;
  readonly tsNeedtime: boolean;
  readonly routerAlert: number;
}

/** What ip_options_compile() needs to know about the namespace: is an address unicast (TS prespec)? */
export type AddrIsUnicast = (addr: Ipv4Addr) => boolean;

/**
 * ip_options_get(): copy, pad to a multiple of 4 with IPOPT_END, compile. `null` for optlen 0 (options
 * cleared). Throws EINVAL where __ip_options_compile() rejects the bytes; the caller checks optlen ≤ 40.
 */
export function ipOptionsGet(bytes: Uint8Array, isUnicast: AddrIsUnicast): IpOptions | null {
  if (bytes.length === 0) return null;
  const data = new Uint8Array((bytes.length + 3) & ~3);
  data.set(bytes);
  const r = compile(data, isUnicast, null);
  if ('ppPtr' in r) throw new KernelError(Errno.EINVAL);
  return r;
}

/** IPCB(skb)->opt of a received datagram (offsets from the IP header; 0 = absent). */
export interface RcvOptions extends IpOptions {
  /** opt->is_changed: header bytes were rewritten (a forward recomputes the checksum; local delivery does not). */
  isChanged: boolean;
  /** ip_options_rcv_srr() found the next hop of the source route (opt->srr_is_hit, opt->nexthop). */
  srrIsHit: boolean;
  nexthop: Ipv4Addr;
}

/** What the receiving side of __ip_options_compile() needs (skb != NULL). */
export interface RcvContext {
  /** fib_compute_spec_dst(): the address recorded by record route and timestamp-with-address. */
  specDst: () => Ipv4Addr;
  /** inet_current_timestamp() */
  msSinceMidnight: number;
}

/**
 * __ip_options_compile() with skb set: `hdr` is the received header (ihl > 5), changed in place as the
 * kernel does (record route and timestamps filled, pointers advanced, overflow counted). Returns the
 * options, or pp_ptr — the offset the ICMP Parameter Problem points at (ip_options_compile sends it).
 */
export function ipOptionsCompileRcv(hdr: Uint8Array, isUnicast: AddrIsUnicast, ctx: RcvContext): RcvOptions | { ppPtr: number; partial: RcvOptions } {
  const ihl = (hdr[0]! & 0x0f) * 4;
  const r = compile(hdr.subarray(IPV4_HDR, ihl), isUnicast, ctx);
  const rcv = (o: Compiled): RcvOptions => ({ ...o, data: hdr.slice(IPV4_HDR, ihl), isChanged: o.changed, srrIsHit: false, nexthop: 0 });
  // On an error IPCB(skb)->opt holds what was compiled before it: the Parameter Problem echoes that much.
  return 'ppPtr' in r ? { ppPtr: r.ppPtr, partial: rcv(r.partial) } : rcv(r);
}

type Compiled = IpOptions & { changed: boolean };

class CompileError {
  constructor(readonly ppPtr: number, readonly partial: Compiled) {}
}

function compile(d: Uint8Array, isUnicast: AddrIsUnicast, rcv: RcvContext | null): Compiled | { ppPtr: number; partial: Compiled } {
  try {
    return compileOrThrow(d, isUnicast, rcv);
  } catch (e) {
    if (e instanceof CompileError) return { ppPtr: e.ppPtr, partial: e.partial };
    throw e;
  }
}

function compileOrThrow(d: Uint8Array, isUnicast: AddrIsUnicast, rcv: RcvContext | null): Compiled {
  let srr = 0, rr = 0, ts = 0, faddr = 0, routerAlert = 0;
  let isStrictroute = false, rrNeedaddr = false, tsNeedaddr = false, tsNeedtime = false, changed = false;
  /** pp_ptr: an offset from the option's start, reported from the IP header's. */
  let p = 0;
  const bad = (at: number): never => {
    throw new CompileError(IPV4_HDR + p + at, { data: d, srr, rr, ts, faddr, isStrictroute, rrNeedaddr, tsNeedaddr, tsNeedtime, routerAlert, changed });
  };
  for (let l = d.length; l > 0; ) {
    if (d[p] === IPOPT_END) {
      // whatever follows the end is overwritten with IPOPT_END
      for (let i = p + 1; i < d.length; i++) {
        if (d[i] === IPOPT_END) continue;
        d[i] = IPOPT_END;
        changed = true;
      }
      break;
    }
    if (d[p] === IPOPT_NOOP) {
      l--;
      p++;
      continue;
    }
    if (l < 2) bad(0);
    const optlen = d[p + 1]!;
    if (optlen < 2 || optlen > l) bad(0);
    const ptr = d[p + 2]!;
    switch (d[p]) {
      case IPOPT_SSRR:
      case IPOPT_LSRR:
        if (optlen < 3) bad(1);
        if (ptr < 4) bad(2);
        if (srr) bad(0);
        if (!rcv) {
          // From a socket: the pointer must be 4 and the route whole addresses; the first hop is taken out
          // (faddr) and the rest moves up, leaving the last slot for the final destination (ip_options_build).
          if (ptr !== 4 || optlen < 7 || (optlen - 3) & 3) bad(1);
          faddr = read32(d, p + 3);
          if (optlen > 7) d.copyWithin(p + 3, p + 7, p + optlen);
        }
        isStrictroute = d[p] === IPOPT_SSRR;
        srr = IPV4_HDR + p;
        break;
      case IPOPT_RR:
        if (rr) bad(0);
        if (optlen < 3) bad(1);
        if (ptr < 4) bad(2);
        if (ptr <= optlen) {
          if (ptr + 3 > optlen) bad(2);
          if (rcv) {
            write32(d, p + ptr - 1, rcv.specDst());
            changed = true;
          }
          d[p + 2] = ptr + 4;
          rrNeedaddr = true;
        }
        rr = IPV4_HDR + p;
        break;
      case IPOPT_TIMESTAMP:
        if (ts) bad(0);
        if (optlen < 4) bad(1);
        if (ptr < 5) bad(2);
        if (ptr <= optlen) {
          if (ptr + 3 > optlen) bad(2);
          let timeptr = -1;
          switch (d[p + 3]! & 0xf) {
            case IPOPT_TS_TSONLY:
              if (rcv) timeptr = p + ptr - 1;
              tsNeedtime = true;
              d[p + 2] = ptr + 4;
              break;
            case IPOPT_TS_TSANDADDR:
              if (ptr + 7 > optlen) bad(2);
              if (rcv) {
                write32(d, p + ptr - 1, rcv.specDst());
                timeptr = p + ptr + 3;
              }
              tsNeedaddr = true;
              tsNeedtime = true;
              d[p + 2] = ptr + 8;
              break;
            case IPOPT_TS_PRESPEC: {
              if (ptr + 7 > optlen) bad(2);
              if (isUnicast(read32(d, p + ptr - 1))) break; // someone else's address: nothing to stamp here
              if (rcv) timeptr = p + ptr + 3;
              tsNeedtime = true;
              d[p + 2] = ptr + 8;
              break;
            }
            default:
              break; // other flags: accepted on input, and from a CAP_NET_RAW caller
          }
          if (timeptr >= 0 && rcv) {
            write32(d, timeptr, rcv.msSinceMidnight >>> 0);
            changed = true;
          }
        } else if ((d[p + 3]! & 0xf) !== IPOPT_TS_PRESPEC) {
          const overflow = d[p + 3]! >> 4;
          if (overflow === 15) bad(3);
          if (rcv) {
            d[p + 3] = (d[p + 3]! & 0xf) | ((overflow + 1) << 4);
            changed = true;
          }
        }
        ts = IPV4_HDR + p;
        break;
      case IPOPT_RA:
        if (optlen < 4) bad(1);
        if (d[p + 2] === 0 && d[p + 3] === 0) routerAlert = IPV4_HDR + p;
        break;
      default:
        // IPOPT_SEC, IPOPT_SID, CIPSO and unknown options: allowed on input and to CAP_NET_RAW (root here).
        // CIPSO's own validation (cipso_v4_validate) is not modelled.
        break;
    }
    l -= optlen;
    p += optlen;
  }
  return { data: d, srr, rr, ts, faddr, isStrictroute, rrNeedaddr, tsNeedaddr, tsNeedtime, routerAlert, changed };
}

/** ip_options_undo(): the bytes as the caller gave them (getsockopt(IP_OPTIONS)), padding included. */
export function ipOptionsUndo(opt: IpOptions): Uint8Array {
  const d = opt.data.slice();
  const at = (off: number): number => off - IPV4_HDR;
  if (opt.srr) {
    const p = at(opt.srr);
    d.copyWithin(p + 7, p + 3, p + d[p + 1]! - 4);
    write32(d, p + 3, opt.faddr);
  }
  if (opt.rrNeedaddr) {
    const p = at(opt.rr);
    d[p + 2] = d[p + 2]! - 4;
    d.fill(0, p + d[p + 2]! - 1, p + d[p + 2]! + 3);
  }
  if (opt.ts) {
    const p = at(opt.ts);
    if (opt.tsNeedtime) {
      d[p + 2] = d[p + 2]! - 4;
      d.fill(0, p + d[p + 2]! - 1, p + d[p + 2]! + 3);
      if ((d[p + 3]! & 0xf) === IPOPT_TS_PRESPEC) d[p + 2] = d[p + 2]! - 4;
    }
    if (opt.tsNeedaddr) {
      d[p + 2] = d[p + 2]! - 4;
      d.fill(0, p + d[p + 2]! - 1, p + d[p + 2]! + 3);
    }
  }
  return d;
}

/**
 * ip_options_build(): the options of one datagram. `daddr` is the final destination (written into a
 * source route's last slot), `saddr` the header's source (ip_rt_get_source on an output route), `msSinceMidnight`
 * inet_current_timestamp() — simulated time here, as the model has no wall clock.
 */
export function ipOptionsBuild(opt: IpOptions, daddr: Ipv4Addr, saddr: Ipv4Addr, msSinceMidnight: number): Ipv4Option[] {
  const d = opt.data.slice();
  const at = (off: number): number => off - IPV4_HDR;
  if (opt.srr) write32(d, at(opt.srr) + d[at(opt.srr) + 1]! - 4, daddr);
  if (opt.rrNeedaddr) write32(d, at(opt.rr) + d[at(opt.rr) + 2]! - 5, saddr);
  if (opt.tsNeedaddr) write32(d, at(opt.ts) + d[at(opt.ts) + 2]! - 9, saddr);
  if (opt.tsNeedtime) write32(d, at(opt.ts) + d[at(opt.ts) + 2]! - 5, msSinceMidnight >>> 0);
  return decodeIpv4Options(d, 0, d.length);
}

/** ip_sendmsg_scope(): a strict source route's first hop must be on-link (routes of link scope only). */
export function ipSendmsgScope(opt: IpOptions | null): number {
  return opt?.isStrictroute ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
}

/** The address a datagram with these options is routed to: the source route's first hop, else `daddr`. */
export function ipOptionsNexthop(opt: IpOptions | null, daddr: Ipv4Addr): Ipv4Addr {
  return opt && opt.srr ? opt.faddr : daddr;
}

/** inet_current_timestamp(): milliseconds since midnight UT — here since the simulation's start. */
export function inetCurrentTimestamp(nowNs: number): number {
  return Math.floor(nowNs / 1_000_000) % 86_400_000;
}
