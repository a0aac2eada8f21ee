import { describe, expect, it } from 'vitest';
import {
  checksumAdjust16,
  checksumAdjust32,
  checksumOk,
  foldSum,
  internetChecksum,
  onesSum,
} from '../../../engine/wire/checksum.js';
import { read16, read32, write16, write32 } from '../../../engine/wire/bytes.js';
import { prng, randomBytes } from './helpers.js';

describe('Internet checksum (RFC 1071)', () => {
  it('matches the RFC 1071 §3 numerical example', () => {
    // Bytes 00 01 f2 03 f4 f5 f6 f7: the one's-complement sum is ddf2, so the checksum is 220d.
    const b = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(foldSum(onesSum(b))).toBe(0xddf2);
    expect(internetChecksum(b)).toBe(0x220d);
  });

  it('pads an odd trailing byte as the high byte of a word', () => {
    expect(internetChecksum(Uint8Array.of(0x12, 0x34, 0x56))).toBe(~(0x1234 + 0x5600) & 0xffff);
  });

  it('sums a sub-range only', () => {
    const b = Uint8Array.of(0xff, 0xff, 0x00, 0x01, 0xff);
    expect(internetChecksum(b, 2, 4)).toBe(0xfffe);
  });

  it('verifies: data plus its checksum folds to all ones', () => {
    const rand = prng(1);
    for (let n = 2; n < 64; n += 2) {
      const b = randomBytes(rand, n + 2);
      write16(b, n, 0);
      write16(b, n, internetChecksum(b));
      expect(checksumOk(b)).toBe(true);
      b[0] = b[0]! ^ 0x10;
      expect(checksumOk(b)).toBe(false);
    }
  });

  it('folds carries repeatedly (a sum of 0x1fffe folds to 0xffff)', () => {
    expect(foldSum(0x1fffe)).toBe(0xffff);
    expect(foldSum(0x2fffd)).toBe(0xffff);
  });
});

describe('incremental update (RFC 1624)', () => {
  it('equals a full recompute after changing one 16-bit word', () => {
    const rand = prng(2);
    for (let i = 0; i < 2000; i++) {
      const b = randomBytes(rand, 20);
      write16(b, 10, 0);
      write16(b, 10, internetChecksum(b));
      const at = 2 * Math.floor(rand() * 10);
      if (at === 10) continue;
      const old = read16(b, at);
      const neu = Math.floor(rand() * 0x10000);
      const adjusted = checksumAdjust16(read16(b, 10), old, neu);
      write16(b, at, neu);
      write16(b, 10, 0);
      expect(adjusted).toBe(internetChecksum(b));
    }
  });

  it('equals a full recompute after changing a 32-bit address', () => {
    const rand = prng(3);
    for (let i = 0; i < 2000; i++) {
      const b = randomBytes(rand, 20);
      write16(b, 10, 0);
      write16(b, 10, internetChecksum(b));
      const old = read32(b, 16);
      const neu = Math.floor(rand() * 2 ** 32) >>> 0;
      const adjusted = checksumAdjust32(read16(b, 10), old, neu);
      write32(b, 16, neu);
      write16(b, 10, 0);
      expect(adjusted).toBe(internetChecksum(b));
    }
  });

  it('reproduces the RFC 1624 §3 example where eqn. 2 (RFC 1141) went wrong', () => {
    // Other header words sum to 0xCD7A; m = 0x5555 changes to m' = 0x3285.
    const b = Uint8Array.of(0xcd, 0x7a, 0x55, 0x55, 0x00, 0x00);
    write16(b, 4, internetChecksum(b));
    expect(read16(b, 4)).toBe(0xdd2f);
    const adjusted = checksumAdjust16(0xdd2f, 0x5555, 0x3285);
    write16(b, 2, 0x3285);
    write16(b, 4, 0);
    expect(internetChecksum(b)).toBe(0x0000);
    expect(adjusted).toBe(0x0000); // eqn. 2 would give 0xFFFF
  });
});
