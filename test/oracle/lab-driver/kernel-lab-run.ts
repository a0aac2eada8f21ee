// A lab run on the kernel side: KernelLab's namespaces, a lab_driver.py per namespace for the traffic
// actions, and the lab's daemons — the same sandboxed TypeScript as the model runs — on real kernel
// sockets. The daemons' simulation (timers, wakeups, trace) is an empty engine Network whose clock is
// pumped to real time, so a daemon's setTimeout is a real-time timer. Waits are asynchronous: the event
// loop must stay free for the datagrams and upcalls the daemons receive while traffic flows.

import { performance } from 'node:perf_hooks';
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';
import { Network } from '../../../engine/net/network.js';
import { KernelError } from '../../../engine/net/errno.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';
import type { DeliveryCheck, LabAction } from '../../../main/host/lab/steps.js';
import { Daemon } from '../../../main/host/sandbox/daemon.js';
import type { SocketFactory } from '../../../main/host/sandbox/engine-sockets.js';
import { KernelLab, sh } from '../kernel-lab.js';
import { kernelSocketFactory, kernelSystem } from './kernel-sockets.js';
import { NsDriver } from './ns-driver.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let rxCounter = 1_000_000;

interface Proc {
  node: string;
  file: string;
  source: string;
  args: string[];
  daemon: Daemon | null;
}

export class KernelLabRun {
  readonly lab: KernelLab;
  private readonly drivers = new Map<string, NsDriver>();
  private readonly factories = new Map<string, SocketFactory>();
  private readonly receivers = new Map<string, { node: string }>();
  private readonly procs = new Map<string, Proc>();
  /** Exits of the daemons, as "node: message" (a crash the model may not have). */
  readonly exits: string[] = [];
  private readonly net = new Network({ seed: 1 });
  private readonly t0 = performance.now();
  private readonly pumpTimer: NodeJS.Timeout;

  constructor(
    readonly spec: LabSpec,
    private readonly qjs: QuickJSWASMModule,
  ) {
    this.lab = new KernelLab(spec);
    this.pumpTimer = setInterval(() => this.pump(), 5);
  }

  /** The daemons' simulated clock follows the real one. */
  /** The longest gap between two pumps (ms) while a wait lets traffic flow: how late a daemon may have answered. */
  waitLagMs = 0;
  private waiting = false;
  private lastPump = performance.now();

  private pump(): void {
    const now = performance.now();
    if (this.waiting) this.waitLagMs = Math.max(this.waitLagMs, now - this.lastPump);
    this.lastPump = now;
    this.net.sim.run({ until: Math.max(this.net.sim.now, Math.round((performance.now() - this.t0) * 1e6)) });
    for (const p of this.procs.values()) {
      const e = p.daemon?.exit;
      if (e && e.reason !== 'killed' && !this.exits.some((x) => x.endsWith(e.message))) this.exits.push(`${p.node}: ${e.message}`);
    }
  }

  driver(node: string): NsDriver {
    let d = this.drivers.get(node);
    if (!d) {
      d = new NsDriver(this.lab.ns(node));
      this.drivers.set(node, d);
    }
    return d;
  }

  /** Every node's daemon (the reference solution's script when `solution` and the lab has one). */
  startDaemons(solution: boolean): void {
    for (const n of this.spec.nodes) {
      if (!n.daemon) continue;
      const script = solution && n.daemon.solution ? n.daemon.solution : n.daemon.script;
      this.procs.set(n.name, { node: n.name, file: script.file, source: script.source, args: n.daemon.args ?? [], daemon: null });
      this.launch(n.name);
    }
  }

  private launch(key: string): void {
    const p = this.procs.get(key)!;
    this.pump();
    if (!this.net.nodes.has(p.node)) this.net.addNode(p.node, 'router');
    let factory = this.factories.get(p.node);
    if (!factory) {
      const drv = this.driver(p.node);
      factory = kernelSocketFactory(drv);
      const onPush = drv.onPush!;
      // A datagram wakes the daemon now, not at the next pump tick.
      drv.onPush = (msg) => {
        onPush(msg);
        this.pump();
      };
      this.factories.set(p.node, factory);
    }
    const files = this.spec.nodes.find((n) => n.name === p.node)?.files ?? {};
    p.daemon = Daemon.start(this.qjs, this.net.node(p.node), { file: p.file, source: p.source, args: p.args, files, socketFactory: factory, system: kernelSystem(this.lab.ns(p.node)) });
    this.pump();
  }

