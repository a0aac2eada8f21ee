// The inspector's view of PIM messages and of the igmpmsg upcall header.
import { formatIpv4 } from './inet.js';
import type { FieldDescription, LayerDescription } from './describe.js';
import { checksumField, field, hexField } from './describe.js';
import type { IgmpmsgDecoded } from './igmpmsg.js';
import { igmpmsgTypeName } from './igmpmsg.js';
import type { PimDecoded } from './pim.js';
import { PIM_REGISTER, pimTypeName } from './pim.js';

export function describePim(bytes: Uint8Array, at: number, end: number, d: PimDecoded): LayerDescription {
  const m = d.message;
  const type = m.kind === 'register' ? PIM_REGISTER : m.type;
  const version = m.version ?? 2;
  const name = `PIMv${version} ${pimTypeName(type)}`;
  const span = m.kind === 'register' ? 8 : end - at;
  const coverNote = d.checksumCoverage === 'whole' && m.kind === 'register' ? 'over the whole message' : m.kind === 'register' ? 'over the first 8 bytes' : '';
  const fields: FieldDescription[] = [
    field('version', 'Version', version, at, at + 1, undefined, { offset: 0, length: 4 }),
    field('type', 'Type', type, at, at + 1, `${type} (${pimTypeName(type)})`, { offset: 4, length: 4 }),
    field('reserved', 'Reserved', m.reserved ?? 0, at + 1, at + 2),
    checksumField(m.checksum, d.checksumValid, bytes.subarray(at, at + span), 0, at + 2, coverNote),
  ];
  let summary = name;
  if (m.kind === 'register') {
    fields.push(
      field('border', 'Border (B)', m.border, at + 4, at + 5, undefined, { offset: 0, length: 1 }),
      field('nullRegister', 'Null-Register (N)', m.nullRegister, at + 4, at + 5, undefined, { offset: 1, length: 1 }),
      field('reservedFlags', 'Reserved', m.reservedFlags ?? 0, at + 4, at + 8, undefined, { offset: 2, length: 30 }),
    );
    summary += `${m.border ? ' (border)' : ''}${m.nullRegister ? ' (null)' : ''}, ${m.packet.length} bytes encapsulated`;
  } else if (m.body.length) {
    fields.push(hexField('body', 'Body', m.body, at + 4));
  }
  return {
    protocol: 'pim',
    name,
    start: at,
    end,
    summary,
    checksum: d.checksumValid ? 'valid' : 'invalid',
    fields,
  };
}

export function describeIgmpmsg(at: number, d: IgmpmsgDecoded): LayerDescription {
  const m = d.msg;
  const type = igmpmsgTypeName(m.msgtype);
  return {
    protocol: 'igmpmsg',
    name: 'struct igmpmsg',
    start: at,
    end: at + 20,
    summary: `${type} (${formatIpv4(m.src)}, ${formatIpv4(m.dst)}) on vif ${d.vifIndex}`,
    fields: [
      field('unused1', 'unused1', m.unused1, at, at + 4, `0x${m.unused1.toString(16).padStart(8, '0')}`),
      field('unused2', 'unused2', m.unused2, at + 4, at + 8, `0x${m.unused2.toString(16).padStart(8, '0')}`),
      field('msgtype', 'im_msgtype', m.msgtype, at + 8, at + 9, `${m.msgtype} (${type})`),
      field('mbz', 'im_mbz', m.mbz, at + 9, at + 10),
      field('vif', 'im_vif', m.vif, at + 10, at + 11),
      field('vifHi', 'im_vif_hi', m.vifHi, at + 11, at + 12),
      field('src', 'im_src', formatIpv4(m.src), at + 12, at + 16),
      field('dst', 'im_dst', formatIpv4(m.dst), at + 16, at + 20),
    ],
  };
}
