// What a daemon's raw socket reads, decoded for the guest: an igmpmsg upcall (on the mroute socket), a real
// IGMP packet (IP header + IGMP message), or any other datagram of the socket's protocol (PIM, ...). The
// bytes as recvfrom() returns them (IP header onwards) always come along.

import type { RawMessage } from '../../../engine/socket/raw.js';
import type { JsonValue } from '../../../engine/sim/trace.js';
import { toHex } from '../../../engine/wire/hex.js';
import { decodeIgmp, igmpType } from '../../../engine/wire/igmp.js';
import { decodeIgmpmsg, igmpmsgTypeName } from '../../../engine/wire/igmpmsg.js';
import { formatIpv4 } from '../../../engine/wire/inet.js';
import { decodeIpv4Header, IPPROTO_IGMP } from '../../../engine/wire/ipv4.js';
import type { GuestMessage } from './engine-sockets.js';

type Fields = { [k: string]: JsonValue };

function igmpFields(bytes: Uint8Array): Fields {
  try {
    const { message: m, checksumValid } = decodeIgmp(bytes);
    const out: Fields = { type: igmpType(m), kind: m.kind, checksumValid };
    if ('group' in m) out.group = formatIpv4(m.group);
    if (m.kind === 'query-v2') out.maxRespTime = m.maxRespTime;
    if (m.kind === 'query-v3') {
      out.maxRespCode = m.maxRespCode;
      out.sFlag = m.sFlag;
      out.qrv = m.qrv;
      out.qqic = m.qqic;
      out.sources = m.sources.map(formatIpv4);
    }
    if (m.kind === 'report-v3') out.records = m.records.map((r) => ({ type: r.type, group: formatIpv4(r.group), sources: r.sources.map(formatIpv4) }));
    return out;
  } catch (e) {
    return { type: bytes[0] ?? 0, kind: 'malformed', error: e instanceof Error ? e.message : String(e) };
  }
}

/** An igmpmsg upcall: the 20-byte struct igmpmsg and whatever follows it. */
export function upcallMessage(bytes: Uint8Array): GuestMessage {
  const { msg, vifIndex } = decodeIgmpmsg(bytes);
  return {
    m: { kind: 'igmpmsg', msgtype: msg.msgtype, msgtypeName: igmpmsgTypeName(msg.msgtype), vif: vifIndex, src: formatIpv4(msg.src), dst: formatIpv4(msg.dst), bytes: toHex(bytes) },
    hx: ['bytes'],
  };
}

/** A datagram read from a raw socket (IP header onwards). */
export function packetMessage(bytes: Uint8Array, ifindex: number): GuestMessage {
  const { header } = decodeIpv4Header(bytes);
  const ihl = header.ihl * 4;
  const payload = bytes.subarray(ihl, Math.min(header.totalLength, bytes.length));
  const m: Fields = {
    kind: header.protocol === IPPROTO_IGMP ? 'igmp' : 'packet',
    protocol: header.protocol,
    src: formatIpv4(header.src),
    dst: formatIpv4(header.dst),
    ttl: header.ttl,
    ifindex,
    routerAlert: header.options.some((o) => o.kind === 'router-alert'),
  };
  if (header.protocol === IPPROTO_IGMP) m.igmp = igmpFields(payload);
  m.payload = toHex(payload);
  m.bytes = toHex(bytes);
  return { m, hx: ['payload', 'bytes'] };
}

export function rawGuestMessage(msg: RawMessage): GuestMessage {
  return msg.kind === 'upcall' ? upcallMessage(msg.bytes) : packetMessage(msg.bytes, msg.ifindex);
}
