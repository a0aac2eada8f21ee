// Real bytes from a Linux kernel (test/oracle/capture-wire-fixtures.py): the decoders must read
// them, the encoders must reproduce them — checksums computed by us equal the kernel's.
import { describe, expect, it } from 'vitest';
import { read16 } from '../../../engine/wire/bytes.js';
import { foldSum } from '../../../engine/wire/checksum.js';
import { decodePacket } from '../../../engine/wire/decode.js';
import { decodeIcmp, encodeIcmp } from '../../../engine/wire/icmp.js';
import type { IgmpMessage } from '../../../engine/wire/igmp.js';
import { decodeIgmp, encodeIgmp } from '../../../engine/wire/igmp.js';
import { IGMPMSG_NOCACHE, IGMPMSG_WHOLEPKT, decodeIgmpmsg, encodeIgmpmsg, ipmrUpcallBytes } from '../../../engine/wire/igmpmsg.js';
import { igmpv3DecodeCode } from '../../../engine/wire/igmp-code.js';
import { formatIpv4, parseIpv4 } from '../../../engine/wire/inet.js';
import type { Ipv4Header } from '../../../engine/wire/ipv4.js';
import { IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_PIM, IPPROTO_UDP, decodeIpv4, decodeIpv4Header, encodeIpv4 } from '../../../engine/wire/ipv4.js';
import { decrementTtl } from '../../../engine/wire/ipv4-fields.js';
import { routerAlert } from '../../../engine/wire/ipv4-options.js';
import { decodePim, encodePim } from '../../../engine/wire/pim.js';
import { pseudoHeaderSum } from '../../../engine/wire/pseudo-header.js';
import { decodeUdp, encodeUdp } from '../../../engine/wire/udp.js';
import { linuxFixtures, packet } from './helpers.js';

const ip = (s: string): number => parseIpv4(s)!;
const ipv4Packets = linuxFixtures.packets.filter((p) => p.kind === 'ipv4');
/** Sent while the veth still had TX checksum offload: its UDP checksum is deliberately partial. */
const PARTIAL_CSUM = 'udp-csum-offload.udp';

/**
 * Decode every layer and encode it back. With `recompute`, every length and checksum field is
 * dropped first, so the encoders compute them — and must arrive at the kernel's values.
 */
function reencode(bytes: Uint8Array, recompute: boolean): Uint8Array {
  const d = decodeIpv4(bytes);
  const h: Ipv4Header = d.header;
  const fragment = h.mf || h.fragmentOffset !== 0;
  let payload: Uint8Array = d.payload;
  if (!fragment) {
    switch (h.protocol) {
      case IPPROTO_UDP: {
        const u = decodeUdp(d.payload, h.src, h.dst);
        const uh = recompute ? { srcPort: u.header.srcPort, dstPort: u.header.dstPort } : u.header;
        payload = encodeUdp(uh, u.payload, h.src, h.dst);
        break;
      }
      case IPPROTO_ICMP: {
        const m = decodeIcmp(d.payload).message;
        payload = encodeIcmp(recompute ? { ...m, checksum: undefined } : m);
        break;
      }
      case IPPROTO_IGMP: {
        const m = decodeIgmp(d.payload).message;
        payload = encodeIgmp(recompute ? { ...m, checksum: undefined } : m);
        break;
      }
      case IPPROTO_PIM: {
        const m = decodePim(d.payload).message;
        payload = encodePim(recompute ? { ...m, checksum: undefined } : m);
        break;
      }
    }
  }
  const hh = recompute ? { ...h, ihl: undefined, totalLength: undefined, checksum: undefined } : h;
  return encodeIpv4(hh, payload);
}

function igmpOf(name: string): { header: Ipv4Header; message: IgmpMessage; checksumValid: boolean } {
  const d = decodeIpv4(packet(name));
  const g = decodeIgmp(d.payload);
  return { header: d.header, message: g.message, checksumValid: g.checksumValid };
}

describe('the fixture file', () => {
  it('holds the captured scenarios', () => {
    const scenarios = new Set(linuxFixtures.packets.map((p) => p.scenario));
    for (const s of ['udp-unicast', 'udp-multicast', 'ping', 'ping-rr', 'ttl-exceeded', 'forwarded', 'fragments', 'igmpv2',
      'igmpv3-asm', 'igmpv3-ssm', 'igmpv3-exclude', 'igmpv3-query', 'igmp-v2-v1-query', 'mroute']) {
      expect(scenarios.has(s), s).toBe(true);
    }
    expect(ipv4Packets.length).toBeGreaterThan(40);
  });
});

