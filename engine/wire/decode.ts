// decodePacket(): one IPv4 datagram (or one igmpmsg upcall) through all its layers into a
// plain, JSON-serialisable PacketDescription for the packet inspector and trace payloads.
// It never throws on bad bytes: the first WireError is recorded in `error` and the bytes it
// could not decode become a 'data' layer, so a student can still look at a malformed packet.
import type { LayerDescription, PacketDescription } from './describe.js';
import { dataLayer } from './describe.js';
import { describeIgmp } from './describe-igmp.js';
import { describeIpv4 } from './describe-ipv4.js';
import { describeIgmpmsg, describePim } from './describe-pim.js';
import { describeIcmp, describeQuotedUdp, describeUdp } from './describe-transport.js';
import { WireError } from './errors.js';
import { decodeIcmp } from './icmp.js';
import { decodeIgmp } from './igmp.js';
import { IGMPMSG_WHOLEPKT, IGMPMSG_WRVIFWHOLE, decodeIgmpmsg } from './igmpmsg.js';
import type { Ipv4Header } from './ipv4.js';
import { IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_IPIP, IPPROTO_PIM, IPPROTO_UDP, decodeIpv4, decodeIpv4Header } from './ipv4.js';
import { decodePim } from './pim.js';
import { decodeUdp, decodeUdpHeader } from './udp.js';

export type { FieldDescription, FieldValue, LayerDescription, PacketDescription } from './describe.js';

export interface DecodeOptions {
  /** 'ipv4' (default): an IPv4 datagram. 'igmpmsg': what a daemon reads as an upcall. */
  as?: 'ipv4' | 'igmpmsg';
}

/** Encapsulation depth limit (a Register inside a Register inside …). */
const MAX_DEPTH = 4;

interface Ctx {
  bytes: Uint8Array;
  layers: LayerDescription[];
  error: PacketDescription['error'];
}

/** Runs `fn`; on a WireError records it (offsets made absolute), shows [start, end) raw and returns null. */
function guarded<T>(ctx: Ctx, start: number, end: number, fn: () => T): T | null {
  const before = ctx.layers.length;
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    ctx.layers.length = before;
    ctx.error ??= { layer: e.layer, message: e.message, offset: start + e.offset };
    if (end > start) ctx.layers.push(dataLayer(ctx.bytes.subarray(start, end), start, 'Undecoded'));
    return null;
  }
}

function pushData(ctx: Ctx, start: number, end: number, name = 'Data'): void {
  if (end > start) ctx.layers.push(dataLayer(ctx.bytes.subarray(start, end), start, name));
}

/** A datagram cut short (ICMP quote, first fragment, Null-Register): its header and first 8 bytes. */
function walkPartialIpv4(ctx: Ctx, start: number, end: number, name: string, udpName: string): void {
  const { header, checksumValid } = decodeIpv4Header(ctx.bytes.subarray(start, end));
  const hl = header.ihl * 4;
  const layer = describeIpv4(ctx.bytes, start, header, checksumValid, start + hl, true);
  layer.name = name;
  ctx.layers.push(layer);
  walkPartialTransport(ctx, header, start + hl, end, udpName);
}

function walkPartialTransport(ctx: Ctx, h: Ipv4Header, start: number, end: number, udpName: string): void {
  if (h.protocol === IPPROTO_UDP && h.fragmentOffset === 0 && end - start >= 8) {
    const layer = describeQuotedUdp(decodeUdpHeader(ctx.bytes.subarray(start, start + 8)), start);
    layer.name = udpName;
    ctx.layers.push(layer);
    pushData(ctx, start + 8, end, 'Data (partial)');
  } else {
    pushData(ctx, start, end, 'Data (partial)');
  }
}

