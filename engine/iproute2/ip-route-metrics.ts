// iproute_modify()'s route metrics (iproute2 6.1): `mtu [lock] N`, `advmss`, `hoplimit`, `window`,
// `cwnd`, `initcwnd`, `initrwnd`, `ssthresh`, `reordering`, `quickack`, gathered into RTA_METRICS with
// the RTAX_LOCK mask last. The time metrics (rtt, rttvar, rto_min), features, congctl and
// fastopen_no_cookie are not modelled yet.

import { invarg } from './ip-errors.js';
import { getU32 } from './ip-parse.js';
import { matches, type Args } from './ip-utils.js';

interface MetricSpec {
  word: string;
  rtax: number;
  /** iproute2 compares with strcmp (true) or matches() (a prefix is enough). */
  exact: boolean;
  /** The name in the invarg message ("advmss" says "mss"). */
  msgName: string;
}

const METRICS: MetricSpec[] = [
  { word: 'mtu', rtax: 2, exact: true, msgName: 'mtu' },
  { word: 'hoplimit', rtax: 10, exact: true, msgName: 'hoplimit' },
  { word: 'advmss', rtax: 8, exact: true, msgName: 'mss' },
  { word: 'reordering', rtax: 9, exact: false, msgName: 'reordering' },
  { word: 'window', rtax: 3, exact: true, msgName: 'window' },
  { word: 'cwnd', rtax: 7, exact: false, msgName: 'cwnd' },
  { word: 'initcwnd', rtax: 11, exact: false, msgName: 'initcwnd' },
  { word: 'initrwnd', rtax: 14, exact: false, msgName: 'initrwnd' },
  { word: 'quickack', rtax: 15, exact: false, msgName: 'quickack' },
  { word: 'ssthresh', rtax: 6, exact: false, msgName: 'ssthresh' },
];

/** RTA_METRICS being built: (RTAX type, value) pairs and the lock mask. */
export interface MetricsBuilder {
  mx: Array<[number, number]>;
  lock: number;
}

/** Takes a metric keyword at `a.cur` (and its value); false if `a.cur` is not one. */
export function parseRouteMetric(a: Args, mb: MetricsBuilder): boolean {
  const w = a.cur;
  const spec = METRICS.find((m) => (m.exact ? w === m.word : matches(w, m.word)));
  if (!spec) return false;
  let v = a.next();
  if (spec.rtax !== 15 && v === 'lock') {
    mb.lock |= 1 << spec.rtax;
    v = a.next();
  }
  const n = getU32(v);
  if (n === null || (spec.rtax === 10 && n > 255)) invarg(`"${spec.msgName}" value is invalid\n`, v);
  if (spec.rtax === 15 && n !== 0 && n !== 1) invarg('"quickack" value should be 0 or 1\n', v);
  mb.mx.push([spec.rtax, n]);
  return true;
}

/** The RTA_METRICS of the request (RTAX_LOCK appended last), or undefined when none was given. */
export function routeMetrics(mb: MetricsBuilder): Array<[number, number]> | undefined {
  if (mb.lock) mb.mx.push([1, mb.lock >>> 0]);
  return mb.mx.length ? mb.mx : undefined;
}
