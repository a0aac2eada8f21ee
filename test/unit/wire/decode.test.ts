import { describe, expect, it } from 'vitest';
import { write16 } from '../../../engine/wire/bytes.js';
import type { FieldDescription, LayerDescription, PacketDescription } from '../../../engine/wire/decode.js';
import { decodePacket } from '../../../engine/wire/decode.js';
import { toHex } from '../../../engine/wire/hex.js';
import { destUnreachable, encodeIcmp } from '../../../engine/wire/icmp.js';
import { encodeIgmp } from '../../../engine/wire/igmp.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';
import { IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_IPIP, IPPROTO_PIM, IPPROTO_UDP, encodeIpv4 } from '../../../engine/wire/ipv4.js';
import { routerAlert } from '../../../engine/wire/ipv4-options.js';
import { encodePim } from '../../../engine/wire/pim.js';
import { encodeUdp } from '../../../engine/wire/udp.js';
import { linuxFixtures, packet } from './helpers.js';

const ip = (s: string): number => parseIpv4(s)!;
const S = ip('10.0.0.1');
const G = ip('239.1.1.1');

function udpPacket(data = 'hi'): Uint8Array {
  return encodeIpv4({ ttl: 8, protocol: IPPROTO_UDP, src: S, dst: G }, encodeUdp({ srcPort: 1000, dstPort: 5000 }, new TextEncoder().encode(data), S, G));
}

function layer(d: PacketDescription, name: string): LayerDescription {
  const l = d.layers.find((x) => x.name === name);
  if (!l) throw new Error(`no layer ${name} in ${d.layers.map((x) => x.name).join(', ')}`);
  return l;
}

function fieldOf(l: LayerDescription | FieldDescription, key: string): FieldDescription {
  const list = 'fields' in l ? l.fields : (l.children ?? []);
  const f = list.find((x) => x.key === key);
  if (!f) throw new Error(`no field ${key}`);
  return f;
}

function allFields(fs: FieldDescription[]): FieldDescription[] {
  return fs.flatMap((f) => [f, ...allFields(f.children ?? [])]);
}

