// ipaddr_list_flush_or_save() of iproute2 6.1: `ip link show`, `ip addr show` and `ip addr flush` share
// it — the same argument filter, the same walk over devices, and iproute2's JSON quirks (a device or
// address the filter drops late still leaves an empty object behind).

import { IFA_F_PERMANENT, IFA_F_SECONDARY } from '../ipv4/devinet.js';
import { IFF_UP } from '../net/if-flags.js';
import type { NetDevice } from '../net/netdevice.js';
import { llNameToIndex, type IpCtx } from './ip-context.js';
import { duparg2, fail1, IpExit, invarg } from './ip-errors.js';
import { addrMatches, emptyAddrFilter, IFA_FLAG_NAMES, printAddrinfo, type AddrFilter } from './ip-address-print.js';
import { printLinkinfo } from './ip-link-print.js';
import { printStats64 } from './ip-link-stats.js';
import { groupA2n, rtScopeA2n } from './ip-names.js';
import type { Family } from './ip-options.js';
import { getPrefix } from './ip-parse.js';
import { inetFillIfaddr, inetRtmDeladdr, type AddrMsg } from './ip-rtnl-addr.js';
import { rtnlFillIfinfo } from './ip-rtnl-link.js';
import { usageAddress, usageLink } from './ip-usage.js';
import { Args, matches } from './ip-utils.js';

export type ListAction = 'list' | 'flush';

/** get_filter(): an address flag word (`secondary`, `-tentative`, `primary`, `dynamic`, ...). */
function getFilterFlag(f: AddrFilter, word: string): boolean {
  let arg = word;
  let inv = false;
  if (arg.startsWith('-')) {
    inv = true;
    arg = arg.slice(1);
  }
  if (arg === 'dynamic') {
    f.flags = inv ? f.flags | IFA_F_PERMANENT : f.flags & ~IFA_F_PERMANENT;
    f.flagmask |= IFA_F_PERMANENT;
  } else if (arg === 'primary') {
    f.flags = inv ? f.flags | IFA_F_SECONDARY : f.flags & ~IFA_F_SECONDARY;
    f.flagmask |= IFA_F_SECONDARY;
  } else {
    const hit = IFA_FLAG_NAMES.find(([name]) => name === arg);
    if (!hit) return false;
    f.flags = inv ? f.flags & ~hit[1] : f.flags | hit[1];
    f.flagmask |= hit[1];
  }
  return true;
}

interface Listing {
  filter: AddrFilter;
  family: Family;
  group: number;
  devName: string | null;
}

function parseFilter(ctx: IpCtx, argv: readonly string[], doLink: boolean, family: Family): Listing {
  const f = emptyAddrFilter();
  const l: Listing = { filter: f, family, group: -1, devName: null };
  const a = new Args(argv);
  for (; a.more; a.advance()) {
    const w = a.cur;
    if (w === 'to') {
      const p = getPrefix(a.next(), l.family);
      if (l.family === 'unspec') l.family = p.family;
      f.pfx = { addr: p.addr, bitlen: p.bitlen };
    } else if (w === 'scope') {
      const v = a.next();
      f.scopemask = -1;
      const scope = rtScopeA2n(v);
      if (scope === null) {
        if (v !== 'all') invarg('invalid "scope"\n', v);
        f.scope = 255;
        f.scopemask = 0;
      } else f.scope = scope;
    } else if (w === 'up') f.up = true;
    else if (getFilterFlag(f, w)) continue;
    else if (w === 'label') f.label = a.next();
    else if (w === 'group') {
      const v = a.next();
      const g = groupA2n(v);
      if (g === null) invarg('Invalid "group" value\n', v);
      l.group = g;
    } else if (w === 'master' || w === 'vrf' || w === 'type') {
      // Neither bridges, VRFs nor other link types than veth/dummy exist in the model: match nothing.
      a.next();
      l.group = -2;
    } else if (w === 'nomaster') continue;
    else {
      let dev = w;
      if (w === 'dev') dev = a.next();
      else if (matches(w, 'help')) throw new IpExit(255, doLink ? usageLink() : usageAddress());
      if (l.devName !== null) duparg2('dev', dev);
      l.devName = dev;
    }
  }
  if (l.devName !== null) {
    f.ifindex = llNameToIndex(ctx.ns, l.devName);
    if (f.ifindex <= 0) fail1(`Device "${l.devName}" does not exist.`);
  }
  return l;
}

