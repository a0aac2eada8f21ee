// IPv4 options (RFC 791 §3.1): EOL and NOP are single bytes, every other option is
// type-length-value. Decoding follows ip_options_compile(): an option whose length is < 2 or
// runs past the header is an error at that option's byte; bytes after EOL are padding.
import { WireError } from './errors.js';

export const IPOPT_END = 0x00;
export const IPOPT_NOOP = 0x01;
export const IPOPT_RR = 0x07;
export const IPOPT_TIMESTAMP = 0x44;
export const IPOPT_SEC = 0x82;
export const IPOPT_LSRR = 0x83;
export const IPOPT_CIPSO = 0x86;
export const IPOPT_SID = 0x88;
export const IPOPT_SSRR = 0x89;
/** Router Alert (RFC 2113): copied flag set, class 0, number 20; length 4; value 0 = "examine". */
export const IPOPT_RA = 0x94;

export type Ipv4Option =
  /** End of option list; `padding` holds the bytes after it up to the end of the header (decode fills it). */
  | { kind: 'eol'; padding?: Uint8Array }
  | { kind: 'nop' }
  /** Router Alert with length 4 (the only length RFC 2113 defines). */
  | { kind: 'router-alert'; value: number }
  /** Any other TLV option; `data` excludes the type and length bytes. */
  | { kind: 'generic'; type: number; data: Uint8Array };

/** The Router Alert every IGMP packet Linux sends carries (igmp_send_report): 94 04 00 00. */
export function routerAlert(value = 0): Ipv4Option {
  return { kind: 'router-alert', value };
}

export function optionType(o: Ipv4Option): number {
  switch (o.kind) {
    case 'eol': return IPOPT_END;
    case 'nop': return IPOPT_NOOP;
    case 'router-alert': return IPOPT_RA;
    case 'generic': return o.type;
  }
}

const NAMES: Record<number, string> = {
  [IPOPT_END]: 'End of Option List',
  [IPOPT_NOOP]: 'No-Operation',
  [IPOPT_RR]: 'Record Route',
  [IPOPT_TIMESTAMP]: 'Timestamp',
  [IPOPT_SEC]: 'Security',
  [IPOPT_LSRR]: 'Loose Source Route',
  [IPOPT_CIPSO]: 'CIPSO',
  [IPOPT_SID]: 'Stream ID',
  [IPOPT_SSRR]: 'Strict Source Route',
  [IPOPT_RA]: 'Router Alert',
};

export function ipv4OptionName(type: number): string {
  return NAMES[type] ?? `Option ${type}`;
}

/** The options' bytes, unpadded; the IPv4 encoder pads to a 4-byte boundary with EOL (zero) bytes. */
export function encodeIpv4Options(options: readonly Ipv4Option[]): Uint8Array {
  const out: number[] = [];
  for (const o of options) {
    switch (o.kind) {
      case 'eol':
        out.push(IPOPT_END, ...(o.padding ?? []));
        break;
      case 'nop':
        out.push(IPOPT_NOOP);
        break;
      case 'router-alert':
        if (!Number.isInteger(o.value) || o.value < 0 || o.value > 0xffff) {
          throw new WireError('ipv4', `Router Alert value ${o.value} does not fit in 16 bits`, 20 + out.length);
        }
        out.push(IPOPT_RA, 4, o.value >>> 8, o.value & 0xff);
        break;
      case 'generic': {
        if (!Number.isInteger(o.type) || o.type < 2 || o.type > 255) {
          throw new WireError('ipv4', `option type ${o.type} is not a TLV option type`, 20 + out.length);
        }
        const len = o.data.length + 2;
        if (len > 40) throw new WireError('ipv4', `option ${o.type} is ${len} bytes; at most 40 fit`, 20 + out.length);
        out.push(o.type, len, ...o.data);
        break;
      }
    }
  }
  return Uint8Array.from(out);
}

/**
 * Parses the options area bytes[start, end). Offsets in errors are indices into `bytes`.
 * A 0x94 option with a length other than 4 stays generic (the kernel only honours length ≥ 4
 * with value 0 as Router Alert; we name only the RFC 2113 form).
 */
export function decodeIpv4Options(bytes: Uint8Array, start: number, end: number): Ipv4Option[] {
  const options: Ipv4Option[] = [];
  let i = start;
  while (i < end) {
    const type = bytes[i]!;
    if (type === IPOPT_END) {
      options.push({ kind: 'eol', padding: bytes.slice(i + 1, end) });
      break;
    }
    if (type === IPOPT_NOOP) {
      options.push({ kind: 'nop' });
      i += 1;
      continue;
    }
    if (i + 1 >= end) throw new WireError('ipv4', `option ${type} has no length byte`, i);
    const len = bytes[i + 1]!;
    if (len < 2) throw new WireError('ipv4', `option ${type} has length ${len} (< 2)`, i + 1);
    if (i + len > end) {
      throw new WireError('ipv4', `option ${type} of length ${len} runs past the header (${end - i} bytes left)`, i + 1);
    }
    if (type === IPOPT_RA && len === 4) {
      options.push({ kind: 'router-alert', value: (bytes[i + 2]! << 8) | bytes[i + 3]! });
    } else {
      options.push({ kind: 'generic', type, data: bytes.slice(i + 2, i + len) });
    }
    i += len;
  }
  return options;
}
