// Renderer entry: connect to the host (preload or web socket), then build the header, topology and consoles.

import './styles.css';
import { connectApi } from './api-client.js';
import { ConsolePane } from './console-pane.js';
import { renderHeader } from './lab-header.js';
import { applyTheme, initialTheme, type Theme } from './theme.js';
import { TopologyView } from './topology.js';
import { installSideTabs, type SideTabs } from './side-tabs.js';
import { TopologyEditor } from './editor/editor.js';
import { installProgressBar } from './progress-bar.js';
import { runEvents } from './progress-events.js';
import { installGraphOverlay } from './graph/graph-overlay.js';
import { splitter } from './layout/splitter.js';

async function start(): Promise<void> {
  let theme: Theme = initialTheme();
  applyTheme(theme);
  const status = document.getElementById('status')!;
  const api = await connectApi();
  installProgressBar(status, runEvents());
  // Graph | side panes: the student decides how much room the trace or the consoles get.
  const topologyPane = document.getElementById('topology-pane')!;
  topologyPane.after(splitter({ axis: 'x', target: topologyPane, key: 'workspace', initial: 0.5, min: 260, reserve: 520, label: 'Resize the graph and the side panes' }));
  const lab = await api.getLab();
  document.title = `${lab.title} — Routing Lab Workbench`;
  let topology: TopologyView | null = null;
  let side: SideTabs | null = null;
  const header = renderHeader(document.getElementById('lab-header')!, lab, {
    toggleTheme: () => {
      theme = theme === 'dark' ? 'light' : 'dark';
      applyTheme(theme);
      topology?.restyle();
      side?.restyle();
    },
    fit: () => topology?.fit(),
    // The consoles and the view start over with the lab; a reload is the simplest faithful way.
    reset: () => void api.reset().then(() => location.reload(), (e: unknown) => (status.textContent = String(e))),
  });
  // The header's clock follows a long run as it advances (progress-bar.ts shows the same).
  runEvents().onProgress((p) => header.setTime(p.now));
  const refresh = (): void => {
    api.getLab().then(
      (l) => {
        topology?.update(l);
        header.setTime(l.now);
        side?.refresh();
      },
      (e: unknown) => (status.textContent = String(e)),
    );
  };
  side = installSideTabs(lab, api, refresh, (e: unknown) => (status.textContent = e instanceof Error ? e.message : String(e)));
  let consoles = new ConsolePane(document.getElementById('console-pane')!, lab, api, refresh);
  topology = new TopologyView(document.getElementById('topology')!, lab, {
    // A click on a node opens its console, bringing the consoles forward from whichever pane showed.
    openConsole: (n) => {
      side?.show('consoles');
      consoles.open(n);
    },
    moved: (id, x, y) => void api.moveNode({ node: id, x, y }).catch((e: unknown) => (status.textContent = String(e))),
  });
  // The topology editor: edits rebuild the lab; the consoles start over when the set of nodes changes.
  let nodeNames = lab.nodes.map((n) => n.name).join(' ');
  new TopologyEditor(document.getElementById('topology-pane')!, lab, {
    api,
    view: topology,
    status: (msg, error = false) => {
      status.textContent = msg;
      status.classList.toggle('error', error);
    },
    labChanged: (l) => {
      header.setTime(l.now);
      side?.refresh();
      const names = l.nodes.map((n) => n.name).join(' ');
      if (names === nodeNames) return;
      nodeNames = names;
      const root = document.getElementById('console-pane')!;
      root.replaceChildren();
      consoles = new ConsolePane(root, l, api, refresh);
    },
    reopened: () => location.reload(),
  });
  // The Trace tab's selection on the graph: causal chain, the packet's path, packets per link.
  installGraphOverlay(topology, api, (e: unknown) => (status.textContent = e instanceof Error ? e.message : String(e)));
  document.body.dataset.ready = 'true';
}

start().catch((e: unknown) => {
  const status = document.getElementById('status');
  if (status) {
    status.textContent = `Cannot start: ${e instanceof Error ? e.message : String(e)}`;
    status.classList.add('error');
  }
});
