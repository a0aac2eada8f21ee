import { describe, expect, it } from 'vitest';
import { checksumOk } from '../../../engine/wire/checksum.js';
import { WireError } from '../../../engine/wire/errors.js';
import { fromHex, toHex } from '../../../engine/wire/hex.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';
import type { Ipv4HeaderInit } from '../../../engine/wire/ipv4.js';
import { IPPROTO_IGMP, IPPROTO_UDP, decodeIpv4, decodeIpv4Header, encodeIpv4 } from '../../../engine/wire/ipv4.js';
import { routerAlert } from '../../../engine/wire/ipv4-options.js';

const ip = (s: string): number => parseIpv4(s)!;

function expectWireError(fn: () => unknown, offset: number, text: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect((e as WireError).offset).toBe(offset);
    expect((e as WireError).message).toMatch(text);
    return;
  }
  throw new Error('expected a WireError');
}

const base: Ipv4HeaderInit = { ttl: 64, protocol: IPPROTO_UDP, src: ip('10.0.0.1'), dst: ip('10.0.0.2') };

describe('encodeIpv4', () => {
  it('computes ihl, total length and checksum; the bytes are the textbook ones', () => {
    // The worked example of Wikipedia's "IPv4 header checksum": checksum 0xb861.
    const bytes = encodeIpv4(
      { id: 0, df: true, ttl: 64, protocol: 17, src: ip('192.168.0.1'), dst: ip('192.168.0.199') },
      new Uint8Array(0x73 - 20),
    );
    expect(toHex(bytes.subarray(0, 20))).toBe('45000073000040004011b861c0a80001c0a800c7');
    expect(checksumOk(bytes, 0, 20)).toBe(true);
  });

  it('adds a Router Alert option as IGMP does: ihl 6, 94 04 00 00', () => {
    const bytes = encodeIpv4(
      { tos: 0xc0, df: true, ttl: 1, protocol: IPPROTO_IGMP, src: ip('10.77.1.1'), dst: ip('224.0.0.22'), options: [routerAlert()] },
      new Uint8Array(8),
    );
    expect(bytes[0]).toBe(0x46);
    expect(toHex(bytes.subarray(20, 24))).toBe('94040000');
    expect(decodeIpv4(bytes).header.options).toEqual([{ kind: 'router-alert', value: 0 }]);
  });

  it('pads options to 4 bytes with EOL (zero) bytes', () => {
    const bytes = encodeIpv4({ ...base, options: [{ kind: 'nop' }] });
    expect(bytes[0]! & 0x0f).toBe(6);
    expect(toHex(bytes.subarray(20, 24))).toBe('01000000');
    const h = decodeIpv4(bytes).header;
    expect(h.options).toEqual([{ kind: 'nop' }, { kind: 'eol', padding: Uint8Array.of(0, 0) }]);
  });

  it('writes verbatim the fields it is told (a deliberately bad checksum, a longer ihl)', () => {
    const bytes = encodeIpv4({ ...base, ihl: 7, checksum: 0x1234, options: [routerAlert()] }, Uint8Array.of(9));
    const d = decodeIpv4(bytes);
    expect(d.header.ihl).toBe(7);
    expect(d.header.checksum).toBe(0x1234);
    expect(d.checksumValid).toBe(false);
    expect(d.header.totalLength).toBe(29);
    expect(Array.from(d.payload)).toEqual([9]);
  });

  it('round-trips every header field', () => {
    const h: Ipv4HeaderInit = {
      ...base,
      tos: 0xb8,
      id: 0xbeef,
      reserved: true,
      df: false,
      mf: true,
      fragmentOffset: 0x1abc,
      options: [{ kind: 'generic', type: 7, data: Uint8Array.of(4, 0, 0, 0, 0) }, routerAlert(5)],
    };
    const bytes = encodeIpv4(h, fromHex('deadbeef'));
    const d = decodeIpv4(bytes);
    expect(d.header).toMatchObject({
      version: 4,
      ihl: 8, // 7 + 4 option bytes, padded to 12
      tos: 0xb8,
      totalLength: 36,
      id: 0xbeef,
      reserved: true,
      df: false,
      mf: true,
      fragmentOffset: 0x1abc,
      ttl: 64,
      protocol: 17,
      src: ip('10.0.0.1'),
      dst: ip('10.0.0.2'),
    });
    expect(d.header.options).toEqual([
      { kind: 'generic', type: 7, data: Uint8Array.of(4, 0, 0, 0, 0) },
      { kind: 'router-alert', value: 5 },
      { kind: 'eol', padding: new Uint8Array(0) },
    ]);
    expect(d.checksumValid).toBe(true);
    expect(encodeIpv4(d.header, d.payload)).toEqual(bytes);
  });

  it('rejects values that do not fit their fields', () => {
    expectWireError(() => encodeIpv4({ ...base, ttl: 256 }), 8, /ttl 256 does not fit in 8 bits/);
    expectWireError(() => encodeIpv4({ ...base, fragmentOffset: 0x2000 }), 6, /fragment offset/);
    expectWireError(() => encodeIpv4({ ...base, src: -1 }), 12, /source address/);
    expectWireError(() => encodeIpv4(base, new Uint8Array(65516)), 2, /total length 65536/);
    expectWireError(() => encodeIpv4({ ...base, ihl: 5, options: [routerAlert()] }), 0, /ihl 5 \(20 bytes\) cannot hold 4 bytes/);
    const big = { kind: 'generic' as const, type: 7, data: new Uint8Array(39) };
    expectWireError(() => encodeIpv4({ ...base, options: [big] }), 20, /41 bytes; at most 40/);
    expectWireError(() => encodeIpv4({ ...base, options: [{ kind: 'generic', type: 7, data: new Uint8Array(30) }, routerAlert(), routerAlert(), routerAlert()] }), 0, /ihl 16 does not fit/);
  });
});

