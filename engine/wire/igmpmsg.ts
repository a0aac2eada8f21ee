// struct igmpmsg (include/uapi/linux/mroute.h): the 20-byte header of an upcall that
// ipmr_cache_report() queues on the mroute socket. It overlays an IPv4 header so the daemon
// can read it from its raw IGMP socket: im_mbz sits on the protocol byte (0 = "upcall, not a
// real IGMP packet"), im_msgtype on the TTL byte, im_vif/im_vif_hi on the checksum bytes.
import type { Ipv4Addr } from './inet.js';
import { read16, read32, write16, write32 } from './bytes.js';
import { WireError, checkUint, needBytes } from './errors.js';

export const IGMPMSG_NOCACHE = 1;
export const IGMPMSG_WRONGVIF = 2;
export const IGMPMSG_WHOLEPKT = 3;
export const IGMPMSG_WRVIFWHOLE = 4;

export const IGMPMSG_SIZE = 20;

const NAMES: Record<number, string> = {
  1: 'IGMPMSG_NOCACHE',
  2: 'IGMPMSG_WRONGVIF',
  3: 'IGMPMSG_WHOLEPKT',
  4: 'IGMPMSG_WRVIFWHOLE',
};

export function igmpmsgTypeName(t: number): string {
  return NAMES[t] ?? `igmpmsg type ${t}`;
}

export interface Igmpmsg {
  /** Bytes 0–3 (the IP version/ihl, tos, tot_len of the copied header). */
  unused1: number;
  /** Bytes 4–7 (IP id, frag_off). */
  unused2: number;
  msgtype: number;
  mbz: number;
  vif: number;
  vifHi: number;
  src: Ipv4Addr;
  dst: Ipv4Addr;
}

export interface IgmpmsgDecoded {
  msg: Igmpmsg;
  /** im_vif | im_vif_hi << 8, the arrival (or register) VIF index. */
  vifIndex: number;
  /** Everything after the 20 bytes: the rest of the copied header + 8 IGMP bytes, or the whole packet. */
  rest: Uint8Array;
}

export function encodeIgmpmsg(msg: Igmpmsg, rest: Uint8Array = new Uint8Array(0)): Uint8Array {
  const L = 'igmpmsg';
  checkUint(L, 'unused1', msg.unused1, 32, 0);
  checkUint(L, 'unused2', msg.unused2, 32, 4);
  checkUint(L, 'im_msgtype', msg.msgtype, 8, 8);
  checkUint(L, 'im_mbz', msg.mbz, 8, 9);
  checkUint(L, 'im_vif', msg.vif, 8, 10);
  checkUint(L, 'im_vif_hi', msg.vifHi, 8, 11);
  checkUint(L, 'im_src', msg.src, 32, 12);
  checkUint(L, 'im_dst', msg.dst, 32, 16);
  const out = new Uint8Array(IGMPMSG_SIZE + rest.length);
  write32(out, 0, msg.unused1);
  write32(out, 4, msg.unused2);
  out[8] = msg.msgtype;
  out[9] = msg.mbz;
  out[10] = msg.vif;
  out[11] = msg.vifHi;
  write32(out, 12, msg.src);
  write32(out, 16, msg.dst);
  out.set(rest, IGMPMSG_SIZE);
  return out;
}

/** Decodes what a daemon reads from its mroute socket when the protocol byte (im_mbz) is 0. */
export function decodeIgmpmsg(bytes: Uint8Array): IgmpmsgDecoded {
  needBytes('igmpmsg', 'struct igmpmsg', IGMPMSG_SIZE, bytes.length, 0);
  const msg: Igmpmsg = {
    unused1: read32(bytes, 0),
    unused2: read32(bytes, 4),
    msgtype: bytes[8]!,
    mbz: bytes[9]!,
    vif: bytes[10]!,
    vifHi: bytes[11]!,
    src: read32(bytes, 12),
    dst: read32(bytes, 16),
  };
  return { msg, vifIndex: msg.vif | (msg.vifHi << 8), rest: bytes.subarray(IGMPMSG_SIZE) };
}

/**
 * The bytes ipmr_cache_report() queues for `pkt` (an IPv4 datagram):
 * - NOCACHE / WRONGVIF: a copy of the IP header (ihl*4 bytes, options kept) with protocol 0,
 *   the TTL byte = msgtype, the checksum bytes = vifi; then an 8-byte IGMP header whose type
 *   is the msgtype and code 0 (the kernel leaves its other 6 bytes unset; here they are 0);
 *   tot_len = ihl*4 + 8.
 * - WHOLEPKT / WRVIFWHOLE: the first 20 header bytes with ihl forced to 5, tot_len = original
 *   tot_len + 20, then the complete original packet.
 */
export function ipmrUpcallBytes(msgtype: number, vifi: number, pkt: Uint8Array): Uint8Array {
  const L = 'igmpmsg';
  needBytes(L, 'IPv4 header of the reported packet', 20, pkt.length, 0);
  checkUint(L, 'vif index', vifi, 16, 10);
  if (msgtype === IGMPMSG_WHOLEPKT || msgtype === IGMPMSG_WRVIFWHOLE) {
    const out = new Uint8Array(IGMPMSG_SIZE + pkt.length);
    out.set(pkt.subarray(0, IGMPMSG_SIZE), 0);
    out.set(pkt, IGMPMSG_SIZE);
    out[0] = (out[0]! & 0xf0) | 5;
    write16(out, 2, (read16(pkt, 2) + IGMPMSG_SIZE) & 0xffff);
    out[8] = msgtype;
    out[9] = 0;
    out[10] = vifi & 0xff;
    out[11] = vifi >>> 8;
    return out;
  }
  if (msgtype !== IGMPMSG_NOCACHE && msgtype !== IGMPMSG_WRONGVIF) {
    throw new WireError(L, `unknown upcall type ${msgtype}`, 8);
  }
  const ihl = (pkt[0]! & 0x0f) * 4;
  needBytes(L, 'IPv4 header of the reported packet', ihl, pkt.length, 0);
  const out = new Uint8Array(ihl + 8);
  out.set(pkt.subarray(0, ihl), 0);
  out[9] = 0;
  out[10] = vifi & 0xff;
  out[11] = vifi >>> 8;
  out[8] = msgtype;
  out[ihl] = msgtype;
  write16(out, 2, ihl + 8);
  return out;
}
