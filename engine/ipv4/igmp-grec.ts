// Filling IGMPv3 reports with group records (add_grec / add_grhead of net/ipv4/igmp.c): which sources
// each record carries, the retransmission counters it consumes, and the split into packets of at most
// the device MTU (igmpv3_newpack / AVAILABLE).

import { INADDR_ALLHOSTS_GROUP, isLocalMulticast } from '../wire/inet.js';
import { IGMPV3_ALLOW_NEW_SOURCES, IGMPV3_BLOCK_OLD_SOURCES, IGMPV3_CHANGE_TO_EXCLUDE, IGMPV3_MODE_IS_EXCLUDE, IGMPV3_MODE_IS_INCLUDE, type IgmpGroupRecord } from '../wire/igmp.js';
import { isIn } from './igmp-sf.js';
import { MCAST_EXCLUDE, type IpMcList } from './igmp-types.js';

/** IPv4 header with Router Alert (24) + IGMPv3 report header (8). */
const V3_OVERHEAD = 32;
const GREC_HEAD = 8;

/** The reports being built: every packet is a list of group records. */
export class V3Packets {
  readonly packets: IgmpGroupRecord[][] = [];
  private cur: IgmpGroupRecord[] | null = null;
  private used = 0;

  constructor(private readonly mtu: number) {}

  /** AVAILABLE(skb): 0 when there is no packet yet. */
  available(): number {
    return this.cur ? this.mtu - V3_OVERHEAD - this.used : 0;
  }

  hasRecords(): boolean {
    return this.cur !== null && this.cur.length > 0;
  }

  /** igmpv3_sendpack + igmpv3_newpack */
  newPacket(): void {
    this.cur = [];
    this.used = 0;
    this.packets.push(this.cur);
  }

  /** add_grhead(): a new record header, in a new packet if needed. */
  addHead(pmc: IpMcList, type: number): IgmpGroupRecord {
    if (!this.cur || this.available() < GREC_HEAD) this.newPacket();
    const rec: IgmpGroupRecord = { type, group: pmc.multiaddr, sources: [] };
    this.cur!.push(rec);
    this.used += GREC_HEAD;
    return rec;
  }

  addSource(rec: IgmpGroupRecord, src: number): void {
    rec.sources.push(src);
    this.used += 4;
  }

  /** The non-empty packets. */
  result(): IgmpGroupRecord[][] {
    return this.packets.filter((p) => p.length > 0);
  }
}

/** add_grec() */
export function addGrec(pk: V3Packets, pmc: IpMcList, type: number, gdeleted: boolean, sdeleted: boolean, llmReports: boolean): void {
  if (pmc.multiaddr === INADDR_ALLHOSTS_GROUP) return;
  if (isLocalMulticast(pmc.multiaddr) && !llmReports) return;
  const isquery = type === IGMPV3_MODE_IS_INCLUDE || type === IGMPV3_MODE_IS_EXCLUDE;
  const truncate = type === IGMPV3_MODE_IS_EXCLUDE || type === IGMPV3_CHANGE_TO_EXCLUDE;
  const changeRec = type === IGMPV3_ALLOW_NEW_SOURCES || type === IGMPV3_BLOCK_OLD_SOURCES;
  let stotal = 0;
  let rec: IgmpGroupRecord | null = null;
  const list = sdeleted ? pmc.tomb : pmc.sources;
  if (list.length > 0) {
    // EX and TO_EX get a fresh packet, if needed
    if (truncate && pk.hasRecords()) {
      let n = 0;
      for (const psf of list) if (isIn(pmc, psf, type, gdeleted, sdeleted)) n++;
      if (pk.available() < GREC_HEAD + 4 * n) pk.newPacket();
    }
    let first = true;
    for (const psf of [...list]) {
      if (!isIn(pmc, psf, type, gdeleted, sdeleted)) continue;
      // RFC 3376 §5.1: no source-list change records while a filter mode change is being reported.
      const skip = ((gdeleted && pmc.sfmode === MCAST_EXCLUDE) || (!gdeleted && pmc.crcount > 0)) && changeRec && psf.crcount > 0;
      if (!skip) {
        if (isquery) psf.gsresp = false;
        if (pk.available() < 4 + (first ? GREC_HEAD : 0)) {
          if (truncate && !first) break; // truncate these
          pk.newPacket();
          first = true;
        }
        if (first) {
          rec = pk.addHead(pmc, type);
          first = false;
        }
        pk.addSource(rec!, psf.inaddr);
        stotal++;
      }
      if (changeRec && psf.crcount > 0) {
        psf.crcount--;
        if ((sdeleted || gdeleted) && psf.crcount === 0) list.splice(list.indexOf(psf), 1);
      }
    }
  }
  if (!stotal) {
    if (changeRec) return;
    if (pmc.crcount > 0 || isquery) pk.addHead(pmc, type);
  }
  if (isquery) pmc.gsquery = false; // clear query state on report
}
