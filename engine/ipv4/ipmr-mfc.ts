// net/ipv4/ipmr.c + ipmr_base.c: the multicast forwarding cache — lookups (ipmr_cache_find,
// ipmr_cache_find_any, mr_mfc_find_parent), MRT_ADD_MFC/MRT_DEL_MFC (ipmr_mfc_add, ipmr_mfc_delete),
// the unresolved queue (ipmr_cache_unresolved, ipmr_expire_process, ipmr_cache_resolve) and
// mroute_clean_tables().

import { Errno, KernelError } from '../net/errno.js';
import { processContext } from '../net/link-xmit.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC } from '../sim/time.js';
import { formatIpv4, isMulticast, type Ipv4Addr } from '../wire/inet.js';
import { IGMPMSG_NOCACHE } from '../wire/igmpmsg.js';
import type { InputSkb, IpInfo } from './ip_input.js';
import { ipMrForward } from './ipmr-forward.js';
import { ipmrCacheReport } from './ipmr-report.js';
import type { IpmrNet } from './ipmr-table.js';
import {
  MAXVIFS,
  MFC_ASSERT_THRESH_S,
  MFC_STATIC,
  MRT_FLUSH_MFC,
  MRT_FLUSH_MFC_STATIC,
  MRT_FLUSH_VIFS,
  MRT_FLUSH_VIFS_STATIC,
  UNRES_LIFETIME_S,
  UNRES_QLEN_MAX,
  VIFF_STATIC,
  type MfcCache,
  type MfcUnres,
  type Mfcctl,
  type MrTable,
} from './ipmr-types.js';
import { vifDelete } from './ipmr-vif.js';

/** HZ = 1000: one jiffy. */
const JIFFY = NSEC_PER_MSEC;

function sg(origin: Ipv4Addr, grp: Ipv4Addr): string {
  return `(${origin ? formatIpv4(origin) : '*'},${grp ? formatIpv4(grp) : '*'})`;
}

function hashKey(origin: Ipv4Addr, grp: Ipv4Addr): string {
  return `${origin}/${grp}`;
}

/** The rhltable chain of one (G,S) key: a duplicate key is inserted at the head, so the newest is found first. */
function* chain(mrt: MrTable, origin: Ipv4Addr, grp: Ipv4Addr): Generator<MfcCache> {
  const list = mrt.mfcHash.get(hashKey(origin, grp));
  if (!list) return;
  for (let i = list.length - 1; i >= 0; i--) yield list[i]!;
}

/** mr_mfc add: onto mfc_cache_list and into the hash (list_add_tail_rcu + rhltable_insert_key). */
function mfcLink(mrt: MrTable, c: MfcCache): void {
  mrt.mfcList.push(c);
  const k = hashKey(c.origin, c.mcastgrp);
  const list = mrt.mfcHash.get(k);
  if (list) list.push(c);
  else mrt.mfcHash.set(k, [c]);
}

/** list_del_rcu + rhltable_remove */
function mfcUnlink(mrt: MrTable, c: MfcCache): void {
  mrt.mfcList.splice(mrt.mfcList.indexOf(c), 1);
  const k = hashKey(c.origin, c.mcastgrp);
  const list = mrt.mfcHash.get(k);
  if (!list) return;
  list.splice(list.indexOf(c), 1);
  if (list.length === 0) mrt.mfcHash.delete(k);
}

/** The "book" profile reproduces the 3.x ipmr the chapter describes (mfc_cache_array, the 10-entry cap). */
export function isBook(net: IpmrNet): boolean {
  return net.ns.net.profile === 'book';
}

/** 3.x MFC_HASH(grp, origin): on the raw words, effectively (first octet of G ^ first octet of S >> 2) & 63. */
export function mfcHash(grp: Ipv4Addr, origin: Ipv4Addr): number {
  return ((grp >>> 24) ^ ((origin >>> 24) >> 2)) & 63;
}

