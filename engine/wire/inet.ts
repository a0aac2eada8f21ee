// IPv4 addresses as unsigned 32-bit numbers (host order), the form the FIB and the MFC key on.
// Dotted quads only at the edges (parsers, printers, trace payloads).

export type Ipv4Addr = number;

export const INADDR_ANY: Ipv4Addr = 0;
export const INADDR_BROADCAST: Ipv4Addr = 0xffffffff;
export const INADDR_ALLHOSTS_GROUP: Ipv4Addr = 0xe0000001; // 224.0.0.1
export const INADDR_ALLRTRS_GROUP: Ipv4Addr = 0xe0000002; // 224.0.0.2
export const INADDR_ALLIGMPV3RTRS_GROUP: Ipv4Addr = 0xe0000016; // 224.0.0.22

/** Strict dotted-quad parse ("10.0.0.1"); returns null for anything else. */
export function parseIpv4(text: string): Ipv4Addr | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v >>> 0;
}

export function formatIpv4(a: Ipv4Addr): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** inet_make_mask(): prefix length → netmask. */
export function prefixMask(len: number): number {
  return len <= 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export function sameSubnet(a: Ipv4Addr, b: Ipv4Addr, len: number): boolean {
  const m = prefixMask(len);
  return ((a & m) >>> 0) === ((b & m) >>> 0);
}

/** ipv4_is_multicast(): 224.0.0.0/4 */
export function isMulticast(a: Ipv4Addr): boolean {
  return (a >>> 28) === 0xe;
}

/** ipv4_is_local_multicast(): 224.0.0.0/24, never routed. */
export function isLocalMulticast(a: Ipv4Addr): boolean {
  return (a >>> 8) === 0xe00000;
}

export function isLoopback(a: Ipv4Addr): boolean {
  return (a >>> 24) === 127;
}

export function isZeronet(a: Ipv4Addr): boolean {
  return (a >>> 24) === 0;
}

export function isLbcast(a: Ipv4Addr): boolean {
  return a === INADDR_BROADCAST;
}

/** ip_eth_mc_map(): the Ethernet address a NIC listens on for an IPv4 group (low 23 bits). */
export function ethMcMap(group: Ipv4Addr): Uint8Array {
  return Uint8Array.of(0x01, 0x00, 0x5e, (group >>> 16) & 0x7f, (group >>> 8) & 0xff, group & 0xff);
}

export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
}

export function parseMac(text: string): Uint8Array | null {
  const m = /^([0-9a-fA-F]{1,2})(?::([0-9a-fA-F]{1,2})){5}$/.test(text) ? text.split(':') : null;
  if (!m) return null;
  return Uint8Array.from(m, (h) => parseInt(h, 16));
}
