// `ip maddress` of iproute2 6.1 (ip/ipmaddr.c): the multicast memberships of every device, read by the
// real tool from /proc/net/dev_mcast (link layer), /proc/net/igmp (inet) and /proc/net/igmp6 (inet6),
// merged by ifindex. `ip maddr add|del` (SIOCADDMULTI) is not modelled.

import { mcListOf } from '../ipv4/igmp.js';
import type { IpCtx } from './ip-context.js';
import { duparg2, IpExit } from './ip-errors.js';
import { matches } from './ip-utils.js';

interface MaInfo {
  index: number;
  name: string;
  family: 'link' | 'inet' | 'inet6';
  addr: string;
  users: number;
}

const USAGE = 'Usage: ip maddr [ add | del ] MULTIADDR dev STRING\n       ip maddr show [ dev STRING ]\n';

/**
 * Even with disable_ipv6=1 (how the workbench's namespaces run) the kernel's addrconf joins the IPv6
 * all-nodes groups at NETDEV_REGISTER (observed: 33:33:00:00:00:01 on every Ethernet-like device,
 * inet6 ff02::1 and ff01::1 on every device, lo included). The model has no IPv6, so these fixed
 * memberships are printed here. A device with an MTU below IPV6_MIN_MTU (1280) has no IPv6 at all
 * (addrconf drops its inet6_dev, observed with mtu 80), hence none of them.
 */
const IPV6_MIN_MTU = 1280;
const IPV6_ALLNODES_MAC = '33:33:00:00:00:01';
const IPV6_ALLNODES = ['ff02::1', 'ff01::1'];

function collect(ctx: IpCtx, dev: string | null): MaInfo[] {
  const fam = ctx.opts.family;
  const list: MaInfo[] = [];
  const devices = ctx.ns.deviceList().filter((d) => dev === null || d.name === dev);
  // read_dev_mcast(), read_igmp(), read_igmp6() in turn; maddr_ins() keeps them grouped by ifindex
  if (fam === 'unspec' || fam === 'packet') {
    for (const d of devices) {
      // arp_mc_map() has no mapping for loopback or pimreg (ARPHRD_PIMREG): no link-layer entries.
      if (d.kind === 'loopback' || d.kind === 'pimreg') continue;
      if (d.mtu >= IPV6_MIN_MTU) list.push({ index: d.ifindex, name: d.name, family: 'link', addr: IPV6_ALLNODES_MAC, users: 1 });
      for (const [mac, users] of d.mc) list.push({ index: d.ifindex, name: d.name, family: 'link', addr: mac, users });
    }
  }
  if (fam === 'unspec' || fam === 'inet') {
    for (const d of devices) {
      if (!d.inDev) continue;
      for (const im of mcListOf(d.inDev)) {
        const a = im.multiaddr;
        list.push({ index: d.ifindex, name: d.name, family: 'inet', addr: `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`, users: im.users });
      }
    }
  }
  if (fam === 'unspec' || fam === 'inet6') {
    for (const d of devices.filter((x) => x.mtu >= IPV6_MIN_MTU)) for (const a of IPV6_ALLNODES) list.push({ index: d.ifindex, name: d.name, family: 'inet6', addr: a, users: 1 });
  }
  return list.sort((x, y) => x.index - y.index);
}

function printMlist(ctx: IpCtx, list: MaInfo[]): void {
  const out = ctx.out;
  out.begin();
  let cur = 0;
  for (const m of list) {
    if (m.index !== cur || ctx.opts.oneline) {
      if (cur) {
        out.closeArray(null);
        out.closeObject();
      }
      out.openObject();
      out.any('ifindex', m.index, `${m.index}:`);
      out.any('ifname', m.name, `\t${m.name}`);
      out.nl();
      cur = m.index;
      out.openArray('maddr', null);
    }
    out.fp('\t');
    out.openObject();
    if (m.family === 'link') {
      out.fp('link  ');
      out.any('link', m.addr, m.addr);
    } else {
      out.any('family', m.family, `${m.family.padEnd(5)} `);
      out.any('address', m.addr, m.addr);
    }
    if (m.users !== 1) out.any('users', m.users, ` users ${m.users}`);
    out.fp('\n');
    out.closeObject();
  }
  if (cur) {
    out.closeArray(null);
    out.closeObject();
  }
  out.end();
}

/** multiaddr_list() */
function multiaddrList(ctx: IpCtx, argv: readonly string[]): number {
  let dev: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    if (a === 'dev') {
      if (++i >= argv.length) throw new IpExit(255, 'Command line is not complete. Try option "help"\n');
      a = argv[i]!;
    } else if (matches(a, 'help')) throw new IpExit(255, USAGE);
    if (dev !== null) duparg2('dev', a);
    dev = a;
  }
  printMlist(ctx, collect(ctx, dev));
  return 0;
}

/** do_multiaddr() */
export function doMultiaddr(ctx: IpCtx, argv: readonly string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) return multiaddrList(ctx, []);
  if (matches(cmd, 'add') || matches(cmd, 'delete')) throw new IpExit(1, `ip: "maddress ${cmd}" is not modelled by the workbench yet.\n`);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return multiaddrList(ctx, rest);
  if (matches(cmd, 'help')) throw new IpExit(255, USAGE);
  throw new IpExit(255, `Command "${cmd}" is unknown, try "ip maddr help".\n`);
}

