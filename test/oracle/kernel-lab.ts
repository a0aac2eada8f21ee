// A lab's topology built in real network namespaces (veth pairs, a bridge namespace per LAN), its start
// commands run with the real tools: the kernel side of the lab oracle tests (lab-checks, lab-daemons).

import { spawnSync } from 'node:child_process';
import type { CmdResult } from '../../engine/iproute2/result.js';
import type { LabSpec } from '../../main/host/lab/spec.js';
import type { LabAction } from '../../main/host/lab/steps.js';

const ENV = { ...process.env, LC_ALL: 'C', LANG: 'C' };
export function sh(args: string[]): CmdResult {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', env: ENV, timeout: 30_000 });
  return { rc: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.error ? String(r.error) : (r.stderr ?? '') };
}

let counter = 0;
export const live = new Set<KernelLab>();

/** A lab built in real namespaces, named uniquely; destroy() deletes every namespace it made. */
export class KernelLab {
  private readonly names = new Map<string, string>();
  private readonly created: string[] = [];

  constructor(spec: LabSpec) {
    live.add(this);
    const prefix = `rlwlab-${process.pid}-${counter++}`;
    const add = (name: string): string => {
      const r = sh(['ip', 'netns', 'add', name]);
      if (r.rc !== 0) throw new Error(`ip netns add ${name}: ${r.stderr}`);
      this.created.push(name);
      const s = sh(['ip', 'netns', 'exec', name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
      if (s.rc !== 0) throw new Error(`disabling IPv6 in ${name}: ${s.stderr}`);
      return name;
    };
    spec.nodes.forEach((n, i) => this.names.set(n.name, add(`${prefix}-n${i}`)));
    const must = (args: string[]): void => {
      const r = sh(args);
      if (r.rc !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    };
    for (const l of spec.links) {
      const [a, b] = l.endpoints;
      must(['ip', '-n', this.ns(a.node), 'link', 'add', a.iface, 'type', 'veth', 'peer', 'name', b.iface, 'netns', this.ns(b.node)]);
    }
    spec.segments.forEach((s, i) => {
      const br = add(`${prefix}-lan${i}`);
      must(['ip', '-n', br, 'link', 'add', 'br0', 'type', 'bridge']);
      must(['ip', '-n', br, 'link', 'set', 'br0', 'up']);
      s.members.forEach((m, j) => {
        must(['ip', '-n', br, 'link', 'add', `p${j}`, 'type', 'veth', 'peer', 'name', m.iface, 'netns', this.ns(m.node)]);
        must(['ip', '-n', br, 'link', 'set', `p${j}`, 'master', 'br0', 'up']);
      });
    });
    for (const n of spec.nodes) {
      must(['ip', '-n', this.ns(n.name), 'link', 'set', 'lo', 'up']);
      for (const c of n.startup) {
        const r = this.run(n.name, c);
        if (r.rc !== 0) throw new Error(`${n.name}: ${c}: ${r.stderr}`);
      }
    }
  }

  ns(node: string): string {
    const n = this.names.get(node);
    if (!n) throw new Error(`no node ${node}`);
    return n;
  }

  run(node: string, line: string): CmdResult {
    return sh(['ip', 'netns', 'exec', this.ns(node), 'sh', '-c', line]);
  }

  action(a: LabAction): void {
    switch (a.type) {
      case 'command':
        this.run(a.node, a.run);
        return;
      case 'link-down':
      case 'link-up':
        this.run(a.node, `ip link set dev ${a.iface} ${a.type === 'link-down' ? 'down' : 'up'}`);
        return;
      case 'link-delete':
        this.run(a.node, `ip link del dev ${a.iface}`);
        return;
      case 'ping': {
        // -W 1: iputils otherwise waits 10 s for replies that will not come; the outcome is the same.
        const opts = [`-c ${a.count}`, '-W 1'];
        if (a.interval !== undefined) opts.push(`-i ${a.interval / 1e9}`);
        if (a.size !== undefined) opts.push(`-s ${a.size}`);
        if (a.ttl !== undefined) opts.push(`-t ${a.ttl}`);
        if (a.iface !== undefined) opts.push(`-I ${a.iface}`);
        this.run(a.node, `ping ${opts.join(' ')} ${a.dst}`);
        return;
      }
      case 'wait':
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, a.duration / 1e6);
        return;
      default:
        throw new Error(`action ${a.type} is not run by the kernel oracle yet`);
    }
  }

  destroy(): void {
    live.delete(this);
    for (const n of this.created.reverse()) sh(['ip', 'netns', 'del', n]);
  }
}

