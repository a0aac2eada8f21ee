// IGMP v1 (RFC 1112), v2 (RFC 2236) and v3 (RFC 3376) messages. The checksum covers the
// whole IGMP message. A query's version is told by its length and code, as
// igmp_heard_query() does: 8 bytes → v1 if code is 0 else v2; ≥ 12 → v3; 9–11 → ignored.
import type { Ipv4Addr } from './inet.js';
import { read16, read32, write16, write32 } from './bytes.js';
import { checksumOk, internetChecksum } from './checksum.js';
import { WireError, checkUint, needBytes } from './errors.js';

export const IGMP_HOST_MEMBERSHIP_QUERY = 0x11;
export const IGMP_HOST_MEMBERSHIP_REPORT = 0x12;
export const IGMP_DVMRP = 0x13;
export const IGMP_PIM = 0x14;
export const IGMP_TRACE = 0x15;
export const IGMPV2_HOST_MEMBERSHIP_REPORT = 0x16;
export const IGMP_HOST_LEAVE_MESSAGE = 0x17;
export const IGMP_MTRACE_RESP = 0x1e;
export const IGMP_MTRACE = 0x1f;
export const IGMPV3_HOST_MEMBERSHIP_REPORT = 0x22;
export const IGMP_MRDISC_ADV = 0x30;

/** Group record types (RFC 3376 §4.2.12). */
export const IGMPV3_MODE_IS_INCLUDE = 1;
export const IGMPV3_MODE_IS_EXCLUDE = 2;
export const IGMPV3_CHANGE_TO_INCLUDE = 3;
export const IGMPV3_CHANGE_TO_EXCLUDE = 4;
export const IGMPV3_ALLOW_NEW_SOURCES = 5;
export const IGMPV3_BLOCK_OLD_SOURCES = 6;

export const IGMP_HEADER = 8;
export const IGMPV3_QUERY_MIN = 12;

const RECORD_NAMES: Record<number, string> = {
  1: 'MODE_IS_INCLUDE',
  2: 'MODE_IS_EXCLUDE',
  3: 'CHANGE_TO_INCLUDE_MODE',
  4: 'CHANGE_TO_EXCLUDE_MODE',
  5: 'ALLOW_NEW_SOURCES',
  6: 'BLOCK_OLD_SOURCES',
};

export function igmpv3RecordTypeName(type: number): string {
  return RECORD_NAMES[type] ?? `record type ${type}`;
}

export interface IgmpGroupRecord {
  /** 1–6 (MODE_IS_INCLUDE … BLOCK_OLD_SOURCES); others are carried but named generically. */
  type: number;
  /** Auxiliary data; its length must be a multiple of 4 (the wire counts 32-bit words). */
  auxData?: Uint8Array;
  group: Ipv4Addr;
  sources: Ipv4Addr[];
}

/**
 * One IGMP message. The 8-byte kinds keep `code` (the v1 "unused" byte, the v2 Max Resp Time)
 * and v3 kinds keep their reserved fields, so a decoded message re-encodes to the same bytes.
 * `checksum` is computed when absent, written verbatim when present.
 */
export type IgmpMessage =
  /** 0x11, 8 bytes, code 0. */
  | { kind: 'query-v1'; group: Ipv4Addr; checksum?: number }
  /** 0x11, 8 bytes, code = Max Resp Time in 1/10 s (non-zero, or it would read as v1). */
  | { kind: 'query-v2'; maxRespTime: number; group: Ipv4Addr; checksum?: number }
  /** 0x11, ≥ 12 bytes. `maxRespCode` and `qqic` are the raw bytes; see igmp-code.ts. */
  | {
      kind: 'query-v3';
      maxRespCode: number;
      group: Ipv4Addr;
      /** The 4 reserved bits above S. */
      reserved?: number;
      sFlag: boolean;
      qrv: number;
      qqic: number;
      sources: Ipv4Addr[];
      /** Bytes after the source list (RFC 3376 §4.1.10: ignored by receivers). */
      extra?: Uint8Array;
      checksum?: number;
    }
  /** 0x12; `code` is the v1 unused byte (0). */
  | { kind: 'report-v1'; code?: number; group: Ipv4Addr; checksum?: number }
  | { kind: 'report-v2'; code?: number; group: Ipv4Addr; checksum?: number }
  | { kind: 'leave-v2'; code?: number; group: Ipv4Addr; checksum?: number }
  /** 0x22. `reserved1` is byte 1, `reserved2` bytes 4–5. */
  | {
      kind: 'report-v3';
      reserved1?: number;
      reserved2?: number;
      records: IgmpGroupRecord[];
      extra?: Uint8Array;
      checksum?: number;
    }
  /** Anything else (DVMRP, mtrace, PIMv1, malformed-length queries): type, code, bytes 4+. */
  | { kind: 'generic'; type: number; code: number; body: Uint8Array; checksum?: number };

