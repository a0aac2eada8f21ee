import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../../engine/wire/checksum.js';
import { read16, write16 } from '../../../engine/wire/bytes.js';
import { WireError } from '../../../engine/wire/errors.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';
import { decodeIpv4, encodeIpv4 } from '../../../engine/wire/ipv4.js';
import {
  decrementTtl,
  ipSendCheck,
  ipv4Dst,
  ipv4Ihl,
  ipv4Protocol,
  ipv4Src,
  ipv4Tos,
  ipv4TotalLength,
  ipv4Ttl,
} from '../../../engine/wire/ipv4-fields.js';
import { routerAlert } from '../../../engine/wire/ipv4-options.js';
import { prng, randomBytes } from './helpers.js';

function fullRecompute(b: Uint8Array): number {
  const c = b.slice(0, (b[0]! & 15) * 4);
  write16(c, 10, 0);
  return internetChecksum(c);
}

describe('hot-path readers', () => {
  it('read the fields without a decode', () => {
    const b = encodeIpv4(
      { tos: 0xc0, ttl: 7, protocol: 2, src: parseIpv4('10.1.2.3')!, dst: parseIpv4('239.255.0.1')!, options: [routerAlert()] },
      new Uint8Array(8),
    );
    expect(ipv4Ttl(b)).toBe(7);
    expect(ipv4Protocol(b)).toBe(2);
    expect(ipv4Src(b)).toBe(parseIpv4('10.1.2.3'));
    expect(ipv4Dst(b)).toBe(parseIpv4('239.255.0.1'));
    expect(ipv4Tos(b)).toBe(0xc0);
    expect(ipv4Ihl(b)).toBe(6);
    expect(ipv4TotalLength(b)).toBe(32);
  });

  it('refuse a buffer shorter than a header', () => {
    expect(() => ipv4Ttl(new Uint8Array(19))).toThrow(WireError);
  });
});

describe('decrementTtl (ip_decrease_ttl, RFC 1624)', () => {
  it('equals a full recompute for every TTL over many random headers', () => {
    const rand = prng(42);
    let checked = 0;
    for (let i = 0; i < 120; i++) {
      const b = randomBytes(rand, 24);
      b[0] = 0x45;
      for (let ttl = 1; ttl <= 255; ttl++) {
        b[8] = ttl;
        write16(b, 10, fullRecompute(b));
        const copy = b.slice();
        expect(decrementTtl(copy)).toBe(ttl - 1);
        expect(copy[8]).toBe(ttl - 1);
        expect(read16(copy, 10)).toBe(fullRecompute(copy));
        checked++;
      }
    }
    expect(checked).toBe(120 * 255);
  });

  it('maps the would-be 0xFFFF to 0x0000 like the kernel (check >= 0xFFFF)', () => {
    // Find a header whose checksum after the decrement is 0x0000 by a full recompute.
    const rand = prng(7);
    let found = 0;
    for (let i = 0; i < 200000 && found < 3; i++) {
      const b = encodeIpv4({ ttl: 2 + Math.floor(rand() * 250), protocol: 17, src: Math.floor(rand() * 2 ** 32), dst: Math.floor(rand() * 2 ** 32), id: Math.floor(rand() * 65536) });
      if (read16(b, 10) !== 0xfeff) continue; // +0x0100 lands on 0xFFFF
      decrementTtl(b);
      expect(read16(b, 10)).toBe(0x0000);
      expect(read16(b, 10)).toBe(fullRecompute(b));
      expect(decodeIpv4(b).checksumValid).toBe(true);
      found++;
    }
    expect(found).toBe(3);
  });

  it('leaves the rest of the datagram alone', () => {
    const b = encodeIpv4({ ttl: 9, protocol: 17, src: 1, dst: 2 }, Uint8Array.of(1, 2, 3));
    const before = b.slice();
    decrementTtl(b);
    for (let i = 0; i < b.length; i++) if (i !== 8 && i !== 10 && i !== 11) expect(b[i]).toBe(before[i]);
  });
});

describe('ipSendCheck (ip_send_check)', () => {
  it('recomputes the checksum in place, options included', () => {
    const b = encodeIpv4({ ttl: 9, protocol: 2, src: 1, dst: 2, options: [routerAlert()] });
    b[1] = 0x10;
    expect(decodeIpv4(b).checksumValid).toBe(false);
    const c = ipSendCheck(b);
    expect(read16(b, 10)).toBe(c);
    expect(decodeIpv4(b).checksumValid).toBe(true);
  });
});
