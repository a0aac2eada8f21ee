// Sockets of a node that the engine can reach without a registry of its own: bound UDP sockets
// (udp table order) and the mroute sockets of the ipmr tables. Raw sockets that own no table are kept
// in raw.c's private table, which the socket layer does not export yet.

import { ipmrNetIfAny } from '../ipv4/ipmr-table.js';
import { MCAST_INCLUDE } from '../ipv4/igmp-types.js';
import type { Netns } from '../net/netns.js';
import type { InetSock } from '../socket/inet-sock.js';
import { formatIpv4 } from '../wire/inet.js';
import type { SocketState } from './node-state.js';

function memberships(sk: InetSock): SocketState['memberships'] {
  return [...sk.mcList].reverse().map((m) => ({
    group: formatIpv4(m.group),
    ifindex: m.ifindex,
    mode: m.sfmode === MCAST_INCLUDE ? 'include' : 'exclude',
    sources: m.sflist ? m.sflist.map(formatIpv4) : null,
  }));
}

export function captureSockets(ns: Netns): SocketState[] {
  const out: SocketState[] = [];
  ns.ipv4.udp.sockets.forEach((s, i) => {
    out.push({ id: `udp${i}`, type: 'udp', protocol: 17, local: `${formatIpv4(s.localAddr)}:${s.localPort}`, mrouteTables: [], memberships: memberships(s), queued: s.queue.length });
  });
  const net = ipmrNetIfAny(ns);
  const owners = new Map<object, number[]>();
  for (const mrt of net?.tables.values() ?? []) {
    if (!mrt.mrouteSk) continue;
    const ids = owners.get(mrt.mrouteSk) ?? [];
    ids.push(mrt.id);
    owners.set(mrt.mrouteSk, ids);
  }
  let i = 0;
  for (const [sk, tables] of owners) {
    const raw = sk as unknown as Partial<InetSock> & { protocol?: number; queue?: unknown[] };
    out.push({
      id: `mroute${i++}`,
      type: 'raw',
      protocol: raw.protocol ?? 2,
      local: '0.0.0.0',
      mrouteTables: tables,
      memberships: Array.isArray(raw.mcList) ? memberships(raw as InetSock) : [],
      queued: raw.queue?.length ?? 0,
    });
  }
  return out;
}