/** MFC_LINES in 3.x. */
const MFC_LINES = 64;
/** 3.x ipmr_cache_unresolved(): at most 10 unresolved entries per table (removed in v5.4). */
const BOOK_UNRES_MAX = 10;

/**
 * The order /proc/net/ip_mr_cache and the netlink dump walk resolved entries: mfc_cache_list (insertion
 * order) now; in 3.x the 64 hash chains in line order, newest first within a chain (list_add at the head).
 */
export function mfcDumpOrder(net: IpmrNet, mrt: MrTable): MfcCache[] {
  if (!isBook(net)) return mrt.mfcList;
  const out: MfcCache[] = [];
  for (let line = 0; line < MFC_LINES; line++) {
    for (let i = mrt.mfcList.length - 1; i >= 0; i--) {
      const c = mrt.mfcList[i]!;
      if (mfcHash(c.mcastgrp, c.origin) === line) out.push(c);
    }
  }
  return out;
}

/** mr_mfc_find_parent(): parent -1 matches any parent. */
export function mrMfcFindParent(mrt: MrTable, origin: Ipv4Addr, grp: Ipv4Addr, parent: number): MfcCache | null {
  for (const c of chain(mrt, origin, grp)) if (parent === -1 || parent === c.parent) return c;
  return null;
}

/** mr_mfc_find_any_parent(): a (*,*) entry that has `vifi` among its outputs. */
export function mrMfcFindAnyParent(mrt: MrTable, vifi: number): MfcCache | null {
  for (const c of chain(mrt, 0, 0)) if ((c.ttls[vifi] ?? 255) < 255) return c;
  return null;
}

/** ipmr_cache_find(): exact (S,G), any parent. */
export function ipmrCacheFind(net: IpmrNet, mrt: MrTable, origin: Ipv4Addr, grp: Ipv4Addr): MfcCache | null {
  const c = mrMfcFindParent(mrt, origin, grp, -1);
  const data = { table: mrt.id, origin: formatIpv4(origin), mcastgrp: formatIpv4(grp), decision: c ? 'hit' : 'miss', entry: c ? sg(c.origin, c.mcastgrp) : null, parent: c ? c.parent : null };
  if (isBook(net)) {
    // The chapter's kernel: one of 64 chains, picked by MFC_HASH, scanned newest first.
    const line = mfcHash(grp, origin);
    const chainLength = mrt.mfcList.filter((x) => mfcHash(x.mcastgrp, x.origin) === line).length;
    net.ns.emit('ipmr_cache_find', 'lookup', { ...data, MFC_HASH: line, chain_length: chainLength });
  } else net.ns.emit('ipmr_cache_find', 'lookup', data);
  return c;
}

/** ipmr_cache_find_any() (mr_mfc_find_any): (*,G) whose outputs include the arrival VIF, or that a (*,*) tree covers; then (*,*). */
export function ipmrCacheFindAny(net: IpmrNet, mrt: MrTable, grp: Ipv4Addr, vifi: number): MfcCache | null {
  let found: MfcCache | null = null;
  let reason = 'no (*,G) or (*,*) with the arrival VIF as an output';
  if (grp !== 0) {
    for (const c of chain(mrt, 0, grp)) {
      if ((c.ttls[vifi] ?? 255) < 255) {
        found = c;
        reason = `(*,G): vif ${vifi} is one of its outputs`;
        break;
      }
      const proxy = mrMfcFindAnyParent(mrt, c.parent);
      if (proxy && (proxy.ttls[vifi] ?? 255) < 255) {
        found = c;
        reason = `(*,G): vif ${vifi} is part of the (*,*) static tree`;
        break;
      }
    }
  }
  if (!found) {
    found = mrMfcFindAnyParent(mrt, vifi);
    if (found) reason = `(*,*): vif ${vifi} is one of its outputs`;
  }
  net.ns.emit('ipmr_cache_find_any', 'lookup', { table: mrt.id, mcastgrp: formatIpv4(grp), vif: vifi, decision: found ? 'hit' : 'miss', entry: found ? sg(found.origin, found.mcastgrp) : null, reason });
  return found;
}

