// `ip link` (iproute2 6.1 do_iplink / iplink_parse / iplink_modify): show, add (veth, dummy), set,
// delete. iplink_parse() accepts the same words for all three; its checks and messages are kept.

import { Errno, KernelError } from '../net/errno.js';
import { IFF_ALLMULTI, IFF_DYNAMIC, IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS, IFF_PROMISC, IFF_UP } from '../net/if-flags.js';
import type { Netns } from '../net/netns.js';
import { llNameToIndex, type IpCtx } from './ip-context.js';
import { duparg, duparg2, fail1, fail255, invarg, IpExit, nodev, rtnlAnswer } from './ip-errors.js';
import { ipaddrListFlushOrSave } from './ip-address-list.js';
import { groupA2n } from './ip-names.js';
import { getAddr1, getInteger } from './ip-parse.js';
import { rtnlDelLink, rtnlNewLink, rtnlSetLink, type LinkReq } from './ip-rtnl-link.js';
import { usageLink, usageVeth } from './ip-usage.js';
import { Args, matches } from './ip-utils.js';

export function doIplink(ctx: IpCtx, argv: readonly string[]): number {
  if (argv.length < 1) return ipaddrListFlushOrSave(ctx, [], 'list', true);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'add')) return iplinkModify(ctx, 'new', true, rest);
  if (matches(cmd, 'set') || matches(cmd, 'change')) return iplinkModify(ctx, 'new', false, rest);
  if (matches(cmd, 'replace')) fail1('"ip link replace" is not available in the workbench.');
  if (matches(cmd, 'delete')) return iplinkModify(ctx, 'del', false, rest);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return ipaddrListFlushOrSave(ctx, rest, 'list', true);
  if (matches(cmd, 'xstats') || matches(cmd, 'afstats') || matches(cmd, 'property')) fail1(`"ip link ${cmd}" is not available in the workbench.`);
  if (matches(cmd, 'help')) throw new IpExit(255, usageLink());
  fail255(`Command "${cmd}" is unknown, try "ip link help".`);
}

/** check_ifname(): what iproute2 itself refuses as a new name (the kernel refuses more). */
function checkIfname(name: string): boolean {
  return name.length > 0 && name.length < 16 && !/[/\s]/.test(name);
}

/** ll_addr_a2n(): "aa:bb:..." pieces through sscanf("%x"), or a dotted IPv4 address (4 bytes). */
function llAddrA2n(arg: string): Uint8Array {
  if (arg.includes('.')) {
    const a = getAddr1(arg, 'inet');
    if (!a) fail1(`"${arg}" is invalid lladdr.`);
    return Uint8Array.of(a.addr >>> 24, (a.addr >>> 16) & 255, (a.addr >>> 8) & 255, a.addr & 255);
  }
  const out: number[] = [];
  for (const piece of arg.split(':').slice(0, 32)) {
    const m = /^\s*[+]?(?:0[xX])?([0-9a-fA-F]+)/.exec(piece);
    const v = m ? parseInt(m[1]!, 16) : NaN;
    if (!m || v > 255) fail1(`"${piece}" is invalid lladdr.`);
    out.push(v);
  }
  return Uint8Array.from(out);
}

/** What iplink_parse() collected: the request plus the names it saw. */
interface Parsed {
  req: LinkReq;
  name: string | null;
  dev: string | null;
  type: string | null;
  netns: Netns | null;
  /** Words after `type KIND`, for the kind's own parser. */
  typeArgs: readonly string[];
}

function onOff(what: string, v: string): never {
  fail1(`Error: argument of "${what}" must be "on" or "off", not "${v}"`);
}

