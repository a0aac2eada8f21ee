// net/ipv4/ipmr.c, the daemon's interface: ip_mroute_setsockopt() / ip_mroute_getsockopt() with the
// kernel's order of checks, ipmr_ioctl() (SIOCGETVIFCNT, SIOCGETSGCNT) and mrtsock_destruct().
// Values are typed structs (Vifctl, Mfcctl), plain ints, or the C bytes; `optlen` defaults to the
// struct's size and may be overridden to reproduce the kernel's length checks.

import { Errno, KernelError } from '../net/errno.js';
import { registerMrouteSockopt, type SockoptValue } from '../socket/sockopt.js';
import { IPPROTO_IGMP, MRT_ADD_MFC, MRT_ADD_MFC_PROXY, MRT_ADD_VIF, MRT_ASSERT, MRT_DEL_MFC, MRT_DEL_MFC_PROXY, MRT_DEL_VIF, MRT_DONE, MRT_FLUSH, MRT_INIT, MRT_PIM, MRT_TABLE, MRT_VERSION } from '../socket/constants.js';
import type { InetSock } from '../socket/inet-sock.js';
import { ipRaControl, RawSocket } from '../socket/raw.js';
import { IGMPMSG_WRVIFWHOLE } from '../wire/igmpmsg.js';
import { RT_TABLE_DEFAULT } from './fib-types.js';
import { ipmrCacheFind, ipmrMfcAdd, ipmrMfcDelete, isBook, mrouteCleanTables } from './ipmr-mfc.js';
import { ipmrGetTable, ipmrNet, ipmrNewTable, type IpmrNet } from './ipmr-table.js';
import { MAXVIFS, MFCCTL_SIZE, MRT_FLUSH_MFC, MRT_FLUSH_VIFS, SIOCGETSGCNT, SIOCGETVIFCNT, VIFCTL_SIZE, type Mfcctl, type MrTable, type SiocSgReq, type SiocVifReq, type Vifctl } from './ipmr-types.js';
import { vifAdd, vifDelete } from './ipmr-vif.js';

const OPTNAMES: Record<number, string> = {
  200: 'MRT_INIT', 201: 'MRT_DONE', 202: 'MRT_ADD_VIF', 203: 'MRT_DEL_VIF', 204: 'MRT_ADD_MFC', 205: 'MRT_DEL_MFC',
  206: 'MRT_VERSION', 207: 'MRT_ASSERT', 208: 'MRT_PIM', 209: 'MRT_TABLE', 210: 'MRT_ADD_MFC_PROXY', 211: 'MRT_DEL_MFC_PROXY', 212: 'MRT_FLUSH',
};

/** Little-endian host, as the machines the oracle runs on: ints and vifi_t are host order. */
function le16(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}
function le32(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;
}
function be32(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

function num(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? Math.trunc(x) : 0;
}

/** The bytes copy_from_sockptr() reads, or EFAULT when the caller's buffer is shorter than optlen. */
function bytesOf(value: SockoptValue, need: number): Uint8Array | null {
  if (!(value instanceof Uint8Array)) return null;
  if (value.length < need) throw new KernelError(Errno.EFAULT);
  return value;
}

function naturalLen(value: SockoptValue, structSize: number): number {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'object') return structSize;
  return 4;
}

function readInt(value: SockoptValue): number {
  const b = bytesOf(value, 4);
  if (b) return le32(b, 0) | 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return num(value) | 0;
}

