// net/ipv4/ipmr.c, per namespace: the list of mr_tables (ipmr_new_table, ipmr_get_table), the
// multicast rules that pick a table for a packet (ipmr_rules_init, ipmr_fib_lookup), and the
// netdevice notifier (ipmr_device_event). The state is created on first use in a namespace, as if
// ipmr_net_init had run at namespace creation: nothing of it is visible before.

import { Errno, KernelError } from '../net/errno.js';
import type { NetdevEvent, Netns } from '../net/netns.js';
import { KernelTimer } from '../sim/timer.js';
import { protocolInits } from './protocol-inits.js';
import { formatIpv4, type Ipv4Addr } from '../wire/inet.js';
import { RT_TABLE_DEFAULT } from './fib-types.js';
import { ipmrExpireProcess, mrouteCleanTables } from './ipmr-mfc.js';
import { ipMrInput } from './ipmr-forward.js';
import { IPPROTO_PIM, pimRcv } from './ipmr-pim.js';
import { MAXVIFS, MRT_FLUSH_MFC, MRT_FLUSH_MFC_STATIC, MRT_FLUSH_VIFS, MRT_FLUSH_VIFS_STATIC, type MrTable } from './ipmr-types.js';
import { vifDelete } from './ipmr-vif.js';

/** A multicast rule (fib_rule with family RTNL_FAMILY_IPMR): only generic selectors matter. */
export interface MrRule {
  pref: number;
  action: 'table' | 'unreachable' | 'prohibit' | 'blackhole';
  table: number;
  iif: string;
  oif: string;
  mark: number;
  markMask: number;
  /** FRA_PROTOCOL: RTPROT_KERNEL (2) for the default rule, RTPROT_UNSPEC (0) for `ip mrule add`. */
  proto: number;
}

/** net->ipv4.mr_tables and mr_rules_ops. */
export interface IpmrNet {
  ns: Netns;
  tables: Map<number, MrTable>;
  rules: MrRule[];
  /** The netdevice notifier block (unregistered at namespace exit). */
  notifier: (ev: NetdevEvent) => void;
}

const state = new WeakMap<Netns, IpmrNet>();

/** ipmr_net_init(): table 253 and the default rule `32767: from all lookup default`. */
export function ipmrNet(ns: Netns): IpmrNet {
  let net = state.get(ns);
  if (net) return net;
  const created: IpmrNet = { ns, tables: new Map(), rules: [], notifier: (ev) => ipmrDeviceEvent(created, ev) };
  net = created;
  state.set(ns, net);
  ipmrNewTable(net, RT_TABLE_DEFAULT);
  net.rules.push({ pref: 0x7fff, action: 'table', table: RT_TABLE_DEFAULT, iif: '', oif: '', mark: 0, markMask: 0, proto: 2 });
  const n = net;
  ns.netdevChain.register(n.notifier);
  ns.ipv4.mrInput = (skb, info, rt) => ipMrInput(n, skb, info, rt);
  return net;
}

/** The namespace's ipmr state if some socket or /proc reader created it. */
export function ipmrNetIfAny(ns: Netns): IpmrNet | undefined {
  return state.get(ns);
}

export function ipmrGetTable(net: IpmrNet, id: number): MrTable | undefined {
  return net.tables.get(id);
}

/** ipmr_new_table(): an existing table is reused; ids ≥ 1e9 (other than 253) do not fit "pimreg%u". */
export function ipmrNewTable(net: IpmrNet, id: number): MrTable {
  const found = net.tables.get(id);
  if (found) return found;
  if (id !== RT_TABLE_DEFAULT && id >= 1_000_000_000) throw new KernelError(Errno.EINVAL);
  const ns = net.ns;
  const mrt: MrTable = {
    id,
    mrouteSk: null,
    expireTimer: null as unknown as KernelTimer,
    unres: [],
    vifTable: new Array<null>(MAXVIFS).fill(null),
    mfcList: [],
    mfcHash: new Map(),
    maxvif: 0,
    doAssert: false,
    doPim: false,
    doWrvifwhole: false,
    regVifNum: -1,
  };
  mrt.expireTimer = new KernelTimer(ns.sim, ns.name, 'ipmr_expire_process', () => ipmrExpireProcess(net, mrt), () => ({ table: id }));
  net.tables.set(id, mrt);
  ns.emit('ipmr_new_table', 'state', { table: id });
  return mrt;
}

