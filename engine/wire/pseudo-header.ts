// The IPv4 pseudo-header (RFC 768; csum_tcpudp_nofold): src, dst, zero, protocol, length,
// summed into a transport checksum so a misdelivered datagram fails verification.
import type { Ipv4Addr } from './inet.js';

export function pseudoHeaderSum(src: Ipv4Addr, dst: Ipv4Addr, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
