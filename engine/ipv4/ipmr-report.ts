// net/ipv4/ipmr.c: ipmr_cache_report() — the igmpmsg upcall queued on the table's mroute socket.

import { Errno } from '../net/errno.js';
import { formatIpv4 } from '../wire/inet.js';
import { igmpmsgTypeName, ipmrUpcallBytes, IGMPMSG_WHOLEPKT } from '../wire/igmpmsg.js';
import { ipv4Dst, ipv4Src } from '../wire/ipv4-fields.js';
import type { IpmrNet } from './ipmr-table.js';
import type { MrTable } from './ipmr-types.js';

/** Returns 0, or the errno the kernel returns (EINVAL without a daemon, ENOMEM when the receive buffer is full). */
export function ipmrCacheReport(net: IpmrNet, mrt: MrTable, pkt: Uint8Array, pktId: number | null, vifi: number, msgtype: number): Errno | 0 {
  const ns = net.ns;
  // WHOLEPKT carries the register VIF's index, the others the VIF they name.
  const vif = msgtype === IGMPMSG_WHOLEPKT ? mrt.regVifNum & 0xffff : vifi;
  const data = { table: mrt.id, msgtype: igmpmsgTypeName(msgtype), vif, src: formatIpv4(ipv4Src(pkt)), dst: formatIpv4(ipv4Dst(pkt)) };
  const sk = mrt.mrouteSk;
  if (!sk) {
    ns.emit('ipmr_cache_report', 'drop', { ...data, reason: 'no mroute socket', errno: 'EINVAL' }, pktId);
    return Errno.EINVAL;
  }
  const bytes = ipmrUpcallBytes(msgtype, vif, pkt);
  const ev = ns.emit('ipmr_cache_report', 'upcall', { ...data, len: bytes.length }, pktId);
  const ok = ns.sim.trace.within(ev, () => sk.queueUpcall(bytes, pktId));
  if (!ok) {
    ns.emit('ipmr_cache_report', 'drop', { ...data, reason: 'mroute: pending queue full, dropping entries', errno: 'ENOMEM' }, pktId);
    return Errno.ENOMEM;
  }
  return 0;
}
