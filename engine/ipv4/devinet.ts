// net/ipv4/devinet.c: IPv4 addresses on a device (struct in_device, struct in_ifaddr), primary and
// secondary addresses, and the inetaddr notifier chain that the FIB listens to.

import { Errno, KernelError } from '../net/errno.js';
import type { NetDevice } from '../net/netdevice.js';
import { formatIpv4, prefixMask, type Ipv4Addr } from '../wire/inet.js';
import { DevConf } from './devconf.js';
import type { IpMcList } from './igmp.js';

export const IFA_F_SECONDARY = 0x01;
export const IFA_F_NODAD = 0x02;
export const IFA_F_OPTIMISTIC = 0x04;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_DEPRECATED = 0x20;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_MCAUTOJOIN = 0x400;

/** rtnetlink scopes (RT_SCOPE_*). */
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

export const INFINITY_LIFE_TIME = 0xffffffff;

export interface InIfaddr {
  /** ifa_local: the address of this host. */
  local: Ipv4Addr;
  /** ifa_address: the peer for point-to-point (`peer`), else equal to local. */
  address: Ipv4Addr;
  prefixlen: number;
  /** ifa_broadcast; 0 when none was configured (iproute2 6.1 sends none without `brd`). */
  broadcast: Ipv4Addr;
  scope: number;
  label: string;
  flags: number;
  /** ifa_rt_priority: `metric` of the prefix route. */
  metric: number;
  validLft: number;
  preferredLft: number;
  /** ifa_proto (`proto` on `ip addr add`), 0 when unset. */
  proto: number;
}

export type InetaddrEvent = { event: 'NETDEV_UP' | 'NETDEV_DOWN'; ifa: InIfaddr; dev: NetDevice };

export class InDevice {
  /** ifa_list in kernel order: primaries (by scope), then secondaries. */
  ifaList: InIfaddr[] = [];
  conf: DevConf;
  /** mc_list: joined groups (igmp.c). */
  readonly mcList = new Map<Ipv4Addr, IpMcList>();

  constructor(
    readonly dev: NetDevice,
    defaults: DevConf,
  ) {
    this.conf = new DevConf(defaults);
    if (dev.kind === 'loopback') {
      // inetdev_init(): no IPsec policy on loopback.
      this.conf.values.disable_policy = 1;
      this.conf.values.disable_xfrm = 1;
    }
  }

  primaries(): InIfaddr[] {
    return this.ifaList.filter((i) => !(i.flags & IFA_F_SECONDARY));
  }
}

export function ifaMask(ifa: InIfaddr): number {
  return prefixMask(ifa.prefixlen);
}

/** inet_ifa_match(addr, ifa): addr is inside ifa's subnet. */
export function inetIfaMatch(addr: Ipv4Addr, ifa: InIfaddr): boolean {
  const m = ifaMask(ifa);
  return ((addr & m) >>> 0) === ((ifa.address & m) >>> 0);
}

/** __inet_insert_ifa(): placement and the primary/secondary decision, then NETDEV_UP on the inetaddr chain. */
export function inetInsertIfa(inDev: InDevice, ifa: InIfaddr, notify: (ev: InetaddrEvent) => void): void {
  ifa.flags &= ~IFA_F_SECONDARY;
  if (ifa.local === 0) throw new KernelError(Errno.EINVAL);
  let lastPrimary = 0;
  const list = inDev.ifaList;
  for (let i = 0; i < list.length; i++) {
    const ifa1 = list[i]!;
    if (!(ifa1.flags & IFA_F_SECONDARY) && ifa.scope <= ifa1.scope) lastPrimary = i + 1;
    if (ifa1.prefixlen === ifa.prefixlen && inetIfaMatch(ifa1.address, ifa)) {
      if (ifa1.local === ifa.local) throw new KernelError(Errno.EEXIST);
      if (ifa1.scope !== ifa.scope) throw new KernelError(Errno.EINVAL);
      ifa.flags |= IFA_F_SECONDARY;
    }
  }
  if (ifa.flags & IFA_F_SECONDARY) list.push(ifa);
  else list.splice(lastPrimary, 0, ifa);
  const ns = inDev.dev.ns;
  ns.emit('__inet_insert_ifa', 'state', {
    dev: inDev.dev.name,
    local: formatIpv4(ifa.local),
    prefixlen: ifa.prefixlen,
    secondary: (ifa.flags & IFA_F_SECONDARY) !== 0,
  });
  notify({ event: 'NETDEV_UP', ifa, dev: inDev.dev });
}

