import { describe, expect, it } from 'vitest';
import { toHex } from '../../../engine/wire/hex.js';
import {
  IGMPMSG_NOCACHE,
  IGMPMSG_WHOLEPKT,
  IGMPMSG_WRONGVIF,
  IGMPMSG_WRVIFWHOLE,
  decodeIgmpmsg,
  encodeIgmpmsg,
  ipmrUpcallBytes,
} from '../../../engine/wire/igmpmsg.js';
import { encodeIpv4 } from '../../../engine/wire/ipv4.js';
import { routerAlert } from '../../../engine/wire/ipv4-options.js';

const pkt = encodeIpv4({ id: 0x1234, df: true, ttl: 5, protocol: 17, src: 0x0a4d0101, dst: 0xef010209 }, new Uint8Array(32).fill(1));

describe('struct igmpmsg', () => {
  it('overlays an IP header: msgtype on TTL, mbz on protocol, vif on the checksum', () => {
    const b = encodeIgmpmsg({ unused1: 0, unused2: 0, msgtype: IGMPMSG_WRONGVIF, mbz: 0, vif: 3, vifHi: 1, src: 0x0a000001, dst: 0xe1020304 });
    expect(toHex(b)).toBe('0000000000000000' + '02000301' + '0a000001e1020304');
    const d = decodeIgmpmsg(b);
    expect(d.vifIndex).toBe(0x103);
    expect(d.msg.msgtype).toBe(2);
    expect(encodeIgmpmsg(d.msg, d.rest)).toEqual(b);
  });

  it('malformed: fewer than 20 bytes', () => {
    expect(() => decodeIgmpmsg(new Uint8Array(19))).toThrow('igmpmsg: struct igmpmsg truncated: need 20 bytes, have 19 (at byte 0)');
  });
});

describe('ipmrUpcallBytes (ipmr_cache_report)', () => {
  it('NOCACHE: the IP header with protocol 0, TTL = 1, vif in the checksum bytes, then 8 IGMP bytes', () => {
    const b = ipmrUpcallBytes(IGMPMSG_NOCACHE, 2, pkt);
    expect(b.length).toBe(28);
    const d = decodeIgmpmsg(b);
    expect(d.msg).toMatchObject({ msgtype: 1, mbz: 0, vif: 2, vifHi: 0, src: 0x0a4d0101, dst: 0xef010209 });
    expect(toHex(b.subarray(0, 8))).toBe('4500001c12344000'); // tot_len = 20 + 8; id, DF kept
    expect(toHex(d.rest)).toBe('0100000000000000'); // IGMP type = msgtype, code 0
  });

  it('NOCACHE keeps the options of the copied header', () => {
    const withRa = encodeIpv4({ ttl: 1, protocol: 2, src: 1, dst: 0xe0000016, options: [routerAlert()] }, new Uint8Array(8));
    const b = ipmrUpcallBytes(IGMPMSG_WRONGVIF, 1, withRa);
    expect(b.length).toBe(32);
    expect(toHex(b.subarray(20, 24))).toBe('94040000');
    expect(b[24]).toBe(IGMPMSG_WRONGVIF);
  });

  it('WHOLEPKT: a 20-byte pseudo header (ihl 5, tot_len + 20) before the complete packet', () => {
    const b = ipmrUpcallBytes(IGMPMSG_WHOLEPKT, 2, pkt);
    expect(b.length).toBe(20 + pkt.length);
    expect(toHex(b.subarray(0, 12))).toBe('45000048123440000300' + '0200');
    expect(b.subarray(20)).toEqual(pkt);
    expect(ipmrUpcallBytes(IGMPMSG_WRVIFWHOLE, 300, pkt).subarray(8, 12)).toEqual(Uint8Array.of(4, 0, 0x2c, 0x01));
  });

  it('refuses unknown upcall types and short packets', () => {
    expect(() => ipmrUpcallBytes(9, 0, pkt)).toThrow(/unknown upcall type 9/);
    expect(() => ipmrUpcallBytes(1, 0, pkt.subarray(0, 10))).toThrow(/truncated/);
  });
});