describe('decodePacket: structure', () => {
  it('every layer lies inside the packet and every field inside its layer', () => {
    for (const p of linuxFixtures.packets) {
      const bytes = packet(p.name);
      const d = decodePacket(bytes, { as: p.kind });
      expect(d.length).toBe(bytes.length);
      for (const l of d.layers) {
        expect(l.start).toBeGreaterThanOrEqual(0);
        expect(l.end).toBeLessThanOrEqual(bytes.length);
        for (const f of allFields(l.fields)) {
          expect(f.start, `${p.name} ${l.name} ${f.key}`).toBeGreaterThanOrEqual(l.start);
          expect(f.end, `${p.name} ${l.name} ${f.key}`).toBeLessThanOrEqual(l.end);
          expect(f.end).toBeGreaterThan(f.start);
        }
      }
    }
  });

  it('UDP: IPv4 / UDP / Data with values, displays and byte ranges', () => {
    const d = decodePacket(udpPacket('hello'));
    expect(d.error).toBeNull();
    expect(d.layers.map((l) => [l.protocol, l.start, l.end])).toEqual([['ipv4', 0, 33], ['udp', 20, 33], ['data', 28, 33]]);
    const v4 = layer(d, 'IPv4');
    expect(fieldOf(v4, 'version')).toMatchObject({ value: 4, start: 0, end: 1, bits: { offset: 0, length: 4 } });
    expect(fieldOf(v4, 'ihl')).toMatchObject({ value: 5, display: '5 (20 bytes)', bits: { offset: 4, length: 4 } });
    expect(fieldOf(v4, 'protocol')).toMatchObject({ value: 17, display: '17 (UDP)', start: 9, end: 10 });
    expect(fieldOf(v4, 'src')).toMatchObject({ value: '10.0.0.1', start: 12, end: 16 });
    expect(fieldOf(v4, 'dst')).toMatchObject({ value: '239.1.1.1', start: 16, end: 20 });
    expect(fieldOf(v4, 'checksum').display).toMatch(/^0x[0-9a-f]{4} \[valid\]$/);
    expect(fieldOf(layer(d, 'UDP'), 'dstPort')).toMatchObject({ value: 5000, start: 22, end: 24 });
    expect(fieldOf(layer(d, 'Data'), 'data').value).toBe(toHex(new TextEncoder().encode('hello')));
    expect(d.summary).toBe('IPv4 / UDP: 10.0.0.1 → 239.1.1.1, UDP, TTL 8, length 33; port 1000 → 5000, 5 bytes of data');
  });

  it('shows the checksum a corrupted header should have had', () => {
    const good = udpPacket();
    const bad = good.slice();
    write16(bad, 10, 0x1234);
    const d = decodePacket(bad);
    expect(layer(d, 'IPv4').checksum).toBe('invalid');
    const expected = `0x${((good[10]! << 8) | good[11]!).toString(16).padStart(4, '0')}`;
    expect(fieldOf(layer(d, 'IPv4'), 'checksum').display).toBe(`0x1234 [invalid, expected ${expected}]`);
  });

  it('the same for a UDP checksum (pseudo-header included)', () => {
    const good = udpPacket();
    const bad = good.slice();
    write16(bad, 26, 0x0101);
    const expected = `0x${((good[26]! << 8) | good[27]!).toString(16).padStart(4, '0')}`;
    expect(fieldOf(layer(decodePacket(bad), 'UDP'), 'checksum').display).toBe(`0x0101 [invalid, expected ${expected}, pseudo-header included]`);
  });

  it('Router Alert option with type, length, value children', () => {
    const b = encodeIpv4({ tos: 0xc0, df: true, ttl: 1, protocol: IPPROTO_IGMP, src: S, dst: ip('224.0.0.22'), options: [routerAlert()] },
      encodeIgmp({ kind: 'report-v3', records: [{ type: 5, group: ip('232.1.1.1'), sources: [ip('10.77.9.1'), ip('10.77.9.2')] }] }));
    const d = decodePacket(b);
    const opts = fieldOf(layer(d, 'IPv4'), 'options');
    expect(opts).toMatchObject({ start: 20, end: 24, display: '4 bytes: Router Alert' });
    const ra = opts.children![0]!;
    expect(ra).toMatchObject({ display: 'Router Alert: 0 (router shall examine packet)', start: 20, end: 24 });
    expect(fieldOf(ra, 'type')).toMatchObject({ value: 0x94, display: '148 (copied 1, class 0, number 20)', start: 20, end: 21 });
    const igmp = layer(d, 'IGMPv3 Membership Report');
    const rec = fieldOf(igmp, 'records[0]');
    expect(rec).toMatchObject({ start: 32, end: 48, display: 'ALLOW_NEW_SOURCES 232.1.1.1 {10.77.9.1, 10.77.9.2}' });
    expect(fieldOf(rec, 'sources[1]')).toMatchObject({ value: '10.77.9.2', start: 44, end: 48 });
    expect(igmp.summary).toBe('IGMPv3 Membership Report: ALLOW_NEW_SOURCES 232.1.1.1 {10.77.9.1, 10.77.9.2}');
  });

  it('IGMPv3 query shows the floating-point codes decoded', () => {
    const d = decodePacket(packet('igmpv3-query.igmp-v3-query'));
    const q = layer(d, 'IGMPv3 Membership Query');
    expect(fieldOf(q, 'qqic').display).toBe('144 (256 s)');
    expect(fieldOf(q, 'maxRespCode').display).toBe('10 (1 s)');
    expect(fieldOf(q, 'qrv')).toMatchObject({ value: 2, start: 32, end: 33, bits: { offset: 5, length: 3 } });
  });

  it('ICMP errors: the quoted datagram is decoded as far as it goes', () => {
    const d = decodePacket(packet('udp-unicast.icmp-port-unreachable'));
    expect(d.layers.map((l) => l.name)).toEqual(['IPv4', 'ICMP', 'IPv4 (quoted)', 'UDP (quoted)', 'Data (partial)']);
    expect(layer(d, 'ICMP').summary).toBe('Destination Unreachable: Port Unreachable');
    expect(fieldOf(layer(d, 'UDP (quoted)'), 'dstPort').value).toBe(33434);
    expect(layer(d, 'IPv4 (quoted)').start).toBe(28);
  });

  it('a frag-needed error shows the MTU', () => {
    const inner = udpPacket();
    const b = encodeIpv4({ ttl: 64, protocol: IPPROTO_ICMP, src: ip('10.0.0.254'), dst: S }, encodeIcmp(destUnreachable(4, inner, 1400)));
    expect(layer(decodePacket(b), 'ICMP').summary).toBe('Destination Unreachable: Fragmentation Needed and DF Set, MTU 1400');
  });

  it('fragments: the first shows the UDP header, later ones only data', () => {
    expect(decodePacket(packet('fragments.ip-fragment')).layers.map((l) => l.name)).toEqual(['IPv4', 'UDP (first fragment)', 'Data (partial)']);
    const later = decodePacket(packet('fragments.ip-fragment#2'));
    expect(later.layers.map((l) => l.name)).toEqual(['IPv4', 'Data (partial)']);
    expect(layer(later, 'IPv4').summary).toContain('fragment offset 1480+');
  });

  it('PIM Register: the encapsulated datagram is decoded too', () => {
    const inner = udpPacket();
    const b = encodeIpv4({ ttl: 64, protocol: IPPROTO_PIM, src: ip('10.0.0.254'), dst: ip('10.9.9.9') },
      encodePim({ kind: 'register', border: false, nullRegister: false, packet: inner }));
    const d = decodePacket(b);
    expect(d.layers.map((l) => l.name)).toEqual(['IPv4', 'PIMv2 Register', 'IPv4', 'UDP', 'Data']);
    expect(fieldOf(layer(d, 'PIMv2 Register'), 'checksum').display).toMatch(/\[valid, over the first 8 bytes\]$/);
    expect(d.layers[2]!.start).toBe(28);
  });

  it('trailing bytes after total length become a trailer layer', () => {
    const b = new Uint8Array(60);
    b.set(udpPacket());
    const d = decodePacket(b);
    expect(d.error).toBeNull();
    expect(d.layers.at(-1)).toMatchObject({ name: 'Trailer (beyond total length)', start: 30, end: 60 });
  });

  it('stops at a depth limit for nested encapsulation', () => {
    let b = udpPacket();
    for (let i = 0; i < 6; i++) b = encodeIpv4({ ttl: 64, protocol: IPPROTO_IPIP, src: S, dst: S }, b);
    const d = decodePacket(b);
    expect(d.layers.filter((l) => l.protocol === 'ipv4').length).toBe(5);
    expect(d.layers.at(-1)!.name).toBe('Encapsulated (too deep)');
  });
});