/**
 * __inet_del_ifa(): removing a primary also removes the secondaries of its subnet, unless
 * promote_secondaries is set, in which case the first of them becomes primary.
 */
export function inetDelIfa(inDev: InDevice, ifa: InIfaddr, notify: (ev: InetaddrEvent) => void, promoteAll: boolean): void {
  const list = inDev.ifaList;
  const ns = inDev.dev.ns;
  if (!(ifa.flags & IFA_F_SECONDARY)) {
    const promote = promoteAll || inDev.conf.values.promote_secondaries !== 0;
    const subnetSecondaries = list.filter((i) => i !== ifa && i.flags & IFA_F_SECONDARY && i.prefixlen === ifa.prefixlen && inetIfaMatch(i.address, ifa));
    if (promote && subnetSecondaries.length > 0) {
      const p = subnetSecondaries[0]!;
      removeFrom(list, ifa);
      ns.emit('__inet_del_ifa', 'state', { dev: inDev.dev.name, local: formatIpv4(ifa.local), prefixlen: ifa.prefixlen });
      notify({ event: 'NETDEV_DOWN', ifa, dev: inDev.dev });
      p.flags &= ~IFA_F_SECONDARY;
      removeFrom(list, p);
      const at = list.findIndex((i) => i.flags & IFA_F_SECONDARY);
      list.splice(at < 0 ? list.length : at, 0, p);
      ns.emit('inet_promote_secondary', 'state', { dev: inDev.dev.name, local: formatIpv4(p.local) });
      notify({ event: 'NETDEV_UP', ifa: p, dev: inDev.dev });
      return;
    }
    for (const s of subnetSecondaries) {
      removeFrom(list, s);
      ns.emit('__inet_del_ifa', 'state', { dev: inDev.dev.name, local: formatIpv4(s.local), prefixlen: s.prefixlen, secondary: true });
      notify({ event: 'NETDEV_DOWN', ifa: s, dev: inDev.dev });
    }
  }
  removeFrom(list, ifa);
  ns.emit('__inet_del_ifa', 'state', { dev: inDev.dev.name, local: formatIpv4(ifa.local), prefixlen: ifa.prefixlen });
  notify({ event: 'NETDEV_DOWN', ifa, dev: inDev.dev });
}

function removeFrom<T>(list: T[], x: T): void {
  const i = list.indexOf(x);
  if (i >= 0) list.splice(i, 1);
}

/** inet_select_addr(dev, dst, scope): the primary address of `dev` to use as source towards `dst`. */
export function inetSelectAddr(inDev: InDevice | undefined, dst: Ipv4Addr, scope: number): Ipv4Addr {
  if (!inDev) return 0;
  let addr = 0;
  for (const ifa of inDev.ifaList) {
    if (ifa.flags & IFA_F_SECONDARY) continue;
    if (ifa.scope > scope) continue;
    if (!dst || inetIfaMatch(dst, ifa)) return ifa.local;
    if (!addr) addr = ifa.local;
  }
  return addr;
}

export function newIfaddr(local: Ipv4Addr, prefixlen: number, label: string, init: Partial<InIfaddr> = {}): InIfaddr {
  return {
    local,
    address: init.address ?? local,
    prefixlen,
    broadcast: init.broadcast ?? 0,
    scope: init.scope ?? RT_SCOPE_UNIVERSE,
    label,
    flags: (init.flags ?? 0) | IFA_F_PERMANENT,
    metric: init.metric ?? 0,
    validLft: init.validLft ?? INFINITY_LIFE_TIME,
    preferredLft: init.preferredLft ?? INFINITY_LIFE_TIME,
    proto: init.proto ?? 0,
  };
}

/**
 * inetdev_changename(): after a rename the first address takes the new name as label; each later one
 * keeps its ":suffix", or gets ":N" (N = its position) if it had none — `foo` becomes `NEW:2` (observed).
 */
export function inetdevChangename(inDev: InDevice): void {
  const name = inDev.dev.name;
  let named = 0;
  for (const ifa of inDev.ifaList) {
    const old = ifa.label;
    ifa.label = name;
    if (named++ === 0) continue;
    const colon = old.indexOf(':');
    const dot = colon >= 0 ? old.slice(colon) : `:${named}`;
    // IFNAMSIZ - 1 = 15 characters: a long suffix overwrites the end of the name.
    ifa.label = dot.length + name.length < 16 ? name + dot : name.slice(0, 16 - dot.length - 1) + dot;
  }
}
