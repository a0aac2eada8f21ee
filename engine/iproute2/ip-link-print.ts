// print_linkinfo() of iproute2 6.1 (ip/ipaddress.c): the device part of `ip link` and `ip addr`, in
// text, -o, -br, -d, -s and JSON forms. Statement order follows the C code; that order is the output.

import { formatMac } from '../wire/inet.js';
import {
  IFF_ALLMULTI, IFF_AUTOMEDIA, IFF_BROADCAST, IFF_DEBUG, IFF_DORMANT, IFF_DYNAMIC, IFF_ECHO, IFF_LOOPBACK, IFF_LOWER_UP, IFF_MASTER,
  IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS, IFF_POINTOPOINT, IFF_PORTSEL, IFF_PROMISC, IFF_RUNNING, IFF_SLAVE, IFF_UP,
} from '../net/if-flags.js';
import { llIndexToName, netnsName, type IpCtx } from './ip-context.js';
import type { Family } from './ip-options.js';
import { groupN2a, llTypeN2a } from './ip-names.js';
import { printStats64 } from './ip-link-stats.js';
import type { LinkMsg } from './ip-rtnl-link.js';

/** print_link_flags()'s _PF() order (not the numeric order of the bits). */
const FLAG_ORDER: ReadonlyArray<readonly [number, string]> = [
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_NOARP, 'NOARP'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_MASTER, 'MASTER'],
  [IFF_SLAVE, 'SLAVE'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_DYNAMIC, 'DYNAMIC'],
  [IFF_AUTOMEDIA, 'AUTOMEDIA'],
  [IFF_PORTSEL, 'PORTSEL'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'],
  [IFF_DORMANT, 'DORMANT'],
  [IFF_ECHO, 'ECHO'],
];

/** `<FLAG,FLAG,...> ` — NO-CARRIER first when up but not running, M-DOWN last when the lower device is down. */
export function printLinkFlags(ctx: IpCtx, flags: number, mdown: boolean): void {
  const p = ctx.out;
  p.openArray(p.json ? 'flags' : null, '<');
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) p.any(null, 'NO-CARRIER', flags ? 'NO-CARRIER,' : 'NO-CARRIER');
  flags &= ~IFF_RUNNING;
  for (const [bit, name] of FLAG_ORDER) {
    if (!(flags & bit)) continue;
    flags &= ~bit;
    p.any(null, name, flags ? `${name},` : name);
  }
  if (flags) p.any(null, flags.toString(16), flags.toString(16));
  if (mdown) p.any(null, 'M-DOWN', ',M-DOWN');
  p.closeArray('> ');
}

/** print_operstate() */
function printOperstate(ctx: IpCtx, state: string): void {
  if (ctx.opts.brief) ctx.out.any('operstate', state, `${state.padEnd(14)} `);
  else ctx.out.any('operstate', state, `state ${state} `);
}

/**
 * print_name_and_link(): NAME, NAME@PEER (same namespace) or NAME@ifN (peer elsewhere). Returns the
 * M-DOWN flag: a same-namespace lower device that is not up.
 */
function printNameAndLink(ctx: IpCtx, msg: LinkMsg, fmt: (name: string) => string): boolean {
  const p = ctx.out;
  let name = msg.ifname;
  let mdown = false;
  if (msg.iflink !== null) {
    if (msg.iflink) {
      if (msg.linkNetnsid !== null) {
        if (p.json) p.jsonOnly('link_index', msg.iflink);
        else name = `${name}@if${msg.iflink}`;
      } else {
        const link = llIndexToName(ctx.ns, msg.iflink);
        if (p.json) p.jsonOnly('link', link);
        else name = `${name}@${link}`;
        const lower = ctx.ns.devByIndex(msg.iflink);
        mdown = !((lower?.userFlags() ?? 0) & IFF_UP);
      }
    } else if (p.json) p.jsonOnly('link', null);
    else name = `${name}@NONE`;
  }
  p.any('ifname', msg.ifname, fmt(name));
  return mdown;
}

/** print_linkinfo_brief(): `-br`; with family link (ip -br link) also the MAC and the flags. */
function printLinkinfoBrief(ctx: IpCtx, msg: LinkMsg, family: Family): void {
  const p = ctx.out;
  const mdown = printNameAndLink(ctx, msg, (n) => `${n.padEnd(16)} `);
  printOperstate(ctx, msg.operstate);
  if (family === 'packet') {
    p.any('address', formatMac(msg.address), `${formatMac(msg.address)} `);
    printLinkFlags(ctx, msg.flags, mdown);
    p.fp('\n');
  }
}