/** ipmr_update_thresholds(): 0 and 255 mean "not an output"; VIFs that do not exist now are dropped. */
export function ipmrUpdateThresholds(mrt: MrTable, c: MfcCache, ttls: readonly number[]): void {
  c.minvif = MAXVIFS;
  c.maxvif = 0;
  c.ttls = new Array<number>(MAXVIFS).fill(255);
  for (let v = 0; v < mrt.maxvif; v++) {
    const t = ttls[v] ?? 0;
    if (mrt.vifTable[v] && t > 0 && t < 255) {
      c.ttls[v] = t;
      if (c.minvif > v) c.minvif = v;
      if (c.maxvif <= v) c.maxvif = v + 1;
    }
  }
}

function oifsText(c: MfcCache): string {
  const parts: string[] = [];
  for (let v = c.minvif; v < c.maxvif; v++) if (c.ttls[v]! < 255) parts.push(`${v}:${c.ttls[v]}`);
  return parts.join(' ');
}

/** ipmr_mfc_add(): update in place (counters kept) or insert, then resolve a queued (S,G). */
export function ipmrMfcAdd(net: IpmrNet, mrt: MrTable, mfc: Mfcctl, mrtsock: boolean, parent: number): void {
  const ns = net.ns;
  const now = ns.sim.now;
  const key = sg(mfc.origin, mfc.mcastgrp);
  if (mfc.parent >= MAXVIFS) {
    ns.emit('ipmr_mfc_add', 'call', { table: mrt.id, entry: key, parent: mfc.parent, decision: 'error', errno: 'ENFILE' });
    throw new KernelError(Errno.ENFILE);
  }
  const existing = mrMfcFindParent(mrt, mfc.origin, mfc.mcastgrp, parent);
  if (existing) {
    existing.parent = mfc.parent;
    ipmrUpdateThresholds(mrt, existing, mfc.ttls);
    existing.lastuse = now;
    if (!mrtsock) existing.flags |= MFC_STATIC;
    ns.emit('ipmr_mfc_add', 'state', { table: mrt.id, entry: key, parent: mfc.parent, decision: 'updated', oifs: oifsText(existing), static: (existing.flags & MFC_STATIC) !== 0 });
    return;
  }
  const multicast = isMulticast(mfc.mcastgrp);
  ns.emit('ipv4_is_multicast', 'lookup', { addr: formatIpv4(mfc.mcastgrp), decision: multicast ? 'yes' : 'no' });
  if (mfc.mcastgrp !== 0 && !multicast) {
    ns.emit('ipmr_mfc_add', 'call', { table: mrt.id, entry: key, decision: 'error', errno: 'EINVAL', reason: 'group is neither multicast nor 0.0.0.0' });
    throw new KernelError(Errno.EINVAL);
  }
  ns.emit('ipmr_cache_alloc', 'call', { table: mrt.id, entry: key });
  const c: MfcCache = {
    origin: mfc.origin >>> 0,
    mcastgrp: mfc.mcastgrp >>> 0,
    parent: mfc.parent,
    flags: mrtsock ? 0 : MFC_STATIC,
    minvif: MAXVIFS,
    maxvif: 0,
    ttls: [],
    pkt: 0,
    bytes: 0,
    wrongIf: 0,
    // The first assert is allowed at once.
    lastAssert: now - MFC_ASSERT_THRESH_S * NSEC_PER_SEC - JIFFY,
    lastuse: now,
  };
  ipmrUpdateThresholds(mrt, c, mfc.ttls);
  mfcLink(mrt, c);
  const ev = ns.emit('ipmr_mfc_add', 'state', { table: mrt.id, entry: key, parent: c.parent, decision: 'added', oifs: oifsText(c), static: !mrtsock });
  ns.sim.trace.within(ev, () => {
    const i = mrt.unres.findIndex((u) => u.origin === c.origin && u.mcastgrp === c.mcastgrp);
    const uc = i >= 0 ? mrt.unres.splice(i, 1)[0]! : null;
    if (mrt.unres.length === 0) mrt.expireTimer.del();
    if (uc) ipmrCacheResolve(net, mrt, uc, c);
  });
}