describe.each(ipv4Packets.map((p) => [p.name, p] as const))('%s', (name) => {
  const bytes = packet(name);

  it('decodes with valid checksums at every layer', () => {
    const desc = decodePacket(bytes);
    expect(desc.error).toBeNull();
    const verdicts = desc.layers.filter((l) => l.checksum !== undefined).map((l) => `${l.name}:${l.checksum}`);
    expect(verdicts.length).toBeGreaterThan(0);
    if (name === PARTIAL_CSUM) expect(verdicts).toEqual(['IPv4:valid', 'UDP:invalid']);
    else for (const v of verdicts) expect(v).toMatch(/:valid$/);
  });

  it('re-encodes the decoded structure to the identical bytes', () => {
    expect(reencode(bytes, false)).toEqual(bytes);
  });

  it('re-encodes with lengths and checksums recomputed to the identical bytes', () => {
    // The offloaded capture holds only the folded pseudo-header sum, so a real checksum must differ there.
    if (name === PARTIAL_CSUM) expect(reencode(bytes, true)).not.toEqual(bytes);
    else expect(reencode(bytes, true)).toEqual(bytes);
  });

  it('survives JSON (the description is plain data)', () => {
    const desc = decodePacket(bytes);
    expect(JSON.parse(JSON.stringify(desc))).toEqual(desc);
  });
});