  private ifindex(node: string, iface: string | undefined): number {
    if (iface === undefined) return 0;
    const r = sh(['ip', '-n', this.lab.ns(node), '-j', 'link', 'show', 'dev', iface]);
    if (r.rc !== 0) throw new Error(`${node}: no interface ${iface}: ${r.stderr}`);
    return (JSON.parse(r.stdout) as Array<{ ifindex: number }>)[0]!.ifindex;
  }

  async action(a: LabAction): Promise<void> {
    switch (a.type) {
      case 'wait':
        this.pump();
        this.waiting = true;
        await sleep(a.duration / 1e6);
        this.pump();
        this.waiting = false;
        return;
      case 'udp-receiver': {
        const req: Record<string, unknown> = { op: 'rx', sid: rxCounter++, name: a.name, port: a.port };
        if (a.group !== undefined) req.group = a.group;
        if (a.iface !== undefined) req.ifindex = this.ifindex(a.node, a.iface);
        if (a.bind !== undefined) req.bind = a.bind;
        this.driver(a.node).call(req);
        this.receivers.set(a.name, { node: a.node });
        return;
      }
      case 'udp-sender': {
        const req: Record<string, unknown> = { op: 'tx', dst: a.dst, port: a.port, count: a.count, interval: (a.interval ?? 1e9) / 1e9 };
        for (const k of ['size', 'ttl', 'tos', 'src', 'sport'] as const) if (a[k] !== undefined) req[k] = a[k];
        if (a.iface !== undefined) req.ifindex = this.ifindex(a.node, a.iface);
        this.driver(a.node).call(req);
        return;
      }
      case 'join':
      case 'leave':
        this.driver(a.node).call({ op: a.type, group: a.group, ifindex: this.ifindex(a.node, a.iface) });
        return;
      case 'daemon': {
        const key = a.script ? `${a.node} ${a.script.file}` : a.node;
        if (a.script && !this.procs.has(key)) this.procs.set(key, { node: a.node, file: a.script.file, source: a.script.source, args: a.args ?? [], daemon: null });
        const p = this.procs.get(key);
        if (!p) throw new Error(`${a.node} has no daemon`);
        if (a.do !== 'start' && p.daemon?.running) p.daemon.kill('stopped by the lab');
        if (a.do !== 'stop' && !p.daemon?.running) this.launch(key);
        return;
      }
      default:
        this.lab.action(a);
    }
  }

  /** A delivery check judged on what the kernel's receiver got (the model's rules: exact, or min/max). */
  delivery(c: DeliveryCheck): { passed: boolean; message: string } {
    const rx = this.receivers.get(c.receiver);
    if (!rx) return { passed: false, message: `receiver ${c.receiver} was never started` };
    let got: Array<[string, string]>;
    try {
      got = this.driver(rx.node).call({ op: 'received', name: c.receiver }) as Array<[string, string]>;
    } catch (e) {
      if (e instanceof KernelError) return { passed: false, message: String(e) };
      throw e;
    }
    const n = got.filter(([src, dst]) => (c.from === undefined || src === c.from) && (c.to === undefined || dst === c.to)).length;
    const lo = c.min ?? (c.max === undefined ? 1 : 0);
    const passed = c.packets !== undefined ? n === c.packets : n >= lo && (c.max === undefined || n <= c.max);
    return { passed, message: `receiver ${c.receiver}: ${n} datagram(s) matched of ${got.length}` };
  }

  destroy(): void {
    clearInterval(this.pumpTimer);
    for (const p of this.procs.values()) {
      try {
        if (p.daemon?.running) p.daemon.kill('end of test');
      } catch {
        // a driver that died already closed its sockets with it
      }
    }
    for (const d of this.drivers.values()) d.close();
    this.lab.destroy();
  }
}
