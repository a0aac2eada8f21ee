// net/ipv4/ipmr.c, the data path: ip_mr_input() (table, Router Alert/IGMP interception, MFC lookup,
// unresolved queue, local delivery), ip_mr_forward() (counters, RPF check, asserts, the oif scan)
// and ipmr_queue_xmit() (route, DF/MTU, TTL decrement, ip_mc_output).

import { ipForwardOptions } from './ip_options_rcv.js';
import type { RcvOptions } from './ip_options.js';
import { Errno, KernelError } from '../net/errno.js';
import { formatIpv4 } from '../wire/inet.js';
import { IGMPMSG_WHOLEPKT, IGMPMSG_WRONGVIF, IGMPMSG_WRVIFWHOLE } from '../wire/igmpmsg.js';
import { IPOPT_END, IPOPT_NOOP, IPOPT_RA } from '../wire/ipv4-options.js';
import { decrementTtl } from '../wire/ipv4-fields.js';
import { IP_DF, IPPROTO_IGMP } from '../wire/ipv4.js';
import { ipCallRaChain } from '../socket/raw.js';
import { NSEC_PER_SEC } from '../sim/time.js';
import { flow } from './fib-types.js';
import { ipCheckMc } from './igmp.js';
import { ipLocalDeliver, type InputSkb, type IpInfo } from './ip_input.js';
import { ipMcOutput } from './ip_output.js';
import { ipmrCacheFind, ipmrCacheFindAny, ipmrCacheUnresolved, mrMfcFindAnyParent } from './ipmr-mfc.js';
import { ipmrCacheReport } from './ipmr-report.js';
import { ipmrFibLookup, type IpmrNet } from './ipmr-table.js';
import { MFC_ASSERT_THRESH_S, VIFF_REGISTER, VIFF_TUNNEL, type MfcCache, type MrTable } from './ipmr-types.js';
import { ipmrFindVif } from './ipmr-vif.js';
import { ipRouteOutput, type Rtable } from './route.js';

/** IPCB(skb)->opt.router_alert: does the header carry a Router Alert option? */
function hasRouterAlert(bytes: Uint8Array, headerLength: number): boolean {
  let i = 20;
  while (i < headerLength) {
    const t = bytes[i]!;
    if (t === IPOPT_END) return false;
    if (t === IPOPT_NOOP) {
      i++;
      continue;
    }
    if (t === IPOPT_RA) return true;
    const len = bytes[i + 1] ?? 0;
    if (len < 2) return false;
    i += len;
  }
  return false;
}

/**
 * A looped-back copy (ip_mc_output → dev_loopback_xmit) still carries its output route: a locally sent
 * datagram, or one of ipmr's own forwarded copies for a member on the output interface. ip_rcv_core
 * clears IPCB, so IPSKB_FORWARDED does not survive the loop: such a copy is looked up and counted
 * in the MFC again, then dropped quietly by the RPF check (observed: Pkts +2 per datagram).
 */
function isOutputRoute(skb: InputSkb): boolean {
  return skb.pktType === 'LOOPBACK';
}

