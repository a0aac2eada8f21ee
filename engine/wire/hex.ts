// Hex text <-> bytes, for fixtures, trace payloads and the inspector's hex view.
import { WireError } from './errors.js';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Accepts "45 00 00 1c", "45:00:00:1c" or "4500001c"; whitespace and colons are ignored. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0) throw new WireError('hex', 'odd number of hex digits', clean.length >> 1);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const pair = clean.slice(2 * i, 2 * i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) throw new WireError('hex', `not a hex byte: "${pair}"`, i);
    out[i] = parseInt(pair, 16);
  }
  return out;
}