export interface IgmpDecoded {
  message: IgmpMessage & { checksum: number };
  checksumValid: boolean;
}

export function igmpType(m: IgmpMessage): number {
  switch (m.kind) {
    case 'query-v1':
    case 'query-v2':
    case 'query-v3':
      return IGMP_HOST_MEMBERSHIP_QUERY;
    case 'report-v1': return IGMP_HOST_MEMBERSHIP_REPORT;
    case 'report-v2': return IGMPV2_HOST_MEMBERSHIP_REPORT;
    case 'leave-v2': return IGMP_HOST_LEAVE_MESSAGE;
    case 'report-v3': return IGMPV3_HOST_MEMBERSHIP_REPORT;
    case 'generic': return m.type;
  }
}

/** igmp_heard_query()'s version test on an IGMP payload of `length` bytes: null = ignored. */
export function igmpQueryVersion(length: number, code: number): 1 | 2 | 3 | null {
  if (length === IGMP_HEADER) return code === 0 ? 1 : 2;
  if (length < IGMPV3_QUERY_MIN) return null;
  return 3;
}

function encodeBody(m: IgmpMessage): Uint8Array {
  const L = 'igmp';
  const eight = (code: number, group: Ipv4Addr): Uint8Array => {
    checkUint(L, 'code', code, 8, 1);
    checkUint(L, 'group', group, 32, 4);
    const out = new Uint8Array(IGMP_HEADER);
    out[1] = code;
    write32(out, 4, group);
    return out;
  };
  switch (m.kind) {
    case 'query-v1':
      return eight(0, m.group);
    case 'query-v2':
      if (m.maxRespTime === 0) throw new WireError(L, 'a v2 query with Max Resp Time 0 is a v1 query', 1);
      return eight(m.maxRespTime, m.group);
    case 'report-v1':
    case 'report-v2':
    case 'leave-v2':
      return eight(m.code ?? 0, m.group);
    case 'query-v3': {
      const extra = m.extra ?? new Uint8Array(0);
      checkUint(L, 'max resp code', m.maxRespCode, 8, 1);
      checkUint(L, 'group', m.group, 32, 4);
      checkUint(L, 'reserved bits', m.reserved ?? 0, 4, 8);
      checkUint(L, 'QRV', m.qrv, 3, 8);
      checkUint(L, 'QQIC', m.qqic, 8, 9);
      checkUint(L, 'number of sources', m.sources.length, 16, 10);
      const out = new Uint8Array(IGMPV3_QUERY_MIN + 4 * m.sources.length + extra.length);
      out[1] = m.maxRespCode;
      write32(out, 4, m.group);
      out[8] = ((m.reserved ?? 0) << 4) | (m.sFlag ? 0x08 : 0) | m.qrv;
      out[9] = m.qqic;
      write16(out, 10, m.sources.length);
      m.sources.forEach((s, i) => {
        checkUint(L, `source ${i}`, s, 32, 12 + 4 * i);
        write32(out, 12 + 4 * i, s);
      });
      out.set(extra, IGMPV3_QUERY_MIN + 4 * m.sources.length);
      return out;
    }
    case 'report-v3': {
      checkUint(L, 'reserved byte', m.reserved1 ?? 0, 8, 1);
      checkUint(L, 'reserved field', m.reserved2 ?? 0, 16, 4);
      checkUint(L, 'number of group records', m.records.length, 16, 6);
      const extra = m.extra ?? new Uint8Array(0);
      let len = IGMP_HEADER + extra.length;
      for (const r of m.records) len += 8 + (r.auxData?.length ?? 0) + 4 * r.sources.length;
      const out = new Uint8Array(len);
      out[1] = m.reserved1 ?? 0;
      write16(out, 4, m.reserved2 ?? 0);
      write16(out, 6, m.records.length);
      let o = IGMP_HEADER;
      for (const r of m.records) {
        const aux = r.auxData ?? new Uint8Array(0);
        checkUint(L, 'record type', r.type, 8, o);
        if (aux.length % 4 !== 0) throw new WireError(L, `aux data of ${aux.length} bytes is not whole 32-bit words`, o + 1);
        checkUint(L, 'aux data length (words)', aux.length / 4, 8, o + 1);
        checkUint(L, 'number of sources', r.sources.length, 16, o + 2);
        checkUint(L, 'group', r.group, 32, o + 4);
        out[o] = r.type;
        out[o + 1] = aux.length / 4;
        write16(out, o + 2, r.sources.length);
        write32(out, o + 4, r.group);
        o += 8;
        for (const s of r.sources) {
          checkUint(L, 'source', s, 32, o);
          write32(out, o, s);
          o += 4;
        }
        out.set(aux, o);
        o += aux.length;
      }
      out.set(extra, o);
      return out;
    }
    case 'generic': {
      checkUint(L, 'code', m.code, 8, 1);
      const out = new Uint8Array(4 + m.body.length);
      out[1] = m.code;
      out.set(m.body, 4);
      return out;
    }
  }
}