/** ip_mr_input(): `rt` is the input route (RTCF_LOCAL when the arrival interface joined the group). */
export function ipMrInput(net: IpmrNet, skb: InputSkb, info: IpInfo, rt: Rtable): void {
  const ns = net.ns;
  const v4 = ns.ipv4;
  const local = ipCheckMc(skb.dev.inDev, info.dst, info.src, info.protocol);
  const ev = ns.emit('ip_mr_input', 'call', { dev: skb.dev.name, src: formatIpv4(info.src), dst: formatIpv4(info.dst), ttl: info.ttl, local }, skb.pkt);
  ns.sim.trace.within(ev, () => {
    const out = isOutputRoute(skb);
    let mrt: MrTable;
    try {
      mrt = ipmrFibLookup(net, { daddr: info.dst, saddr: info.src, iif: out ? 1 : skb.dev.ifindex, oif: out ? skb.dev.ifindex : 0, mark: skb.mark });
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      ns.emit('ip_mr_input', 'drop', { reason: 'ipmr_rt_fib_lookup failed', errno: Errno[e.errno] }, skb.pkt);
      return;
    }
    if (!local) {
      if (hasRouterAlert(skb.bytes, info.headerLength)) {
        if (ipCallRaChain(ns, skb, info)) return;
      } else if (info.protocol === IPPROTO_IGMP && mrt.mrouteSk) {
        // IGMP to a routable group without Router Alert goes to the daemon and is not forwarded.
        ns.emit('ip_mr_input', 'call', { decision: 'raw_rcv', reason: 'IGMP to a routable group: given to the mroute socket, not forwarded' }, skb.pkt);
        mrt.mrouteSk.rawRcv(skb, info);
        return;
      }
    }
    let cache = ipmrCacheFind(net, mrt, info.src, info.dst);
    if (!cache) {
      const vif = ipmrFindVif(mrt, skb.dev);
      if (vif >= 0) cache = ipmrCacheFindAny(net, mrt, info.dst, vif);
    }
    if (!cache) {
      if (local) ipLocalDeliver(v4, skb, info, rt);
      const vif = ipmrFindVif(mrt, skb.dev);
      if (vif >= 0) ipmrCacheUnresolved(net, mrt, vif, skb, info);
      else ns.emit('ip_mr_input', 'drop', { reason: 'arrival device is not a VIF', errno: 'ENODEV' }, skb.pkt);
      return;
    }
    ipMrForward(net, mrt, skb, info, cache, local);
    if (local) ipLocalDeliver(v4, skb, info, rt);
  });
}

/** ip_mr_forward() */
export function ipMrForward(net: IpmrNet, mrt: MrTable, skb: InputSkb, info: IpInfo, c: MfcCache, _local: boolean): void {
  // `local` only decides in the kernel whether the last copy is the original or a clone.
  const ns = net.ns;
  const now = ns.sim.now;
  const trueVifi = ipmrFindVif(mrt, skb.dev);
  const len = skb.bytes.length;
  // Counted before the RPF check: Pkts/Bytes include wrong-interface arrivals.
  c.pkt++;
  c.bytes += len;
  c.lastuse = now;
  const entry = `(${c.origin ? formatIpv4(c.origin) : '*'},${c.mcastgrp ? formatIpv4(c.mcastgrp) : '*'})`;
  const ev = ns.emit('ip_mr_forward', 'call', { table: mrt.id, entry, parent: c.parent, in_vif: trueVifi, dev: skb.dev.name, ttl: info.ttl }, skb.pkt);
  ns.sim.trace.within(ev, () => {
    let skipRpf = false;
    if (c.origin === 0 && trueVifi >= 0) {
      const proxy = mrMfcFindAnyParent(mrt, c.parent);
      if (proxy && proxy.ttls[trueVifi]! < 255) skipRpf = true;
    }
    if (!skipRpf && mrt.vifTable[c.parent]?.dev !== skb.dev) {
      if (isOutputRoute(skb)) {
        ns.emit('ip_mr_forward', 'drop', { reason: 'own packet looped back on a non-parent interface' }, skb.pkt);
        return;
      }
      c.wrongIf++;
      const assertOk = trueVifi >= 0 && mrt.doAssert && (mrt.doPim || c.ttls[trueVifi]! < 255);
      const rateOk = now > c.lastAssert + MFC_ASSERT_THRESH_S * NSEC_PER_SEC;
      ns.emit('ip_mr_forward', 'drop', {
        reason: `wrong interface: arrived on ${trueVifi >= 0 ? `vif ${trueVifi}` : skb.dev.name}, parent is vif ${c.parent}`,
        wrong_if: c.wrongIf,
        assert: !assertOk ? 'no (MRT_ASSERT off, unknown VIF, or arrival VIF not an output)' : rateOk ? 'yes' : 'rate limited (3 s)',
      }, skb.pkt);
      if (assertOk && rateOk) {
        c.lastAssert = now;
        ipmrCacheReport(net, mrt, skb.bytes, skb.pkt, trueVifi, IGMPMSG_WRONGVIF);
        if (mrt.doWrvifwhole) ipmrCacheReport(net, mrt, skb.bytes, skb.pkt, trueVifi, IGMPMSG_WRVIFWHOLE);
      }
      return;
    }
    const pv = mrt.vifTable[c.parent];
    if (pv) {
      pv.pktIn++;
      pv.bytesIn += len;
    }
    const ttl = info.ttl;
    const targets: number[] = [];
    if (c.origin === 0 && c.mcastgrp === 0) {
      // (*,*): only upstream, and only for packets that did not come from there.
      if (trueVifi >= 0 && trueVifi !== c.parent && ttl > c.ttls[c.parent]!) targets.push(c.parent);
    } else {
      for (let ct = c.maxvif - 1; ct >= c.minvif; ct--) {
        const t = c.ttls[ct]!;
        if (c.origin === 0 && ct === trueVifi) continue; // (*,G) never sends back out of the arrival VIF
        if (ttl > t) targets.push(ct);
        else if (t < 255) ns.emit('ip_mr_forward', 'lookup', { vif: ct, decision: 'skip', reason: `not forwarded on vif ${ct}: ttl ${ttl} ≤ threshold ${t}` }, skb.pkt);
      }
    }
    if (targets.length === 0) {
      ns.emit('ip_mr_forward', 'drop', { reason: 'no output VIF' }, skb.pkt);
      return;
    }
    // Clones leave in descending VIF order; the original goes last, on the lowest eligible VIF.
    for (const vifi of targets) ipmrQueueXmit(net, mrt, trueVifi, skb, vifi, info.opt);
  });
}

