// net/ipv4/fib_frontend.c: fib_validate_source(), the reverse lookup behind rp_filter and the martian-source
// checks of the input path (route.c calls it for every routed arrival; ipmr's input for multicast too).
// Facts: shared/kernel/policy-routing.md §7.

import { Errno } from '../net/errno.js';
import { IFF_LOOPBACK } from '../net/if-flags.js';
import type { NetDevice } from '../net/netdevice.js';
import { formatIpv4, type Ipv4Addr } from '../wire/inet.js';
import { RT_SCOPE_LINK, RT_SCOPE_UNIVERSE } from './devinet.js';
import type { Flowi4 } from './fib-types.js';
import { LOOPBACK_IFINDEX } from './fib_rules.js';
import { FIB_LOOKUP_IGNORE_LINKSTATE } from './fib_trie.js';
import type { Ipv4Netns } from './ipv4-netns.js';
import { fibLookupErr } from './route.js';

/** EXDEV (errno 18): what __fib_validate_source returns for an rp_filter failure. */
export const EXDEV = 18;

/** IN_DEV_RPFILTER: max(conf/all, conf/DEV). */
function rpFilter(v4: Ipv4Netns, dev: NetDevice): number {
  return Math.max(v4.devconfAll.values.rp_filter, dev.inDev?.conf.values.rp_filter ?? 0);
}

export function devconf(v4: Ipv4Netns, dev: NetDevice, key: 'accept_local' | 'src_valid_mark' | 'send_redirects' | 'forwarding' | 'route_localnet'): boolean {
  const own = dev.inDev?.conf.values[key] ?? 0;
  // accept_local/src_valid_mark/route_localnet: all || dev; send_redirects: all || dev; forwarding: dev only.
  if (key === 'forwarding') return own !== 0;
  return own !== 0 || v4.devconfAll.values[key] !== 0;
}

/**
 * fib_validate_source() + __fib_validate_source(): the reverse lookup rp_filter uses. Returns < 0 to
 * reject (EINVAL, or EXDEV for an rp_filter failure), else 0/1 (1: the source is on link).
 * The reverse flow's iif is the *egress* device of the forward route (lo for local delivery).
 */
export function fibValidateSource(v4: Ipv4Netns, src: Ipv4Addr, dst: Ipv4Addr, tos: number, oif: number, dev: NetDevice, mark: number, keys: { proto: number; sport: number; dport: number }): number {
  const rpf = rpFilter(v4, dev);
  const ns = v4.ns;
  const base = { src: formatIpv4(src), dst: formatIpv4(dst), dev: dev.name, oif, rp_filter: rpf };
  if (!rpf && (dev.ifindex !== oif || !devconf(v4, dev, 'send_redirects'))) {
    if (devconf(v4, dev, 'accept_local')) {
      ns.emit('fib_validate_source', 'lookup', { ...base, decision: 'accept', reason: 'rp_filter off and accept_local' });
      return 0;
    }
    if (!v4.fibHasCustomLocalRoutes && !v4.fibHasCustomRules) {
      if (v4.isLocalAddress(src)) {
        ns.emit('fib_validate_source', 'lookup', { ...base, decision: 'reject', reason: 'rp_filter off: the source is one of our own addresses' });
        return -Errno.EINVAL;
      }
      ns.emit('fib_validate_source', 'lookup', { ...base, decision: 'accept', reason: 'rp_filter off: the source is not ours' });
      return 0;
    }
  }
  const ev = ns.emit('fib_validate_source', 'lookup', { ...base, reverse: { daddr: formatIpv4(src), saddr: formatIpv4(dst), iif: oif || LOOPBACK_IFINDEX } });
  return ns.sim.trace.within(ev, () => {
    const fl: Flowi4 = {
      daddr: src, saddr: dst, oif: 0, iif: oif || LOOPBACK_IFINDEX, tos, mark: devconf(v4, dev, 'src_valid_mark') ? mark : 0,
      proto: keys.proto, sport: keys.dport, dport: keys.sport, uid: 0, scope: RT_SCOPE_UNIVERSE,
    };
    const noAddr = (dev.inDev?.ifaList.length ?? 0) === 0;
    const decide = (ret: number, reason: string): number => {
      ns.emit('fib_validate_source', 'lookup', { decision: ret < 0 ? 'reject' : 'accept', ret, reason });
      return ret;
    };
    const lastResort = (why: string): number => (rpf ? decide(-EXDEV, `${why}; rp_filter ${rpf} rejects`) : decide(0, `${why}; rp_filter off accepts`));
    const out = fibLookupErr(v4, fl);
    if (out.errno || !out.res) return lastResort(`no route back to the source (${Errno[out.errno]})`);
    const res = out.res;
    if (res.route.type !== 'unicast') {
      if (res.route.type !== 'local') return decide(-Errno.EINVAL, `the route back to the source is ${res.route.type}`);
      if (!devconf(v4, dev, 'accept_local')) return decide(-Errno.EINVAL, 'the source is a local address (accept_local off)');
    }
    const devMatch = res.route.nhs.some((nh) => nh.dev === dev) || (res.route.type === 'local' && dev.flags & IFF_LOOPBACK);
    if (devMatch) return decide((res.nh?.scope ?? 0) >= RT_SCOPE_LINK ? 1 : 0, `the route back to the source uses ${dev.name}`);
    if (noAddr) return lastResort(`${dev.name} has no address`);
    if (rpf === 1) return decide(-EXDEV, `strict rp_filter: the route back to the source leaves by ${res.nh?.dev?.name ?? '?'}, not ${dev.name}`);
    const again = fibLookupErr(v4, { ...fl, oif: dev.ifindex }, FIB_LOOKUP_IGNORE_LINKSTATE);
    const ret = again.errno === 0 && again.res?.route.type === 'unicast' && (again.res.nh?.scope ?? 0) >= RT_SCOPE_LINK ? 1 : 0;
    return decide(ret, rpf === 2 ? 'loose rp_filter: a route back exists' : 'rp_filter off (full check): a route back exists');
  });
}