describe('IGMP as Linux sends it (igmp_send_report, igmpv3_newpack)', () => {
  it('every kernel-sent IGMP packet: ihl 6 with Router Alert, TOS 0xc0, DF, TTL 1, id 0', () => {
    const kernelIgmp = ipv4Packets.filter((p) => p.kind === 'ipv4' && /igmp-v\d-(report|leave)/.test(p.name));
    expect(kernelIgmp.length).toBeGreaterThan(15);
    for (const p of kernelIgmp) {
      const h = decodeIpv4(packet(p.name)).header;
      expect({ name: p.name, ihl: h.ihl, tos: h.tos, df: h.df, ttl: h.ttl, id: h.id, protocol: h.protocol, options: h.options })
        .toEqual({ name: p.name, ihl: 6, tos: 0xc0, df: true, ttl: 1, id: 0, protocol: IPPROTO_IGMP, options: [routerAlert(0)] });
    }
  });

  it('IGMPv2 report goes to the group, leave to 224.0.0.2', () => {
    const rep = igmpOf('igmpv2.igmp-v2-report');
    expect(rep.message).toMatchObject({ kind: 'report-v2', code: 0, group: ip('239.1.2.4') });
    expect(formatIpv4(rep.header.dst)).toBe('239.1.2.4');
    expect(formatIpv4(rep.header.src)).toBe('10.77.2.2');
    expect(rep.checksumValid).toBe(true);
    const leave = igmpOf('igmpv2.igmp-v2-leave');
    expect(leave.message).toMatchObject({ kind: 'leave-v2', group: ip('239.1.2.4') });
    expect(formatIpv4(leave.header.dst)).toBe('224.0.0.2');
  });

  it('IGMPv3 ASM join and leave: CHANGE_TO_EXCLUDE {} then CHANGE_TO_INCLUDE {}, to 224.0.0.22', () => {
    const join = igmpOf('igmpv3-asm.igmp-v3-report');
    expect(formatIpv4(join.header.dst)).toBe('224.0.0.22');
    expect(join.message).toEqual({ kind: 'report-v3', reserved1: 0, reserved2: 0, checksum: 0xe8f7, records: [{ type: 4, group: ip('239.1.2.5'), sources: [] }] });
    // The state-change report is repeated (robustness 2) with identical bytes.
    expect(packet('igmpv3-asm.igmp-v3-report#2')).toEqual(packet('igmpv3-asm.igmp-v3-report'));
    const leave = igmpOf('igmpv3-asm.igmp-v3-report#3');
    expect(leave.message.kind === 'report-v3' && leave.message.records).toEqual([{ type: 3, group: ip('239.1.2.5'), sources: [] }]);
  });

  it('IGMPv3 source-specific join: ALLOW_NEW_SOURCES, then BLOCK_OLD_SOURCES (sources in reverse order)', () => {
    const allow = igmpOf('igmpv3-ssm.igmp-v3-report');
    expect(allow.message.kind === 'report-v3' && allow.message.records).toEqual([
      { type: 5, group: ip('232.1.1.1'), sources: [ip('10.77.9.1'), ip('10.77.9.2')] },
    ]);
    const block = igmpOf('igmpv3-ssm.igmp-v3-report#3');
    expect(block.message.kind === 'report-v3' && block.message.records).toEqual([
      { type: 6, group: ip('232.1.1.1'), sources: [ip('10.77.9.2'), ip('10.77.9.1')] },
    ]);
  });

  it('IGMPv3 join with IP_BLOCK_SOURCE right after: CHANGE_TO_EXCLUDE {10.77.9.3}', () => {
    const m = igmpOf('igmpv3-exclude.igmp-v3-report').message;
    expect(m.kind === 'report-v3' && m.records).toEqual([{ type: 4, group: ip('239.1.2.6'), sources: [ip('10.77.9.3')] }]);
  });

  it('answers a v3 general query with current-state records, newest join first (mc_list order)', () => {
    const q = igmpOf('igmpv3-query.igmp-v3-query');
    expect(q.message).toMatchObject({ kind: 'query-v3', maxRespCode: 10, group: 0, sFlag: false, qrv: 2, qqic: 0x90, sources: [] });
    expect(q.message.kind === 'query-v3' && igmpv3DecodeCode(q.message.qqic)).toBe(256);
    const r = igmpOf('igmpv3-query.igmp-v3-report').message;
    // 239.1.2.7 (ASM → MODE_IS_EXCLUDE {}) was joined before 232.1.1.2 (SSM → MODE_IS_INCLUDE {S}).
    expect(r.kind === 'report-v3' && r.records).toEqual([
      { type: 1, group: ip('232.1.1.2'), sources: [ip('10.77.9.4')] },
      { type: 2, group: ip('239.1.2.7'), sources: [] },
    ]);
  });

  it('answers a group-and-source-specific query with MODE_IS_INCLUDE for the queried source', () => {
    const q = igmpOf('igmpv3-query.igmp-v3-query#2');
    expect(q.message).toMatchObject({ kind: 'query-v3', group: ip('232.1.1.2'), sFlag: true, qrv: 2, sources: [ip('10.77.9.4')] });
    expect(formatIpv4(q.header.dst)).toBe('232.1.1.2');
    const r = igmpOf('igmpv3-query.igmp-v3-report#2').message;
    expect(r.kind === 'report-v3' && r.records).toEqual([{ type: 1, group: ip('232.1.1.2'), sources: [ip('10.77.9.4')] }]);
  });

  it('a host forced to v2 answers a v2 query with 0x16 and, after a v1 query, with a v1 report 0x12', () => {
    expect(igmpOf('igmp-v2-v1-query.igmp-v2-query').message).toMatchObject({ kind: 'query-v2', maxRespTime: 10, group: 0 });
    expect(igmpOf('igmp-v2-v1-query.igmp-v1-query').message).toMatchObject({ kind: 'query-v1', group: 0 });
    expect(igmpOf('igmp-v2-v1-query.igmp-v1-report').message).toEqual({ kind: 'report-v1', code: 0, group: ip('239.1.2.8'), checksum: 0xfcf5 });
  });
});