/** ipmr_queue_xmit(): one copy out of VIF `vifi`. */
export function ipmrQueueXmit(net: IpmrNet, mrt: MrTable, inVifi: number, skb: InputSkb, vifi: number, opt?: RcvOptions): void {
  const ns = net.ns;
  const v = mrt.vifTable[vifi];
  const len = skb.bytes.length;
  if (!v) {
    ns.emit('ipmr_queue_xmit', 'drop', { vif: vifi, reason: 'VIF slot empty' }, skb.pkt);
    return;
  }
  if (v.flags & VIFF_REGISTER) {
    v.pktOut++;
    v.bytesOut += len;
    // DEV_STATS on pimreg: what `ip -s link show pimreg` counts as sent.
    v.dev.stats.tx_bytes += len;
    v.dev.stats.tx_packets++;
    ipmrCacheReport(net, mrt, skb.bytes, skb.pkt, vifi, IGMPMSG_WHOLEPKT);
    return;
  }
  const dst = ((skb.bytes[16]! << 24) | (skb.bytes[17]! << 16) | (skb.bytes[18]! << 8) | skb.bytes[19]!) >>> 0;
  let rt: Rtable;
  try {
    rt = ipRouteOutput(ns.ipv4, flow({ daddr: v.flags & VIFF_TUNNEL ? v.remote : dst, oif: v.link, tos: skb.bytes[1]! }));
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    ns.emit('ipmr_queue_xmit', 'drop', { vif: vifi, dev: v.dev.name, reason: 'no output route', errno: Errno[e.errno] }, skb.pkt);
    return;
  }
  const df = ((skb.bytes[6]! << 8) | skb.bytes[7]!) & IP_DF;
  if (len > rt.dev.mtu && df) {
    ns.emit('ipmr_queue_xmit', 'drop', { vif: vifi, dev: rt.dev.name, reason: 'FRAGFAILS: larger than the MTU with DF set (no ICMP for multicast)', mtu: rt.dev.mtu, len }, skb.pkt);
    return;
  }
  v.pktOut++;
  v.bytesOut += len;
  const bytes = skb.bytes.slice();
  const ttl = decrementTtl(bytes);
  const pkt = ns.sim.trace.packet(ns.name, rt.dev.name, bytes, skb.pkt);
  const ev = ns.emit('ipmr_queue_xmit', 'tx', { vif: vifi, in_vif: inVifi, dev: rt.dev.name, ttl }, pkt);
  ns.sim.trace.within(ev, () => {
    ns.emit('ipmr_forward_finish', 'call', { dev: rt.dev.name }, pkt);
    // ipmr_forward_finish(): options on the copy as ip_forward does (each copy has its own IPCB).
    if (opt && opt.data.length > 0) ipForwardOptions(ns.ipv4, bytes, skb, rt, { ...opt }, true);
    // ip_mc_output loops a forwarded copy back only for members on the output interface (RTCF_LOCAL).
    const member = ipCheckMc(rt.dev.inDev, dst, 0, bytes[9]!);
    ipMcOutput(ns.ipv4, { pkt, bytes, dev: rt.dev, pktType: 'OUTGOING', mark: skb.mark }, rt, member);
  });
}
