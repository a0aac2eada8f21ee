// UDP (RFC 768). The checksum covers the pseudo-header, header and data; 0 on the wire means
// "no checksum", so a computed 0 is sent as 0xFFFF (udp4_hwcsum / CSUM_MANGLED_0).
import type { Ipv4Addr } from './inet.js';
import { read16, write16 } from './bytes.js';
import { foldSum, internetChecksum, onesSum } from './checksum.js';
import { WireError, checkUint, needBytes } from './errors.js';
import { IPPROTO_UDP } from './ipv4.js';
import { pseudoHeaderSum } from './pseudo-header.js';

export const UDP_HEADER = 8;

export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  /** Header + data, in bytes. */
  length: number;
  checksum: number;
}

/** `length` and `checksum` are computed when absent, written verbatim when present (0 = none). */
export interface UdpHeaderInit {
  srcPort: number;
  dstPort: number;
  length?: number;
  checksum?: number;
}

export type ChecksumStatus = 'valid' | 'invalid' | 'absent';

export interface UdpDecoded {
  header: UdpHeader;
  /** View of the data, bytes[8, length). */
  payload: Uint8Array;
  checksumStatus: ChecksumStatus;
}

/** The checksum to send for a UDP datagram whose checksum field is still zero. */
export function udpChecksum(datagram: Uint8Array, src: Ipv4Addr, dst: Ipv4Addr): number {
  const length = read16(datagram, 4); // the pseudo-header carries the UDP length field
  const c = internetChecksum(datagram, 0, datagram.length, pseudoHeaderSum(src, dst, IPPROTO_UDP, length));
  return c === 0 ? 0xffff : c;
}

export function encodeUdp(header: UdpHeaderInit, payload: Uint8Array, src: Ipv4Addr, dst: Ipv4Addr): Uint8Array {
  const L = 'udp';
  checkUint(L, 'source port', header.srcPort, 16, 0);
  checkUint(L, 'destination port', header.dstPort, 16, 2);
  const length = header.length ?? UDP_HEADER + payload.length;
  checkUint(L, 'length', length, 16, 4);
  const out = new Uint8Array(UDP_HEADER + payload.length);
  write16(out, 0, header.srcPort);
  write16(out, 2, header.dstPort);
  write16(out, 4, length);
  out.set(payload, UDP_HEADER);
  let checksum = header.checksum;
  if (checksum === undefined) checksum = udpChecksum(out, src, dst);
  else checkUint(L, 'checksum', checksum, 16, 6);
  write16(out, 6, checksum);
  return out;
}

/** The 8-byte header alone (an ICMP error quotes only that much of the original datagram). */
export function decodeUdpHeader(bytes: Uint8Array): UdpHeader {
  needBytes('udp', 'header', UDP_HEADER, bytes.length, 0);
  return { srcPort: read16(bytes, 0), dstPort: read16(bytes, 2), length: read16(bytes, 4), checksum: read16(bytes, 6) };
}

/**
 * `bytes` is the IP payload. Like __udp4_lib_rcv(): the UDP length must be ≥ 8 and ≤ the IP
 * payload; bytes beyond it are ignored. The checksum (pseudo-header from src/dst) is reported.
 */
export function decodeUdp(bytes: Uint8Array, src: Ipv4Addr, dst: Ipv4Addr): UdpDecoded {
  const header = decodeUdpHeader(bytes);
  if (header.length < UDP_HEADER) throw new WireError('udp', `length ${header.length} is less than 8`, 4);
  if (header.length > bytes.length) {
    throw new WireError('udp', `datagram truncated: length ${header.length}, have ${bytes.length} bytes`, 4);
  }
  let checksumStatus: ChecksumStatus = 'absent';
  if (header.checksum !== 0) {
    const sum = onesSum(bytes, 0, header.length, pseudoHeaderSum(src, dst, IPPROTO_UDP, header.length));
    checksumStatus = foldSum(sum) === 0xffff ? 'valid' : 'invalid';
  }
  return { header, payload: bytes.subarray(UDP_HEADER, header.length), checksumStatus };
}
