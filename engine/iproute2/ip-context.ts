// State one `ip` invocation carries around: the namespace it runs in, the global options, stdout
// (text or JSON, see ip-print.ts) and stderr for warnings printed before a command goes on.

import type { Netns } from '../net/netns.js';
import type { IpOptions } from './ip-options.js';
import type { Printer } from './ip-print.js';

export interface IpCtx {
  ns: Netns;
  opts: IpOptions;
  out: Printer;
  stderr: string;
}

/** ll_name_to_index(): a device name, or iproute2's "ifN" spelling of an index; 0 if neither. */
export function llNameToIndex(ns: Netns, name: string): number {
  const dev = ns.devByName(name);
  if (dev) return dev.ifindex;
  const m = /^if(\d+)$/.exec(name);
  return m ? Number(m[1]) : 0;
}

/** ll_index_to_name(): unknown indexes print as "ifN". */
export function llIndexToName(ns: Netns, ifindex: number): string {
  return ns.devByIndex(ifindex)?.name ?? `if${ifindex}`;
}

/** The name `ip netns` knows a namespace by: lab nodes are named namespaces, segment bridges are not. */
export function netnsName(ns: Netns): string | null {
  return ns.net.nodes.get(ns.name) === ns ? ns.name : null;
}
