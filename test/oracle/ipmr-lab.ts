// The ipmr oracle tests' lab: router r with upstream s (10.0.0.0/24) and downstream h1 (10.1.0.0/24),
// h2 (10.2.0.0/24), built in real namespaces and in the model, and shorthands for MRT driver operations.

import { expect } from 'vitest';
import { OracleLab } from './harness.js';
import { compareRuns, intHex, vifctlHex, type Op } from './ipmr-ops.js';
import { IPPROTO_IP, MRT_ADD_VIF, MRT_INIT } from '../../engine/socket/constants.js';

export const IP = IPPROTO_IP;

/** Router r with upstream s (10.0.0.0/24) and downstream h1 (10.1.0.0/24), h2 (10.2.0.0/24). */
export function topology(title: string): { lab: OracleLab; n: (x: string) => string; ifindex: (node: string, dev: string) => number } {
  const lab = new OracleLab(['r', 's', 'h1', 'h2'], title);
  lab.script(`
    r: link add r0 address 02:00:00:00:00:10 type veth peer name s0 address 02:00:00:00:00:20 netns {s}
    r: link add r1 address 02:00:00:00:00:11 type veth peer name h1 address 02:00:00:00:00:21 netns {h1}
    r: link add r2 address 02:00:00:00:00:12 type veth peer name h2 address 02:00:00:00:00:22 netns {h2}
    r: addr add 10.0.0.1/24 dev r0
    r: addr add 10.1.0.1/24 dev r1
    r: addr add 10.2.0.1/24 dev r2
    s: addr add 10.0.0.2/24 dev s0
    h1: addr add 10.1.0.2/24 dev h1
    h2: addr add 10.2.0.2/24 dev h2
    r: link set lo up
    r: link set r0 up
    r: link set r1 up
    r: link set r2 up
    s: link set s0 up
    h1: link set h1 up
    h2: link set h2 up
    r: -o link show
    s: -o link show
    h1: -o link show
  `);
  const n = (x: string): string => lab.names.get(x)!;
  const ifindex = (node: string, dev: string): number => lab.net.node(n(node)).devByName(dev)!.ifindex;
  return { lab, n, ifindex };
}

export function run(title: string, build: (t: ReturnType<typeof topology>) => Op[], timeoutMs?: number): void {
  const t = topology(title);
  try {
    expect(t.lab.report()).toBe('');
    const diffs = compareRuns(t.lab, build(t), timeoutMs);
    expect(diffs.join('\n')).toBe('');
  } finally {
    t.lab.destroy();
  }
}

export const set = (sock: string, opt: number, hex: string): Op => ({ op: 'setsockopt', sock, level: IP, opt, hex });
export const read = (ns: string, path: string): Op => ({ op: 'read', ns, path });
export const procs = (r: string): Op[] => [read(r, '/proc/net/ip_mr_vif'), read(r, '/proc/net/ip_mr_cache')];
/** A daemon's usual start: MRT_INIT, then VIF i on the i-th local address. */
export const initVifs = (sock: string, ...addrs: string[]): Op[] => [set(sock, MRT_INIT, intHex(1)), ...addrs.map((a, i) => set(sock, MRT_ADD_VIF, vifctlHex(i, 0, a)))];
export const mcfwd = (r: string, devs: string[]): Op[] => devs.map((d) => read(r, `/proc/sys/net/ipv4/conf/${d}/mc_forwarding`));
