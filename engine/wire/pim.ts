// PIM (RFC 7761 §4.9): a 4-byte common header — version 2, type, reserved, checksum — then the
// type's body. The checksum covers the whole PIM message, except for Register, where it covers
// only the first 8 bytes (header + flags word), not the encapsulated packet. Linux's pim_rcv()
// accepts a Register whose checksum is right over either span (old Cisco IOS summed it all).
import { read16, read32, write16, write32 } from './bytes.js';
import { checksumOk, internetChecksum } from './checksum.js';
import { WireError, checkUint, needBytes } from './errors.js';

export const PIM_VERSION = 2;
export const PIM_HELLO = 0;
export const PIM_REGISTER = 1;
export const PIM_REGISTER_STOP = 2;
export const PIM_JOIN_PRUNE = 3;
export const PIM_BOOTSTRAP = 4;
export const PIM_ASSERT = 5;
export const PIM_GRAFT = 6;
export const PIM_GRAFT_ACK = 7;
export const PIM_CANDIDATE_RP_ADV = 8;

/** Register flags word (include/linux/pim.h): Border bit and Null-Register bit. */
export const PIM_BORDER_REGISTER = 0x80000000;
export const PIM_NULL_REGISTER = 0x40000000;

export const PIM_HEADER = 4;
export const PIM_REGISTER_HEADER = 8;

const TYPE_NAMES: Record<number, string> = {
  0: 'Hello',
  1: 'Register',
  2: 'Register-Stop',
  3: 'Join/Prune',
  4: 'Bootstrap',
  5: 'Assert',
  6: 'Graft',
  7: 'Graft-Ack',
  8: 'Candidate-RP-Advertisement',
};

export function pimTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

export type PimMessage =
  | {
      kind: 'register';
      /** Defaults to 2. */
      version?: number;
      /** The header's reserved byte. */
      reserved?: number;
      border: boolean;
      nullRegister: boolean;
      /** The 30 low bits of the flags word (reserved, zero). */
      reservedFlags?: number;
      /** The encapsulated multicast data packet (an IPv4 datagram; for a Null-Register its header only). */
      packet: Uint8Array;
      checksum?: number;
    }
  | { kind: 'generic'; version?: number; type: number; reserved?: number; body: Uint8Array; checksum?: number };

export interface PimDecoded {
  message: PimMessage & { checksum: number };
  checksumValid: boolean;
  /** Which span the checksum is right over: Register may use either; null when invalid. */
  checksumCoverage: 'header' | 'whole' | null;
}

/** `checksum` is computed when absent (header-only for Register), written verbatim when present. */
export function encodePim(m: PimMessage): Uint8Array {
  const L = 'pim';
  const version = m.version ?? PIM_VERSION;
  const type = m.kind === 'register' ? PIM_REGISTER : m.type;
  checkUint(L, 'version', version, 4, 0);
  checkUint(L, 'type', type, 4, 0);
  checkUint(L, 'reserved', m.reserved ?? 0, 8, 1);
  let out: Uint8Array;
  let span: number;
  if (m.kind === 'register') {
    const low = m.reservedFlags ?? 0;
    checkUint(L, 'reserved flag bits', low, 30, 4);
    out = new Uint8Array(PIM_REGISTER_HEADER + m.packet.length);
    write32(out, 4, ((m.border ? PIM_BORDER_REGISTER : 0) | (m.nullRegister ? PIM_NULL_REGISTER : 0) | low) >>> 0);
    out.set(m.packet, PIM_REGISTER_HEADER);
    span = PIM_REGISTER_HEADER;
  } else {
    out = new Uint8Array(PIM_HEADER + m.body.length);
    out.set(m.body, PIM_HEADER);
    span = out.length;
  }
  out[0] = (version << 4) | type;
  out[1] = m.reserved ?? 0;
  let checksum = m.checksum;
  if (checksum === undefined) checksum = internetChecksum(out, 0, span);
  else checkUint(L, 'checksum', checksum, 16, 2);
  write16(out, 2, checksum);
  return out;
}

/** `bytes` is the IP payload (protocol 103). */
export function decodePim(bytes: Uint8Array): PimDecoded {
  const L = 'pim';
  needBytes(L, 'header', PIM_HEADER, bytes.length, 0);
  const version = bytes[0]! >>> 4;
  const type = bytes[0]! & 0x0f;
  const reserved = bytes[1]!;
  const checksum = read16(bytes, 2);
  // PIMv1 travels inside IGMP (type 0x14); on protocol 103 only version 2 exists.
  if (version !== PIM_VERSION) throw new WireError(L, `version ${version}, expected 2`, 0);
  if (type === PIM_REGISTER) {
    needBytes(L, 'Register header', PIM_REGISTER_HEADER, bytes.length, 0);
    const flags = read32(bytes, 4);
    const headerOk = checksumOk(bytes, 0, PIM_REGISTER_HEADER);
    const wholeOk = !headerOk && checksumOk(bytes);
    return {
      message: {
        kind: 'register',
        version,
        reserved,
        border: (flags & PIM_BORDER_REGISTER) !== 0,
        nullRegister: (flags & PIM_NULL_REGISTER) !== 0,
        reservedFlags: flags & 0x3fffffff,
        packet: bytes.slice(PIM_REGISTER_HEADER),
        checksum,
      },
      checksumValid: headerOk || wholeOk,
      checksumCoverage: headerOk ? 'header' : wholeOk ? 'whole' : null,
    };
  }
  const ok = checksumOk(bytes);
  return {
    message: { kind: 'generic', version, type, reserved, body: bytes.slice(PIM_HEADER), checksum },
    checksumValid: ok,
    checksumCoverage: ok ? 'whole' : null,
  };
}