/** iplink_parse() */
function iplinkParse(ctx: IpCtx, argv: readonly string[]): Parsed {
  const req: LinkReq = { flags: 0, change: 0 };
  let name: string | null = null;
  let dev: string | null = null;
  let type: string | null = null;
  let netns: Netns | null = null;
  let netnsSeen = false;
  let devIsName = true;
  const setFlag = (bit: number, on: boolean): void => {
    req.change |= bit;
    req.flags = on ? req.flags | bit : req.flags & ~bit;
  };
  const unsupported = (w: string): never => fail1(`"ip link ... ${w}" is not available in the workbench.`);
  const a = new Args(argv);
  // The keyword tests in iplink_parse()'s order: it decides abbreviations ("d" is dynamic, "t" txqueuelen).
  for (; a.more; a.advance()) {
    const w = a.cur;
    if (w === 'up') setFlag(IFF_UP, true);
    else if (w === 'down') setFlag(IFF_UP, false);
    else if (w === 'name') {
      const v = a.next();
      if (name !== null) duparg('name', v);
      if (!checkIfname(v)) invarg('"name" not a valid ifname', v);
      name = v;
      if (dev === null) {
        dev = name;
        devIsName = true;
      }
    } else if (w === 'index') unsupported(w);
    else if (matches(w, 'link')) a.next(); // IFLA_LINK: no stacked devices in the model
    else if (matches(w, 'address')) req.address = llAddrA2n(a.next());
    else if (matches(w, 'broadcast') || w === 'brd') unsupported(w);
    else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
      const v = a.next();
      if (req.txqlen !== undefined) duparg('txqueuelen', v);
      const q = getInteger(v);
      if (q === null) invarg('Invalid "txqueuelen" value\n', v);
      req.txqlen = q;
    } else if (w === 'mtu') {
      const v = a.next();
      if (req.mtu !== undefined) duparg('mtu', v);
      const m = getInteger(v);
      if (m === null) invarg('Invalid "mtu" value\n', v);
      req.mtu = m;
    } else if (w === 'xdpgeneric' || w === 'xdpdrv' || w === 'xdpoffload' || w === 'xdp') unsupported(w);
    else if (w === 'netns') {
      const v = a.next();
      if (netnsSeen) duparg('netns', v);
      netnsSeen = true;
      const target = ctx.ns.net.nodes.get(v);
      if (!target) {
        // Not a named namespace: iproute2 then tries it as a PID, which the model has none of.
        if (getInteger(v) === null) invarg('Invalid "netns" value\n', v);
        throw rtnlAnswer(new KernelError(Errno.ESRCH));
      }
      netns = target;
    } else if (w === 'multicast' || w === 'allmulticast' || w === 'promisc' || w === 'trailers' || w === 'arp') {
      const v = a.next();
      if (v !== 'on' && v !== 'off') onOff(w, v);
      // `trailers on` clears NOTRAILERS, `arp on` clears NOARP.
      if (w === 'trailers') setFlag(IFF_NOTRAILERS, v === 'off');
      else if (w === 'arp') setFlag(IFF_NOARP, v === 'off');
      else setFlag(w === 'multicast' ? IFF_MULTICAST : w === 'allmulticast' ? IFF_ALLMULTI : IFF_PROMISC, v === 'on');
    } else if (w === 'carrier' || w === 'vf' || matches(w, 'master') || w === 'vrf') unsupported(w);
    else if (matches(w, 'nomaster')) continue;
    else if (matches(w, 'dynamic')) {
      const v = a.next();
      if (v !== 'on' && v !== 'off') onOff('dynamic', v);
      setFlag(IFF_DYNAMIC, v === 'on');
    } else if (matches(w, 'type')) {
      type = a.next();
      a.advance();
      break;
    } else if (matches(w, 'alias')) unsupported(w);
    else if (w === 'group') {
      const v = a.next();
      if (req.group !== undefined) duparg('group', v);
      const g = groupA2n(v);
      if (g === null) invarg('Invalid "group" value\n', v);
      req.group = g;
    } else if (w === 'mode' || w === 'state') unsupported(w);
    else if (matches(w, 'numtxqueues') || matches(w, 'numrxqueues')) {
      const v = a.next();
      if (getInteger(v) === null) invarg(`Invalid "${matches(w, 'numtxqueues') ? 'numtxqueues' : 'numrxqueues'}" value\n`, v);
    } else if (matches(w, 'addrgenmode') || matches(w, 'link-netns') || matches(w, 'link-netnsid')) unsupported(w);
    else if (['protodown', 'protodown_reason', 'gso_max_size', 'gso_max_segs', 'gro_max_size', 'parentdev'].includes(w)) unsupported(w);
    else {
      if (matches(w, 'help')) throw new IpExit(255, usageLink());
      let v = w;
      if (w === 'dev') v = a.next();
      // C compares the pointers: a second device word is garbage unless dev only came from `name`.
      if (!devIsName) duparg2('dev', v);
      if (v.length === 0 || v.length >= 128 || /[/\s]/.test(v)) invarg('"dev" not a valid ifname', v);
      dev = v;
      devIsName = false;
    }
  }
  // "ip link add dev NAME" and "ip link add name NAME" both name the new device.
  if (name === null) name = dev;
  else if (dev === null) dev = name;
  // nl_get_ll_addr_len(): only an existing device's address length is known (6 for all of ours).
  if (dev !== null && req.address && ctx.ns.devByName(dev) && req.address.length !== 6) {
    fail1(`Invalid address length ${req.address.length} - must be 6 bytes`);
  }
  return { req, name, dev, type, netns, typeArgs: a.remaining };
}

