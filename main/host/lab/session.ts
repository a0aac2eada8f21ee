// A running lab: the Network built from a LabSpec, its startup scripts run, and the operations the app and
// the CLI perform on it (commands on a node, advancing simulated time). Loopback devices come up with the
// node, as in a container; every other device is configured by the node's startup commands.

import { devOpen } from '../../../engine/net/dev.js';
import { Network } from '../../../engine/net/network.js';
import { runCommandLine, startCommandLine } from '../../../engine/iproute2/shell.js';
import type { CmdResult } from '../../../engine/iproute2/result.js';
import { MemorySink, type TraceSink } from '../../../engine/sim/trace.js';
import type { Nanos } from '../../../engine/sim/time.js';
import type { LabSpec } from './spec.js';
import { Daemon, type DaemonOptions } from '../sandbox/daemon.js';
import { loadQuickJS } from '../sandbox/quickjs.js';

/** How a long command is run in slices of simulated time (see runCommandSliced). */
export interface RunSlicing {
  /** Simulated time per slice (ns). */
  slice: Nanos;
  /** Between slices: yields to the host's event loop (so a cancel can arrive) and reports progress. */
  between(p: { start: Nanos; now: Nanos; target: Nanos; label?: string }): Promise<void>;
  /** True once the user asked to stop: the command is interrupted (SIGINT) at the current simulated time. */
  cancelled(): boolean;
}

export interface StartupError {
  node: string;
  file: string;
  line: number;
  command: string;
  rc: number;
  message: string;
}

export class LabSession {
  readonly net: Network;
  readonly trace = new MemorySink();
  readonly startupErrors: StartupError[] = [];

  constructor(
    readonly spec: LabSpec,
    /** `sinks` see the whole run from its first event (e.g. a SqliteSink recording it). */
    /** `recorders` make sinks that need the network (a ReplayRecorder); they are added before `sinks`. */
    opts: { seed?: number; sinks?: readonly TraceSink[]; recorders?: readonly ((net: Network) => TraceSink)[] } = {},
  ) {
    this.net = new Network({ seed: opts.seed ?? spec.seed });
    // The kernel profile the lab asks for: 'book' switches the engine to the behaviour the chapter describes.
    this.net.profile = spec.profile;
    this.net.sim.trace.addSink(this.trace);
    for (const make of opts.recorders ?? []) this.net.sim.trace.addSink(make(this.net));
    for (const sink of opts.sinks ?? []) this.net.sim.trace.addSink(sink);
    for (const n of spec.nodes) {
      const ns = this.net.addNode(n.name, n.role);
      devOpen(ns.devByName('lo')!);
    }
    for (const l of spec.links) this.net.link(l.endpoints[0].node, l.endpoints[0].iface, l.endpoints[1].node, l.endpoints[1].iface);
    for (const s of spec.segments) for (const m of s.members) this.net.attach(m.node, m.iface, s.name);
    for (const n of spec.nodes) {
      n.startup.forEach((command, i) => {
        const r = this.runCommand(n.name, command);
        if (r.rc !== 0) {
          this.startupErrors.push({
            node: n.name,
            file: n.startupSource?.file ?? `${spec.name}:${n.name}`,
            line: n.startupSource?.lines[i] ?? i + 1,
            command,
            rc: r.rc,
            message: r.stderr.trim(),
          });
        }
      });
    }
  }

  get now(): Nanos {
    return this.net.sim.now;
  }

  /** Runs one console command on a node, as typed (`ip addr`, `sysctl -w ...`, `ping -c 3 10.0.0.2`). */
  runCommand(node: string, line: string): CmdResult {
    const ns = this.net.nodes.get(node);
    if (!ns) return { rc: 127, stdout: '', stderr: `no node "${node}"\n` };
    return runCommandLine(ns, line);
  }

  /**
   * Runs one console command like runCommand, advancing simulated time in slices: the simulation is the
   * same whatever the slice (Sim.run to successive bounds runs the same events in the same order).
   */
  async runCommandSliced(node: string, line: string, s: RunSlicing): Promise<CmdResult & { interrupted: boolean }> {
    const ns = this.net.nodes.get(node);
    if (!ns) return { rc: 127, stdout: '', stderr: `no node "${node}"\n`, interrupted: false };
    const run = startCommandLine(ns, line);
    if (run.until === null) return { ...run.finish(false), interrupted: false };
    const interrupted = await this.advanceSliced(run.until, s);
    return { ...run.finish(interrupted), interrupted };
  }

  /** Runs the simulation to absolute time `target` in slices; true if cancelled before reaching it. */
  async advanceSliced(target: Nanos, s: RunSlicing): Promise<boolean> {
    const start = this.now;
    for (;;) {
      await s.between({ start, now: this.now, target });
      if (s.cancelled()) return this.now < target;
      if (this.now >= target) return false;
      this.net.sim.run({ until: Math.min(target, this.now + Math.max(1, s.slice)) });
    }
  }

  /** Starts a daemon script on a node (its top level runs now); see main/host/sandbox/daemon.ts. */
  async startDaemon(node: string, opts: DaemonOptions): Promise<Daemon> {
    const ns = this.net.nodes.get(node);
    if (!ns) throw new Error(`no node "${node}"`);
    return Daemon.start(await loadQuickJS(), ns, opts);
  }

  /** Advances simulated time by `duration` ns, running everything due. */
  advance(duration: Nanos): void {
    this.net.sim.run({ until: this.net.sim.now + duration });
  }
}
