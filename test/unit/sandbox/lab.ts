// A small lab for sandbox tests: r1 —— r2 on 10.0.12.0/24, a trace sink, and a daemon starter.

import { devOpen } from '../../../engine/net/dev.js';
import { Network } from '../../../engine/net/network.js';
import { MemorySink } from '../../../engine/sim/trace.js';
import { Daemon, type DaemonOptions } from '../../../main/host/sandbox/daemon.js';
import { loadQuickJS } from '../../../main/host/sandbox/quickjs.js';
import { addr } from '../helpers/topo.js';

export interface SandboxLab {
  net: Network;
  sink: MemorySink;
  start(node: string, source: string, opts?: Partial<DaemonOptions>): Promise<Daemon>;
  logs(node?: string): string[];
}

export function sandboxLab(seed = 1): SandboxLab {
  const net = new Network({ seed });
  const sink = new MemorySink();
  net.sim.trace.addSink(sink);
  for (const n of ['r1', 'r2']) devOpen(net.addNode(n, 'router').devByName('lo')!);
  net.link('r1', 'eth0', 'r2', 'eth0');
  addr(net.node('r1'), 'eth0', '10.0.12.1/24');
  addr(net.node('r2'), 'eth0', '10.0.12.2/24');
  net.sim.run();
  return {
    net,
    sink,
    async start(node, source, opts = {}) {
      return Daemon.start(await loadQuickJS(), net.node(node), { file: `${node}.ts`, source, ...opts });
    },
    logs(node) {
      return sink.events.filter((e) => e.fn === 'daemon_log' && (!node || e.node === node)).map((e) => String(e.data.text));
    },
  };
}
