// net/ipv4/igmp.c (membership lists only): which groups an interface has joined (struct ip_mc_list),
// reference-counted across sockets, with the NIC's multicast filter kept in step (ip_mc_filter_add).
// Reports, queries, timers and source filters come with the IGMP issue.

import { devMcAdd, devMcDel } from '../net/dev.js';
import { ethMcMap, formatIpv4, INADDR_ALLHOSTS_GROUP, type Ipv4Addr } from '../wire/inet.js';
import type { InDevice } from './devinet.js';

export interface IpMcList {
  multiaddr: Ipv4Addr;
  /** Number of joins (sockets, and the kernel's own 224.0.0.1). */
  users: number;
  /** sfcount[MCAST_EXCLUDE]: joins in EXCLUDE mode (an any-source join is EXCLUDE{}). */
  sfcountExclude: number;
}

/** ip_mc_inc_group() */
export function ipMcIncGroup(inDev: InDevice, group: Ipv4Addr): void {
  const im = inDev.mcList.get(group);
  if (im) {
    im.users++;
    im.sfcountExclude++;
    return;
  }
  inDev.mcList.set(group, { multiaddr: group, users: 1, sfcountExclude: 1 });
  devMcAdd(inDev.dev, ethMcMap(group));
  inDev.dev.ns.emit('ip_mc_inc_group', 'state', { dev: inDev.dev.name, group: formatIpv4(group) });
}

/** ip_mc_dec_group() */
export function ipMcDecGroup(inDev: InDevice, group: Ipv4Addr): void {
  const im = inDev.mcList.get(group);
  if (!im) return;
  im.sfcountExclude = Math.max(0, im.sfcountExclude - 1);
  if (--im.users > 0) return;
  inDev.mcList.delete(group);
  devMcDel(inDev.dev, ethMcMap(group));
  inDev.dev.ns.emit('ip_mc_dec_group', 'state', { dev: inDev.dev.name, group: formatIpv4(group) });
}

/** ip_mc_up(): every multicast-capable interface that comes up is a member of 224.0.0.1. */
export function ipMcUp(inDev: InDevice): void {
  ipMcIncGroup(inDev, INADDR_ALLHOSTS_GROUP);
}

/** ip_mc_down() */
export function ipMcDown(inDev: InDevice): void {
  ipMcDecGroup(inDev, INADDR_ALLHOSTS_GROUP);
}

/** ip_check_mc_rcu(): is `group` (from `src`) wanted on this interface? */
export function ipCheckMc(inDev: InDevice, group: Ipv4Addr, _src: Ipv4Addr, _proto: number): boolean {
  return inDev.mcList.has(group);
}