/** Addresses of a device as the kernel dumps them (family inet only: IPv6 is off in the model). */
function dumpAddrs(dev: NetDevice, family: Family): AddrMsg[] {
  if (family !== 'unspec' && family !== 'inet') return [];
  const inDev = dev.ns.ipv4.inDev(dev);
  return inDev ? inDev.ifaList.map((ifa) => inetFillIfaddr(dev, ifa)) : [];
}

/** ipaddr_filter(): with an address family, a device is shown only if one of its addresses passes. */
function keepLink(l: Listing, addrs: AddrMsg[]): boolean {
  if (addrs.length === 0) return l.family === 'unspec' || l.family === 'packet';
  return addrs.some((a) => addrMatches({ ...l.filter, ifindex: 0 }, a));
}

export function ipaddrListFlushOrSave(ctx: IpCtx, argv: readonly string[], action: ListAction, doLink: boolean): number {
  const family: Family = doLink ? 'packet' : ctx.opts.family;
  if (action === 'flush') {
    if (argv.length === 0) fail1('Flush requires arguments.');
    if (family === 'packet') fail1('Cannot flush link addresses.');
  }
  const l = parseFilter(ctx, argv, doLink, family);
  if (action === 'flush') return ipaddrFlush(ctx, l);

  const p = ctx.out;
  const o = ctx.opts;
  p.begin();
  const noLink = o.oneline && l.family !== 'packet';
  for (const dev of ctx.ns.deviceList()) {
    if (l.filter.ifindex && dev.ifindex !== l.filter.ifindex) continue;
    if (l.group === -2 || (l.group !== -1 && dev.group !== l.group)) continue;
    const addrs = l.family === 'packet' ? [] : dumpAddrs(dev, l.family);
    if (l.family !== 'packet' && !keepLink(l, addrs)) continue;
    const msg = rtnlFillIfinfo(dev, ctx.ns);
    p.openObject();
    // print_linkinfo() returns -1 for a device the `up` filter drops, 0 for -br, 1 otherwise.
    let res = 0;
    if (l.filter.up && !(msg.flags & IFF_UP)) res = -1;
    else if (l.filter.label !== null) res = 0; // a label filter prints the matching addresses only
    else if (o.brief || !noLink) res = printLinkinfo(ctx, msg, doLink, l.family) ? 1 : 0;
    if (res >= 0 && l.family !== 'packet') {
      p.openArray('addr_info', null);
      for (const a of addrs) {
        if (l.filter.up && !(msg.flags & IFF_UP)) continue;
        p.openObject();
        printAddrinfo(ctx, a, l.filter);
        p.closeObject();
      }
      p.closeArray(null);
      if (o.brief) p.fp('\n');
    }
    if (res > 0 && !doLink && o.stats) {
      printStats64(ctx, msg.stats, msg.carrierChanges, 'stats64');
      p.nl();
    }
    p.closeObject();
  }
  p.end();
  return 0;
}

/**
 * ipaddr_flush(): delete every address the filter selects, in rounds until none is left. Deleting a
 * primary takes its secondaries along; their own delete requests then fail and are ignored.
 */
function ipaddrFlush(ctx: IpCtx, l: Listing): number {
  const maxRounds = 10;
  let round = 0;
  for (;;) {
    const victims: Array<{ dev: NetDevice; a: AddrMsg }> = [];
    for (const dev of ctx.ns.deviceList()) {
      if (l.filter.up && !(dev.userFlags() & IFF_UP)) continue;
      if (l.group === -2 || (l.group !== -1 && dev.group !== l.group)) continue;
      for (const a of dumpAddrs(dev, l.family)) if (addrMatches(l.filter, a)) victims.push({ dev, a });
    }
    if (victims.length === 0) {
      if (ctx.opts.stats) {
        if (round === 0) ctx.out.fp('Nothing to flush.\n');
        else ctx.out.fp(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      }
      return 0;
    }
    round++;
    for (const { dev, a } of victims) {
      try {
        inetRtmDeladdr(dev, { prefixlen: a.prefixlen, flags: a.flags, scope: a.scope, local: a.local, address: a.address, label: a.label });
      } catch {
        // EADDRNOTAVAIL: already gone with its primary (flush_update() ignores it).
      }
    }
    if (ctx.opts.stats) ctx.out.fp(`\n*** Round ${round}, deleting ${victims.length} addresses ***\n`);
    if (round >= maxRounds) {
      ctx.stderr += `*** Flush remains incomplete after ${round} rounds. ***\n`;
      return 1;
    }
  }
}
