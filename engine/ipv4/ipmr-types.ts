// include/uapi/linux/mroute.h + include/linux/mroute_base.h: the user structs (vifctl, mfcctl,
// sioc_*_req) and the kernel's mr_table, vif_device and mfc_cache, as the model holds them.

import type { NetDevice } from '../net/netdevice.js';
import type { KernelTimer } from '../sim/timer.js';
import type { Nanos } from '../sim/time.js';
import type { Ipv4Addr } from '../wire/inet.js';
import type { InputSkb, IpInfo } from './ip_input.js';

export const MAXVIFS = 32;
/** vifi_t is an unsigned short: an unresolved entry's parent -1 is stored as 65535. */
export const VIFI_NONE = 0xffff;

export const VIFF_TUNNEL = 0x1;
export const VIFF_SRCRT = 0x2;
export const VIFF_REGISTER = 0x4;
export const VIFF_USE_IFINDEX = 0x8;
/** Kernel-internal: added by a socket that is not the table's mroute socket (survives the daemon). */
export const VIFF_STATIC = 0x8000;

export const MFC_STATIC = 1;

export const MRT_FLUSH_MFC = 1;
export const MRT_FLUSH_MFC_STATIC = 2;
export const MRT_FLUSH_VIFS = 4;
export const MRT_FLUSH_VIFS_STATIC = 8;

/** MFC_ASSERT_THRESH: at most one WRONGVIF per entry per 3 s. */
export const MFC_ASSERT_THRESH_S = 3;
/** Packets an unresolved (S,G) holds (the queue drops when qlen > 3). */
export const UNRES_QLEN_MAX = 4;
/** Lifetime of an unresolved entry. */
export const UNRES_LIFETIME_S = 10;

export const SIOCGETVIFCNT = 0x89e0;
export const SIOCGETSGCNT = 0x89e1;
export const SIOCGETRPF = 0x89e2;

/** struct vifctl (16 bytes). `lclAddr` and `lclIfindex` are the union: use one. */
export interface Vifctl {
  vifi: number;
  flags: number;
  threshold: number;
  rateLimit: number;
  lclAddr?: Ipv4Addr;
  lclIfindex?: number;
  rmtAddr: Ipv4Addr;
}
export const VIFCTL_SIZE = 16;

/** struct mfcctl (60 bytes). The counters and mfcc_expire are ignored by the kernel. */
export interface Mfcctl {
  origin: Ipv4Addr;
  mcastgrp: Ipv4Addr;
  parent: number;
  /** mfcc_ttls[32]: missing entries are 0 (not an output). */
  ttls: number[];
}
export const MFCCTL_SIZE = 60;

/** struct sioc_vif_req */
export interface SiocVifReq {
  vifi: number;
  icount: number;
  ocount: number;
  ibytes: number;
  obytes: number;
}

/** struct sioc_sg_req */
export interface SiocSgReq {
  src: Ipv4Addr;
  grp: Ipv4Addr;
  pktcnt: number;
  bytecnt: number;
  wrongIf: number;
}

/** struct vif_device */
export interface VifDevice {
  dev: NetDevice;
  bytesIn: number;
  bytesOut: number;
  pktIn: number;
  pktOut: number;
  rateLimit: number;
  threshold: number;
  flags: number;
  /** Ifindex used for output route lookups. */
  link: number;
  /** The raw union bytes as the kernel keeps them: an address, or the ifindex for VIFF_USE_IFINDEX. */
  local: number;
  remote: Ipv4Addr;
}

/** A resolved entry (struct mfc_cache with mfc_un.res). */
export interface MfcCache {
  origin: Ipv4Addr;
  mcastgrp: Ipv4Addr;
  parent: number;
  flags: number;
  minvif: number;
  maxvif: number;
  ttls: number[];
  pkt: number;
  bytes: number;
  wrongIf: number;
  lastAssert: Nanos;
  lastuse: Nanos;
}

/** A packet waiting on an unresolved entry (the skb keeps its arrival device). */
export interface QueuedSkb {
  skb: InputSkb;
  info: IpInfo;
}

/** An unresolved entry (struct mfc_cache with mfc_un.unres, on mfc_unres_queue). */
export interface MfcUnres {
  origin: Ipv4Addr;
  mcastgrp: Ipv4Addr;
  expires: Nanos;
  queue: QueuedSkb[];
}

/** What the mroute socket must offer the table: a receive queue for upcalls. */
export interface MrouteSock {
  /** sock_queue_rcv_skb(): false when the receive buffer is full. */
  queueUpcall(bytes: Uint8Array, pkt: number | null): boolean;
  /** raw_rcv(): an IGMP datagram ip_mr_input hands to the daemon instead of forwarding it. */
  rawRcv(skb: InputSkb, info: IpInfo): void;
}

/** struct mr_table */
export interface MrTable {
  id: number;
  mrouteSk: MrouteSock | null;
  expireTimer: KernelTimer;
  /** mfc_unres_queue, newest first. */
  unres: MfcUnres[];
  vifTable: Array<VifDevice | null>;
  /** mfc_cache_list in insertion order (dump order). */
  mfcList: MfcCache[];
  /** mfc_hash, the rhltable: (S,G) key → entries with that key in insertion order (lookups walk it newest first). */
  mfcHash: Map<string, MfcCache[]>;
  maxvif: number;
  doAssert: boolean;
  doPim: boolean;
  doWrvifwhole: boolean;
  regVifNum: number;
}
