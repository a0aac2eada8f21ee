// The plain, JSON-serialisable description of a decoded packet that the packet inspector and
// trace payloads show: layers of named fields, each with its absolute byte range for a hex view.
import { toHex } from './hex.js';
import { foldSum, onesSum } from './checksum.js';

export type FieldValue = number | string | boolean | null;

export interface FieldDescription {
  /** Stable key ('ttl', 'src', 'records[1].sources[0]' lives under children with key 'sources[0]'). */
  key: string;
  /** Human label ('Time to Live'). */
  label: string;
  /** Raw value: numbers as numbers, addresses as dotted quads, byte strings as hex. */
  value: FieldValue;
  /** Rendering for the UI when it says more than `value` ('17 (UDP)', '0x4000 (DF)'). */
  display: string;
  /** Absolute byte range [start, end) in the buffer given to decodePacket. */
  start: number;
  end: number;
  /** For a field narrower than its bytes: first bit (0 = MSB of byte `start`) and width. */
  bits?: { offset: number; length: number };
  children?: FieldDescription[];
}

export type ChecksumVerdict = 'valid' | 'invalid' | 'absent';

export interface LayerDescription {
  /** 'ipv4', 'udp', 'icmp', 'igmp', 'pim', 'igmpmsg', 'data'. */
  protocol: string;
  /** Human name, e.g. 'IGMPv3 Membership Report', 'IPv4 (quoted)'. */
  name: string;
  start: number;
  end: number;
  summary: string;
  checksum?: ChecksumVerdict;
  fields: FieldDescription[];
}

export interface PacketDescription {
  length: number;
  summary: string;
  layers: LayerDescription[];
  /** The first decode error, if any; layers before it are complete, the rest is a 'data' layer. */
  error: { layer: string; message: string; offset: number } | null;
}

export function field(
  key: string,
  label: string,
  value: FieldValue,
  start: number,
  end: number,
  display?: string,
  bits?: { offset: number; length: number },
): FieldDescription {
  const f: FieldDescription = { key, label, value, display: display ?? String(value), start, end };
  if (bits) f.bits = bits;
  return f;
}

export function hexField(key: string, label: string, bytes: Uint8Array, start: number): FieldDescription {
  return field(key, label, toHex(bytes), start, start + bytes.length, `${bytes.length} bytes`);
}

export function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

/**
 * The checksum field's value, verdict and — when wrong — the value it should hold: the sum of
 * the covered bytes with the stored checksum taken back out (one's-complement subtraction).
 */
export function checksumField(
  stored: number,
  ok: boolean,
  covered: Uint8Array,
  initial: number,
  start: number,
  note = '',
): FieldDescription {
  const suffix = note ? `, ${note}` : '';
  if (ok) return field('checksum', 'Checksum', stored, start, start + 2, `${hex16(stored)} [valid${suffix}]`);
  const expected = ~foldSum(onesSum(covered, 0, covered.length, initial) + (~stored & 0xffff)) & 0xffff;
  return field('checksum', 'Checksum', stored, start, start + 2, `${hex16(stored)} [invalid, expected ${hex16(expected)}${suffix}]`);
}

export function dataLayer(bytes: Uint8Array, start: number, name = 'Data'): LayerDescription {
  return {
    protocol: 'data',
    name,
    start,
    end: start + bytes.length,
    summary: `${bytes.length} bytes`,
    fields: [hexField('data', name, bytes, start)],
  };
}
