// Validation as you type: what the side panel marks inline before the lab is rebuilt. The kernel would
// refuse some of these too (a bad prefix, an unknown device: the startup error says so after the rebuild);
// a duplicate address it accepts, but on one LAN it is almost always a mistake worth pointing at.

import type { TopologySpec } from '../../../main/host/workspace/topology-api.js';
import { formOf, nodeIfaces } from './model.js';

export interface Issue {
  node: string;
  /** The interface the issue is about (its address field), or null for the node's commands. */
  iface: string | null;
  message: string;
}

/** An IPv4 address with a prefix length, as `ip addr add` takes it (the prefix may be omitted: /32). */
export function addrProblem(text: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  if (!m) return `"${text}" is not an IPv4 address like 10.0.1.1/24`;
  if (m.slice(1, 5).some((o) => Number(o) > 255)) return `"${text}": each part of an address is 0 to 255`;
  if (m[5] !== undefined && Number(m[5]) > 32) return `"${text}": bad prefix /${m[5]} (an IPv4 prefix is /0 to /32)`;
  return null;
}

export function validate(t: TopologySpec): Issue[] {
  const issues: Issue[] = [];
  const owners = new Map<string, string[]>();
  for (const n of t.nodes) {
    const f = formOf(n);
    const devs = new Set(['lo', ...nodeIfaces(t, n.name)]);
    for (const [iface, addrs] of Object.entries(f.addrs)) {
      if (!devs.has(iface)) issues.push({ node: n.name, iface, message: `${n.name} has no interface "${iface}" (connect it first)` });
      for (const a of addrs) {
        const p = addrProblem(a);
        if (p) issues.push({ node: n.name, iface, message: p });
        else {
          const ip = a.split('/')[0]!;
          (owners.get(ip) ?? owners.set(ip, []).get(ip)!).push(`${n.name}:${iface}`);
        }
      }
    }
    for (const i of f.up) if (!devs.has(i)) issues.push({ node: n.name, iface: null, message: `ip link set ${i} up: ${n.name} has no interface "${i}"` });
    for (const c of f.commands) {
      const m = /\bdev\s+(\S+)/.exec(c);
      if (m && !devs.has(m[1]!)) issues.push({ node: n.name, iface: null, message: `${c}: ${n.name} has no interface "${m[1]}"` });
    }
  }
  for (const [ip, where] of owners) {
    if (where.length < 2) continue;
    for (const w of where) {
      const [node, iface] = w.split(':') as [string, string];
      issues.push({ node, iface, message: `duplicate address ${ip} (also on ${where.filter((x) => x !== w).join(', ')})` });
    }
  }
  return issues;
}
