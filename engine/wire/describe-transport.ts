// The inspector's view of UDP and ICMP headers.
import type { Ipv4Addr } from './inet.js';
import type { FieldDescription, LayerDescription } from './describe.js';
import { checksumField, field, hex16 } from './describe.js';
import type { IcmpDecoded } from './icmp.js';
import { ICMP_FRAG_NEEDED, icmpType } from './icmp.js';
import { icmpCodeName, icmpTypeName } from './names.js';
import { pseudoHeaderSum } from './pseudo-header.js';
import { IPPROTO_UDP } from './ipv4.js';
import type { UdpDecoded, UdpHeader } from './udp.js';

function udpFields(h: UdpHeader, at: number): FieldDescription[] {
  return [
    field('srcPort', 'Source Port', h.srcPort, at, at + 2),
    field('dstPort', 'Destination Port', h.dstPort, at + 2, at + 4),
    field('length', 'Length', h.length, at + 4, at + 6),
  ];
}

export function describeUdp(bytes: Uint8Array, at: number, d: UdpDecoded, src: Ipv4Addr, dst: Ipv4Addr): LayerDescription {
  const h = d.header;
  const fields = udpFields(h, at);
  if (d.checksumStatus === 'absent') {
    fields.push(field('checksum', 'Checksum', 0, at + 6, at + 8, '0x0000 [none]'));
  } else {
    const covered = bytes.subarray(at, at + h.length);
    fields.push(checksumField(h.checksum, d.checksumStatus === 'valid', covered, pseudoHeaderSum(src, dst, IPPROTO_UDP, h.length), at + 6,
      'pseudo-header included'));
  }
  return {
    protocol: 'udp',
    name: 'UDP',
    start: at,
    end: at + h.length,
    summary: `port ${h.srcPort} → ${h.dstPort}, ${h.length - 8} bytes of data`,
    checksum: d.checksumStatus,
    fields,
  };
}

/** The first 8 bytes of a datagram quoted in an ICMP error: checksum not checkable (data cut). */
export function describeQuotedUdp(h: UdpHeader, at: number): LayerDescription {
  return {
    protocol: 'udp',
    name: 'UDP (quoted)',
    start: at,
    end: at + 8,
    summary: `port ${h.srcPort} → ${h.dstPort}`,
    fields: [...udpFields(h, at), field('checksum', 'Checksum', h.checksum, at + 6, at + 8, hex16(h.checksum))],
  };
}

export function describeIcmp(bytes: Uint8Array, at: number, end: number, d: IcmpDecoded): LayerDescription {
  const m = d.message;
  const type = icmpType(m);
  const codeName = icmpCodeName(type, m.code);
  const fields: FieldDescription[] = [
    field('type', 'Type', type, at, at + 1, `${type} (${icmpTypeName(type)})`),
    field('code', 'Code', m.code, at + 1, at + 2, codeName ? `${m.code} (${codeName})` : String(m.code)),
    checksumField(m.checksum, d.checksumValid, bytes.subarray(at, end), 0, at + 2),
  ];
  let summary = icmpTypeName(type) + (codeName ? `: ${codeName}` : m.code ? ` code ${m.code}` : '');
  switch (m.kind) {
    case 'echo':
      fields.push(field('id', 'Identifier', m.id, at + 4, at + 6, `${hex16(m.id)} (${m.id})`));
      fields.push(field('seq', 'Sequence Number', m.seq, at + 6, at + 8));
      summary += `, id ${m.id}, seq ${m.seq}, ${m.data.length} bytes of data`;
      break;
    case 'dest-unreachable':
      fields.push(field('unused', 'Unused', m.unused, at + 4, at + 6));
      fields.push(field('nextHopMtu', m.code === ICMP_FRAG_NEEDED ? 'Next-Hop MTU' : 'Next-Hop MTU (unused)', m.nextHopMtu, at + 6, at + 8));
      if (m.code === ICMP_FRAG_NEEDED) summary += `, MTU ${m.nextHopMtu}`;
      break;
    case 'time-exceeded':
      fields.push(field('unused', 'Unused', m.unused, at + 4, at + 8));
      break;
    case 'generic':
      fields.push(field('rest', 'Rest of Header', m.rest, at + 4, at + 8, `0x${m.rest.toString(16).padStart(8, '0')}`));
      break;
  }
  return {
    protocol: 'icmp',
    name: 'ICMP',
    start: at,
    end,
    summary,
    checksum: d.checksumValid ? 'valid' : 'invalid',
    fields,
  };
}
