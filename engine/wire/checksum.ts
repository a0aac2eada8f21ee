// The Internet checksum (RFC 1071) and its incremental update (RFC 1624), as used by IPv4,
// ICMP, IGMP, UDP and PIM. Kernel counterparts: csum_partial, csum_fold, ip_fast_csum,
// csum_replace2/csum_replace4.

/**
 * One's-complement sum of the 16-bit big-endian words in bytes[start, end), added to
 * `initial`, not yet folded (csum_partial). An odd trailing byte is the high byte of a word
 * padded with zero (RFC 1071 §4.1). Values stay well below 2^53 for any IP datagram.
 */
export function onesSum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8;
  return sum;
}

/** Folds a wide sum to 16 bits with end-around carry (csum_fold without the final complement). */
export function foldSum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** The checksum to store: the complement of the folded sum of bytes[start, end) plus `initial`. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  return ~foldSum(onesSum(bytes, start, end, initial)) & 0xffff;
}

/**
 * True if bytes[start, end) — a header or message including its stored checksum — sums to
 * all ones, the receiver's test (ip_fast_csum(...) == 0 in the kernel).
 */
export function checksumOk(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): boolean {
  return foldSum(onesSum(bytes, start, end, initial)) === 0xffff;
}

/**
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') — the checksum after one 16-bit word changes from
 * `oldWord` to `newWord`, without touching the rest of the data (csum_replace2).
 */
export function checksumAdjust16(checksum: number, oldWord: number, newWord: number): number {
  const sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~foldSum(sum) & 0xffff;
}

/** RFC 1624 for a 32-bit field (an address): two 16-bit adjustments (csum_replace4). */
export function checksumAdjust32(checksum: number, oldValue: number, newValue: number): number {
  const sum =
    (~checksum & 0xffff) +
    (~(oldValue >>> 16) & 0xffff) +
    (~oldValue & 0xffff) +
    ((newValue >>> 16) & 0xffff) +
    (newValue & 0xffff);
  return ~foldSum(sum) & 0xffff;
}