describe('UDP and ICMP as Linux sends them', () => {
  it('UDP with IP_TTL 17 and IP_TOS 0x28', () => {
    const d = decodeIpv4(packet('udp-unicast.udp'));
    expect(d.header).toMatchObject({ ihl: 5, tos: 0x28, ttl: 17, df: true, mf: false, protocol: IPPROTO_UDP, options: [] });
    const u = decodeUdp(d.payload, d.header.src, d.header.dst);
    expect(u.header).toMatchObject({ srcPort: 40001, dstPort: 33434, length: 32 });
    expect(u.checksumStatus).toBe('valid');
  });

  it('multicast UDP with IP_MULTICAST_TTL 5 and TOS 0xb8 (DSCP EF)', () => {
    const d = decodeIpv4(packet('udp-multicast.udp'));
    expect(d.header).toMatchObject({ tos: 0xb8, ttl: 5, dst: ip('239.1.2.3'), src: ip('10.77.1.1') });
    expect(decodeUdp(d.payload, d.header.src, d.header.dst).checksumStatus).toBe('valid');
  });

  it('with TX checksum offload on, the captured UDP checksum is only the folded pseudo-header sum', () => {
    const d = decodeIpv4(packet(PARTIAL_CSUM));
    const u = decodeUdp(d.payload, d.header.src, d.header.dst);
    expect(u.checksumStatus).toBe('invalid');
    expect(u.header.checksum).toBe(foldSum(pseudoHeaderSum(d.header.src, d.header.dst, IPPROTO_UDP, u.header.length)));
  });

  it('port unreachable: TOS 0xc0 | the original TOS bits, no DF, the whole short original quoted', () => {
    const orig = packet('udp-unicast.udp');
    const d = decodeIpv4(packet('udp-unicast.icmp-port-unreachable'));
    expect(d.header).toMatchObject({ tos: 0xc8, df: false, ttl: 64, src: ip('10.77.1.2'), dst: ip('10.77.1.1') });
    const m = decodeIcmp(d.payload).message;
    expect(m).toMatchObject({ kind: 'dest-unreachable', code: 3, unused: 0, nextHopMtu: 0 });
    expect(m.kind === 'dest-unreachable' && m.original).toEqual(orig);
  });

  it('time exceeded from the router quotes the datagram as it arrived (TTL 1)', () => {
    const d = decodeIpv4(packet('ttl-exceeded.icmp-time-exceeded'));
    const m = decodeIcmp(d.payload).message;
    expect(m).toMatchObject({ kind: 'time-exceeded', code: 0, unused: 0 });
    const quoted = decodeIpv4Header(m.kind === 'time-exceeded' ? m.original : new Uint8Array(0));
    expect(quoted.header).toMatchObject({ ttl: 1, dst: ip('10.77.2.2'), protocol: IPPROTO_UDP });
    expect(quoted.checksumValid).toBe(true);
    expect(formatIpv4(d.header.src)).toBe('10.77.1.2');
  });

  it('echo reply mirrors the request (id, seq, data) and carries no DF', () => {
    const req = decodeIpv4(packet('ping.icmp-echo-request'));
    const rep = decodeIpv4(packet('ping.icmp-echo-reply'));
    const q = decodeIcmp(req.payload).message;
    const r = decodeIcmp(rep.payload).message;
    expect(q.kind === 'echo' && r.kind === 'echo').toBe(true);
    if (q.kind !== 'echo' || r.kind !== 'echo') return;
    expect([q.type, r.type]).toEqual([8, 0]);
    expect([r.id, r.seq, r.data]).toEqual([q.id, q.seq, q.data]);
    expect(q.data.length).toBe(16);
    expect([req.header.df, rep.header.df]).toEqual([true, false]);
  });

  it('Record Route: NOP + RR(39) out; the reply echoes RR with three addresses and pads with EOL', () => {
    const req = decodeIpv4(packet('ping-rr.icmp-echo-request')).header;
    expect(req.ihl).toBe(15);
    expect(req.options.length).toBe(2);
    expect(req.options[0]).toEqual({ kind: 'nop' });
    const rr = req.options[1]!;
    expect(rr.kind === 'generic' && rr.type).toBe(7);
    expect(rr.kind === 'generic' && rr.data.length).toBe(37);
    expect(rr.kind === 'generic' && rr.data[0]).toBe(8); // pointer: one address recorded
    const rep = decodeIpv4(packet('ping-rr.icmp-echo-reply')).header;
    const rr2 = rep.options[0]!;
    expect(rr2.kind).toBe('generic');
    if (rr2.kind !== 'generic') return;
    expect(rr2.data[0]).toBe(16);
    const addrs = [1, 5, 9].map((o) => formatIpv4(((rr2.data[o]! << 24) | (rr2.data[o + 1]! << 16) | (rr2.data[o + 2]! << 8) | rr2.data[o + 3]!) >>> 0));
    expect(addrs).toEqual(['10.77.1.1', '10.77.1.2', '10.77.1.2']);
    expect(rep.options[1]).toEqual({ kind: 'eol', padding: new Uint8Array(0) });
  });
});

