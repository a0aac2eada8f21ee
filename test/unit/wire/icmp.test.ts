import { describe, expect, it } from 'vitest';
import { WireError } from '../../../engine/wire/errors.js';
import type { IcmpMessage } from '../../../engine/wire/icmp.js';
import {
  ICMP_FRAG_NEEDED,
  ICMP_PORT_UNREACH,
  decodeIcmp,
  destUnreachable,
  echoReply,
  echoRequest,
  encodeIcmp,
  icmpQuoteLength,
  timeExceeded,
} from '../../../engine/wire/icmp.js';
import { toHex } from '../../../engine/wire/hex.js';
import { encodeIpv4 } from '../../../engine/wire/ipv4.js';
import { routerAlert } from '../../../engine/wire/ipv4-options.js';

const original = encodeIpv4({ ttl: 1, protocol: 17, src: 0x0a000001, dst: 0x0a000002 }, new Uint8Array(1000).fill(0xab));

describe('ICMP', () => {
  it('echo request: exact bytes and round trip', () => {
    const b = encodeIcmp(echoRequest(0x1234, 1, Uint8Array.of(0xde, 0xad)));
    // 0x0800 + 0x1234 + 0x0001 + 0xdead = 0xf8e2; its complement is 0x071d.
    expect(toHex(b)).toBe('0800071d12340001dead');
    const d = decodeIcmp(b);
    expect(d.checksumValid).toBe(true);
    expect(d.message).toEqual({ kind: 'echo', type: 8, code: 0, id: 0x1234, seq: 1, data: Uint8Array.of(0xde, 0xad), checksum: 0x071d });
    expect(encodeIcmp(d.message)).toEqual(b);
  });

  it('echo reply differs from the request only in type and checksum', () => {
    const req = encodeIcmp(echoRequest(7, 9, Uint8Array.of(1, 2, 3)));
    const rep = encodeIcmp(echoReply(7, 9, Uint8Array.of(1, 2, 3)));
    expect(rep[0]).toBe(0);
    expect(rep.subarray(4)).toEqual(req.subarray(4));
    expect(decodeIcmp(rep).checksumValid).toBe(true);
  });

  it('quote lengths: RFC 792 header + 8, Linux up to 576 bytes in total', () => {
    expect(icmpQuoteLength(original, 'rfc792')).toBe(28);
    expect(icmpQuoteLength(original, 'linux')).toBe(548);
    expect(icmpQuoteLength(original, 'linux', 1500, 4)).toBe(544);
    expect(icmpQuoteLength(original.subarray(0, 100), 'linux')).toBe(100);
    const withOpts = encodeIpv4({ ttl: 1, protocol: 2, src: 1, dst: 2, options: [routerAlert()] }, new Uint8Array(40));
    expect(icmpQuoteLength(withOpts, 'rfc792')).toBe(32);
  });

  it('destination unreachable / frag needed carries the next-hop MTU (RFC 1191)', () => {
    const m = destUnreachable(ICMP_FRAG_NEEDED, original, 1400, 'rfc792');
    const b = encodeIcmp(m);
    expect(b.length).toBe(8 + 28);
    expect(toHex(b.subarray(4, 8))).toBe('00000578');
    const d = decodeIcmp(b);
    expect(d.checksumValid).toBe(true);
    expect(d.message).toMatchObject({ kind: 'dest-unreachable', code: 4, unused: 0, nextHopMtu: 1400 });
    expect(encodeIcmp(d.message)).toEqual(b);
  });

  it('port unreachable and time exceeded quote the original', () => {
    const pu = decodeIcmp(encodeIcmp(destUnreachable(ICMP_PORT_UNREACH, original)));
    expect(pu.message.kind === 'dest-unreachable' && pu.message.original).toEqual(original.subarray(0, 548));
    const te = decodeIcmp(encodeIcmp(timeExceeded(0, original, 'rfc792')));
    expect(te.message).toMatchObject({ kind: 'time-exceeded', code: 0, unused: 0 });
    expect(te.message.kind === 'time-exceeded' && te.message.original).toEqual(original.subarray(0, 28));
  });

  it('other types round-trip generically', () => {
    const m: IcmpMessage = { kind: 'generic', type: 13, code: 0, rest: 0x00010002, data: new Uint8Array(12) };
    const b = encodeIcmp(m);
    const d = decodeIcmp(b);
    expect(d.message).toMatchObject({ kind: 'generic', type: 13, rest: 0x00010002 });
    expect(encodeIcmp(d.message)).toEqual(b);
  });

  it('detects a corrupted message', () => {
    const b = encodeIcmp(echoRequest(1, 1, Uint8Array.of(1)));
    b[8] = 2;
    expect(decodeIcmp(b).checksumValid).toBe(false);
  });

  it('malformed: fewer than 8 bytes', () => {
    expect(() => decodeIcmp(new Uint8Array(7))).toThrow(WireError);
    expect(() => decodeIcmp(new Uint8Array(7))).toThrow('icmp: header truncated: need 8 bytes, have 7 (at byte 0)');
  });

  it('rejects out-of-range fields', () => {
    expect(() => encodeIcmp(echoRequest(70000, 1, new Uint8Array(0)))).toThrow(/id 70000/);
  });
});
