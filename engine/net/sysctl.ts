// /proc/sys/net/ipv4: the sysctl entries of a namespace, with the kernel's proc handlers' semantics —
// proc_dointvec parsing, ranges (proc_dointvec_minmax / proc_dou8vec_minmax), read-only entries,
// devinet_sysctl_forward (ip_forward / conf.all.forwarding changes every device), and `default`
// propagating to devices that never had the entry written (devinet_copy_dflt_conf).

import { DEVCONF_NAMES, isDevconfName, type DevConf, type DevconfName } from '../ipv4/devconf.js';
import type { Ipv4Sysctls } from '../ipv4/ipv4-netns.js';
import { Errno, KernelError } from './errno.js';
import type { Netns } from './netns.js';

interface Range {
  min: number;
  max: number;
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Namespace-wide integer entries and their accepted ranges (6.18 ctl tables). */
const IPV4_ENTRIES: Record<keyof Ipv4Sysctls, Range> = {
  fib_multipath_hash_fields: { min: 0, max: 0x3f },
  fib_multipath_hash_policy: { min: 0, max: 3 },
  fib_multipath_use_neigh: { min: 0, max: 1 },
  fwmark_reflect: { min: 0, max: 1 },
  icmp_echo_ignore_all: { min: 0, max: 1 },
  icmp_echo_ignore_broadcasts: { min: 0, max: 1 },
  icmp_errors_use_inbound_ifaddr: { min: 0, max: 1 },
  icmp_ratelimit: { min: INT_MIN, max: INT_MAX },
  icmp_ratemask: { min: INT_MIN, max: INT_MAX },
  igmp_link_local_mcast_reports: { min: 0, max: 1 },
  igmp_max_memberships: { min: INT_MIN, max: INT_MAX },
  igmp_max_msf: { min: INT_MIN, max: INT_MAX },
  igmp_qrv: { min: 1, max: INT_MAX },
  ip_default_ttl: { min: 1, max: 255 },
  ip_forward_use_pmtu: { min: 0, max: 1 },
  ip_no_pmtu_disc: { min: INT_MIN, max: INT_MAX },
  ip_nonlocal_bind: { min: 0, max: 1 },
};

const READ_ONLY_DEVCONF = new Set<DevconfName>(['mc_forwarding']);

export type SysctlNode = { kind: 'dir'; children: string[] } | { kind: 'file'; readonly: boolean };

/** proc_dointvec's parser: optional sign, decimal digits, the first integer of the buffer. */
export function parseProcInt(text: string): number | null {
  const m = /^\s*([-+]?\d+)(\s.*)?$/s.exec(text);
  if (!m) return null;
  const v = Number(m[1]);
  if (!Number.isSafeInteger(v) || v < INT_MIN || v > INT_MAX) return null;
  return v;
}

export class SysctlTree {
  constructor(private readonly ns: Netns) {}

  private confFor(scope: string): DevConf | undefined {
    const v4 = this.ns.ipv4;
    if (scope === 'all') return v4.devconfAll;
    if (scope === 'default') return v4.devconfDefault;
    const dev = this.ns.devByName(scope);
    return dev ? v4.inDev(dev)?.conf : undefined;
  }

  /** Every entry under `path` ('' = all known), sorted like `sysctl -a`. */
  list(path: string[]): string[] {
    const all: string[] = ['net.ipv4.ip_forward'];
    for (const k of Object.keys(IPV4_ENTRIES)) all.push(`net.ipv4.${k}`);
    all.push('net.ipv4.fib_multipath_hash_seed');
    const scopes = ['all', 'default', ...this.ns.deviceList().map((d) => d.name)];
    for (const s of scopes) for (const n of DEVCONF_NAMES) all.push(`net.ipv4.conf.${s}.${n}`);
    const prefix = path.join('.');
    return all.filter((k) => !prefix || k === prefix || k.startsWith(`${prefix}.`)).sort(sysctlOrder);
  }

  lookup(path: string[]): SysctlNode | null {
    const key = path.join('.');
    const keys = this.list([]);
    if (keys.includes(key)) return { kind: 'file', readonly: path[2] === 'conf' && READ_ONLY_DEVCONF.has(path[4] as DevconfName) };
    const children = keys.filter((k) => k.startsWith(`${key}.`));
    return children.length > 0 ? { kind: 'dir', children } : null;
  }

