// The inspector's view of IGMP v1/v2/v3 messages, with the v3 codes shown decoded.
import { formatIpv4 } from './inet.js';
import type { FieldDescription, LayerDescription } from './describe.js';
import { checksumField, field, hexField } from './describe.js';
import type { IgmpDecoded } from './igmp.js';
import { igmpType, igmpv3RecordTypeName } from './igmp.js';
import { igmpv3DecodeCode } from './igmp-code.js';

const KIND_NAMES: Record<string, string> = {
  'query-v1': 'IGMPv1 Membership Query',
  'query-v2': 'IGMPv2 Membership Query',
  'query-v3': 'IGMPv3 Membership Query',
  'report-v1': 'IGMPv1 Membership Report',
  'report-v2': 'IGMPv2 Membership Report',
  'leave-v2': 'IGMPv2 Leave Group',
  'report-v3': 'IGMPv3 Membership Report',
};

const GENERIC_NAMES: Record<number, string> = {
  0x11: 'IGMP Query (invalid length)',
  0x13: 'DVMRP',
  0x14: 'PIMv1',
  0x15: 'IGMP Trace',
  0x1e: 'Multicast Traceroute Response',
  0x1f: 'Multicast Traceroute',
  0x30: 'Multicast Router Advertisement',
};

function addrs(key: string, list: number[], at: number): FieldDescription[] {
  return list.map((s, i) => field(`${key}[${i}]`, `Source ${i + 1}`, formatIpv4(s), at + 4 * i, at + 4 * i + 4));
}

export function describeIgmp(bytes: Uint8Array, at: number, end: number, d: IgmpDecoded): LayerDescription {
  const m = d.message;
  const type = igmpType(m);
  const name = m.kind === 'generic' ? (GENERIC_NAMES[m.type] ?? `IGMP type 0x${m.type.toString(16)}`) : KIND_NAMES[m.kind]!;
  const fields: FieldDescription[] = [field('type', 'Type', type, at, at + 1, `0x${type.toString(16).padStart(2, '0')} (${name})`)];
  const csum = checksumField(m.checksum, d.checksumValid, bytes.subarray(at, end), 0, at + 2);
  const group = (g: number): FieldDescription => field('group', 'Group Address', formatIpv4(g), at + 4, at + 8);
  let summary = name;
  switch (m.kind) {
    case 'query-v1':
      fields.push(field('code', 'Unused', 0, at + 1, at + 2), csum, group(m.group));
      summary += m.group ? ` for ${formatIpv4(m.group)}` : ' (general)';
      break;
    case 'query-v2':
      fields.push(field('maxRespTime', 'Max Resp Time', m.maxRespTime, at + 1, at + 2, `${m.maxRespTime} (${m.maxRespTime / 10} s)`), csum, group(m.group));
      summary += `${m.group ? ` for ${formatIpv4(m.group)}` : ' (general)'}, max resp ${m.maxRespTime / 10} s`;
      break;
    case 'report-v1':
    case 'report-v2':
    case 'leave-v2':
      fields.push(field('code', m.kind === 'report-v1' ? 'Unused' : 'Max Resp Time (0)', m.code ?? 0, at + 1, at + 2), csum, group(m.group));
      summary += ` ${formatIpv4(m.group)}`;
      break;
    case 'query-v3': {
      const mrt = igmpv3DecodeCode(m.maxRespCode);
      const qqi = igmpv3DecodeCode(m.qqic);
      fields.push(
        field('maxRespCode', 'Max Resp Code', m.maxRespCode, at + 1, at + 2, `${m.maxRespCode} (${mrt / 10} s)`),
        csum,
        group(m.group),
        field('reserved', 'Resv', m.reserved ?? 0, at + 8, at + 9, undefined, { offset: 0, length: 4 }),
        field('sFlag', 'S (Suppress Router-Side Processing)', m.sFlag, at + 8, at + 9, undefined, { offset: 4, length: 1 }),
        field('qrv', "QRV (Querier's Robustness Variable)", m.qrv, at + 8, at + 9, undefined, { offset: 5, length: 3 }),
        field('qqic', "QQIC (Querier's Query Interval Code)", m.qqic, at + 9, at + 10, `${m.qqic} (${qqi} s)`),
        field('numberOfSources', 'Number of Sources', m.sources.length, at + 10, at + 12),
        ...addrs('sources', m.sources, at + 12),
      );
      if (m.extra) fields.push(hexField('extra', 'Additional Data', m.extra, at + 12 + 4 * m.sources.length));
      summary += `${m.group ? ` for ${formatIpv4(m.group)}` : ' (general)'}, max resp ${mrt / 10} s, QRV ${m.qrv}, QQI ${qqi} s` +
        (m.sources.length ? `, ${m.sources.length} sources` : '');
      break;
    }
    case 'report-v3': {
      fields.push(
        field('reserved1', 'Reserved', m.reserved1 ?? 0, at + 1, at + 2),
        csum,
        field('reserved2', 'Reserved', m.reserved2 ?? 0, at + 4, at + 6),
        field('numberOfRecords', 'Number of Group Records', m.records.length, at + 6, at + 8),
      );
      let o = at + 8;
      m.records.forEach((r, i) => {
        const aux = r.auxData?.length ?? 0;
        const len = 8 + 4 * r.sources.length + aux;
        const rtype = igmpv3RecordTypeName(r.type);
        const f = field(`records[${i}]`, `Group Record ${i + 1}`, formatIpv4(r.group), o, o + len,
          `${rtype} ${formatIpv4(r.group)}${r.sources.length ? ` {${r.sources.map(formatIpv4).join(', ')}}` : ' {}'}`);
        f.children = [
          field('type', 'Record Type', r.type, o, o + 1, `${r.type} (${rtype})`),
          field('auxDataLen', 'Aux Data Len', aux / 4, o + 1, o + 2, `${aux / 4} (words)`),
          field('numberOfSources', 'Number of Sources', r.sources.length, o + 2, o + 4),
          field('group', 'Multicast Address', formatIpv4(r.group), o + 4, o + 8),
          ...addrs('sources', r.sources, o + 8),
        ];
        if (r.auxData) f.children.push(hexField('auxData', 'Auxiliary Data', r.auxData, o + 8 + 4 * r.sources.length));
        fields.push(f);
        o += len;
      });
      if (m.extra) fields.push(hexField('extra', 'Additional Data', m.extra, o));
      summary += `: ${m.records.map((r) => `${igmpv3RecordTypeName(r.type)} ${formatIpv4(r.group)}${r.sources.length ? ` {${r.sources.map(formatIpv4).join(', ')}}` : ''}`).join('; ')}`;
      break;
    }
    case 'generic':
      fields.push(field('code', 'Code', m.code, at + 1, at + 2), csum);
      if (m.body.length) fields.push(hexField('body', 'Body', m.body, at + 4));
      break;
  }
  return {
    protocol: 'igmp',
    name,
    start: at,
    end,
    summary,
    checksum: d.checksumValid ? 'valid' : 'invalid',
    fields,
  };
}
