// ICMP (RFC 792; RFC 1191 for the Fragmentation Needed MTU). The checksum covers the whole
// ICMP message. Errors quote the offending datagram: RFC 792 asks for its header + 8 bytes,
// Linux's __icmp_send() quotes as much as fits in 576 bytes (RFC 1812 §4.3.2.3).
import { read16, read32, write16, write32 } from './bytes.js';
import { checksumOk, internetChecksum } from './checksum.js';
import { checkUint, needBytes } from './errors.js';

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;

/** Destination Unreachable codes (include/uapi/linux/icmp.h). */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_SR_FAILED = 5;
export const ICMP_NET_UNKNOWN = 6;
export const ICMP_HOST_UNKNOWN = 7;
export const ICMP_HOST_ISOLATED = 8;
export const ICMP_NET_ANO = 9;
export const ICMP_HOST_ANO = 10;
export const ICMP_NET_UNR_TOS = 11;
export const ICMP_HOST_UNR_TOS = 12;
export const ICMP_PKT_FILTERED = 13;
export const ICMP_PREC_VIOLATION = 14;
export const ICMP_PREC_CUTOFF = 15;

/** Time Exceeded codes. */
export const ICMP_EXC_TTL = 0;
export const ICMP_EXC_FRAGTIME = 1;

export const ICMP_HEADER = 8;

export type IcmpMessage =
  | { kind: 'echo'; type: typeof ICMP_ECHO | typeof ICMP_ECHOREPLY; code: number; id: number; seq: number; data: Uint8Array; checksum?: number }
  /** `unused` is bytes 4–5, `nextHopMtu` bytes 6–7 (meaningful for code 4, RFC 1191). */
  | { kind: 'dest-unreachable'; code: number; unused: number; nextHopMtu: number; original: Uint8Array; checksum?: number }
  /** `unused` is bytes 4–7. */
  | { kind: 'time-exceeded'; code: number; unused: number; original: Uint8Array; checksum?: number }
  /** Any other type: `rest` is bytes 4–7 of the header, `data` what follows. */
  | { kind: 'generic'; type: number; code: number; rest: number; data: Uint8Array; checksum?: number };

export interface IcmpDecoded {
  message: IcmpMessage & { checksum: number };
  checksumValid: boolean;
}

export function icmpType(m: IcmpMessage): number {
  switch (m.kind) {
    case 'echo': return m.type;
    case 'dest-unreachable': return ICMP_DEST_UNREACH;
    case 'time-exceeded': return ICMP_TIME_EXCEEDED;
    case 'generic': return m.type;
  }
}

export function echoRequest(id: number, seq: number, data: Uint8Array): IcmpMessage {
  return { kind: 'echo', type: ICMP_ECHO, code: 0, id, seq, data };
}

/** icmp_reply() to an echo request: same id, seq and data. */
export function echoReply(id: number, seq: number, data: Uint8Array): IcmpMessage {
  return { kind: 'echo', type: ICMP_ECHOREPLY, code: 0, id, seq, data };
}

/**
 * How many bytes of the offending datagram an ICMP error quotes. 'rfc792': the IP header and
 * the first 8 data bytes. 'linux': __icmp_send() — everything that fits in min(mtu, 576) after
 * the new IP header (20 + reply options) and the 8-byte ICMP header.
 */
export function icmpQuoteLength(original: Uint8Array, mode: 'rfc792' | 'linux', mtu = 576, replyOptionsLength = 0): number {
  if (mode === 'rfc792') {
    const ihl = original.length > 0 ? (original[0]! & 0x0f) * 4 : 0;
    return Math.min(original.length, ihl + 8);
  }
  const room = Math.min(mtu, 576) - 20 - replyOptionsLength - ICMP_HEADER;
  return Math.max(0, Math.min(original.length, room));
}

export function destUnreachable(code: number, original: Uint8Array, nextHopMtu = 0, mode: 'rfc792' | 'linux' = 'linux'): IcmpMessage {
  return { kind: 'dest-unreachable', code, unused: 0, nextHopMtu, original: original.slice(0, icmpQuoteLength(original, mode)) };
}

export function timeExceeded(code: number, original: Uint8Array, mode: 'rfc792' | 'linux' = 'linux'): IcmpMessage {
  return { kind: 'time-exceeded', code, unused: 0, original: original.slice(0, icmpQuoteLength(original, mode)) };
}

/** `checksum` is computed when absent, written verbatim when present. */
export function encodeIcmp(m: IcmpMessage): Uint8Array {
  const L = 'icmp';
  const type = icmpType(m);
  checkUint(L, 'type', type, 8, 0);
  checkUint(L, 'code', m.code, 8, 1);
  const body = m.kind === 'echo' ? m.data : m.kind === 'generic' ? m.data : m.original;
  const out = new Uint8Array(ICMP_HEADER + body.length);
  out[0] = type;
  out[1] = m.code;
  switch (m.kind) {
    case 'echo':
      checkUint(L, 'id', m.id, 16, 4);
      checkUint(L, 'sequence', m.seq, 16, 6);
      write16(out, 4, m.id);
      write16(out, 6, m.seq);
      break;
    case 'dest-unreachable':
      checkUint(L, 'unused', m.unused, 16, 4);
      checkUint(L, 'next-hop MTU', m.nextHopMtu, 16, 6);
      write16(out, 4, m.unused);
      write16(out, 6, m.nextHopMtu);
      break;
    case 'time-exceeded':
      checkUint(L, 'unused', m.unused, 32, 4);
      write32(out, 4, m.unused);
      break;
    case 'generic':
      checkUint(L, 'rest of header', m.rest, 32, 4);
      write32(out, 4, m.rest);
      break;
  }
  out.set(body, ICMP_HEADER);
  let checksum = m.checksum;
  if (checksum === undefined) checksum = internetChecksum(out);
  else checkUint(L, 'checksum', checksum, 16, 2);
  write16(out, 2, checksum);
  return out;
}

/** `bytes` is the IP payload; needs the 8-byte header (icmp_rcv's pskb_pull check). */
export function decodeIcmp(bytes: Uint8Array): IcmpDecoded {
  needBytes('icmp', 'header', ICMP_HEADER, bytes.length, 0);
  const type = bytes[0]!;
  const code = bytes[1]!;
  const checksum = read16(bytes, 2);
  const rest = bytes.slice(ICMP_HEADER);
  let message: IcmpMessage & { checksum: number };
  if (type === ICMP_ECHO || type === ICMP_ECHOREPLY) {
    message = { kind: 'echo', type, code, id: read16(bytes, 4), seq: read16(bytes, 6), data: rest, checksum };
  } else if (type === ICMP_DEST_UNREACH) {
    message = { kind: 'dest-unreachable', code, unused: read16(bytes, 4), nextHopMtu: read16(bytes, 6), original: rest, checksum };
  } else if (type === ICMP_TIME_EXCEEDED) {
    message = { kind: 'time-exceeded', code, unused: read32(bytes, 4), original: rest, checksum };
  } else {
    message = { kind: 'generic', type, code, rest: read32(bytes, 4), data: rest, checksum };
  }
  return { message, checksumValid: checksumOk(bytes) };
}
