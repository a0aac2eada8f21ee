// IGMPv3's 8-bit floating-point fields (RFC 3376 §4.1.1 Max Resp Code, §4.1.7 QQIC):
// below 128 the byte is the value; otherwise 1|exp(3)|mant(4) means (mant | 0x10) << (exp + 3).
// Decoding mirrors IGMPV3_MRC()/IGMPV3_QQIC() in include/linux/igmp.h.

/** Largest value the format can carry: (0xf | 0x10) << (7 + 3). */
export const IGMPV3_CODE_MAX = 31744;

export function igmpv3DecodeCode(code: number): number {
  if (code < 0x80) return code;
  const exp = (code >>> 4) & 0x07;
  const mant = code & 0x0f;
  return (mant | 0x10) << (exp + 3);
}

/**
 * The code for `value` (Max Resp Time in 1/10 s, or QQI in s). Values that the format cannot
 * represent exactly round down (a querier must not advertise more than it means), values
 * above IGMPV3_CODE_MAX saturate at 0xFF. igmpv3DecodeCode(igmpv3EncodeCode(c')) is exact for
 * every representable value, and igmpv3EncodeCode(igmpv3DecodeCode(c)) === c for all 256 codes.
 */
export function igmpv3EncodeCode(value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`IGMPv3 code value ${value} is not a non-negative integer`);
  if (value < 0x80) return value;
  if (value >= IGMPV3_CODE_MAX) return 0xff;
  // value ≥ 128 = 0x10 << 3: find exp (0..7) with (value >> (exp + 3)) in [16, 31].
  let exp = 0;
  while (value >>> (exp + 3) > 0x1f) exp++;
  const mant = (value >>> (exp + 3)) & 0x0f;
  return 0x80 | (exp << 4) | mant;
}
