import { describe, expect, it } from 'vitest';
import { read16, write16 } from '../../../engine/wire/bytes.js';
import { WireError } from '../../../engine/wire/errors.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';
import { decodeUdp, encodeUdp, udpChecksum } from '../../../engine/wire/udp.js';

const src = parseIpv4('10.77.1.1')!;
const dst = parseIpv4('239.1.2.3')!;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('UDP', () => {
  it('round-trips with a valid pseudo-header checksum', () => {
    const b = encodeUdp({ srcPort: 40002, dstPort: 5001 }, text('hello'), src, dst);
    expect(b.length).toBe(13);
    expect(read16(b, 4)).toBe(13);
    const d = decodeUdp(b, src, dst);
    expect(d.header).toEqual({ srcPort: 40002, dstPort: 5001, length: 13, checksum: read16(b, 6) });
    expect(d.checksumStatus).toBe('valid');
    expect(new TextDecoder().decode(d.payload)).toBe('hello');
    expect(encodeUdp(d.header, d.payload, src, dst)).toEqual(b);
  });

  it('the pseudo-header matters: the same bytes fail for another destination', () => {
    const b = encodeUdp({ srcPort: 1, dstPort: 2 }, text('x'), src, dst);
    expect(decodeUdp(b, src, dst + 1).checksumStatus).toBe('invalid');
  });

  it('checksum 0 means none', () => {
    const b = encodeUdp({ srcPort: 1, dstPort: 2, checksum: 0 }, text('abc'), src, dst);
    expect(decodeUdp(b, src, dst).checksumStatus).toBe('absent');
  });

  it('a computed 0 is sent as 0xFFFF, and that verifies', () => {
    // Pick the last data word so the checksum computes to 0: set it to make the sum 0xFFFF.
    const payload = new Uint8Array(4);
    const probe = encodeUdp({ srcPort: 1000, dstPort: 2000 }, payload, src, dst);
    // With data word 0 the checksum is c; adding ~... the word w = c makes the sum all ones.
    write16(payload, 2, read16(probe, 6) === 0xffff ? 0 : read16(probe, 6));
    const b = encodeUdp({ srcPort: 1000, dstPort: 2000 }, payload, src, dst);
    expect(read16(b, 6)).toBe(0xffff);
    const zeroed = b.slice();
    write16(zeroed, 6, 0);
    expect(udpChecksum(zeroed, src, dst)).toBe(0xffff);
    expect(decodeUdp(b, src, dst).checksumStatus).toBe('valid');
  });

  it('ignores bytes past the UDP length (IP payload padding)', () => {
    const b = encodeUdp({ srcPort: 1, dstPort: 2 }, text('ab'), src, dst);
    const padded = new Uint8Array(b.length + 5);
    padded.set(b);
    const d = decodeUdp(padded, src, dst);
    expect(d.payload.length).toBe(2);
    expect(d.checksumStatus).toBe('valid');
  });

  it('malformed: truncated header, length < 8, length beyond the data', () => {
    const b = encodeUdp({ srcPort: 1, dstPort: 2 }, text('abcd'), src, dst);
    expect(() => decodeUdp(b.subarray(0, 7), src, dst)).toThrow(/udp: header truncated: need 8 bytes, have 7 \(at byte 0\)/);
    const short = b.slice();
    write16(short, 4, 7);
    expect(() => decodeUdp(short, src, dst)).toThrow(/length 7 is less than 8 \(at byte 4\)/);
    expect(() => decodeUdp(b.subarray(0, 10), src, dst)).toThrow(/datagram truncated: length 12, have 10 bytes/);
    expect(() => decodeUdp(b.subarray(0, 10), src, dst)).toThrow(WireError);
  });

  it('rejects out-of-range ports', () => {
    expect(() => encodeUdp({ srcPort: 65536, dstPort: 2 }, text(''), src, dst)).toThrow(/source port 65536/);
  });
});
