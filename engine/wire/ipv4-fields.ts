// In-place reads and edits of an encoded IPv4 header for the forwarding hot path
// (ip_forward, ipmr_queue_xmit): no allocation, no option parsing. Callers hold a datagram
// that already passed decodeIpv4 (or was built by encodeIpv4); only the length is rechecked.
import type { Ipv4Addr } from './inet.js';
import { read16, read32, write16 } from './bytes.js';
import { internetChecksum } from './checksum.js';
import { needBytes } from './errors.js';

function need(bytes: Uint8Array): void {
  needBytes('ipv4', 'header', 20, bytes.length, 0);
}

export function ipv4Ihl(bytes: Uint8Array): number {
  need(bytes);
  return bytes[0]! & 0x0f;
}

export function ipv4Tos(bytes: Uint8Array): number {
  need(bytes);
  return bytes[1]!;
}

export function ipv4TotalLength(bytes: Uint8Array): number {
  need(bytes);
  return read16(bytes, 2);
}

export function ipv4Ttl(bytes: Uint8Array): number {
  need(bytes);
  return bytes[8]!;
}

export function ipv4Protocol(bytes: Uint8Array): number {
  need(bytes);
  return bytes[9]!;
}

export function ipv4Src(bytes: Uint8Array): Ipv4Addr {
  need(bytes);
  return read32(bytes, 12);
}

export function ipv4Dst(bytes: Uint8Array): Ipv4Addr {
  need(bytes);
  return read32(bytes, 16);
}

/**
 * ip_decrease_ttl(): TTL − 1 with the checksum patched incrementally (RFC 1624). TTL is the
 * high byte of the word at offset 8, so the sum drops by 0x0100 and the stored checksum (its
 * complement) rises by 0x0100, with end-around carry. The kernel's `check >= 0xFFFF` turns
 * the would-be 0xFFFF into 0x0000 — exactly what a full recompute gives. Returns the new TTL.
 * The caller checks TTL > 1 first (ip_forward drops and sends Time Exceeded otherwise).
 */
export function decrementTtl(bytes: Uint8Array): number {
  need(bytes);
  let check = read16(bytes, 10) + 0x0100;
  check = (check + (check >= 0xffff ? 1 : 0)) & 0xffff;
  write16(bytes, 10, check);
  bytes[8] = (bytes[8]! - 1) & 0xff;
  return bytes[8]!;
}

/** ip_send_check(): recompute the header checksum in place after editing header bytes. */
export function ipSendCheck(bytes: Uint8Array): number {
  need(bytes);
  const headerLength = (bytes[0]! & 0x0f) * 4;
  needBytes('ipv4', 'header', headerLength, bytes.length, 0);
  write16(bytes, 10, 0);
  const c = internetChecksum(bytes, 0, headerLength);
  write16(bytes, 10, c);
  return c;
}
