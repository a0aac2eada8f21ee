// The daemons of a running lab: each node's `daemon:` (the starter, the reference solution, or a student's
// script given with `--daemon NODE=FILE`) and extra processes a `daemon` action starts from a lab script.
// They start after every node's start commands; stop is a kill (the process dies, its sockets close through
// the kernel's close path: an mroute socket runs mrtsock_destruct). Exits the lab did not ask for — a throw,
// a CPU or memory fault, a syntax error — are kept as crashes with the script's file:line:col.

import type { QuickJSWASMModule } from 'quickjs-emscripten-core';
import { Daemon, type DaemonExit } from '../sandbox/daemon.js';
import { loadQuickJS } from '../sandbox/quickjs.js';
import type { LabSession } from './session.js';
import type { DaemonScript } from './spec.js';

export interface DaemonChoice {
  /** Run each node's reference solution script (where the lab has one) instead of its starter. */
  solution?: boolean;
  /** A student's script per node, replacing (or adding) that node's daemon. */
  overrides?: ReadonlyMap<string, DaemonScript>;
}

export interface DaemonExitRecord {
  node: string;
  file: string;
  /** False when the lab stopped it (a `daemon: { do: stop }` action); true for a crash. */
  crashed: boolean;
  exit: DaemonExit;
}

interface Proc {
  node: string;
  script: DaemonScript;
  args: string[];
  daemon: Daemon | null;
  /** The lab stopped the current process (a daemon action), so its exit is not a crash. */
  stoppedByLab: boolean;
}

export class LabDaemons {
  private readonly procs = new Map<string, Proc>();
  readonly exits: DaemonExitRecord[] = [];
  private reported = 0;

  private constructor(
    private readonly session: LabSession,
    private readonly qjs: QuickJSWASMModule,
  ) {}

  /** Loads the sandbox and starts every node's daemon (in node order), after the start commands already ran. */
  static async start(session: LabSession, choice: DaemonChoice = {}): Promise<LabDaemons> {
    const d = new LabDaemons(session, await loadQuickJS());
    for (const n of session.spec.nodes) {
      const own = n.daemon ? (choice.solution && n.daemon.solution ? n.daemon.solution : n.daemon.script) : null;
      const script = choice.overrides?.get(n.name) ?? own;
      if (!script) continue;
      d.procs.set(n.name, { node: n.name, script, args: n.daemon?.args ?? [], daemon: null, stoppedByLab: false });
      d.launch(n.name);
    }
    for (const node of choice.overrides?.keys() ?? []) if (!session.net.nodes.has(node)) throw new Error(`--daemon ${node}=...: the lab has no node "${node}"`);
    return d;
  }

  /** The process key: the node's own daemon is the node's name; an extra process adds its script. */
  private static key(node: string, script?: DaemonScript): string {
    return script ? `${node} ${script.file}` : node;
  }

  /** The running daemon of a node (its own, or the extra process running `script`). */
  get(node: string, script?: DaemonScript): Daemon | null {
    const p = this.procs.get(LabDaemons.key(node, script));
    return p?.daemon?.running ? p.daemon : null;
  }

  private launch(key: string): Daemon {
    const p = this.procs.get(key)!;
    const n = this.session.spec.nodes.find((x) => x.name === p.node);
    p.stoppedByLab = false;
    p.daemon = Daemon.start(this.qjs, this.session.net.node(p.node), { file: p.script.file, source: p.script.source, args: p.args, files: n?.files ?? {} });
    this.collect();
    return p.daemon;
  }

  /** start | stop | restart; returns what happened, in words (an error when it cannot). */
  control(node: string, what: 'start' | 'stop' | 'restart', extra?: { script: DaemonScript; args: string[] }): { ok: boolean; output: string } {
    const key = LabDaemons.key(node, extra?.script);
    if (extra && !this.procs.has(key)) this.procs.set(key, { node, script: extra.script, args: extra.args, daemon: null, stoppedByLab: false });
    const p = this.procs.get(key);
    if (!p) return { ok: false, output: `${node} has no daemon` };
    const running = p.daemon?.running ?? false;
    if (what === 'start' && running) return { ok: false, output: `${node}: ${p.script.file} is already running` };
    if (what === 'stop' && !running) return { ok: false, output: `${node}: ${p.script.file} is not running` };
    if (what !== 'start' && running) {
      p.stoppedByLab = true;
      p.daemon!.kill('stopped by the lab');
      this.collect();
    }
    if (what === 'stop') return { ok: true, output: `${node}: stopped ${p.script.file}` };
    const d = this.launch(key);
    return d.running ? { ok: true, output: `${node}: started ${p.script.file}${p.args.length ? ` ${p.args.join(' ')}` : ''}` } : { ok: true, output: `${node}: started ${p.script.file}; it exited at once: ${d.exit!.message}` };
  }

  /** Records exits not recorded yet (a daemon may die in any callback, while time advances). */
  collect(): void {
    for (const p of this.procs.values()) {
      const d = p.daemon;
      if (!d?.exit || this.exits.some((e) => e.exit === d.exit)) continue;
      this.exits.push({ node: p.node, file: p.script.file, crashed: !p.stoppedByLab, exit: d.exit });
    }
  }

  /** Exits recorded since the last call (for progress output). */
  takeNewExits(): DaemonExitRecord[] {
    this.collect();
    const out = this.exits.slice(this.reported);
    this.reported = this.exits.length;
    return out;
  }

  /** Crashes so far (exits the lab did not ask for). */
  get crashes(): DaemonExitRecord[] {
    this.collect();
    return this.exits.filter((e) => e.crashed);
  }
}

export function formatDaemonExit(e: DaemonExitRecord): string {
  return `${e.node}: daemon ${e.file} ${e.crashed ? 'crashed' : 'stopped'} at t=${(e.exit.at / 1e9).toFixed(3)} s: ${e.exit.message}`;
}
