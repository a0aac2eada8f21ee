// net/ipv4/igmp.c: the report timers — per group (igmp_timer_expire), the v3 general-query answer
// (igmp_gq_timer_expire) and the v3 state-change retransmissions (igmp_ifc_timer_expire) — with the
// random delays the kernel draws (the seeded PRNG here). Each records why it was armed or stopped.

import { IGMP_HOST_MEMBERSHIP_REPORT, IGMPV2_HOST_MEMBERSHIP_REPORT, IGMPV3_HOST_MEMBERSHIP_REPORT } from '../wire/igmp.js';
import type { InDevice } from './devinet.js';
import { bookProfile, igmpDev, igmpV1Seen, igmpV2Seen, JIFFY, now, reasons, rng, sysctlQrv, unsolicitedReportInterval } from './igmp-dev.js';
import { igmpSendReport, igmpv3SendCr, igmpv3SendReport } from './igmp-report.js';
import type { IpMcList } from './igmp-types.js';

/** igmp_stop_timer() */
export function igmpStopTimer(im: IpMcList, reason: string): void {
  reasons.set(im, reason);
  im.timer?.del();
  im.tmRunning = false;
  im.reporter = false;
  im.unsolicitCount = 0;
}

/** igmp_start_timer(): fire at a random point of [0, max_delay) jiffies, plus 2. */
export function igmpStartTimer(im: IpMcList, maxDelay: number, reason: string): void {
  reasons.set(im, reason);
  const tv = rng(im.inDev).below(maxDelay);
  im.tmRunning = true;
  im.timer?.mod(now(im.inDev) + (tv + 2) * JIFFY);
}

/** igmp_mod_timer(): a query asks for a report within max_delay; an earlier pending report stands. */
export function igmpModTimer(im: IpMcList, maxDelay: number): void {
  im.unsolicitCount = 0;
  if (im.timer?.pending && im.timer.expires - now(im.inDev) < maxDelay * JIFFY) {
    im.tmRunning = true;
    return;
  }
  igmpStartTimer(im, maxDelay, 'query');
}

/** igmp_gq_start_timer(): the general-query response; an already running earlier one is kept. */
export function igmpGqStartTimer(inDev: InDevice): void {
  const st = igmpDev(inDev);
  const tv = rng(inDev).below(st.maxdelay);
  const exp = now(inDev) + (tv + 2) * JIFFY;
  if (st.gqRunning && exp >= st.gqTimer.expires) return;
  st.gqRunning = true;
  reasons.set(inDev, 'v3 general query');
  st.gqTimer.mod(exp);
}

export function igmpIfcStartTimer(inDev: InDevice, delay: number, reason: string): void {
  reasons.set(inDev, reason);
  const tv = rng(inDev).below(delay);
  igmpDev(inDev).ifcTimer.mod(now(inDev) + (tv + 2) * JIFFY);
}

/** igmp_ifc_event(): a v3 state change is to be reported (qrv times); not in v1/v2 mode. */
export function igmpIfcEvent(inDev: InDevice, reason: string): void {
  if (igmpV1Seen(inDev) || igmpV2Seen(inDev)) return;
  const st = igmpDev(inDev);
  st.ifcCount = sysctlQrv(inDev);
  igmpIfcStartTimer(inDev, 1, reason);
}

/** igmp_timer_expire(): the group's report (unsolicited repeat or query answer) is due. */
export function igmpTimerExpire(im: IpMcList): void {
  const inDev = im.inDev;
  im.tmRunning = false;
  if (bookProfile(inDev.dev.ns)) {
    if (im.unsolicitCount) {
      im.unsolicitCount--;
      igmpStartTimer(im, unsolicitedReportInterval(inDev), 'unsolicited report repeat');
    }
  } else if (im.unsolicitCount && --im.unsolicitCount) {
    igmpStartTimer(im, unsolicitedReportInterval(inDev), 'unsolicited report repeat');
  }
  im.reporter = true;
  if (igmpV1Seen(inDev)) igmpSendReport(inDev, im, IGMP_HOST_MEMBERSHIP_REPORT);
  else if (igmpV2Seen(inDev)) igmpSendReport(inDev, im, IGMPV2_HOST_MEMBERSHIP_REPORT);
  else igmpSendReport(inDev, im, IGMPV3_HOST_MEMBERSHIP_REPORT);
}

/** igmp_gq_timer_expire(): answer a v3 general query with the current state of every group. */
export function igmpGqTimerExpire(inDev: InDevice): void {
  igmpDev(inDev).gqRunning = false;
  igmpv3SendReport(inDev, null);
}

/** igmp_ifc_timer_expire(): send the pending state-change records, then retransmit while counts remain. */
export function igmpIfcTimerExpire(inDev: InDevice): void {
  const st = igmpDev(inDev);
  igmpv3SendCr(inDev);
  if (st.ifcCount) {
    st.ifcCount--;
    igmpIfcStartTimer(inDev, unsolicitedReportInterval(inDev), 'state-change retransmission');
  }
}
