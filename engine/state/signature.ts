// Cheap change detection: each part's signature is the flat list of the raw values its capture reads
// (numbers, strings, object identities), written into a reused array. A recorder compares it with the
// previous one and captures (and stringifies, and diffs) only the parts whose signature changed. A
// signature must read at least everything its part's capture reads: test/unit/replay/replay.test.ts
// compares replayed states with states captured in full at every event.

import { DEVCONF_NAMES, type DevconfName } from '../ipv4/devconf.js';
import { igmpDev } from '../ipv4/igmp.js';
import { mfcDumpOrder } from '../ipv4/ipmr-mfc.js';
import { ipmrNetIfAny } from '../ipv4/ipmr-table.js';
import type { NetDevice } from '../net/netdevice.js';
import type { Netns } from '../net/netns.js';
import type { KernelTimer } from '../sim/timer.js';
import type { PartName } from './node-state.js';

type Sig = unknown[];

function timer(out: Sig, t: KernelTimer | null | undefined): void {
  out.push(t?.pending ?? false, t?.expires ?? 0);
}

function links(ns: Netns, out: Sig, devs: readonly NetDevice[]): void {
  for (const d of devs) {
    out.push(d.ifindex, d.name, d.kind, d.flags, d.gflags, d.carrier, d.isUp, d.linkOperstate, d.mtu, d.allmulti, d.promiscuity, d.txqlen, d.group, d.everUp, d.carrierChanges, d.mc.size);
    for (const b of d.mac) out.push(b);
    for (const [mac, n] of d.mc) out.push(mac, n);
    out.push(d.peer?.ns.name ?? '', d.peer?.dev.name ?? '');
  }
}

function stats(ns: Netns, out: Sig, devs: readonly NetDevice[]): void {
  for (const d of devs) {
    out.push(d.name);
    const st = d.stats as unknown as Record<string, number>;
    for (const k in st) out.push(st[k]);
  }
}

function addrs(ns: Netns, out: Sig, devs: readonly NetDevice[]): void {
  for (const d of devs) {
    out.push(d.name);
    for (const ifa of d.inDev?.ifaList ?? []) out.push(ifa.local, ifa.address, ifa.prefixlen, ifa.broadcast, ifa.scope, ifa.label, ifa.flags);
  }
}

function conf(values: Record<DevconfName, number>, out: Sig): void {
  for (let i = 0; i < DEVCONF_NAMES.length; i++) out.push(values[DEVCONF_NAMES[i]!]);
}

function sysctl(ns: Netns, out: Sig, devs: readonly NetDevice[]): void {
  const v4 = ns.ipv4;
  conf(v4.devconfAll.values, out);
  conf(v4.devconfDefault.values, out);
  for (const d of devs) {
    out.push(d.name);
    if (d.inDev) conf(d.inDev.conf.values, out);
  }
  const sys = v4.sysctl as unknown as Record<string, number>;
  for (const k in sys) out.push(sys[k]);
}

function fib(ns: Netns, out: Sig, _devs: readonly NetDevice[]): void {
  const v4 = ns.ipv4;
  for (const [id, t] of v4.tables) {
    out.push(id);
    for (const r of t.routes) {
      out.push(r, r.dst, r.plen, r.type, r.tos, r.protocol, r.scope, r.priority, r.prefsrc, r.nhs.length);
      for (const nh of r.nhs) out.push(nh.gw, nh.dev?.name ?? '', nh.weight, nh.flags);
    }
  }
  for (const r of v4.fibRules) for (const v of Object.values(r)) out.push(v);
}

function ipmr(ns: Netns, out: Sig, _devs: readonly NetDevice[]): void {
  const net = ipmrNetIfAny(ns);
  if (!net) return;
  for (const [id, mrt] of net.tables) {
    out.push(id, mrt.mrouteSk, mrt.maxvif, mrt.doAssert, mrt.doPim);
    timer(out, mrt.expireTimer);
    for (let i = 0; i < mrt.maxvif; i++) {
      const v = mrt.vifTable[i];
      if (v) out.push(i, v.dev.name, v.flags, v.threshold, v.local, v.remote, v.bytesIn, v.pktIn, v.bytesOut, v.pktOut);
    }
    for (const c of mfcDumpOrder(net, mrt)) {
      out.push(c, c.origin, c.mcastgrp, c.parent, c.minvif, c.maxvif, c.pkt, c.bytes, c.wrongIf, c.lastuse);
      for (let n = c.minvif; n < c.maxvif; n++) out.push(c.ttls[n]);
    }
    for (const u of mrt.unres) {
      out.push(u, u.origin, u.mcastgrp, u.expires, u.queue.length);
      for (const q of u.queue) out.push(q.skb.pkt);
    }
  }
  for (const r of net.rules) out.push(r.pref, r.action, r.table, r.iif, r.oif);
}

function igmp(ns: Netns, out: Sig, devs: readonly NetDevice[]): void {
  for (const d of devs) {
    const inDev = d.inDev;
    if (!inDev || !d.everUp) continue;
    const st = igmpDev(inDev);
    out.push(d.name, st.v1Seen, st.v2Seen, st.qi, st.qri, st.qrv, st.ifcCount);
    timer(out, st.gqTimer);
    timer(out, st.ifcTimer);
    for (const im of inDev.mcList.values()) {
      out.push(im, im.multiaddr, im.users, im.sfmode, im.sfcount[0], im.sfcount[1], im.tmRunning, im.reporter, im.unsolicitCount, im.sources.length);
      timer(out, im.timer);
      for (const s of im.sources) out.push(s.inaddr, s.sfCount[0], s.sfCount[1]);
    }
  }
}

function sockets(ns: Netns, out: Sig, _devs: readonly NetDevice[]): void {
  for (const s of ns.ipv4.udp.sockets) {
    out.push(s, s.localAddr, s.localPort, s.queue.length, s.mcList.length);
    for (const m of s.mcList) out.push(m.group, m.ifindex, m.sfmode, m.sflist?.length ?? -1, ...(m.sflist ?? []));
  }
  const net = ipmrNetIfAny(ns);
  for (const mrt of net?.tables.values() ?? []) {
    const sk = mrt.mrouteSk as unknown as { queue?: unknown[]; mcList?: { group: number; ifindex: number; sfmode: number; sflist: number[] | null }[] } | null;
    if (!sk) continue;
    out.push(mrt.id, sk, sk.queue?.length ?? 0, sk.mcList?.length ?? 0);
    for (const m of sk.mcList ?? []) out.push(m.group, m.ifindex, m.sfmode, m.sflist?.length ?? -1, ...(m.sflist ?? []));
  }
}

export const SIGNERS: { [P in PartName]: (ns: Netns, out: Sig, devs: readonly NetDevice[]) => void } = { links, stats, addrs, sysctl, fib, ipmr, igmp, sockets };

/** Fills `out` (emptied first) with the part's signature; `devs` is ns.deviceList(), read once per node. */
export function signPart(ns: Netns, part: PartName, out: Sig, devs: readonly NetDevice[] = ns.deviceList()): Sig {
  out.length = 0;
  SIGNERS[part](ns, out, devs);
  return out;
}

/** True if two signatures hold the same values. */
export function sameSignature(a: Sig, b: Sig): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