export function encodeIgmp(m: IgmpMessage): Uint8Array {
  const type = igmpType(m);
  checkUint('igmp', 'type', type, 8, 0);
  const out = encodeBody(m);
  out[0] = type;
  let checksum = m.checksum;
  if (checksum === undefined) checksum = internetChecksum(out);
  else checkUint('igmp', 'checksum', checksum, 16, 2);
  write16(out, 2, checksum);
  return out;
}

function readSources(bytes: Uint8Array, start: number, n: number): Ipv4Addr[] {
  const out: Ipv4Addr[] = [];
  for (let i = 0; i < n; i++) out.push(read32(bytes, start + 4 * i));
  return out;
}

/**
 * `bytes` is the whole IGMP message (the IP payload). Like igmp_rcv(): at least 8 bytes.
 * A v3 query or report whose counts run past the end throws. A 9–11-byte query, which
 * igmp_heard_query() ignores, decodes as 'generic'.
 */
export function decodeIgmp(bytes: Uint8Array): IgmpDecoded {
  const L = 'igmp';
  needBytes(L, 'message', IGMP_HEADER, bytes.length, 0);
  const type = bytes[0]!;
  const code = bytes[1]!;
  const checksum = read16(bytes, 2);
  const checksumValid = checksumOk(bytes);
  const group = read32(bytes, 4);
  let message: IgmpMessage & { checksum: number };
  switch (type) {
    case IGMP_HOST_MEMBERSHIP_QUERY: {
      const version = igmpQueryVersion(bytes.length, code);
      if (version === 1) message = { kind: 'query-v1', group, checksum };
      else if (version === 2) message = { kind: 'query-v2', maxRespTime: code, group, checksum };
      else if (version === 3) {
        const nsrcs = read16(bytes, 10);
        const end = IGMPV3_QUERY_MIN + 4 * nsrcs;
        if (end > bytes.length) {
          throw new WireError(L, `v3 query lists ${nsrcs} sources (${end} bytes), have ${bytes.length}`, 10);
        }
        message = {
          kind: 'query-v3',
          maxRespCode: code,
          group,
          reserved: bytes[8]! >>> 4,
          sFlag: (bytes[8]! & 0x08) !== 0,
          qrv: bytes[8]! & 0x07,
          qqic: bytes[9]!,
          sources: readSources(bytes, IGMPV3_QUERY_MIN, nsrcs),
          checksum,
        };
        if (end < bytes.length) message.extra = bytes.slice(end);
      } else {
        message = { kind: 'generic', type, code, body: bytes.slice(4), checksum };
      }
      break;
    }
    case IGMP_HOST_MEMBERSHIP_REPORT:
      message = { kind: 'report-v1', code, group, checksum };
      break;
    case IGMPV2_HOST_MEMBERSHIP_REPORT:
      message = { kind: 'report-v2', code, group, checksum };
      break;
    case IGMP_HOST_LEAVE_MESSAGE:
      message = { kind: 'leave-v2', code, group, checksum };
      break;
    case IGMPV3_HOST_MEMBERSHIP_REPORT: {
      const ngrec = read16(bytes, 6);
      const records: IgmpGroupRecord[] = [];
      let o = IGMP_HEADER;
      for (let i = 0; i < ngrec; i++) {
        if (o + 8 > bytes.length) throw new WireError(L, `group record ${i} of ${ngrec} truncated: need 8 bytes, have ${bytes.length - o}`, o);
        const auxLen = bytes[o + 1]! * 4;
        const nsrcs = read16(bytes, o + 2);
        const end = o + 8 + 4 * nsrcs + auxLen;
        if (end > bytes.length) {
          throw new WireError(L, `group record ${i} (${nsrcs} sources, ${auxLen} aux bytes) runs past the message`, o);
        }
        const rec: IgmpGroupRecord = { type: bytes[o]!, group: read32(bytes, o + 4), sources: readSources(bytes, o + 8, nsrcs) };
        if (auxLen > 0) rec.auxData = bytes.slice(o + 8 + 4 * nsrcs, end);
        records.push(rec);
        o = end;
      }
      message = { kind: 'report-v3', reserved1: code, reserved2: read16(bytes, 4), records, checksum };
      if (o < bytes.length) message.extra = bytes.slice(o);
      break;
    }
    default:
      message = { kind: 'generic', type, code, body: bytes.slice(4), checksum };
  }
  return { message, checksumValid };
}