describe('forwarding: decrementTtl against the kernel', () => {
  it('ip_forward: the datagram on the far link is decrementTtl() of the one on the near link', () => {
    const near = packet('forwarded.udp@rlwa0').slice();
    expect(decrementTtl(near)).toBe(1);
    expect(near).toEqual(packet('forwarded.udp@rlwb0'));
  });

  it('ipmr_queue_xmit: the multicast datagram forwarded by the MFC entry, twice', () => {
    for (const suffix of ['', '#2']) {
      const near = packet(`mroute.udp@rlwa0${suffix}`).slice();
      expect(decrementTtl(near)).toBe(4);
      expect(near).toEqual(packet(`mroute.udp@rlwb0${suffix}`));
    }
  });
});

describe('fragmentation and reassembly', () => {
  it('three fragments: same id, MF, offsets in 8-byte units, and the reassembled UDP checksum is valid', () => {
    const frags = ['', '#2', '#3'].map((s) => decodeIpv4(packet(`fragments.ip-fragment${s}`)));
    expect(frags.map((f) => [f.header.mf, f.header.fragmentOffset, f.header.df, f.payload.length])).toEqual([
      [true, 0, false, 1480],
      [true, 185, false, 1480],
      [false, 370, false, 48],
    ]);
    expect(new Set(frags.map((f) => f.header.id)).size).toBe(1);
    const whole = new Uint8Array(3008);
    for (const f of frags) whole.set(f.payload, f.header.fragmentOffset * 8);
    const h = frags[0]!.header;
    const u = decodeUdp(whole, h.src, h.dst);
    expect(u.header.length).toBe(3008);
    expect(u.checksumStatus).toBe('valid');
  });

  it('the port unreachable for the reassembled datagram is 576 bytes and quotes 548 of them', () => {
    const d = decodeIpv4(packet('fragments.icmp-port-unreachable'));
    expect(d.header.totalLength).toBe(576);
    const m = decodeIcmp(d.payload).message;
    expect(m.kind === 'dest-unreachable' && m.original.length).toBe(548);
    const quoted = decodeIpv4Header(m.kind === 'dest-unreachable' ? m.original : new Uint8Array(0));
    // The quote is of the reassembled datagram: full length, no fragment bits, checksum redone.
    expect(quoted.header).toMatchObject({ totalLength: 3028, mf: false, fragmentOffset: 0 });
    expect(quoted.checksumValid).toBe(true);
  });
});

describe('igmpmsg upcalls read from a real mroute socket', () => {
  const data = packet('mroute.udp@rlwa0');

  it('NOCACHE: matches ipmrUpcallBytes except the 6 IGMP bytes the kernel leaves unset', () => {
    const real = packet('mroute.igmpmsg-nocache');
    const d = decodeIgmpmsg(real);
    expect(d.msg).toMatchObject({ msgtype: IGMPMSG_NOCACHE, mbz: 0, vif: 0, vifHi: 0, src: ip('10.77.1.1'), dst: ip('239.1.2.9') });
    expect(real.length).toBe(28);
    expect(read16(real, 2)).toBe(28);
    const ours = ipmrUpcallBytes(IGMPMSG_NOCACHE, 0, data);
    expect(ours.subarray(0, 22)).toEqual(real.subarray(0, 22));
    expect(encodeIgmpmsg(d.msg, d.rest)).toEqual(real);
  });

  it('WHOLEPKT on the register VIF: identical to ipmrUpcallBytes, inner TTL not yet decremented', () => {
    for (const suffix of ['', '#2']) {
      const real = packet(`mroute.igmpmsg-wholepkt${suffix}`);
      const original = packet(`mroute.udp@rlwa0${suffix}`);
      expect(ipmrUpcallBytes(IGMPMSG_WHOLEPKT, 2, original)).toEqual(real);
      const d = decodeIgmpmsg(real);
      expect(d.vifIndex).toBe(2);
      expect(decodeIpv4(d.rest).header.ttl).toBe(5);
    }
  });

  it('decodePacket reads an upcall as igmpmsg + the packet inside', () => {
    const desc = decodePacket(packet('mroute.igmpmsg-wholepkt'), { as: 'igmpmsg' });
    expect(desc.error).toBeNull();
    expect(desc.layers.map((l) => l.protocol)).toEqual(['igmpmsg', 'ipv4', 'udp', 'data']);
    expect(desc.layers[0]!.summary).toBe('IGMPMSG_WHOLEPKT (10.77.1.1, 239.1.2.9) on vif 2');
  });
});
