// The IPv4 header (RFC 791 §3.1): encode and decode, with options. Decode checks what
// ip_rcv_core() checks (length ≥ 20, version 4, ihl ≥ 5, tot_len ≥ ihl*4 and ≤ the bytes
// received) and reports — rather than rejects — a bad checksum, so the caller decides to drop.
import type { Ipv4Addr } from './inet.js';
import { read16, read32, write16, write32 } from './bytes.js';
import { checksumOk, internetChecksum } from './checksum.js';
import { WireError, checkUint, needBytes } from './errors.js';
import type { Ipv4Option } from './ipv4-options.js';
import { decodeIpv4Options, encodeIpv4Options } from './ipv4-options.js';

export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_PIM = 103;

/** frag_off bits (include/net/ip.h): IP_CE is the reserved ("evil") bit. */
export const IP_CE = 0x8000;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;

export const IPV4_MIN_HEADER = 20;
export const IPV4_MAX_HEADER = 60;

export interface Ipv4Header {
  version: number;
  /** Header length in 32-bit words (5..15). */
  ihl: number;
  tos: number;
  totalLength: number;
  id: number;
  /** The reserved flag bit (IP_CE in the kernel); must be zero on the wire. */
  reserved: boolean;
  df: boolean;
  mf: boolean;
  /** Fragment offset in 8-byte units, as on the wire (the kernel shifts it left by 3). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  src: Ipv4Addr;
  dst: Ipv4Addr;
  options: Ipv4Option[];
}

/**
 * What encodeIpv4 needs. `version`, `ihl`, `totalLength` and `checksum` are computed when
 * absent (version 4, ihl from the options, tot_len from the payload, checksum over the
 * header) and written verbatim when present — so a decoded header re-encodes to the same
 * bytes, and a test can craft a bad one. Drop `checksum` after editing a decoded header.
 */
export interface Ipv4HeaderInit {
  version?: number;
  ihl?: number;
  tos?: number;
  totalLength?: number;
  id?: number;
  reserved?: boolean;
  df?: boolean;
  mf?: boolean;
  fragmentOffset?: number;
  ttl: number;
  protocol: number;
  checksum?: number;
  src: Ipv4Addr;
  dst: Ipv4Addr;
  options?: readonly Ipv4Option[];
}

export interface Ipv4Decoded {
  header: Ipv4Header;
  /** ihl * 4. */
  headerLength: number;
  /** View (not a copy) of bytes[ihl*4, tot_len). */
  payload: Uint8Array;
  checksumValid: boolean;
  /** Bytes after tot_len (link-layer padding), ignored as pskb_trim_rcsum() drops them. */
  trailerLength: number;
}

export function encodeIpv4(header: Ipv4HeaderInit, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const L = 'ipv4';
  const optBytes = encodeIpv4Options(header.options ?? []);
  const ihl = header.ihl ?? 5 + Math.ceil(optBytes.length / 4);
  checkUint(L, 'ihl', ihl, 4, 0);
  if (ihl * 4 < IPV4_MIN_HEADER + optBytes.length) {
    throw new WireError(L, `ihl ${ihl} (${ihl * 4} bytes) cannot hold ${optBytes.length} bytes of options`, 0);
  }
  const headerLength = ihl * 4;
  const totalLength = header.totalLength ?? headerLength + payload.length;
  checkUint(L, 'total length', totalLength, 16, 2);
  const version = header.version ?? 4;
  checkUint(L, 'version', version, 4, 0);
  const tos = header.tos ?? 0;
  checkUint(L, 'tos', tos, 8, 1);
  const id = header.id ?? 0;
  checkUint(L, 'id', id, 16, 4);
  const fragmentOffset = header.fragmentOffset ?? 0;
  checkUint(L, 'fragment offset', fragmentOffset, 13, 6);
  checkUint(L, 'ttl', header.ttl, 8, 8);
  checkUint(L, 'protocol', header.protocol, 8, 9);
  checkUint(L, 'source address', header.src, 32, 12);
  checkUint(L, 'destination address', header.dst, 32, 16);

  const out = new Uint8Array(headerLength + payload.length);
  out[0] = (version << 4) | ihl;
  out[1] = tos;
  write16(out, 2, totalLength);
  write16(out, 4, id);
  const flags = (header.reserved ? IP_CE : 0) | (header.df ? IP_DF : 0) | (header.mf ? IP_MF : 0);
  write16(out, 6, flags | fragmentOffset);
  out[8] = header.ttl;
  out[9] = header.protocol;
  write32(out, 12, header.src);
  write32(out, 16, header.dst);
  out.set(optBytes, IPV4_MIN_HEADER); // the rest of the header stays 0 = EOL padding
  let checksum = header.checksum;
  if (checksum === undefined) {
    checksum = internetChecksum(out, 0, headerLength);
  } else {
    checkUint(L, 'checksum', checksum, 16, 10);
  }
  write16(out, 10, checksum);
  out.set(payload, headerLength);
  return out;
}

/**
 * Decodes only the header at the start of `bytes` (version, ihl, options) — for ICMP's quoted
 * header, whose datagram is cut short. Does not check tot_len against the bytes present.
 * `parseOptions: false` leaves the options unread (`options` empty), as ip_rcv_core() does: they are
 * ip_rcv_options()'s to judge.
 */
export function decodeIpv4Header(bytes: Uint8Array, parseOptions = true): { header: Ipv4Header; checksumValid: boolean } {
  const L = 'ipv4';
  needBytes(L, 'header', IPV4_MIN_HEADER, bytes.length, 0);
  const version = bytes[0]! >>> 4;
  if (version !== 4) throw new WireError(L, `version ${version}, expected 4`, 0);
  const ihl = bytes[0]! & 0x0f;
  if (ihl < 5) throw new WireError(L, `bad ihl ${ihl} (${ihl * 4} bytes < 20)`, 0);
  const headerLength = ihl * 4;
  needBytes(L, `header with ihl ${ihl}`, headerLength, bytes.length, 0);
  const fragWord = read16(bytes, 6);
  const header: Ipv4Header = {
    version,
    ihl,
    tos: bytes[1]!,
    totalLength: read16(bytes, 2),
    id: read16(bytes, 4),
    reserved: (fragWord & IP_CE) !== 0,
    df: (fragWord & IP_DF) !== 0,
    mf: (fragWord & IP_MF) !== 0,
    fragmentOffset: fragWord & IP_OFFSET,
    ttl: bytes[8]!,
    protocol: bytes[9]!,
    checksum: read16(bytes, 10),
    src: read32(bytes, 12),
    dst: read32(bytes, 16),
    options: parseOptions ? decodeIpv4Options(bytes, IPV4_MIN_HEADER, headerLength) : [],
  };
  return { header, checksumValid: checksumOk(bytes, 0, headerLength) };
}

/** Decodes a whole datagram; throws WireError on anything ip_rcv_core() would drop as malformed. */
export function decodeIpv4(bytes: Uint8Array): Ipv4Decoded {
  const { header, checksumValid } = decodeIpv4Header(bytes);
  const headerLength = header.ihl * 4;
  if (header.totalLength < headerLength) {
    throw new WireError('ipv4', `total length ${header.totalLength} is less than the header length ${headerLength}`, 2);
  }
  if (header.totalLength > bytes.length) {
    throw new WireError('ipv4', `datagram truncated: total length ${header.totalLength}, have ${bytes.length} bytes`, 2);
  }
  return {
    header,
    headerLength,
    payload: bytes.subarray(headerLength, header.totalLength),
    checksumValid,
    trailerLength: bytes.length - header.totalLength,
  };
}
