// `ip address` (iproute2 6.1 do_ipaddr / ipaddr_modify): add, change, replace, delete, show, flush.

import { IFA_F_HOMEADDRESS, IFA_F_MANAGETEMPADDR, IFA_F_MCAUTOJOIN, IFA_F_NODAD, IFA_F_NOPREFIXROUTE, RT_SCOPE_HOST } from '../ipv4/devinet.js';
import { Errno, KernelError } from '../net/errno.js';
import { isMulticast } from '../wire/inet.js';
import { llNameToIndex, type IpCtx } from './ip-context.js';
import { duparg, duparg2, fail1, fail255, invarg, IpExit, rtnlAnswer } from './ip-errors.js';
import { ipaddrListFlushOrSave } from './ip-address-list.js';
import { rtScopeA2n } from './ip-names.js';
import type { Family } from './ip-options.js';
import { getAddr, getPrefix, getU32, type InetPrefix } from './ip-parse.js';
import { inetRtmDeladdr, inetRtmNewaddr, type AddrReq } from './ip-rtnl-addr.js';
import { usageAddress } from './ip-usage.js';
import { Args, matches } from './ip-utils.js';

export function doIpaddr(ctx: IpCtx, argv: readonly string[]): number {
  if (argv.length < 1) return ipaddrListFlushOrSave(ctx, [], 'list', false);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'add')) return ipaddrModify(ctx, 'new', { excl: true, replace: false }, rest);
  if (matches(cmd, 'change') || cmd === 'chg') return ipaddrModify(ctx, 'new', { excl: false, replace: true }, rest);
  if (matches(cmd, 'replace')) return ipaddrModify(ctx, 'new', { excl: false, replace: true }, rest);
  if (matches(cmd, 'delete')) return ipaddrModify(ctx, 'del', { excl: false, replace: false }, rest);
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return ipaddrListFlushOrSave(ctx, rest, 'list', false);
  if (matches(cmd, 'flush')) return ipaddrListFlushOrSave(ctx, rest, 'flush', false);
  if (matches(cmd, 'save') || matches(cmd, 'showdump') || matches(cmd, 'restore')) fail1(`"ip address ${cmd}" is not available in the workbench.`);
  if (matches(cmd, 'help')) throw new IpExit(255, usageAddress());
  fail255(`Command "${cmd}" is unknown, try "ip address help".`);
}

/** default_scope(): 127/8 addresses are host scope unless a scope is given. */
function defaultScope(lcl: InetPrefix | null): number {
  return lcl && lcl.family === 'inet' && lcl.addr >>> 24 === 127 ? RT_SCOPE_HOST : 0;
}

