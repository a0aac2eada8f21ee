// The `ip` and `/proc` views of a node, printed by the engine's own commands (engine/iproute2 and the
// procfs registry), and the state parts each one depends on, so a recorder re-prints a view only when
// one of them changed. Views that change with the clock or with every packet are printed on demand only
// (ON_DEMAND_VIEWS): the state parts hold their data (absolute timer expiries, device counters).

import '../ipv4/ipmr.js';
import '../ipv4/igmp-rcv.js';
import { runArgv } from '../iproute2/shell.js';
import { ipmrNetIfAny } from '../ipv4/ipmr-table.js';
import type { Netns } from '../net/netns.js';
import { Network } from '../net/network.js';
import type { PartName } from './node-state.js';

export interface ViewSpec {
  /** The command line, also the view's name. */
  name: string;
  argv: readonly string[];
  /** State parts the text is printed from. */
  deps: readonly PartName[];
  /** Printed by ipmr: a namespace without ipmr state shows what a fresh one shows (reading must not create it). */
  ipmr?: boolean;
}

export const VIEWS: readonly ViewSpec[] = [
  { name: 'ip link show', argv: ['ip', 'link', 'show'], deps: ['links'] },
  { name: 'ip address show', argv: ['ip', 'address', 'show'], deps: ['links', 'addrs'] },
  { name: 'ip route show table all', argv: ['ip', 'route', 'show', 'table', 'all'], deps: ['fib', 'links', 'addrs'] },
  { name: 'ip rule show', argv: ['ip', 'rule', 'show'], deps: ['fib', 'links'] },
  { name: 'ip mroute show', argv: ['ip', 'mroute', 'show'], deps: ['ipmr', 'links'], ipmr: true },
  { name: 'cat /proc/net/ip_mr_vif', argv: ['cat', '/proc/net/ip_mr_vif'], deps: ['ipmr', 'links'], ipmr: true },
  { name: 'cat /proc/net/ip_mr_cache', argv: ['cat', '/proc/net/ip_mr_cache'], deps: ['ipmr'], ipmr: true },
  { name: 'ip maddress show', argv: ['ip', 'maddress', 'show'], deps: ['igmp', 'links'] },
  { name: 'cat /proc/net/mcfilter', argv: ['cat', '/proc/net/mcfilter'], deps: ['igmp', 'links'] },
];

/**
 * Views printed only on demand (a run's final views): /proc/net/igmp prints timers as time left, so its
 * text changes while the clock runs; `ip -s link` changes with every packet (its counters are in the
 * `stats` part, and per-event views print `ip link` instead).
 */
export const ON_DEMAND_VIEWS: readonly ViewSpec[] = [
  { name: 'ip -s link show', argv: ['ip', '-s', 'link', 'show'], deps: ['links', 'stats'] },
  { name: 'cat /proc/net/igmp', argv: ['cat', '/proc/net/igmp'], deps: ['igmp', 'links'] },
];

const pristine = new Map<string, string>();

/** What a view prints in a namespace where nothing has used multicast routing yet (printed once, in a scratch network). */
function pristineText(v: ViewSpec): string {
  let text = pristine.get(v.name);
  if (text === undefined) {
    const scratch = new Network({ seed: 1 }).addNode('scratch');
    text = render(scratch, v);
    pristine.set(v.name, text);
  }
  return text;
}

function render(ns: Netns, v: ViewSpec): string {
  const r = runArgv(ns, [...v.argv]);
  return r.stderr ? `${r.stdout}${r.stderr}` : r.stdout;
}

/** One view's text (call inside withoutSideEffects()). */
export function renderView(ns: Netns, v: ViewSpec): string {
  if (v.ipmr && !ipmrNetIfAny(ns)) return pristineText(v);
  return render(ns, v);
}
