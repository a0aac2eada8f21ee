import { describe, expect, it } from 'vitest';
import { read16, write16 } from '../../../engine/wire/bytes.js';
import { internetChecksum } from '../../../engine/wire/checksum.js';
import { toHex } from '../../../engine/wire/hex.js';
import { encodeIpv4 } from '../../../engine/wire/ipv4.js';
import { PIM_HELLO, decodePim, encodePim } from '../../../engine/wire/pim.js';

const inner = encodeIpv4({ ttl: 5, protocol: 17, src: 0x0a4d0101, dst: 0xef010209 }, new Uint8Array(12).fill(7));

describe('PIM Register', () => {
  it('checksums only the first 8 bytes (RFC 7761 §4.9)', () => {
    const b = encodePim({ kind: 'register', border: false, nullRegister: false, packet: inner });
    expect(toHex(b.subarray(0, 2))).toBe('2100');
    expect(read16(b, 2)).toBe(internetChecksum(Uint8Array.of(0x21, 0, 0, 0, 0, 0, 0, 0)));
    const d = decodePim(b);
    expect(d.checksumValid).toBe(true);
    expect(d.checksumCoverage).toBe('header');
    expect(d.message).toMatchObject({ kind: 'register', version: 2, border: false, nullRegister: false, reservedFlags: 0 });
    expect(d.message.kind === 'register' && d.message.packet).toEqual(inner);
    expect(encodePim(d.message)).toEqual(b);
  });

  it('the data packet does not affect the checksum', () => {
    const a = encodePim({ kind: 'register', border: true, nullRegister: false, packet: inner });
    const other = inner.slice();
    other[30] = 99;
    const b = encodePim({ kind: 'register', border: true, nullRegister: false, packet: other });
    expect(read16(a, 2)).toBe(read16(b, 2));
  });

  it('accepts a checksum over the whole message too, as pim_rcv() does', () => {
    const b = encodePim({ kind: 'register', border: false, nullRegister: false, packet: inner, checksum: 0 });
    write16(b, 2, internetChecksum(b));
    const d = decodePim(b);
    expect(d.checksumValid).toBe(true);
    expect(d.checksumCoverage).toBe('whole');
  });

  it('border and null-register bits', () => {
    const b = encodePim({ kind: 'register', border: true, nullRegister: true, packet: inner.subarray(0, 20) });
    expect(toHex(b.subarray(4, 8))).toBe('c0000000');
    expect(decodePim(b).message).toMatchObject({ border: true, nullRegister: true });
  });

  it('a wrong checksum is reported', () => {
    const b = encodePim({ kind: 'register', border: false, nullRegister: false, packet: inner });
    b[5] = 1;
    const d = decodePim(b);
    expect(d.checksumValid).toBe(false);
    expect(d.checksumCoverage).toBeNull();
  });
});

describe('PIM other types', () => {
  it('Hello: generic body, checksum over the whole message', () => {
    // Hello with a Holdtime option (type 1, length 2, 105 s).
    const body = Uint8Array.of(0, 1, 0, 2, 0, 105);
    const b = encodePim({ kind: 'generic', type: PIM_HELLO, body });
    expect(read16(b, 2)).toBe(internetChecksum(Uint8Array.of(0x20, 0, 0, 0, ...body)));
    const d = decodePim(b);
    expect(d.checksumValid).toBe(true);
    expect(d.message).toEqual({ kind: 'generic', version: 2, type: 0, reserved: 0, body, checksum: read16(b, 2) });
    expect(encodePim(d.message)).toEqual(b);
  });

  it('malformed: short header, short Register, version 1', () => {
    expect(() => decodePim(Uint8Array.of(0x20, 0, 0))).toThrow('pim: header truncated: need 4 bytes, have 3 (at byte 0)');
    expect(() => decodePim(Uint8Array.of(0x21, 0, 0, 0, 0))).toThrow('pim: Register header truncated: need 8 bytes, have 5 (at byte 0)');
    expect(() => decodePim(Uint8Array.of(0x10, 0, 0, 0))).toThrow('pim: version 1, expected 2 (at byte 0)');
  });

  it('rejects a type that does not fit 4 bits', () => {
    expect(() => encodePim({ kind: 'generic', type: 16, body: new Uint8Array(0) })).toThrow(/type 16/);
  });
});