function iplinkModify(ctx: IpCtx, cmd: 'new' | 'del', create: boolean, argv: readonly string[]): number {
  const parsed = iplinkParse(ctx, argv);
  const { req, dev, type } = parsed;
  if (!create) {
    if (dev === null) fail255('Not enough information: "dev" argument is required.');
    const ifindex = llNameToIndex(ctx.ns, dev);
    const device = ctx.ns.devByIndex(ifindex);
    if (!ifindex || !device) nodev(dev);
    if (parsed.netns && parsed.netns !== ctx.ns) fail1('"ip link set ... netns" is not available in the workbench.');
    // A `type` without type-specific data is ignored for an existing device (observed).
    try {
      if (cmd === 'del') rtnlDelLink(device);
      else {
        // A name equal to the device's own is no rename (iplink_parse: "Not renaming to the same name").
        if (parsed.name !== null && parsed.name !== dev) req.ifname = parsed.name;
        rtnlSetLink(device, req);
      }
    } catch (e) {
      if (e instanceof KernelError) throw rtnlAnswer(e);
      throw e;
    }
    return 0;
  }
  if (type === null) fail1('Not enough information: "type" argument is required');
  const newReq = { ...req, ifname: parsed.name ?? undefined, kind: type, peer: undefined as (LinkReq & { ns: Netns }) | undefined };
  const targetNs = parsed.netns ?? ctx.ns;
  if (type === 'veth' && parsed.typeArgs.length > 0) {
    if (parsed.typeArgs[0] !== 'peer') throw new IpExit(1, '', usageVeth()); // print_usage(stdout), return -1
    const peer = iplinkParse(ctx, parsed.typeArgs.slice(1));
    if (peer.type !== null) duparg('type', peer.type);
    // veth_newlink(): the peer's own `netns`, else the namespace the request came from (not the device's).
    newReq.peer = { ...peer.req, ifname: peer.name ?? undefined, ns: peer.netns ?? ctx.ns };
  } else if (parsed.typeArgs.length > 0) {
    const w = parsed.typeArgs[0]!;
    if (matches(w, 'help')) throw new IpExit(255, usageLink());
    fail1(`Garbage instead of arguments "${w} ...". Try "ip link help".`);
  }
  try {
    rtnlNewLink(targetNs, newReq, ctx.ns);
  } catch (e) {
    if (e instanceof KernelError) throw rtnlAnswer(e);
    throw e;
  }
  return 0;
}
