// A host on a LAN with a router-side namespace, and a reader of the IGMP packets a node transmitted.

import type { Network } from '../../../engine/net/network.js';
import type { Netns } from '../../../engine/net/netns.js';
import type { MemorySink } from '../../../engine/sim/trace.js';
import { decodeIgmp, type IgmpMessage } from '../../../engine/wire/igmp.js';
import { formatIpv4 } from '../../../engine/wire/inet.js';
import { decodeIpv4 } from '../../../engine/wire/ipv4.js';
import type { UdpSocket } from '../../../engine/ipv4/udp.js';
import { addr, tracedNetwork } from '../helpers/topo.js';

export interface SentIgmp {
  t: number;
  src: string;
  dst: string;
  ttl: number;
  tos: number;
  df: boolean;
  id: number;
  ihl: number;
  msg: IgmpMessage;
}

/** h (eth0 10.0.0.2) — veth — r (eth0 10.0.0.1): r plays the querier, h the host. */
export function hostAndRouter(seed = 1): { net: Network; sink: MemorySink; h: Netns; r: Netns } {
  const { net, sink, node } = tracedNetwork(seed);
  const h = node('h');
  const r = node('r', 'router');
  net.link('h', 'eth0', 'r', 'eth0');
  addr(h, 'eth0', '10.0.0.2/24');
  addr(r, 'eth0', '10.0.0.1/24');
  return { net, sink, h, r };
}

/** IGMP datagrams `node` put on the wire of `dev` (dev_queue_xmit, not looped-back copies). */
export function igmpSent(sink: MemorySink, node: string, dev = 'eth0'): SentIgmp[] {
  const out: SentIgmp[] = [];
  for (const e of sink.events) {
    if (e.node !== node || e.fn !== 'dev_queue_xmit' || e.kind !== 'tx' || e.data.dev !== dev || e.pkt === null) continue;
    const bytes = sink.packets.get(e.pkt)!.bytes;
    const ip = decodeIpv4(bytes);
    if (ip.header.protocol !== 2) continue;
    out.push({
      t: e.t,
      src: formatIpv4(ip.header.src),
      dst: formatIpv4(ip.header.dst),
      ttl: ip.header.ttl,
      tos: ip.header.tos,
      df: ip.header.df,
      id: ip.header.id,
      ihl: ip.header.ihl,
      msg: decodeIgmp(ip.payload).message,
    });
  }
  return out;
}

/** A compact text form: "v3 CHANGE_TO_EXCLUDE 239.1.1.1 {} -> 224.0.0.22". */
export function describeIgmp(p: SentIgmp): string {
  const m = p.msg;
  switch (m.kind) {
    case 'report-v3':
      return `v3 ${m.records.map((r) => `${['', 'IS_IN', 'IS_EX', 'TO_IN', 'TO_EX', 'ALLOW', 'BLOCK'][r.type]} ${formatIpv4(r.group)} {${r.sources.map(formatIpv4).join(',')}}`).join('; ')} -> ${p.dst}`;
    case 'report-v1':
    case 'report-v2':
    case 'leave-v2':
      return `${m.kind} ${formatIpv4(m.group)} -> ${p.dst}`;
    default:
      return `${m.kind} -> ${p.dst}`;
  }
}

export function udpSock(ns: Netns, port = 0): UdpSocket {
  const s = ns.ipv4.udp.create(ns);
  if (port) {
    s.reuseAddr = true;
    s.bind(0, port);
  }
  return s;
}
