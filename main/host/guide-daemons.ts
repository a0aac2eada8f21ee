// A guide step's `daemon:` actions in the app. The node's own daemon belongs to the daemon pane
// (DaemonControl), so a step starts, stops or restarts it there and the pane shows the same process and log.
// A step's extra process (`script:`, e.g. a second daemon that must fail MRT_INIT) runs beside it, as
// LabDaemons does in the CLI: starting it must not kill the student's daemon.

import type { DaemonControl } from './daemon-control.js';
import { baseName, type DaemonActionRunner } from './guide.js';
import type { LabSession } from './lab/session.js';
import type { Daemon } from './sandbox/daemon.js';

export function daemonActionRunner(session: LabSession, daemons: DaemonControl): DaemonActionRunner {
  const extras = new Map<string, Daemon>();
  return async (a) => {
    const node = session.spec.nodes.find((n) => n.name === a.node);
    if (!node || !session.net.nodes.has(a.node)) return { ok: false, output: `no node "${a.node}"` };
    if (a.script) {
      const key = `${a.node} ${a.script.file}`;
      const name = baseName(a.script.file);
      const running = extras.get(key)?.running ?? false;
      if (a.do === 'start' && running) return { ok: false, output: `${a.node}: ${name} is already running` };
      if (a.do === 'stop' && !running) return { ok: false, output: `${a.node}: ${name} is not running` };
      if (running) extras.get(key)!.kill('stopped by the lab');
      if (a.do === 'stop') return { ok: true, output: `${a.node}: stopped ${name}` };
      const d = await session.startDaemon(a.node, { file: a.script.file, source: a.script.source, args: a.args ?? [], files: node.files ?? {} });
      extras.set(key, d);
      return { ok: true, output: `${a.node}: started ${name}${d.running ? '' : `; it exited at once: ${d.exit!.message}`}` };
    }
    if (a.do === 'stop') {
      // The pane may hold the lab's script without running it: only a running daemon can be stopped.
      const running = daemons.list().some((d) => d.node === a.node && d.state === 'running');
      const v = running ? daemons.stop(a.node) : null;
      return v ? { ok: true, output: `${a.node}: stopped ${v.file}` } : { ok: false, output: `${a.node} has no daemon to stop` };
    }
    // The script the pane holds for the node (possibly edited by the student), else the lab's starter.
    const held = daemons.list().find((d) => d.node === a.node);
    const script = held ? { file: held.file, source: held.source } : node.daemon?.script;
    if (!script) return { ok: false, output: `${a.node} has no daemon script to ${a.do}` };
    const v = await daemons.start(a.node, script.file, script.source);
    return { ok: true, output: `${a.node}: started ${v.file}${v.state === 'running' ? '' : `; it exited at once: ${v.exit?.message ?? ''}`}` };
  };
}
