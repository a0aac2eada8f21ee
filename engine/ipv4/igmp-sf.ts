// The source-filter algebra of net/ipv4/igmp.c: how the per-socket INCLUDE/EXCLUDE lists add up to one
// interface filter (ip_mc_add1_src / ip_mc_del1_src, sf_markstate / sf_setstate), which sources a
// report record carries (is_in), and the interface-level acceptance test (ip_check_mc_rcu).

import type { Ipv4Addr } from '../wire/inet.js';
import { IGMPV3_ALLOW_NEW_SOURCES, IGMPV3_BLOCK_OLD_SOURCES, IGMPV3_CHANGE_TO_EXCLUDE, IGMPV3_CHANGE_TO_INCLUDE, IGMPV3_MODE_IS_EXCLUDE, IGMPV3_MODE_IS_INCLUDE } from '../wire/igmp.js';
import { MCAST_EXCLUDE, MCAST_INCLUDE, type IpMcList, type IpSfList, type SfMode } from './igmp-types.js';

/** ip_mc_add1_src(): a new source goes to the end of the list. */
export function ipMcAdd1Src(pmc: IpMcList, sfmode: SfMode, src: Ipv4Addr): void {
  let psf = pmc.sources.find((p) => p.inaddr === src);
  if (!psf) {
    psf = { inaddr: src, sfCount: [0, 0], gsresp: false, oldin: false, crcount: 0 };
    pmc.sources.push(psf);
  }
  psf.sfCount[sfmode]++;
}

/**
 * ip_mc_del1_src(): -1 (ESRCH) if the source is not counted in that mode; 1 if the source left the
 * filter and became a v3 "delete" record (tomb, prepended) that must be reported; else 0.
 */
export function ipMcDel1Src(pmc: IpMcList, sfmode: SfMode, src: Ipv4Addr, tombQrv: number | null): -1 | 0 | 1 {
  const i = pmc.sources.findIndex((p) => p.inaddr === src);
  const psf = pmc.sources[i];
  if (!psf || psf.sfCount[sfmode] === 0) return -1;
  psf.sfCount[sfmode]--;
  if (psf.sfCount[MCAST_INCLUDE] || psf.sfCount[MCAST_EXCLUDE]) return 0;
  pmc.sources.splice(i, 1);
  // Only in v3 mode (tombQrv given) is a source that was in the filter remembered for BLOCK/ALLOW records.
  if (psf.oldin && tombQrv !== null) {
    psf.crcount = tombQrv;
    pmc.tomb.unshift(psf);
    return 1;
  }
  return 0;
}

/** Is `psf` in the interface filter (excluded by all EXCLUDE joins, or included by one)? */
function filterHas(pmc: IpMcList, psf: IpSfList): boolean {
  if (pmc.sfcount[MCAST_EXCLUDE]) return pmc.sfcount[MCAST_EXCLUDE] === psf.sfCount[MCAST_EXCLUDE] && !psf.sfCount[MCAST_INCLUDE];
  return psf.sfCount[MCAST_INCLUDE] !== 0;
}

/** sf_markstate(): remember each source's state before a change. */
export function sfMarkstate(pmc: IpMcList): void {
  for (const psf of pmc.sources) psf.oldin = filterHas(pmc, psf);
}

/** sf_setstate(): schedule ALLOW/BLOCK records for sources whose state changed; returns how many. */
export function sfSetstate(pmc: IpMcList, qrv: number): number {
  let rv = 0;
  for (const psf of pmc.sources) {
    const newIn = filterHas(pmc, psf);
    if (newIn) {
      if (!psf.oldin) {
        const d = pmc.tomb.findIndex((t) => t.inaddr === psf.inaddr);
        if (d >= 0) pmc.tomb.splice(d, 1);
        psf.crcount = qrv;
        rv++;
      }
    } else if (psf.oldin) {
      psf.crcount = 0;
      // add or update the "delete" record of a filter entry that became inactive
      let dpsf = pmc.tomb.find((t) => t.inaddr === psf.inaddr);
      if (!dpsf) {
        dpsf = { ...psf, sfCount: [psf.sfCount[0], psf.sfCount[1]] };
        pmc.tomb.unshift(dpsf);
      }
      dpsf.crcount = qrv;
      rv++;
    }
  }
  return rv;
}

/** is_in(): does source `psf` belong in a record of `type`? */
export function isIn(pmc: IpMcList, psf: IpSfList, type: number, gdeleted: boolean, sdeleted: boolean): boolean {
  switch (type) {
    case IGMPV3_MODE_IS_INCLUDE:
    case IGMPV3_MODE_IS_EXCLUDE:
      if (gdeleted || sdeleted) return false;
      if (!(pmc.gsquery && !psf.gsresp)) {
        if (pmc.sfmode === MCAST_INCLUDE) return true;
        // don't include if this source is excluded in all filters
        if (psf.sfCount[MCAST_INCLUDE]) return type === IGMPV3_MODE_IS_INCLUDE;
        return pmc.sfcount[MCAST_EXCLUDE] === psf.sfCount[MCAST_EXCLUDE];
      }
      return false;
    case IGMPV3_CHANGE_TO_INCLUDE:
      if (gdeleted || sdeleted) return false;
      return psf.sfCount[MCAST_INCLUDE] !== 0;
    case IGMPV3_CHANGE_TO_EXCLUDE:
      if (gdeleted || sdeleted) return false;
      if (pmc.sfcount[MCAST_EXCLUDE] === 0 || psf.sfCount[MCAST_INCLUDE]) return false;
      return pmc.sfcount[MCAST_EXCLUDE] === psf.sfCount[MCAST_EXCLUDE];
    case IGMPV3_ALLOW_NEW_SOURCES:
      if (gdeleted || !psf.crcount) return false;
      return (pmc.sfmode === MCAST_INCLUDE) !== sdeleted;
    case IGMPV3_BLOCK_OLD_SOURCES:
      if (pmc.sfmode === MCAST_INCLUDE) return gdeleted || (psf.crcount > 0 && sdeleted);
      return psf.crcount > 0 && !gdeleted && !sdeleted;
    default:
      return false;
  }
}

/** The interface-level source test of ip_check_mc_rcu() for a group that exists. */
export function sourceAllowed(pmc: IpMcList, src: Ipv4Addr): boolean {
  const psf = pmc.sources.find((p) => p.inaddr === src);
  if (psf) return psf.sfCount[MCAST_INCLUDE] > 0 || psf.sfCount[MCAST_EXCLUDE] !== pmc.sfcount[MCAST_EXCLUDE];
  return pmc.sfcount[MCAST_EXCLUDE] !== 0;
}
