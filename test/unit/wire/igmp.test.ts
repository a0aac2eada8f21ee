import { describe, expect, it } from 'vitest';
import { write16 } from '../../../engine/wire/bytes.js';
import { internetChecksum } from '../../../engine/wire/checksum.js';
import { WireError } from '../../../engine/wire/errors.js';
import { fromHex, toHex } from '../../../engine/wire/hex.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';
import type { IgmpMessage } from '../../../engine/wire/igmp.js';
import {
  IGMPV3_ALLOW_NEW_SOURCES,
  IGMPV3_BLOCK_OLD_SOURCES,
  IGMPV3_CHANGE_TO_EXCLUDE,
  IGMPV3_CHANGE_TO_INCLUDE,
  IGMPV3_MODE_IS_EXCLUDE,
  IGMPV3_MODE_IS_INCLUDE,
  decodeIgmp,
  encodeIgmp,
  igmpQueryVersion,
} from '../../../engine/wire/igmp.js';
import { IGMPV3_CODE_MAX, igmpv3DecodeCode, igmpv3EncodeCode } from '../../../engine/wire/igmp-code.js';

const ip = (s: string): number => parseIpv4(s)!;

function roundTrip(m: IgmpMessage): Uint8Array {
  const b = encodeIgmp(m);
  const d = decodeIgmp(b);
  expect(d.checksumValid).toBe(true);
  expect(d.message).toEqual({ ...m, checksum: d.message.checksum });
  expect(encodeIgmp(d.message)).toEqual(b);
  return b;
}

describe('IGMP v1/v2', () => {
  it('v2 report: the bytes Linux sends for 239.1.2.4', () => {
    expect(toHex(roundTrip({ kind: 'report-v2', code: 0, group: ip('239.1.2.4') }))).toBe('1600f8f9ef010204');
  });

  it('v2 leave, v1 report, v1 and v2 queries', () => {
    expect(roundTrip({ kind: 'leave-v2', code: 0, group: ip('239.1.2.4') })[0]).toBe(0x17);
    expect(roundTrip({ kind: 'report-v1', code: 0, group: ip('239.1.2.8') })[0]).toBe(0x12);
    const v1 = roundTrip({ kind: 'query-v1', group: 0 });
    expect(toHex(v1)).toBe('1100eeff00000000');
    const v2 = roundTrip({ kind: 'query-v2', maxRespTime: 100, group: ip('239.1.2.3') });
    expect(v2.length).toBe(8);
    expect(v2[1]).toBe(100);
  });

  it('refuses a v2 query with Max Resp Time 0 (it would read as v1)', () => {
    expect(() => encodeIgmp({ kind: 'query-v2', maxRespTime: 0, group: 0 })).toThrow(WireError);
  });
});

describe('query version detection (igmp_heard_query)', () => {
  it('8 bytes: v1 if code 0, else v2; 9–11: ignored; ≥ 12: v3', () => {
    expect(igmpQueryVersion(8, 0)).toBe(1);
    expect(igmpQueryVersion(8, 100)).toBe(2);
    expect(igmpQueryVersion(9, 100)).toBeNull();
    expect(igmpQueryVersion(11, 0)).toBeNull();
    expect(igmpQueryVersion(12, 0)).toBe(3);
    expect(igmpQueryVersion(20, 100)).toBe(3);
  });

  it('decodes by length: a 12-byte query with code 0 is v3, a 10-byte one is generic', () => {
    const v3 = encodeIgmp({ kind: 'query-v3', maxRespCode: 0, group: 0, sFlag: false, qrv: 2, qqic: 125, sources: [] });
    expect(v3.length).toBe(12);
    expect(decodeIgmp(v3).message.kind).toBe('query-v3');
    const odd = Uint8Array.of(0x11, 100, 0, 0, 0, 0, 0, 0, 0, 0);
    write16(odd, 2, internetChecksum(odd));
    const d = decodeIgmp(odd);
    expect(d.message).toMatchObject({ kind: 'generic', type: 0x11, code: 100 });
    expect(encodeIgmp(d.message)).toEqual(odd);
  });
});

describe('IGMPv3 query', () => {
  it('round-trips S flag, QRV, QQIC, sources and the reserved bits', () => {
    const b = roundTrip({
      kind: 'query-v3',
      maxRespCode: 0x81,
      group: ip('232.1.1.2'),
      reserved: 0,
      sFlag: true,
      qrv: 2,
      qqic: 0x90,
      sources: [ip('10.77.9.4'), ip('10.77.9.5')],
    });
    expect(toHex(b.subarray(8))).toBe('0a9000020a4d09040a4d0905');
    roundTrip({ kind: 'query-v3', maxRespCode: 10, group: 0, reserved: 0xf, sFlag: false, qrv: 7, qqic: 0, sources: [] });
  });

  it('keeps additional data after the sources (RFC 3376 §4.1.10)', () => {
    roundTrip({ kind: 'query-v3', maxRespCode: 10, group: 0, reserved: 0, sFlag: false, qrv: 2, qqic: 125, sources: [1], extra: Uint8Array.of(1, 2, 3, 4) });
  });

  it('malformed: source count beyond the message', () => {
    const b = encodeIgmp({ kind: 'query-v3', maxRespCode: 10, group: 0, sFlag: false, qrv: 2, qqic: 125, sources: [1, 2] });
    expect(() => decodeIgmp(b.subarray(0, 16))).toThrow('igmp: v3 query lists 2 sources (20 bytes), have 16 (at byte 10)');
  });

  it('rejects a QRV that does not fit 3 bits', () => {
    expect(() => encodeIgmp({ kind: 'query-v3', maxRespCode: 10, group: 0, sFlag: false, qrv: 8, qqic: 125, sources: [] })).toThrow(/QRV 8/);
  });
});

