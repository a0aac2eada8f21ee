// What the containerlab and Kathará importers share: guessing a node's role and adding the commands
// that bring a node's connected interfaces up (containerlab and Kathará hand a container its links up).

import type { LabNodeSpec, LabSpec } from './spec.js';

const FORWARDING_ON = /(ip_forward|\.forwarding)\s*=\s*1|echo\s+1\s*>\s*\/proc\/sys\/net\/ipv4\/(ip_forward|conf\/\S+\/forwarding)/;
const ROUTER_IMAGE = /frr|quagga|bird|vyos|router|pimd|smcroute|mrouted/i;

/** A node is a router if it switches forwarding on or runs a routing image; otherwise a host. */
export function guessRole(commands: readonly string[], image?: string): LabNodeSpec['role'] {
  if (commands.some((c) => FORWARDING_ON.test(c))) return 'router';
  return image !== undefined && ROUTER_IMAGE.test(image) ? 'router' : 'host';
}

/** Interfaces of each node that links or LANs attach, in order of appearance. */
export function connectedIfaces(spec: Pick<LabSpec, 'links' | 'segments'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (node: string, iface: string): void => {
    const l = out.get(node) ?? [];
    if (!l.includes(iface)) l.push(iface);
    out.set(node, l);
  };
  for (const l of spec.links) for (const e of l.endpoints) add(e.node, e.iface);
  for (const s of spec.segments) for (const m of s.members) add(m.node, m.iface);
  return out;
}
