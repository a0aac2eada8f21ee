// net/ipv4/ipmr.c, pim_rcv() / __pim_rcv(): a PIMv2 Register arriving at the router (the RP side of
// PIM-SM). The encapsulated multicast datagram is taken out and received again on the register VIF's
// pimreg device (skb_tunnel_rx counts it there), so ip_mr_input sees it arrive on that VIF.
// Raw PIM sockets (a pimd) have already had their copy from raw_local_deliver.

import { Errno, KernelError } from '../net/errno.js';
import { internetChecksum } from '../wire/checksum.js';
import { formatIpv4, isMulticast } from '../wire/inet.js';
import type { InputSkb, IpInfo } from './ip_input.js';
import { ipmrFibLookup, type IpmrNet } from './ipmr-table.js';

export const IPPROTO_PIM = 103;
/** (PIM_VERSION << 4) | PIM_TYPE_REGISTER */
const PIM_REGISTER = 0x21;
/** struct pimreghdr: type, reserved, checksum, flags. */
const PIMREG_LEN = 8;

function drop(net: IpmrNet, skb: InputSkb, reason: string): void {
  net.ns.emit('pim_rcv', 'drop', { reason }, skb.pkt);
}

export function pimRcv(net: IpmrNet, skb: InputSkb, info: IpInfo): void {
  const ns = net.ns;
  const pim = skb.bytes.subarray(info.headerLength, info.totalLength);
  const ev = ns.emit('pim_rcv', 'call', { dev: skb.dev.name, src: formatIpv4(info.src), len: pim.length }, skb.pkt);
  ns.sim.trace.within(ev, () => {
    // pskb_may_pull(pimreghdr + iphdr)
    if (pim.length < PIMREG_LEN + 20) return drop(net, skb, 'shorter than a register header and an IP header');
    if (pim[0] !== PIM_REGISTER) return drop(net, skb, 'not a PIMv2 Register');
    if (pim[4]! & 0x40) return drop(net, skb, 'Null-Register');
    // The checksum covers the header (RFC 7761) or, from older senders, the whole message.
    if (internetChecksum(pim, 0, PIMREG_LEN) !== 0 && internetChecksum(pim) !== 0) return drop(net, skb, 'bad checksum');
    let mrt;
    try {
      mrt = ipmrFibLookup(net, { daddr: info.dst, saddr: info.src, iif: skb.dev.ifindex, oif: 0, mark: skb.mark });
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      return drop(net, skb, `ipmr_rt_fib_lookup: ${Errno[e.errno]}`);
    }
    // __pim_rcv()
    const inner = pim.subarray(PIMREG_LEN);
    const innerDst = ((inner[16]! << 24) | (inner[17]! << 16) | (inner[18]! << 8) | inner[19]!) >>> 0;
    const totLen = (inner[2]! << 8) | inner[3]!;
    if (!isMulticast(innerDst) || totLen === 0 || totLen + PIMREG_LEN > pim.length) return drop(net, skb, 'inner packet not multicast, empty or truncated');
    const reg = mrt.regVifNum >= 0 ? mrt.vifTable[mrt.regVifNum] : null;
    if (!reg) return drop(net, skb, 'no register VIF');
    const dev = reg.dev;
    const bytes = inner.slice();
    // skb_tunnel_rx(): counted as received on pimreg (the whole inner skb).
    dev.stats.rx_packets++;
    dev.stats.rx_bytes += bytes.length;
    const pkt = ns.sim.trace.packet(ns.name, dev.name, bytes, skb.pkt);
    const rx = ns.emit('__pim_rcv', 'deliver', { table: mrt.id, vif: mrt.regVifNum, dev: dev.name, dst: formatIpv4(innerDst), len: bytes.length }, pkt);
    // netif_rx() on the register device; skb_scrub_packet() made it PACKET_HOST.
    ns.sim.trace.within(rx, () => ns.ipv4.ipRcv({ pkt, bytes, dev, pktType: 'HOST', mark: 0 }));
  });
}