describe('decodeIpv4: malformed input throws WireError with the offset', () => {
  const good = encodeIpv4({ ...base, options: [routerAlert()] }, Uint8Array.of(1, 2, 3, 4));

  it('truncated below 20 bytes', () => {
    expectWireError(() => decodeIpv4(good.subarray(0, 19)), 0, /header truncated: need 20 bytes, have 19/);
    expectWireError(() => decodeIpv4(new Uint8Array(0)), 0, /need 20 bytes, have 0/);
  });

  it('version other than 4', () => {
    const b = good.slice();
    b[0] = 0x66;
    expectWireError(() => decodeIpv4(b), 0, /version 6, expected 4/);
  });

  it('ihl below 5', () => {
    const b = good.slice();
    b[0] = 0x44;
    expectWireError(() => decodeIpv4(b), 0, /bad ihl 4/);
  });

  it('ihl beyond the bytes present', () => {
    const b = good.slice(0, 22);
    expectWireError(() => decodeIpv4(b), 0, /header with ihl 6 truncated: need 24 bytes, have 22/);
  });

  it('total length below the header length', () => {
    const b = good.slice();
    b[2] = 0;
    b[3] = 20;
    expectWireError(() => decodeIpv4(b), 2, /total length 20 is less than the header length 24/);
  });

  it('total length beyond the bytes present', () => {
    expectWireError(() => decodeIpv4(good.subarray(0, 26)), 2, /datagram truncated: total length 28, have 26 bytes/);
  });

  it('options: missing length byte, length < 2, overrun', () => {
    const withOpt = (opt: number[]): Uint8Array => {
      const b = new Uint8Array(24);
      b.set(good.subarray(0, 20));
      b[0] = 0x46;
      b[3] = 24;
      b.set(opt, 20);
      return b;
    };
    expectWireError(() => decodeIpv4(withOpt([1, 1, 1, 7])), 23, /option 7 has no length byte/);
    expectWireError(() => decodeIpv4(withOpt([7, 1, 0, 0])), 21, /option 7 has length 1 \(< 2\)/);
    expectWireError(() => decodeIpv4(withOpt([1, 0x94, 4, 0])), 22, /option 148 of length 4 runs past the header \(3 bytes left\)/);
  });

  it('is a WireError naming the layer', () => {
    try {
      decodeIpv4(new Uint8Array(3));
    } catch (e) {
      expect(e).toBeInstanceOf(WireError);
      expect((e as WireError).layer).toBe('ipv4');
      expect((e as Error).message).toBe('ipv4: header truncated: need 20 bytes, have 3 (at byte 0)');
    }
    expect.assertions(3);
  });
});

describe('decodeIpv4: lenient parts', () => {
  it('ignores bytes after total length (Ethernet padding) and reports them', () => {
    const b = encodeIpv4(base, Uint8Array.of(7));
    const padded = new Uint8Array(60);
    padded.set(b);
    const d = decodeIpv4(padded);
    expect(d.trailerLength).toBe(39);
    expect(Array.from(d.payload)).toEqual([7]);
  });

  it('reports a bad checksum instead of throwing', () => {
    const b = encodeIpv4(base);
    b[8] = 63;
    expect(decodeIpv4(b).checksumValid).toBe(false);
  });

  it('payload is a view of the input, not a copy', () => {
    const b = encodeIpv4(base, Uint8Array.of(1, 2));
    const d = decodeIpv4(b);
    b[20] = 99;
    expect(d.payload[0]).toBe(99);
  });

  it('decodeIpv4Header reads a header whose datagram is cut short (an ICMP quote)', () => {
    const b = encodeIpv4(base, new Uint8Array(100)).subarray(0, 28);
    expect(() => decodeIpv4(b)).toThrow(WireError);
    const { header, checksumValid } = decodeIpv4Header(b);
    expect(header.totalLength).toBe(120);
    expect(checksumValid).toBe(true);
  });

  it('keeps a 0x94 option with a length other than 4 generic, and non-zero padding after EOL', () => {
    const b = encodeIpv4({ ...base, ihl: 8, options: [{ kind: 'generic', type: 0x94, data: Uint8Array.of(0, 0, 0, 0) }, { kind: 'eol', padding: Uint8Array.of(0, 0, 0, 0, 9) }] });
    const d = decodeIpv4(b);
    expect(d.header.options[0]).toEqual({ kind: 'generic', type: 0x94, data: Uint8Array.of(0, 0, 0, 0) });
    expect(d.header.options[1]).toEqual({ kind: 'eol', padding: Uint8Array.of(0, 0, 0, 0, 9) });
    expect(encodeIpv4(d.header, d.payload)).toEqual(b);
  });
});