describe('IGMPv3 report', () => {
  it('round-trips all six record types, aux data and sources', () => {
    const b = roundTrip({
      kind: 'report-v3',
      reserved1: 0,
      reserved2: 0,
      records: [
        { type: IGMPV3_MODE_IS_INCLUDE, group: ip('232.1.1.2'), sources: [ip('10.77.9.4')] },
        { type: IGMPV3_MODE_IS_EXCLUDE, group: ip('239.1.2.7'), sources: [] },
        { type: IGMPV3_CHANGE_TO_INCLUDE, group: ip('239.1.2.5'), sources: [] },
        { type: IGMPV3_CHANGE_TO_EXCLUDE, group: ip('239.1.2.6'), sources: [ip('10.77.9.3')] },
        { type: IGMPV3_ALLOW_NEW_SOURCES, group: ip('232.1.1.1'), sources: [ip('10.77.9.1'), ip('10.77.9.2')], auxData: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
        { type: IGMPV3_BLOCK_OLD_SOURCES, group: ip('232.1.1.1'), sources: [ip('10.77.9.2')] },
      ],
    });
    expect(b.length).toBe(8 + 6 * 8 + 5 * 4 + 8); // header, 6 record headers, 5 sources, 8 aux bytes
    expect(b[8 + 8 + 4 + 8 + 8 + 8 + 4 + 1]).toBe(2); // aux data length in words of record 5
  });

  it('exact bytes of a CHANGE_TO_EXCLUDE {} record, as Linux sends for an ASM join', () => {
    const b = encodeIgmp({ kind: 'report-v3', records: [{ type: IGMPV3_CHANGE_TO_EXCLUDE, group: ip('239.1.2.5'), sources: [] }] });
    expect(toHex(b)).toBe('2200e8f70000000104000000ef010205');
  });

  it('malformed: truncated record header, sources past the end', () => {
    const b = encodeIgmp({ kind: 'report-v3', records: [{ type: 1, group: 1, sources: [2, 3] }] });
    expect(() => decodeIgmp(b.subarray(0, 12))).toThrow('igmp: group record 0 of 1 truncated: need 8 bytes, have 4 (at byte 8)');
    expect(() => decodeIgmp(b.subarray(0, 20))).toThrow('igmp: group record 0 (2 sources, 0 aux bytes) runs past the message (at byte 8)');
  });

  it('rejects aux data that is not whole words', () => {
    expect(() => encodeIgmp({ kind: 'report-v3', records: [{ type: 1, group: 1, sources: [], auxData: Uint8Array.of(1) }] })).toThrow(/not whole 32-bit words/);
  });
});

describe('IGMP checksum and length', () => {
  it('reports a wrong checksum and decodes anyway', () => {
    const b = fromHex('1600f8f8ef010204');
    const d = decodeIgmp(b);
    expect(d.checksumValid).toBe(false);
    expect(d.message).toMatchObject({ kind: 'report-v2', group: ip('239.1.2.4') });
  });

  it('malformed: fewer than 8 bytes', () => {
    expect(() => decodeIgmp(new Uint8Array(7))).toThrow('igmp: message truncated: need 8 bytes, have 7 (at byte 0)');
  });

  it('other types (mtrace, DVMRP) round-trip generically', () => {
    roundTrip({ kind: 'generic', type: 0x13, code: 1, body: Uint8Array.of(0, 3, 0xff, 0xff, 1, 2, 3, 4) });
  });
});

describe('Max Resp Code / QQIC floating point (RFC 3376 §4.1.1, §4.1.7)', () => {
  it('decodes like IGMPV3_MRC(): below 128 as is, else (mant | 0x10) << (exp + 3)', () => {
    expect(igmpv3DecodeCode(0)).toBe(0);
    expect(igmpv3DecodeCode(100)).toBe(100);
    expect(igmpv3DecodeCode(127)).toBe(127);
    expect(igmpv3DecodeCode(0x80)).toBe(128);
    expect(igmpv3DecodeCode(0x81)).toBe(136);
    expect(igmpv3DecodeCode(0x90)).toBe(256);
    expect(igmpv3DecodeCode(0x8c)).toBe(224);
    expect(igmpv3DecodeCode(0xff)).toBe(IGMPV3_CODE_MAX);
    expect(IGMPV3_CODE_MAX).toBe(31744);
  });

  it('is strictly increasing over all 256 codes, and encode inverts decode', () => {
    for (let c = 0; c < 256; c++) {
      if (c > 0) expect(igmpv3DecodeCode(c)).toBeGreaterThan(igmpv3DecodeCode(c - 1));
      expect(igmpv3EncodeCode(igmpv3DecodeCode(c))).toBe(c);
    }
  });

  it('encodes unrepresentable values by rounding down, and saturates', () => {
    expect(igmpv3EncodeCode(129)).toBe(0x80);
    expect(igmpv3EncodeCode(300)).toBe(0x92);
    expect(igmpv3DecodeCode(0x92)).toBe(288);
    // The chosen code is the largest whose value does not exceed v.
    for (let v = 0; v <= IGMPV3_CODE_MAX; v += 37) {
      const c = igmpv3EncodeCode(v);
      expect(igmpv3DecodeCode(c)).toBeLessThanOrEqual(v);
      if (c < 255) expect(igmpv3DecodeCode(c + 1)).toBeGreaterThan(v);
    }
    expect(igmpv3EncodeCode(40000)).toBe(0xff);
    expect(() => igmpv3EncodeCode(-1)).toThrow(RangeError);
  });
});
