// One error class for every malformed or unencodable datagram, so callers (ip_rcv's model, the
// packet inspector) can tell "bad bytes" from a bug, and point at the offending byte.

export class WireError extends Error {
  /** Byte offset (from the start of the buffer handed to the decoder) where the problem is. */
  readonly offset: number;
  /** The layer that complained: 'ipv4', 'udp', 'icmp', 'igmp', 'pim', 'igmpmsg', 'hex'. */
  readonly layer: string;

  constructor(layer: string, message: string, offset: number) {
    super(`${layer}: ${message} (at byte ${offset})`);
    this.name = 'WireError';
    this.layer = layer;
    this.offset = offset;
  }
}

/** Throws unless `value` is an integer in [0, 2^bits); used by every encoder before writing a field. */
export function checkUint(layer: string, field: string, value: number, bits: number, offset: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new WireError(layer, `${field} ${value} does not fit in ${bits} bits`, offset);
  }
}

/** Throws a truncation error unless `have` bytes cover `need`. */
export function needBytes(layer: string, what: string, need: number, have: number, offset: number): void {
  if (have < need) throw new WireError(layer, `${what} truncated: need ${need} bytes, have ${have}`, offset);
}
