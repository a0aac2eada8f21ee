// /proc/net/ip_mr_vif and /proc/net/ip_mr_cache (ipmr_vif_seq_show, ipmr_mfc_seq_show): table 253
// only, addresses as the raw __be32 printed with %08X on a little-endian host.

import { registerProcFile } from '../iproute2/procfs.js';
import type { Netns } from '../net/netns.js';
import { RT_TABLE_DEFAULT } from './fib-types.js';
import { mfcDumpOrder } from './ipmr-mfc.js';
import { ipmrGetTable, ipmrNet } from './ipmr-table.js';

function hex8(n: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** A network-order address as %08X prints its in-memory word on little-endian. */
function leAddr(a: number): string {
  const sw = ((a & 0xff) << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | ((a >>> 24) & 0xff);
  return hex8(sw);
}

function rpad(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}
function lpad(s: string | number, w: number): string {
  return String(s).padStart(w, ' ');
}

export function ipMrVif(ns: Netns): string {
  const mrt = ipmrGetTable(ipmrNet(ns), RT_TABLE_DEFAULT)!;
  ns.emit('ipmr_vif_seq_show', 'call', { table: mrt.id, maxvif: mrt.maxvif });
  let out = 'Interface      BytesIn  PktsIn  BytesOut PktsOut Flags Local    Remote\n';
  for (let i = 0; i < mrt.maxvif; i++) {
    const v = mrt.vifTable[i];
    if (!v) continue;
    // "%2td %-10s %8ld %7ld  %8ld %7ld %05X %08X %08X\n"; `local` of an ifindex VIF is the int itself.
    const local = v.flags & 0x8 ? hex8(v.local) : leAddr(v.local);
    out += `${lpad(i, 2)} ${rpad(v.dev.name, 10)} ${lpad(v.bytesIn, 8)} ${lpad(v.pktIn, 7)}  ${lpad(v.bytesOut, 8)} ${lpad(v.pktOut, 7)} ${v.flags.toString(16).toUpperCase().padStart(5, '0')} ${local} ${leAddr(v.remote)}\n`;
  }
  return out;
}

export function ipMrCache(ns: Netns): string {
  const net = ipmrNet(ns);
  const mrt = ipmrGetTable(net, RT_TABLE_DEFAULT)!;
  ns.emit('ipmr_mfc_seq_show', 'call', { table: mrt.id, resolved: mrt.mfcList.length, unresolved: mrt.unres.length });
  let out = 'Group    Origin   Iif     Pkts    Bytes    Wrong Oifs\n';
  for (const c of mfcDumpOrder(net, mrt)) {
    out += `${leAddr(c.mcastgrp)} ${leAddr(c.origin)} ${rpad(String(c.parent), 3)} ${lpad(c.pkt, 8)} ${lpad(c.bytes, 8)} ${lpad(c.wrongIf, 8)}`;
    for (let n = c.minvif; n < c.maxvif; n++) {
      if (mrt.vifTable[n] && c.ttls[n]! < 255) out += ` ${lpad(n, 2)}:${rpad(String(c.ttls[n]), 3)}`;
    }
    out += '\n';
  }
  // Unresolved entries (newest first): parent -1 as a signed short, no counters, no oifs.
  for (const u of mrt.unres) out += `${leAddr(u.mcastgrp)} ${leAddr(u.origin)} -1  ${lpad(0, 8)} ${lpad(0, 8)} ${lpad(0, 8)}\n`;
  return out;
}

registerProcFile('/proc/net/ip_mr_vif', ipMrVif);
registerProcFile('/proc/net/ip_mr_cache', ipMrCache);