function walkIpv4(ctx: Ctx, start: number, end: number, depth: number): void {
  if (depth > MAX_DEPTH) {
    pushData(ctx, start, end, 'Encapsulated (too deep)');
    return;
  }
  const d = guarded(ctx, start, end, () => decodeIpv4(ctx.bytes.subarray(start, end)));
  if (!d) return;
  const pStart = start + d.headerLength;
  const pEnd = start + d.header.totalLength;
  ctx.layers.push(describeIpv4(ctx.bytes, start, d.header, d.checksumValid, pEnd, false));
  guarded(ctx, pStart, pEnd, () => walkPayload(ctx, d.header, pStart, pEnd, depth));
  if (d.trailerLength) pushData(ctx, pEnd, end, 'Trailer (beyond total length)');
}

function walkPayload(ctx: Ctx, h: Ipv4Header, start: number, end: number, depth: number): void {
  const payload = ctx.bytes.subarray(start, end);
  if (h.mf || h.fragmentOffset !== 0) {
    // A fragment: only the first carries the transport header, and never the whole datagram.
    walkPartialTransport(ctx, h, start, end, 'UDP (first fragment)');
    return;
  }
  switch (h.protocol) {
    case IPPROTO_UDP: {
      const d = decodeUdp(payload, h.src, h.dst);
      ctx.layers.push(describeUdp(ctx.bytes, start, d, h.src, h.dst));
      pushData(ctx, start + 8, start + d.header.length);
      return;
    }
    case IPPROTO_ICMP: {
      const d = decodeIcmp(payload);
      ctx.layers.push(describeIcmp(ctx.bytes, start, end, d));
      const m = d.message;
      if ((m.kind === 'dest-unreachable' || m.kind === 'time-exceeded') && m.original.length >= 20) {
        guarded(ctx, start + 8, end, () => walkPartialIpv4(ctx, start + 8, end, 'IPv4 (quoted)', 'UDP (quoted)'));
      } else {
        pushData(ctx, start + 8, end);
      }
      return;
    }
    case IPPROTO_IGMP:
      ctx.layers.push(describeIgmp(ctx.bytes, start, end, decodeIgmp(payload)));
      return;
    case IPPROTO_PIM: {
      const d = decodePim(payload);
      ctx.layers.push(describePim(ctx.bytes, start, end, d));
      if (d.message.kind === 'register') {
        const s = start + 8;
        if (d.message.nullRegister) guarded(ctx, s, end, () => walkPartialIpv4(ctx, s, end, 'IPv4 (null-register header)', 'UDP (partial)'));
        else walkIpv4(ctx, s, end, depth + 1);
      } // other PIM bodies are shown as a field of the PIM layer
      return;
    }
    case IPPROTO_IPIP:
      walkIpv4(ctx, start, end, depth + 1);
      return;
    default:
      pushData(ctx, start, end);
  }
}

function walkIgmpmsg(ctx: Ctx): void {
  const end = ctx.bytes.length;
  guarded(ctx, 0, end, () => {
    const d = decodeIgmpmsg(ctx.bytes);
    ctx.layers.push(describeIgmpmsg(0, d));
    if (d.msg.msgtype === IGMPMSG_WHOLEPKT || d.msg.msgtype === IGMPMSG_WRVIFWHOLE) {
      walkIpv4(ctx, 20, end, 1);
      return;
    }
    // NOCACHE / WRONGVIF: the copied header's options, then the 8-byte IGMP header.
    const hl = Math.max(20, Math.min(end, (ctx.bytes[0]! & 0x0f) * 4));
    pushData(ctx, 20, hl, 'Copied IP options');
    pushData(ctx, hl, end, 'Upcall IGMP header');
  });
}

export function decodePacket(bytes: Uint8Array, options: DecodeOptions = {}): PacketDescription {
  const ctx: Ctx = { bytes, layers: [], error: null };
  if (options.as === 'igmpmsg') walkIgmpmsg(ctx);
  else walkIpv4(ctx, 0, bytes.length, 0);
  const named = ctx.layers.filter((l) => l.protocol !== 'data');
  const summary = named.length
    ? `${named.map((l) => l.name).join(' / ')}: ${named.slice(0, 2).map((l) => l.summary).join('; ')}`
    : `${bytes.length} bytes, undecodable`;
  return { length: bytes.length, summary, layers: ctx.layers, error: ctx.error };
}