describe('decodePacket: malformed input never throws', () => {
  it('a truncated IPv4 header: error at the offset, the bytes as Undecoded', () => {
    const d = decodePacket(udpPacket().subarray(0, 12));
    expect(d.error).toEqual({ layer: 'ipv4', message: 'ipv4: header truncated: need 20 bytes, have 12 (at byte 0)', offset: 0 });
    expect(d.layers).toHaveLength(1);
    expect(d.layers[0]).toMatchObject({ protocol: 'data', name: 'Undecoded', start: 0, end: 12 });
    expect(d.summary).toBe('12 bytes, undecodable');
  });

  it('a bad inner layer keeps the outer layers and gives the absolute offset', () => {
    const b = udpPacket();
    write16(b, 24, 3); // UDP length 3
    const d = decodePacket(b);
    expect(d.error).toMatchObject({ layer: 'udp', offset: 24 });
    expect(d.layers.map((l) => l.name)).toEqual(['IPv4', 'Undecoded']);
    expect(d.layers[1]).toMatchObject({ start: 20, end: 30 });
  });

  it('an ICMP error whose quote is garbage still shows the ICMP layer', () => {
    const b = encodeIpv4({ ttl: 64, protocol: IPPROTO_ICMP, src: S, dst: S },
      encodeIcmp({ kind: 'time-exceeded', code: 0, unused: 0, original: new Uint8Array(28).fill(0x66) }));
    const d = decodePacket(b);
    expect(d.layers.map((l) => l.name)).toEqual(['IPv4', 'ICMP', 'Undecoded']);
    expect(d.error).toMatchObject({ layer: 'ipv4', offset: 28, message: 'ipv4: version 6, expected 4 (at byte 0)' });
  });

  it('an upcall shorter than struct igmpmsg', () => {
    const d = decodePacket(new Uint8Array(10), { as: 'igmpmsg' });
    expect(d.error).toMatchObject({ layer: 'igmpmsg', offset: 0 });
  });
});

describe('decodePacket: igmpmsg NOCACHE', () => {
  it('shows the struct and the upcall IGMP header', () => {
    const d = decodePacket(packet('mroute.igmpmsg-nocache'), { as: 'igmpmsg' });
    expect(d.layers.map((l) => l.name)).toEqual(['struct igmpmsg', 'Upcall IGMP header']);
    expect(fieldOf(d.layers[0]!, 'msgtype').display).toBe('1 (IGMPMSG_NOCACHE)');
    expect(fieldOf(d.layers[0]!, 'dst')).toMatchObject({ value: '239.1.2.9', start: 16, end: 20 });
  });
});
