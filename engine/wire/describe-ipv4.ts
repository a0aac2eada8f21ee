// The inspector's view of an IPv4 header: every field with its byte (and bit) range.
import { formatIpv4 } from './inet.js';
import type { FieldDescription, LayerDescription } from './describe.js';
import { checksumField, field, hex16, hexField } from './describe.js';
import type { Ipv4Header } from './ipv4.js';
import type { Ipv4Option } from './ipv4-options.js';
import { ipv4OptionName, optionType } from './ipv4-options.js';
import { ipProtocolName } from './names.js';

function describeOption(o: Ipv4Option, bytes: Uint8Array, at: number, i: number): { f: FieldDescription; len: number } {
  const type = optionType(o);
  const name = ipv4OptionName(type);
  const typeField = field('type', 'Type', type, at, at + 1,
    `${type} (copied ${type >>> 7}, class ${(type >>> 5) & 3}, number ${type & 0x1f})`);
  switch (o.kind) {
    case 'eol': {
      const pad = o.padding ?? new Uint8Array(0);
      const f = field(`options[${i}]`, name, 'eol', at, at + 1 + pad.length, pad.length ? `${name} + ${pad.length} bytes padding` : name);
      f.children = [typeField];
      if (pad.length) f.children.push(hexField('padding', 'Padding', pad, at + 1));
      return { f, len: 1 + pad.length };
    }
    case 'nop':
      return { f: { ...field(`options[${i}]`, name, 'nop', at, at + 1), children: [typeField] }, len: 1 };
    case 'router-alert': {
      const meaning = o.value === 0 ? 'router shall examine packet' : 'reserved';
      const f = field(`options[${i}]`, name, o.value, at, at + 4, `${name}: ${o.value} (${meaning})`);
      f.children = [typeField, field('length', 'Length', bytes[at + 1]!, at + 1, at + 2), field('value', 'Value', o.value, at + 2, at + 4)];
      return { f, len: 4 };
    }
    case 'generic': {
      const len = o.data.length + 2;
      const f = field(`options[${i}]`, name, type, at, at + len, `${name} (${len} bytes)`);
      f.children = [typeField, field('length', 'Length', len, at + 1, at + 2), hexField('data', 'Data', o.data, at + 2)];
      return { f, len };
    }
  }
}

/** `bytes` is the whole buffer; the header starts at `at`. */
export function describeIpv4(
  bytes: Uint8Array,
  at: number,
  h: Ipv4Header,
  checksumValid: boolean,
  end: number,
  quoted: boolean,
): LayerDescription {
  const hl = h.ihl * 4;
  const frag = (h.reserved ? 0x8000 : 0) | (h.df ? 0x4000 : 0) | (h.mf ? 0x2000 : 0);
  const flagNames = [h.reserved ? 'RESERVED' : '', h.df ? 'DF' : '', h.mf ? 'MF' : ''].filter(Boolean).join(', ');
  const fields: FieldDescription[] = [
    field('version', 'Version', h.version, at, at + 1, undefined, { offset: 0, length: 4 }),
    field('ihl', 'Header Length', h.ihl, at, at + 1, `${h.ihl} (${hl} bytes)`, { offset: 4, length: 4 }),
    field('tos', 'Type of Service', h.tos, at + 1, at + 2, `0x${h.tos.toString(16).padStart(2, '0')} (DSCP ${h.tos >>> 2}, ECN ${h.tos & 3})`),
    field('totalLength', 'Total Length', h.totalLength, at + 2, at + 4),
    field('id', 'Identification', h.id, at + 4, at + 6, `${hex16(h.id)} (${h.id})`),
    field('flags', 'Flags', frag >>> 13, at + 6, at + 7, `${hex16(frag)}${flagNames ? ` (${flagNames})` : ''}`, { offset: 0, length: 3 }),
    field('reserved', 'Reserved bit', h.reserved, at + 6, at + 7, undefined, { offset: 0, length: 1 }),
    field('df', "Don't Fragment", h.df, at + 6, at + 7, undefined, { offset: 1, length: 1 }),
    field('mf', 'More Fragments', h.mf, at + 6, at + 7, undefined, { offset: 2, length: 1 }),
    field('fragmentOffset', 'Fragment Offset', h.fragmentOffset, at + 6, at + 8, `${h.fragmentOffset} (${h.fragmentOffset * 8} bytes)`, { offset: 3, length: 13 }),
    field('ttl', 'Time to Live', h.ttl, at + 8, at + 9),
    field('protocol', 'Protocol', h.protocol, at + 9, at + 10, `${h.protocol} (${ipProtocolName(h.protocol)})`),
    checksumField(h.checksum, checksumValid, bytes.subarray(at, at + hl), 0, at + 10),
    field('src', 'Source', formatIpv4(h.src), at + 12, at + 16),
    field('dst', 'Destination', formatIpv4(h.dst), at + 16, at + 20),
  ];
  if (h.options.length) {
    const children: FieldDescription[] = [];
    let o = at + 20;
    h.options.forEach((opt, i) => {
      const { f, len } = describeOption(opt, bytes, o, i);
      children.push(f);
      o += len;
    });
    const names = h.options.filter((x) => x.kind !== 'eol' && x.kind !== 'nop').map((x) => ipv4OptionName(optionType(x)));
    fields.push({ ...field('options', 'Options', hl - 20, at + 20, at + hl, `${hl - 20} bytes${names.length ? `: ${names.join(', ')}` : ''}`), children });
  }
  const fragText = h.mf || h.fragmentOffset ? `, fragment offset ${h.fragmentOffset * 8}${h.mf ? '+' : ''}` : '';
  return {
    protocol: 'ipv4',
    name: quoted ? 'IPv4 (quoted)' : 'IPv4',
    start: at,
    end,
    summary: `${formatIpv4(h.src)} → ${formatIpv4(h.dst)}, ${ipProtocolName(h.protocol)}, TTL ${h.ttl}, length ${h.totalLength}${fragText}`,
    checksum: checksumValid ? 'valid' : 'invalid',
    fields,
  };
}