  read(path: string[]): string {
    const [net, ipv4, a, scope, name] = path;
    if (net !== 'net' || ipv4 !== 'ipv4' || a === undefined) throw new KernelError(Errno.ENOENT);
    if (a === 'ip_forward' && path.length === 3) return String(this.ns.ipv4.devconfAll.values.forwarding);
    if (a === 'conf' && scope !== undefined && name !== undefined && path.length === 5 && isDevconfName(name)) {
      const conf = this.confFor(scope);
      if (conf) return String(conf.values[name]);
    }
    if (path.length === 3 && a in IPV4_ENTRIES) return String(this.ns.ipv4.sysctl[a as keyof Ipv4Sysctls]);
    if (path.length === 3 && a === 'fib_multipath_hash_seed') return String(this.ns.ipv4.fibMultipathHashSeed);
    throw new KernelError(Errno.ENOENT);
  }

  /** A write of `text` as the proc handler sees it. Throws ENOENT, EINVAL (bad value/range), EPERM (read-only). */
  write(path: string[], text: string): void {
    const v4 = this.ns.ipv4;
    const [, , a, scope, name] = path;
    const node = this.lookup(path);
    if (!node || node.kind !== 'file') throw new KernelError(Errno.ENOENT);
    if (node.readonly) throw new KernelError(Errno.EPERM);
    if (a === 'fib_multipath_hash_seed' && path.length === 3) return this.writeMultipathSeed(text);
    const value = parseProcInt(text);
    if (value === null) throw new KernelError(Errno.EINVAL);
    if (a === 'ip_forward' && path.length === 3) return this.writeForwarding('all', value);
    if (a === 'conf') {
      const conf = this.confFor(scope!)!;
      const n = name as DevconfName;
      if (n === 'forwarding') return this.writeForwarding(scope!, value);
      const changed = conf.values[n] !== value;
      conf.values[n] = value;
      conf.explicit.add(n);
      if (scope === 'default') {
        for (const dev of this.ns.deviceList()) {
          const c = v4.inDev(dev)?.conf;
          if (c && !c.explicit.has(n)) c.values[n] = value;
        }
      }
      if (changed) this.ns.emit('devinet_conf_proc', 'state', { key: path.join('.'), value });
      return;
    }
    const k = a as keyof Ipv4Sysctls;
    const r = IPV4_ENTRIES[k];
    if (value < r.min || value > r.max) throw new KernelError(Errno.EINVAL);
    if (v4.sysctl[k] !== value) this.ns.emit('proc_dointvec', 'state', { key: path.join('.'), value });
    v4.sysctl[k] = value;
  }

  /**
   * proc_fib_multipath_hash_seed(): proc_douintvec_minmax (base 0: 0x.. hex, 0.. octal; no sign; up to
   * UINT_MAX, observed on 6.18), stored as user_seed; 0 means the boot-wide random seed.
   */
  private writeMultipathSeed(text: string): void {
    const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(\s.*)?$/s.exec(text);
    const value = m ? Number(m[1]!.startsWith('0x') || m[1]!.startsWith('0X') ? m[1] : m[1]!.length > 1 && m[1]!.startsWith('0') ? `0o${m[1]!.slice(1)}` : m[1]) : NaN;
    if (!Number.isSafeInteger(value) || value > 0xffffffff) throw new KernelError(Errno.EINVAL);
    const v4 = this.ns.ipv4;
    if (v4.fibMultipathHashSeed !== value) this.ns.emit('proc_fib_multipath_hash_seed', 'state', { key: 'net.ipv4.fib_multipath_hash_seed', value });
    v4.fibMultipathHashSeed = value;
  }

  /** devinet_sysctl_forward() */
  private writeForwarding(scope: string, value: number): void {
    const v4 = this.ns.ipv4;
    const conf = this.confFor(scope)!;
    if (conf.values.forwarding === value) return;
    conf.values.forwarding = value;
    this.ns.emit('devinet_sysctl_forward', 'state', { scope, value });
    if (scope === 'all') {
      // inet_forward_change(): every device and `default` follow; a router stops accepting redirects.
      v4.devconfAll.values.accept_redirects = value ? 0 : 1;
      v4.devconfDefault.values.forwarding = value;
      for (const dev of this.ns.deviceList()) {
        const c = v4.inDev(dev)?.conf;
        if (c) {
          c.values.forwarding = value;
          c.explicit.add('forwarding');
        }
      }
    }
  }
}

/** `sysctl -a` order: procfs readdir order is by name within a directory. */
function sysctlOrder(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    // Directories and files interleave by name in procfs listings.
    return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}
