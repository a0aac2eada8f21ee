// A builder for daemon scenario tests: nodes, point-to-point links with addresses, static routes, the
// reference daemons from labs/daemons started with their config files, multicast receivers and senders.

import { readFileSync } from 'node:fs';
import { devOpen } from '../../engine/net/dev.js';
import { Network } from '../../engine/net/network.js';
import { runCommandLine } from '../../engine/iproute2/shell.js';
import { MemorySink } from '../../engine/sim/trace.js';
import type { UdpSocket } from '../../engine/ipv4/udp.js';
import { NSEC_PER_MSEC } from '../../engine/sim/time.js';
import { Daemon } from '../../main/host/sandbox/daemon.js';
import { loadQuickJS } from '../../main/host/sandbox/quickjs.js';
import { addr, ip4 } from '../unit/helpers/topo.js';

export const daemonSource = (name: string): string => readFileSync(new URL(`../../labs/daemons/${name}`, import.meta.url), 'utf8');

export interface Receiver {
  /** Payload bytes (first byte of each datagram) received so far. */
  got(): number[];
  leave(): void;
  join(): void;
}

export class DaemonLab {
  readonly net: Network;
  readonly sink = new MemorySink();
  readonly daemons: Daemon[] = [];

  constructor(seed = 1) {
    this.net = new Network({ seed });
    this.net.sim.trace.addSink(this.sink);
  }

  node(name: string, role: 'host' | 'router'): this {
    devOpen(this.net.addNode(name, role).devByName('lo')!);
    return this;
  }

  /** A link a:devA (addrA) — b:devB (addrB), both CIDRs. */
  link(a: string, devA: string, addrA: string, b: string, devB: string, addrB: string): this {
    this.net.link(a, devA, b, devB);
    addr(this.net.node(a), devA, addrA);
    addr(this.net.node(b), devB, addrB);
    return this;
  }

  /** A shared LAN segment with each [node, dev, CIDR] attached. */
  lan(name: string, members: [string, string, string][]): this {
    this.net.addSegment(name);
    for (const [n, dev, cidr] of members) {
      this.net.attach(n, dev, name);
      addr(this.net.node(n), dev, cidr);
    }
    return this;
  }

  ip(node: string, line: string): this {
    const r = runCommandLine(this.net.node(node), `ip ${line}`);
    if (r.rc !== 0) throw new Error(`${node}: ip ${line}: ${r.stderr}`);
    return this;
  }

  cat(node: string, path: string): string {
    return runCommandLine(this.net.node(node), `cat ${path}`).stdout;
  }

  /** The Oifs column of `node`'s /proc/net/ip_mr_cache entries from the source 10.0.0.10 (e.g. '1:1 2:1'). */
  oifs(node: string): string[] {
    return this.cat(node, '/proc/net/ip_mr_cache').split('\n').filter((l) => / 0A00000A /.test(l)).map((l) => l.trim().split(/\s+/).slice(6).join(' '));
  }

  /** PktsIn of VIF `vif` in `node`'s /proc/net/ip_mr_vif. */
  vifPktsIn(node: string, vif: number): number {
    return Number(this.cat(node, '/proc/net/ip_mr_vif').split('\n')[vif + 1]!.trim().split(/\s+/)[3]);
  }

  async start(node: string, file: string, files: Record<string, string> = {}, args: string[] = []): Promise<Daemon> {
    const d = Daemon.start(await loadQuickJS(), this.net.node(node), { file, source: daemonSource(file), files, args });
    if (d.exit) throw new Error(d.exit.message);
    this.daemons.push(d);
    return d;
  }

  receiver(node: string, dev: string, group: string, port = 5000): Receiver {
    const ns = this.net.node(node);
    const s: UdpSocket = ns.ipv4.udp.create(ns);
    s.bind(0, port);
    const req = { multiaddr: ip4(group), ifindex: ns.devByName(dev)!.ifindex };
    s.join(req);
    return { got: () => s.queue.map((d) => d.data[0]!), leave: () => s.leave(req), join: () => s.join(req) };
  }

  /** `count` datagrams to `group` with TTL 8, payload byte = `tag`. */
  send(node: string, dev: string, group: string, tag: number, count = 1, port = 5000): void {
    const ns = this.net.node(node);
    const u = ns.ipv4.udp.create(ns);
    u.mcTtl = 8;
    u.mcIndex = ns.devByName(dev)!.ifindex;
    for (let i = 0; i < count; i++) u.sendto(new Uint8Array([tag]), ip4(group), port);
    u.close();
  }

  run(ms: number): void {
    this.net.sim.run({ until: this.net.sim.now + ms * NSEC_PER_MSEC });
  }

  logs(node?: string): string[] {
    return this.sink.events.filter((e) => e.fn === 'daemon_log' && (!node || e.node === node)).map((e) => String(e.data.text));
  }

  /** Every daemon still running (a crash would show its message here). */
  exits(): string[] {
    return this.daemons.filter((d) => d.exit).map((d) => d.exit!.message);
  }
}