/** struct vifctl from an object or its 16 bytes (C truncation to each field's width). */
export function readVifctl(value: SockoptValue): Vifctl {
  const b = bytesOf(value, VIFCTL_SIZE);
  if (b) {
    const flags = b[2]!;
    return { vifi: le16(b, 0), flags, threshold: b[3]!, rateLimit: le32(b, 4), lclAddr: be32(b, 8), lclIfindex: le32(b, 8) | 0, rmtAddr: be32(b, 12) };
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return {
    vifi: num(o['vifi']) & 0xffff,
    flags: num(o['flags']) & 0xff,
    threshold: num(o['threshold']) & 0xff,
    rateLimit: num(o['rateLimit']) >>> 0,
    lclAddr: num(o['lclAddr']) >>> 0,
    lclIfindex: num(o['lclIfindex']) | 0,
    rmtAddr: num(o['rmtAddr']) >>> 0,
  };
}

/** struct mfcctl from an object or its 60 bytes. */
export function readMfcctl(value: SockoptValue): Mfcctl {
  const b = bytesOf(value, MFCCTL_SIZE);
  if (b) return { origin: be32(b, 0), mcastgrp: be32(b, 4), parent: le16(b, 8), ttls: Array.from(b.subarray(10, 10 + MAXVIFS)) };
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const ttls = Array.isArray(o['ttls']) ? (o['ttls'] as unknown[]) : [];
  return {
    origin: num(o['origin']) >>> 0,
    mcastgrp: num(o['mcastgrp']) >>> 0,
    parent: num(o['parent']) & 0xffff,
    ttls: Array.from({ length: MAXVIFS }, (_, i) => num(ttls[i]) & 0xff),
  };
}

function sockTable(net: IpmrNet, sk: RawSocket): MrTable | undefined {
  return ipmrGetTable(net, sk.ipmrTable || RT_TABLE_DEFAULT);
}

/** ip_mroute_setsockopt() */
export function ipMrouteSetsockopt(sk: InetSock, optname: number, value: SockoptValue, optlen?: number): void {
  const ns = sk.ns;
  // 3.x (book): MRT_MAX was MRT_DEL_MFC_PROXY; MRT_FLUSH never reaches ipmr and do_ip_setsockopt refuses it.
  if (optname === MRT_FLUSH && isBook(ipmrNet(ns))) throw new KernelError(Errno.ENOPROTOOPT);
  const ev = ns.emit('ip_mroute_setsockopt', 'call', { optname: OPTNAMES[optname] ?? optname, optlen: optlen ?? null });
  ns.sim.trace.within(ev, () => {
    try {
      setsockoptBody(sk, optname, value, optlen);
    } catch (e) {
      if (e instanceof KernelError) ns.emit('ip_mroute_setsockopt', 'call', { optname: OPTNAMES[optname] ?? optname, decision: 'error', errno: Errno[e.errno] });
      throw e;
    }
  });
}

function setsockoptBody(sk: InetSock, optname: number, value: SockoptValue, optlen: number | undefined): void {
  if (!(sk instanceof RawSocket) || sk.protocol !== IPPROTO_IGMP) throw new KernelError(Errno.EOPNOTSUPP);
  const net = ipmrNet(sk.ns);
  const mrt = sockTable(net, sk);
  if (!mrt) throw new KernelError(Errno.ENOENT);
  if (optname !== MRT_INIT && sk !== mrt.mrouteSk && !sk.capNetAdmin) throw new KernelError(Errno.EACCES);
  const isInt = (): number => {
    if ((optlen ?? naturalLen(value, 4)) !== 4) throw new KernelError(Errno.EINVAL);
    return readInt(value);
  };
  switch (optname) {
    case MRT_INIT: {
      isInt();
      if (mrt.mrouteSk) throw new KernelError(Errno.EADDRINUSE);
      ipRaControl(sk, true, (s) => mrtsockDestruct(net, s));
      mrt.mrouteSk = sk;
      sk.ns.ipv4.devconfAll.values.mc_forwarding++;
      sk.ns.emit('ip_mroute_setsockopt', 'state', { optname: 'MRT_INIT', table: mrt.id, all_mc_forwarding: sk.ns.ipv4.devconfAll.values.mc_forwarding });
      return;
    }
    case MRT_DONE:
      if (sk !== mrt.mrouteSk) throw new KernelError(Errno.EACCES);
      ipRaControl(sk, false, null);
      return;
    case MRT_ADD_VIF:
    case MRT_DEL_VIF: {
      if ((optlen ?? naturalLen(value, VIFCTL_SIZE)) !== VIFCTL_SIZE) throw new KernelError(Errno.EINVAL);
      const vif = readVifctl(value);
      if (vif.vifi >= MAXVIFS) throw new KernelError(Errno.ENFILE);
      if (optname === MRT_ADD_VIF) vifAdd(net, mrt, vif, sk === mrt.mrouteSk);
      else vifDelete(net, mrt, vif.vifi, false);
      return;
    }
    case MRT_ADD_MFC:
    case MRT_DEL_MFC:
    case MRT_ADD_MFC_PROXY:
    case MRT_DEL_MFC_PROXY: {
      if ((optlen ?? naturalLen(value, MFCCTL_SIZE)) !== MFCCTL_SIZE) throw new KernelError(Errno.EINVAL);
      const mfc = readMfcctl(value);
      // MRT_ADD_MFC/DEL_MFC match any parent; the PROXY variants only the given one.
      const parent = optname === MRT_ADD_MFC || optname === MRT_DEL_MFC ? -1 : mfc.parent;
      if (optname === MRT_DEL_MFC || optname === MRT_DEL_MFC_PROXY) ipmrMfcDelete(net, mrt, mfc, parent);
      else ipmrMfcAdd(net, mrt, mfc, sk === mrt.mrouteSk, parent);
      return;
    }
    case MRT_FLUSH:
      mrouteCleanTables(net, mrt, isInt());
      return;
    case MRT_ASSERT:
      mrt.doAssert = isInt() !== 0;
      return;
    case MRT_PIM: {
      let val = isInt();
      // IGMPMSG_WRVIFWHOLE (MRT_PIM 4) came with v4.13; 3.x only took the value as a boolean.
      const wrvifwhole = val === IGMPMSG_WRVIFWHOLE && !isBook(net);
      val = val ? 1 : 0;
      // Only a change of the PIM flag touches the others (writing 4 while PIM is on changes nothing).
      if ((val === 1) !== mrt.doPim) {
        mrt.doPim = val === 1;
        mrt.doAssert = val === 1;
        mrt.doWrvifwhole = wrvifwhole;
      }
      return;
    }
    case MRT_TABLE: {
      const id = isInt() >>> 0;
      if (sk === mrt.mrouteSk) throw new KernelError(Errno.EBUSY);
      ipmrNewTable(net, id);
      sk.ipmrTable = id;
      return;
    }
    default:
      // MRT_VERSION is get-only.
      throw new KernelError(Errno.ENOPROTOOPT);
  }
}

/** ip_mroute_getsockopt() */
export function ipMrouteGetsockopt(sk: InetSock, optname: number): number {
  if (optname === MRT_FLUSH && isBook(ipmrNet(sk.ns))) throw new KernelError(Errno.ENOPROTOOPT);
  sk.ns.emit('ip_mroute_getsockopt', 'call', { optname: OPTNAMES[optname] ?? optname });
  if (!(sk instanceof RawSocket) || sk.protocol !== IPPROTO_IGMP) throw new KernelError(Errno.EOPNOTSUPP);
  const mrt = sockTable(ipmrNet(sk.ns), sk);
  if (!mrt) throw new KernelError(Errno.ENOENT);
  switch (optname) {
    case MRT_VERSION:
      return 0x0305;
    case MRT_PIM:
      return mrt.doPim ? 1 : 0;
    case MRT_ASSERT:
      return mrt.doAssert ? 1 : 0;
    default:
      throw new KernelError(Errno.ENOPROTOOPT);
  }
}

/** mrtsock_destruct(): the daemon is gone (MRT_DONE, close, IP_ROUTER_ALERT off). Static VIFs/entries stay. */
export function mrtsockDestruct(net: IpmrNet, sk: RawSocket): void {
  for (const mrt of net.tables.values()) {
    if (mrt.mrouteSk !== sk) continue;
    const v4 = net.ns.ipv4;
    v4.devconfAll.values.mc_forwarding--;
    mrt.mrouteSk = null;
    const ev = net.ns.emit('mrtsock_destruct', 'state', { table: mrt.id, all_mc_forwarding: v4.devconfAll.values.mc_forwarding });
    net.ns.sim.trace.within(ev, () => mrouteCleanTables(net, mrt, MRT_FLUSH_VIFS | MRT_FLUSH_MFC));
  }
}

/** ipmr_ioctl(): SIOCGETVIFCNT fills a sioc_vif_req, SIOCGETSGCNT a sioc_sg_req. */
export function ipmrIoctl(sk: RawSocket, request: number, arg: SiocVifReq | SiocSgReq): void {
  const net = ipmrNet(sk.ns);
  const mrt = sockTable(net, sk);
  if (!mrt) throw new KernelError(Errno.ENOENT);
  if (request === SIOCGETVIFCNT && 'vifi' in arg) {
    const vifi = num(arg.vifi) & 0xffff;
    if (vifi >= mrt.maxvif) throw new KernelError(Errno.EINVAL);
    const v = mrt.vifTable[vifi];
    if (!v) throw new KernelError(Errno.EADDRNOTAVAIL);
    arg.icount = v.pktIn;
    arg.ocount = v.pktOut;
    arg.ibytes = v.bytesIn;
    arg.obytes = v.bytesOut;
    return;
  }
  if (request === SIOCGETSGCNT && 'grp' in arg) {
    const c = ipmrCacheFind(net, mrt, num(arg.src) >>> 0, num(arg.grp) >>> 0);
    if (!c) throw new KernelError(Errno.EADDRNOTAVAIL);
    arg.pktcnt = c.pkt;
    arg.bytecnt = c.bytes;
    arg.wrongIf = c.wrongIf;
    return;
  }
  // ENOIOCTLCMD in the kernel, which the caller sees as ENOTTY (observed, e.g. SIOCGETRPF).
  throw new KernelError(Errno.ENOTTY);
}

registerMrouteSockopt({ set: ipMrouteSetsockopt, get: ipMrouteGetsockopt });
