// Tab completion for a node console, bash-like: the first word completes to a command the node's shell
// knows; later words complete from what the command takes at that position (ip objects and verbs,
// device names after `dev`, sysctl/proc paths). Pure: the caller supplies the node's device names.

import type { CompleteResponse } from './api.js';

const COMMANDS = ['cat', 'echo', 'ip', 'ping', 'sleep', 'sysctl', 'true'];
const IP_OBJECTS = ['address', 'link', 'maddress', 'mroute', 'neighbour', 'route', 'rule'];
const IP_VERBS: Record<string, string[]> = {
  address: ['add', 'change', 'del', 'flush', 'replace', 'show'],
  link: ['add', 'del', 'set', 'show'],
  route: ['add', 'append', 'change', 'del', 'flush', 'get', 'replace', 'show'],
  rule: ['add', 'del', 'flush', 'show'],
  maddress: ['add', 'del', 'show'],
  mroute: ['show'],
  neighbour: ['show'],
};
const IP_OPTIONS = ['-4', '-br', '-d', '-j', '-o', '-p', '-s'];
const PROC_FILES = [
  '/proc/net/dev',
  '/proc/net/igmp',
  '/proc/net/ip_mr_cache',
  '/proc/net/ip_mr_vif',
  '/proc/net/mcfilter',
  '/proc/sys/net/ipv4/conf/all/forwarding',
  '/proc/sys/net/ipv4/conf/all/mc_forwarding',
  '/proc/sys/net/ipv4/conf/all/rp_filter',
  '/proc/sys/net/ipv4/ip_forward',
];
const SYSCTL_KEYS = [
  'net.ipv4.conf.all.forwarding',
  'net.ipv4.conf.all.mc_forwarding',
  'net.ipv4.conf.all.rp_filter',
  'net.ipv4.conf.default.rp_filter',
  'net.ipv4.icmp_echo_ignore_broadcasts',
  'net.ipv4.igmp_max_memberships',
  'net.ipv4.ip_forward',
];
/** Words after which iproute2 and ping expect a device name. */
const DEVICE_KEYWORDS = new Set(['dev', 'oif', 'iif', '-I']);

/** Completes the last word of `line` (the text before the cursor). */
export function completeLine(line: string, devices: readonly string[]): CompleteResponse {
  const from = Math.max(line.lastIndexOf(' '), line.lastIndexOf('\t')) + 1;
  const word = line.slice(from);
  const before = line.slice(0, from).trim().split(/\s+/).filter((w) => w.length > 0);
  const pick = (words: readonly string[]): CompleteResponse => ({
    from,
    candidates: [...new Set(words)].filter((w) => w.startsWith(word)).sort(),
  });
  if (before.length === 0) return pick(COMMANDS);
  const prev = before[before.length - 1]!;
  if (DEVICE_KEYWORDS.has(prev)) return pick(devices);
  const cmd = before[0]!;
  if (cmd === 'ip') {
    const args = before.slice(1).filter((w) => !w.startsWith('-'));
    if (args.length === 0) return pick(word.startsWith('-') ? IP_OPTIONS : IP_OBJECTS);
    const obj = IP_OBJECTS.find((o) => o.startsWith(args[0]!));
    if (args.length === 1 && obj) return pick(IP_VERBS[obj] ?? []);
    // `ip link set eth0`, `ip link show eth0`: a device right after the verb.
    if (args.length === 2 && obj === 'link') return pick(devices);
    return pick(['dev']);
  }
  if (cmd === 'sysctl') return pick(word.startsWith('-') ? ['-a', '-n', '-w'] : SYSCTL_KEYS);
  if (cmd === 'cat' || cmd === 'echo') return pick(PROC_FILES);
  if (cmd === 'ping') return pick(word.startsWith('-') ? ['-I', '-c', '-i', '-s', '-t', '-W'] : []);
  return { from, candidates: [] };
}