/** ipaddr_modify(): parse, complete the request as iproute2 does, hand it to the kernel. */
function ipaddrModify(ctx: IpCtx, cmd: 'new' | 'del', nlm: { excl: boolean; replace: boolean }, argv: readonly string[]): number {
  let family: Family = ctx.opts.family;
  const req: AddrReq = { prefixlen: 0, flags: 0, scope: 0 };
  let dev: string | null = null;
  let lcl: InetPrefix | null = null;
  let lclArg = '';
  let peer: InetPrefix | null = null;
  let brdMode: 'none' | 'addr' | '+' | '-' = 'none';
  let scoped = false;
  let flags = 0;
  const a = new Args(argv);
  for (; a.more; a.advance()) {
    const w = a.cur;
    if (w === 'peer' || w === 'remote') {
      const v = a.next();
      if (peer) duparg('peer', v);
      peer = getPrefix(v, family);
      if (family === 'unspec') family = peer.family;
      req.address = peer.addr;
      req.prefixlen = peer.bitlen;
    } else if (matches(w, 'broadcast') || w === 'brd') {
      const v = a.next();
      if (brdMode !== 'none') duparg('broadcast', v);
      if (v === '+') brdMode = '+';
      else if (v === '-') brdMode = '-';
      else {
        const b = getAddr(v, family);
        if (family === 'unspec') family = b.family;
        req.broadcast = b.addr;
        brdMode = 'addr';
      }
    } else if (w === 'anycast') {
      const v = a.next();
      const any = getAddr(v, family);
      if (family === 'unspec') family = any.family;
    } else if (w === 'scope') {
      const v = a.next();
      const scope = rtScopeA2n(v);
      if (scope === null) invarg('invalid scope value.', v);
      req.scope = scope;
      scoped = true;
    } else if (w === 'dev') dev = a.next();
    else if (w === 'label') req.label = a.next();
    else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) {
      const v = a.next();
      const m = getU32(v);
      if (m === null) invarg('"metric" value is invalid\n', v);
      req.metric = m;
    } else if (matches(w, 'valid_lft') || matches(w, 'preferred_lft')) {
      const v = a.next();
      if (v !== 'forever') fail1(`"ip address ... ${w} ${v}": finite lifetimes are not modelled by the workbench.`);
    } else if (w === 'home' || w === 'nodad' || w === 'mngtmpaddr') {
      // IPv6-only flags: dropped with a warning for any other family.
      if (family === 'inet6') flags |= w === 'home' ? IFA_F_HOMEADDRESS : w === 'nodad' ? IFA_F_NODAD : IFA_F_MANAGETEMPADDR;
      else ctx.stderr += `Warning: ${w} option can be set only for IPv6 addresses\n`;
    } else if (w === 'noprefixroute') flags |= IFA_F_NOPREFIXROUTE;
    else if (w === 'autojoin') flags |= IFA_F_MCAUTOJOIN;
    else {
      let v = w;
      if (w === 'local') v = a.next();
      if (matches(v, 'help')) throw new IpExit(255, usageAddress());
      if (lcl) duparg2('local', v);
      lclArg = v;
      lcl = getPrefix(v, family);
      if (family === 'unspec') family = lcl.family;
      req.local = lcl.addr;
    }
  }
  req.flags = flags;
  if (dev === null) fail1('Not enough information: "dev" argument is required.');

  if (!peer && lcl) {
    if (cmd === 'del' && lcl.family === 'inet' && !lcl.lenGiven) {
      ctx.stderr +=
        'Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
        `         Explicitly specify the prefix length (${lclArg}/32) to avoid this warning.\n` +
        '         This special behaviour is likely to disappear in further releases,\n' +
        '         fix your scripts!\n';
    } else {
      peer = lcl;
      req.address = lcl.addr;
    }
  }
  if (req.prefixlen === 0) req.prefixlen = lcl ? lcl.bitlen : 0;

  if ((brdMode === '+' || brdMode === '-') && cmd !== 'del') {
    if (family !== 'inet') fail1('Broadcast can be set only for IPv4 addresses');
    // The host bits of the peer (= the local address) all set, or all cleared; only up to /30.
    if (peer && peer.bitlen <= 30) {
      const host = peer.bitlen === 0 ? 0xffffffff : (1 << (32 - peer.bitlen)) - 1;
      req.broadcast = brdMode === '+' ? (peer.addr | host) >>> 0 : (peer.addr & ~host) >>> 0;
    }
  }
  if (!scoped && cmd !== 'del') req.scope = defaultScope(lcl);

  const ifindex = llNameToIndex(ctx.ns, dev);
  const device = ctx.ns.devByIndex(ifindex);
  if (!ifindex) fail1(`Cannot find device "${dev}"`);
  if (flags & IFA_F_MCAUTOJOIN && !(lcl && lcl.family === 'inet' && isMulticast(lcl.addr))) fail1('autojoin needs multicast address');
  if (family === 'inet6') throw rtnlAnswer(new KernelError(Errno.EPERM, 'ipv6: IPv6 is disabled on this device'));
  try {
    if (!device) throw new KernelError(Errno.ENODEV, 'ipv4: Device not found');
    if (cmd === 'new') inetRtmNewaddr(device, req, nlm);
    else inetRtmDeladdr(device, req);
  } catch (e) {
    if (e instanceof KernelError) throw rtnlAnswer(e);
    throw e;
  }
  return 0;
}
