// Multicast state of a node: ipmr (VIFs with counters, MFC, the unresolved queue with its queued
// packets and expiry) and IGMP host state per interface (groups, filter mode, sources, timers).
// Nothing here creates state that does not exist yet: ipmr only if something initialised it, IGMP
// interface state only for devices that have been up (ip_mc_up created it then).

import { igmpDev } from '../ipv4/igmp.js';
import { MCAST_INCLUDE } from '../ipv4/igmp-types.js';
import { mfcDumpOrder } from '../ipv4/ipmr-mfc.js';
import { ipmrNetIfAny } from '../ipv4/ipmr-table.js';
import type { MrTable } from '../ipv4/ipmr-types.js';
import type { Netns } from '../net/netns.js';
import type { KernelTimer } from '../sim/timer.js';
import { formatIpv4 } from '../wire/inet.js';
import type { IgmpDevState, IpmrState, MrTableState } from './node-state.js';

function timerExpiry(t: KernelTimer | null | undefined): number | null {
  return t?.pending ? t.expires : null;
}

function table(mrt: MrTable, order: MrTableState['mfc']): MrTableState {
  const vifs: MrTableState['vifs'] = [];
  for (let i = 0; i < mrt.maxvif; i++) {
    const v = mrt.vifTable[i];
    if (!v) continue;
    vifs.push({ vifi: i, dev: v.dev.name, flags: v.flags, threshold: v.threshold, local: v.local, remote: formatIpv4(v.remote), bytesIn: v.bytesIn, pktIn: v.pktIn, bytesOut: v.bytesOut, pktOut: v.pktOut });
  }
  return {
    id: mrt.id,
    mrouteSocket: mrt.mrouteSk !== null,
    vifs,
    mfc: order,
    unres: mrt.unres.map((u) => ({
      origin: formatIpv4(u.origin),
      group: formatIpv4(u.mcastgrp),
      expires: u.expires,
      queued: u.queue.length,
      pkts: u.queue.map((q) => q.skb.pkt ?? null),
    })),
    expireTimer: timerExpiry(mrt.expireTimer),
    assert: mrt.doAssert,
    pim: mrt.doPim,
  };
}

export function captureIpmr(ns: Netns): IpmrState | null {
  const net = ipmrNetIfAny(ns);
  if (!net) return null;
  const ids = [...net.tables.keys()].sort((a, b) => a - b);
  return {
    tables: ids.map((id) => {
      const mrt = net.tables.get(id)!;
      const mfc = mfcDumpOrder(net, mrt).map((c) => {
        const oifs: [number, number][] = [];
        for (let n = c.minvif; n < c.maxvif; n++) if (c.ttls[n]! > 0 && c.ttls[n]! < 255) oifs.push([n, c.ttls[n]!]);
        return { origin: formatIpv4(c.origin), group: formatIpv4(c.mcastgrp), iif: c.parent, oifs, pkt: c.pkt, bytes: c.bytes, wrongIf: c.wrongIf, lastuse: c.lastuse };
      });
      return table(mrt, mfc);
    }),
    rules: net.rules.map((r) => ({ pref: r.pref, action: r.action, table: r.table, iif: r.iif, oif: r.oif })),
  };
}

export function captureIgmp(ns: Netns): IgmpDevState[] {
  const out: IgmpDevState[] = [];
  for (const d of ns.deviceList()) {
    const inDev = d.inDev;
    if (!inDev || !d.everUp) continue;
    const st = igmpDev(inDev);
    // mc_list order is newest first, as /proc/net/igmp lists it.
    const groups = [...inDev.mcList.values()].reverse().map((im) => ({
      group: formatIpv4(im.multiaddr),
      users: im.users,
      mode: im.sfmode === MCAST_INCLUDE ? 'include' : 'exclude',
      sfcount: [im.sfcount[0], im.sfcount[1]] as [number, number],
      sources: im.sources.map((s) => ({ addr: formatIpv4(s.inaddr), include: s.sfCount[1], exclude: s.sfCount[0] })),
      timer: im.tmRunning ? timerExpiry(im.timer) : null,
      reporter: im.reporter,
      unsolicitCount: im.unsolicitCount,
    }));
    out.push({
      dev: d.name,
      v1Seen: st.v1Seen,
      v2Seen: st.v2Seen,
      qi: st.qi,
      qri: st.qri,
      qrv: st.qrv,
      gqTimer: timerExpiry(st.gqTimer),
      ifcTimer: timerExpiry(st.ifcTimer),
      ifcCount: st.ifcCount,
      groups,
    });
  }
  return out;
}