/**
 * print_linkinfo(). `doLink` is true for `ip link` (mode, addrgenmode, stats), false for `ip addr`.
 * Returns false for -br (iproute2 returns 0 there: the caller prints no stats but still addresses).
 */
export function printLinkinfo(ctx: IpCtx, msg: LinkMsg, doLink: boolean, family: Family): boolean {
  const p = ctx.out;
  const o = ctx.opts;
  if (o.brief) {
    printLinkinfoBrief(ctx, msg, family);
    return false;
  }
  p.any('ifindex', msg.ifindex, `${msg.ifindex}: `);
  const mdown = printNameAndLink(ctx, msg, (n) => `${n}: `);
  printLinkFlags(ctx, msg.flags, mdown);
  p.any('mtu', msg.mtu, `mtu ${msg.mtu} `);
  p.any('qdisc', msg.qdisc, `qdisc ${msg.qdisc} `);
  printOperstate(ctx, msg.operstate);
  if (doLink) p.any('linkmode', 'DEFAULT', 'mode DEFAULT ');
  const group = groupN2a(msg.group, o.numeric);
  p.any('group', group, `group ${group} `);
  if (msg.txqlen) p.any('txqlen', msg.txqlen, `qlen ${msg.txqlen}`);
  if (family === 'unspec' || family === 'packet' || o.details) {
    p.nl();
    const type = llTypeN2a(msg.type, o.numeric);
    p.any('link_type', type, `    link/${type} `);
    // IFLA_ADDRESS/IFLA_BROADCAST only for devices with an address length (not pimreg).
    if (msg.address.length) {
      p.any('address', formatMac(msg.address), formatMac(msg.address));
      p.fp(' brd ');
      p.any('broadcast', formatMac(msg.broadcast), formatMac(msg.broadcast));
    }
  }
  if (msg.linkNetnsid !== null) {
    if (p.json) p.jsonOnly('link_netnsid', msg.linkNetnsid);
    else {
      const name = msg.linkNet ? netnsName(msg.linkNet) : null;
      p.fp(name !== null ? ` link-netns ${name}` : ` link-netnsid ${msg.linkNetnsid}`);
    }
  }
  if (o.details) printDetails(ctx, msg, doLink);
  if (doLink && o.stats) {
    p.nl();
    printStats64(ctx, msg.stats, msg.carrierChanges, 'stats64');
  }
  p.fp('\n');
  return true;
}

/** The `-d` part: promiscuity, MTU bounds, link kind, addrgenmode, queue and GSO/GRO limits. */
function printDetails(ctx: IpCtx, msg: LinkMsg, doLink: boolean): void {
  const p = ctx.out;
  p.any('promiscuity', msg.promiscuity, ` promiscuity ${msg.promiscuity} `);
  p.any('allmulti', msg.allmulti, ` allmulti ${msg.allmulti} `);
  p.any('min_mtu', msg.minMtu, `minmtu ${msg.minMtu} `);
  p.any('max_mtu', msg.maxMtu, `maxmtu ${msg.maxMtu} `);
  if (msg.kind !== null) {
    // print_linktype(): neither veth nor dummy has a print_opt, so no info_data.
    p.openObject('linkinfo');
    p.fp(p.sl);
    p.any('info_kind', msg.kind, `    ${msg.kind} `);
    p.closeObject();
  }
  // print_af_spec(): IPv6 is compiled in, so the kernel reports the (default) address generation mode.
  if (doLink && msg.inet6) p.any('inet6_addr_gen_mode', 'eui64', 'addrgenmode eui64 ');
  p.any('num_tx_queues', msg.numTxQueues, `numtxqueues ${msg.numTxQueues} `);
  p.any('num_rx_queues', msg.numRxQueues, `numrxqueues ${msg.numRxQueues} `);
  p.any('gso_max_size', msg.gsoMaxSize, `gso_max_size ${msg.gsoMaxSize} `);
  p.any('gso_max_segs', msg.gsoMaxSegs, `gso_max_segs ${msg.gsoMaxSegs} `);
  p.any('tso_max_size', msg.tsoMaxSize, `tso_max_size ${msg.tsoMaxSize} `);
  p.any('tso_max_segs', msg.tsoMaxSegs, `tso_max_segs ${msg.tsoMaxSegs} `);
  p.any('gro_max_size', msg.groMaxSize, `gro_max_size ${msg.groMaxSize} `);
}
