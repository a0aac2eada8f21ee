// The app's daemon pane, host side: which daemon script each node runs, starting and stopping it in the
// running lab, and what it printed. Output is read back from the trace (daemon_log, sched_process_exit), the
// same record the CLI and the report use, so the pane shows exactly what the run recorded.

import type { TraceEvent } from '../../engine/sim/trace.js';
import type { DaemonLogLine, DaemonView } from './api.js';
import type { LabSession } from './lab/session.js';
import type { Daemon } from './sandbox/daemon.js';

/** Lines kept per node; older ones are dropped (the trace keeps everything). */
const MAX_LOG_LINES = 500;

interface Slot {
  node: string;
  file: string;
  source: string;
  /** The lab's `daemon.args` for this node: argv is [file, ...args]. */
  args: string[];
  daemon: Daemon | null;
  log: DaemonLogLine[];
}

export class DaemonControl {
  private readonly slots = new Map<string, Slot>();
  /** How far into the session's trace the logs have been read. */
  private scanned = 0;

  /** Takes the daemon scripts the lab declares (`daemon:` per node), not running yet: see startDeclared. */
  constructor(private session: LabSession) {
    this.declare();
  }

  /**
   * The lab was rebuilt (reset, edited topology, another lab): the daemons died with the old session. The
   * scripts are the new spec's — the app writes every edited script into the spec, so none is lost.
   */
  attach(session: LabSession): void {
    this.session = session;
    this.scanned = 0;
    this.slots.clear();
    this.declare();
  }

  private declare(): void {
    for (const n of this.session.spec.nodes) {
      if (n.daemon) this.slots.set(n.name, { node: n.name, file: n.daemon.script.file, source: n.daemon.script.source, args: [...n.daemon.args], daemon: null, log: [] });
    }
  }

  /** Starts every script the lab declares, as `workbench run` does once the start commands ran. */
  async startDeclared(): Promise<void> {
    for (const n of this.session.spec.nodes) {
      const s = n.daemon ? this.slots.get(n.name) : undefined;
      if (s && !s.daemon?.running) await this.start(s.node, s.file, s.source);
    }
  }

  /** Declares (or edits) a node's script without running it. */
  setScript(node: string, file: string, source: string): void {
    const s = this.slots.get(node);
    if (s) {
      s.file = file;
      s.source = source;
    } else this.slots.set(node, { node, file, source, args: [], daemon: null, log: [] });
  }

  list(): DaemonView[] {
    this.collect();
    return [...this.slots.values()].sort((a, b) => a.node.localeCompare(b.node)).map((s) => this.view(s));
  }

  /** Starts `source` on `node`, stopping the daemon already running there (a restart). */
  async start(node: string, file: string, source: string): Promise<DaemonView> {
    this.setScript(node, file, source);
    const s = this.slots.get(node)!;
    this.stopSlot(s);
    this.collect();
    s.log = [];
    // The node's lab files (/etc/smcroute.conf, ...) and the lab's arguments come with every start.
    const files = this.session.spec.nodes.find((n) => n.name === node)?.files ?? {};
    s.daemon = await this.session.startDaemon(node, { file, source, args: s.args, files });
    this.collect();
    return this.view(s);
  }

  stop(node: string): DaemonView | null {
    const s = this.slots.get(node);
    if (!s) return null;
    this.stopSlot(s);
    this.collect();
    return this.view(s);
  }

  private stopSlot(s: Slot): void {
    if (s.daemon?.running) s.daemon.kill('stopped from the daemon pane');
  }

  /** Reads new daemon_log / exit events of the nodes that have a slot. */
  private collect(): void {
    const events = this.session.trace.events;
    for (; this.scanned < events.length; this.scanned++) {
      const ev = events[this.scanned]!;
      if (ev.fn !== 'daemon_log' && ev.fn !== 'sched_process_exit') continue;
      const s = this.slots.get(ev.node);
      if (!s) continue;
      s.log.push(logLine(ev));
      if (s.log.length > MAX_LOG_LINES) s.log.splice(0, s.log.length - MAX_LOG_LINES);
    }
  }

  private view(s: Slot): DaemonView {
    const exit = s.daemon?.exit ?? null;
    return {
      node: s.node,
      file: s.file,
      source: s.source,
      state: s.daemon === null ? 'stopped' : exit === null ? 'running' : 'exited',
      exit: exit && {
        reason: exit.reason,
        message: exit.message,
        line: exit.position?.line ?? null,
        column: exit.position?.column ?? null,
      },
      log: s.log.map((l) => ({ ...l })),
    };
  }
}

function logLine(ev: TraceEvent): DaemonLogLine {
  const d = ev.data as Record<string, unknown>;
  if (ev.fn === 'daemon_log') return { t: ev.t, stream: 'log', text: String(d.text ?? '') };
  const reason = typeof d.reason === 'string' ? d.reason : 'exit';
  const message = typeof d.message === 'string' ? d.message : '';
  return { t: ev.t, stream: 'exit', text: message ? `${reason}: ${message}` : reason };
}