/**
 * ipmr_cache_resolve(): the queued packets go through ip_mr_forward in arrival order (no second local
 * delivery). It runs inside setsockopt(MRT_ADD_MFC) under rcu_read_lock() only, BH enabled: a forwarded
 * copy looped back for a member is received at once (netif_rx), not after the syscall.
 */
function ipmrCacheResolve(net: IpmrNet, mrt: MrTable, uc: MfcUnres, c: MfcCache): void {
  const ev = net.ns.emit('ipmr_cache_resolve', 'call', { table: mrt.id, entry: sg(c.origin, c.mcastgrp), queued: uc.queue.length });
  net.ns.sim.trace.within(ev, () =>
    processContext(net.ns.sim, () => {
      for (const q of uc.queue.splice(0)) ipMrForward(net, mrt, q.skb, q.info, c, false);
    }),
  );
}

/** ipmr_mfc_delete(): resolved entries only. */
export function ipmrMfcDelete(net: IpmrNet, mrt: MrTable, mfc: Mfcctl, parent: number): void {
  const c = mrMfcFindParent(mrt, mfc.origin, mfc.mcastgrp, parent);
  const key = sg(mfc.origin, mfc.mcastgrp);
  if (!c) {
    net.ns.emit('ipmr_mfc_delete', 'call', { table: mrt.id, entry: key, parent, decision: 'error', errno: 'ENOENT' });
    throw new KernelError(Errno.ENOENT);
  }
  mfcUnlink(mrt, c);
  net.ns.emit('ipmr_mfc_delete', 'state', { table: mrt.id, entry: key, parent: c.parent });
}

/** ipmr_cache_unresolved(): queue the packet on its (S,G) (4 at most); the first one makes a NOCACHE upcall. */
export function ipmrCacheUnresolved(net: IpmrNet, mrt: MrTable, vifi: number, skb: InputSkb, info: IpInfo): Errno | 0 {
  const ns = net.ns;
  const now = ns.sim.now;
  let c = mrt.unres.find((u) => u.mcastgrp === info.dst && u.origin === info.src) ?? null;
  const ev = ns.emit('ipmr_cache_unresolved', 'call', { table: mrt.id, entry: sg(info.src, info.dst), vif: vifi, existing: c !== null, queued: c ? c.queue.length : 0 }, skb.pkt);
  return ns.sim.trace.within(ev, () => {
    if (!c && isBook(net) && mrt.unres.length >= BOOK_UNRES_MAX) {
      ns.emit('ipmr_cache_unresolved', 'drop', { reason: `cache_resolve_queue_len >= ${BOOK_UNRES_MAX} (3.x cap)`, errno: 'ENOBUFS' }, skb.pkt);
      return Errno.ENOBUFS;
    }
    if (!c) {
      // ipmr_cache_alloc_unres(); there is no cap on unresolved entries since v5.4.
      ns.emit('ipmr_cache_alloc_unres', 'call', { table: mrt.id, entry: sg(info.src, info.dst), expires: now + UNRES_LIFETIME_S * NSEC_PER_SEC });
      const fresh: MfcUnres = { origin: info.src, mcastgrp: info.dst, expires: now + UNRES_LIFETIME_S * NSEC_PER_SEC, queue: [] };
      const err = ipmrCacheReport(net, mrt, skb.bytes, skb.pkt, vifi, IGMPMSG_NOCACHE);
      if (err) {
        ns.emit('ipmr_cache_unresolved', 'drop', { reason: 'upcall failed, entry not created', errno: Errno[err] }, skb.pkt);
        return err;
      }
      mrt.unres.unshift(fresh);
      if (mrt.unres.length === 1) mrt.expireTimer.mod(fresh.expires);
      c = fresh;
    }
    if (c.queue.length >= UNRES_QLEN_MAX) {
      ns.emit('ipmr_cache_unresolved', 'drop', { reason: `unresolved queue full (${UNRES_QLEN_MAX} packets)`, errno: 'ENOBUFS' }, skb.pkt);
      return Errno.ENOBUFS;
    }
    c.queue.push({ skb, info });
    return 0;
  });
}

