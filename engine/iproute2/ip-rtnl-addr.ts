// The kernel side of `ip address`: inet_fill_ifaddr() (the RTM_NEWADDR message iproute2 prints) and
// inet_rtm_newaddr()/inet_rtm_deladdr() (net/ipv4/devinet.c), which wrap __inet_insert_ifa and
// __inet_del_ifa with rtnetlink's matching rules and extack texts.

import {
  IFA_F_DADFAILED, IFA_F_HOMEADDRESS, IFA_F_MANAGETEMPADDR, IFA_F_NODAD, IFA_F_OPTIMISTIC, IFA_F_SECONDARY, IFA_F_TENTATIVE,
  inetIfaMatch, newIfaddr, type InIfaddr,
} from '../ipv4/devinet.js';
import { fibModifyPrefixMetric } from '../ipv4/fib_frontend.js';
import { Errno, KernelError } from '../net/errno.js';
import type { NetDevice } from '../net/netdevice.js';
import { prefixMask } from '../wire/inet.js';

/** RTM_NEWADDR for one IPv4 address. */
export interface AddrMsg {
  ifindex: number;
  prefixlen: number;
  /** IFA_FLAGS (the full 32 bits; ifa_flags in the header is their low byte). */
  flags: number;
  scope: number;
  local: number;
  /** IFA_ADDRESS: the peer on point-to-point addresses, else equal to local. */
  address: number;
  /** IFA_BROADCAST, when configured. */
  broadcast: number | null;
  label: string;
  /** IFA_RT_PRIORITY, when not 0. */
  metric: number | null;
  validLft: number;
  preferredLft: number;
}

/** inet_fill_ifaddr() */
export function inetFillIfaddr(dev: NetDevice, ifa: InIfaddr): AddrMsg {
  return {
    ifindex: dev.ifindex,
    prefixlen: ifa.prefixlen,
    flags: ifa.flags,
    scope: ifa.scope,
    local: ifa.local,
    address: ifa.address,
    broadcast: ifa.broadcast ? ifa.broadcast : null,
    label: ifa.label,
    metric: ifa.metric ? ifa.metric : null,
    validLft: ifa.validLft,
    preferredLft: ifa.preferredLft,
  };
}

/** The attributes of an RTM_NEWADDR / RTM_DELADDR request (ipaddr_modify). */
export interface AddrReq {
  prefixlen: number;
  flags: number;
  scope: number;
  local?: number;
  address?: number;
  broadcast?: number;
  label?: string;
  metric?: number;
}

/** Flags the kernel drops from IPv4 addresses (IPV6ONLY_FLAGS). */
const IPV6ONLY_FLAGS = IFA_F_NODAD | IFA_F_OPTIMISTIC | IFA_F_DADFAILED | IFA_F_HOMEADDRESS | IFA_F_TENTATIVE | IFA_F_MANAGETEMPADDR | 0x800; // 0x800: IFA_F_STABLE_PRIVACY

/** find_matching_ifa(): same local, same mask, same subnet. */
function findMatchingIfa(list: readonly InIfaddr[], ifa: InIfaddr): InIfaddr | undefined {
  return list.find((i) => i.prefixlen === ifa.prefixlen && inetIfaMatch(i.address, ifa) && i.local === ifa.local);
}

/**
 * inet_rtm_newaddr(): add, or with NLM_F_REPLACE update the metric of an existing address (only the
 * metric, lifetimes and proto change; label, broadcast and scope stay as they were).
 */
/** ifa_ipv4_policy: IFA_LABEL is a string of at most IFNAMSIZ - 1 characters. */
function checkPolicy(req: AddrReq): void {
  if (req.label !== undefined && req.label.length > 15) throw new KernelError(Errno.EINVAL, 'Attribute failed policy validation');
}

export function inetRtmNewaddr(dev: NetDevice, req: AddrReq, nlmFlags: { excl: boolean; replace: boolean }): void {
  checkPolicy(req);
  if (req.prefixlen > 32 || req.local === undefined) throw new KernelError(Errno.EINVAL);
  const inDev = dev.ns.ipv4.inDev(dev);
  if (!inDev) throw new KernelError(Errno.ENODEV, 'ipv4: Device not found');
  const ifa = newIfaddr(req.local, req.prefixlen, req.label ?? dev.name, {
    address: req.address ?? req.local,
    broadcast: req.broadcast ?? 0,
    scope: req.scope,
    flags: req.flags & ~IFA_F_SECONDARY & ~IPV6ONLY_FLAGS,
    metric: req.metric ?? 0,
  });
  const existing = findMatchingIfa(inDev.ifaList, ifa);
  if (existing) {
    if (nlmFlags.excl || !nlmFlags.replace) throw new KernelError(Errno.EEXIST, 'ipv4: Address already assigned');
    const metric = req.metric ?? 0;
    if (existing.metric !== metric) {
      fibModifyPrefixMetric(dev.ns.ipv4, existing, dev, metric);
      existing.metric = metric;
    }
    return;
  }
  // __inet_insert_ifa(): an address of 0.0.0.0 is accepted and dropped.
  if (ifa.local === 0) return;
  try {
    dev.ns.ipv4.addAddress(dev, ifa);
  } catch (e) {
    if (e instanceof KernelError && e.errno === Errno.EINVAL) throw new KernelError(Errno.EINVAL, 'ipv4: Invalid scope value');
    if (e instanceof KernelError) throw new KernelError(e.errno);
    throw e;
  }
}

/** inet_rtm_deladdr(): the first address whose given attributes all match. */
export function inetRtmDeladdr(dev: NetDevice, req: AddrReq): void {
  checkPolicy(req);
  const inDev = dev.ns.ipv4.inDev(dev);
  if (!inDev) throw new KernelError(Errno.ENODEV, 'ipv4: Device not found');
  for (const ifa of inDev.ifaList) {
    if (req.local !== undefined && ifa.local !== req.local) continue;
    if (req.label !== undefined && ifa.label !== req.label) continue;
    if (req.address !== undefined && (req.prefixlen !== ifa.prefixlen || !inetIfaMatch(req.address, ifa))) continue;
    dev.ns.ipv4.delAddress(dev, ifa);
    return;
  }
  throw new KernelError(Errno.EADDRNOTAVAIL, 'ipv4: Address not found');
}

/** inet_addr_match() on IPv4: the first `bits` bits are equal. */
export function prefixContains(net: number, bits: number, addr: number): boolean {
  const m = prefixMask(bits);
  return ((net & m) >>> 0) === ((addr & m) >>> 0);
}