/** ipmr_free_table(): stop the expiry timer and flush everything, static VIFs and entries included. */
export function ipmrFreeTable(net: IpmrNet, mrt: MrTable): void {
  const ev = net.ns.emit('ipmr_free_table', 'call', { table: mrt.id, vifs: mrt.vifTable.filter(Boolean).length, entries: mrt.mfcList.length, unresolved: mrt.unres.length });
  net.ns.sim.trace.within(ev, () => {
    mrt.expireTimer.del();
    mrouteCleanTables(net, mrt, MRT_FLUSH_VIFS | MRT_FLUSH_VIFS_STATIC | MRT_FLUSH_MFC | MRT_FLUSH_MFC_STATIC);
  });
  net.tables.delete(mrt.id);
}

/**
 * ipmr_net_exit_batch() → ipmr_rules_exit(): the namespace is being destroyed (`ip netns del`). Its
 * sockets hold it alive, so no table has a daemon any more; every table is freed, the rules go.
 */
export function ipmrNetExit(ns: Netns): void {
  const net = state.get(ns);
  if (!net) return;
  const ev = ns.emit('ipmr_net_exit', 'call', { tables: [...net.tables.keys()].join(',') });
  ns.sim.trace.within(ev, () => {
    for (const mrt of [...net.tables.values()]) ipmrFreeTable(net, mrt);
  });
  net.rules = [];
  ns.netdevChain.unregister(net.notifier);
  ns.ipv4.mrInput = null;
  state.delete(ns);
}

/** What a packet is looked up with (struct flowi4 of ipmr_rt_fib_lookup). */
export interface MrFlow {
  daddr: Ipv4Addr;
  saddr: Ipv4Addr;
  iif: number;
  oif: number;
  mark: number;
}

/** ipmr_fib_lookup() through fib_rules_lookup(): the first matching rule whose table exists. */
export function ipmrFibLookup(net: IpmrNet, fl: MrFlow): MrTable {
  const ns = net.ns;
  const iifName = ns.devByIndex(fl.iif)?.name ?? '';
  const oifName = ns.devByIndex(fl.oif)?.name ?? '';
  for (const r of net.rules) {
    if (r.iif && r.iif !== iifName) continue;
    if (r.oif && r.oif !== oifName) continue;
    if ((fl.mark ^ r.mark) & r.markMask) continue;
    if (r.action === 'unreachable') throw new KernelError(Errno.ENETUNREACH);
    if (r.action === 'prohibit') throw new KernelError(Errno.EACCES);
    if (r.action === 'blackhole') throw new KernelError(Errno.EINVAL);
    const mrt = net.tables.get(r.table);
    if (mrt) {
      ns.emit('ipmr_fib_lookup', 'lookup', { daddr: formatIpv4(fl.daddr), saddr: formatIpv4(fl.saddr), iif: fl.iif, oif: fl.oif, rule: r.pref, table: mrt.id });
      return mrt;
    }
  }
  ns.emit('ipmr_fib_lookup', 'lookup', { daddr: formatIpv4(fl.daddr), saddr: formatIpv4(fl.saddr), iif: fl.iif, oif: fl.oif, decision: 'ESRCH' });
  throw new KernelError(Errno.ESRCH);
}

/** ipmr_device_event(): only NETDEV_UNREGISTER matters; the VIF goes, the MFC entries naming it stay. */
function ipmrDeviceEvent(net: IpmrNet, { event, dev }: NetdevEvent): void {
  if (event !== 'NETDEV_UNREGISTER') return;
  for (const mrt of net.tables.values()) {
    for (let i = 0; i < mrt.maxvif; i++) {
      if (mrt.vifTable[i]?.dev !== dev) continue;
      const ev = net.ns.emit('ipmr_device_event', 'call', { event, dev: dev.name, table: mrt.id, vif: i });
      net.ns.sim.trace.within(ev, () => vifDelete(net, mrt, i, true));
    }
  }
}

// ip_mr_init(): pim_protocol (CONFIG_IP_PIMSM_V2) is registered once for every namespace, so a PIM
// packet is never answered with ICMP protocol-unreachable; pim_rcv() drops what it cannot use.
protocolInits.push((v4) => v4.protocolHandlers.set(IPPROTO_PIM, (skb, info) => pimRcv(ipmrNet(v4.ns), skb, info)));