/** ipmr_destroy_unres(): queued packets are freed silently (no ICMP, no upcall). */
function ipmrDestroyUnres(net: IpmrNet, mrt: MrTable, c: MfcUnres, why: string): void {
  for (const q of c.queue) net.ns.emit('ipmr_destroy_unres', 'drop', { table: mrt.id, entry: sg(c.origin, c.mcastgrp), reason: why }, q.skb.pkt);
  if (c.queue.length === 0) net.ns.emit('ipmr_destroy_unres', 'state', { table: mrt.id, entry: sg(c.origin, c.mcastgrp), reason: why });
  c.queue = [];
}

/** ipmr_expire_process(): entries past their 10 s go; the timer is re-armed for the next one. */
export function ipmrExpireProcess(net: IpmrNet, mrt: MrTable): void {
  if (mrt.unres.length === 0) return;
  const now = net.ns.sim.now;
  let next = UNRES_LIFETIME_S * NSEC_PER_SEC;
  for (const c of [...mrt.unres]) {
    if (c.expires > now) {
      next = Math.min(next, c.expires - now);
      continue;
    }
    mrt.unres.splice(mrt.unres.indexOf(c), 1);
    ipmrDestroyUnres(net, mrt, c, 'unresolved entry expired');
  }
  if (mrt.unres.length > 0) mrt.expireTimer.mod(now + next);
}

/** mroute_clean_tables(): MRT_FLUSH, the daemon's exit (VIFS|MFC) and table teardown. */
export function mrouteCleanTables(net: IpmrNet, mrt: MrTable, flags: number): void {
  const ev = net.ns.emit('mroute_clean_tables', 'call', { table: mrt.id, flags });
  net.ns.sim.trace.within(ev, () => {
    if (flags & (MRT_FLUSH_VIFS | MRT_FLUSH_VIFS_STATIC)) {
      for (let i = 0; i < mrt.maxvif; i++) {
        const v = mrt.vifTable[i];
        if (!v) continue;
        const isStatic = (v.flags & VIFF_STATIC) !== 0;
        if ((isStatic && !(flags & MRT_FLUSH_VIFS_STATIC)) || (!isStatic && !(flags & MRT_FLUSH_VIFS))) continue;
        vifDelete(net, mrt, i, false);
      }
    }
    if (flags & (MRT_FLUSH_MFC | MRT_FLUSH_MFC_STATIC)) {
      for (const c of [...mrt.mfcList]) {
        const isStatic = (c.flags & MFC_STATIC) !== 0;
        if ((isStatic && !(flags & MRT_FLUSH_MFC_STATIC)) || (!isStatic && !(flags & MRT_FLUSH_MFC))) continue;
        mfcUnlink(mrt, c);
        net.ns.emit('ipmr_mfc_delete', 'state', { table: mrt.id, entry: sg(c.origin, c.mcastgrp), parent: c.parent, reason: 'mroute_clean_tables' });
      }
    }
    if (flags & MRT_FLUSH_MFC) {
      for (const c of mrt.unres.splice(0)) ipmrDestroyUnres(net, mrt, c, 'mroute_clean_tables');
    }
  });
}
