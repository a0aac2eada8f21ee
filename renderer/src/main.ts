// Renderer entry: connect to the host (preload or web socket), then build the header, topology and consoles.

import './styles.css';
import { connectApi } from './api-client.js';
import { ConsolePane } from './console-pane.js';
import { renderHeader } from './lab-header.js';
import { applyTheme, initialTheme, type Theme } from './theme.js';
import { TopologyView } from './topology.js';

async function start(): Promise<void> {
  let theme: Theme = initialTheme();
  applyTheme(theme);
  const status = document.getElementById('status')!;
  const api = await connectApi();
  const lab = await api.getLab();
  document.title = `${lab.title} — Routing Lab Workbench`;
  let topology: TopologyView | null = null;
  const header = renderHeader(document.getElementById('lab-header')!, lab, {
    toggleTheme: () => {
      theme = theme === 'dark' ? 'light' : 'dark';
      applyTheme(theme);
      topology?.restyle();
    },
    fit: () => topology?.fit(),
    // The consoles and the view start over with the lab; a reload is the simplest faithful way.
    reset: () => void api.reset().then(() => location.reload(), (e: unknown) => (status.textContent = String(e))),
  });
  const refresh = (): void => {
    api.getLab().then(
      (l) => {
        topology?.update(l);
        header.setTime(l.now);
      },
      (e: unknown) => (status.textContent = String(e)),
    );
  };
  const consoles = new ConsolePane(document.getElementById('console-pane')!, lab, api, refresh);
  topology = new TopologyView(document.getElementById('topology')!, lab, {
    openConsole: (n) => consoles.open(n),
    moved: (id, x, y) => void api.moveNode({ node: id, x, y }).catch((e: unknown) => (status.textContent = String(e))),
  });
  document.body.dataset.ready = 'true';
}

start().catch((e: unknown) => {
  const status = document.getElementById('status');
  if (status) {
    status.textContent = `Cannot start: ${e instanceof Error ? e.message : String(e)}`;
    status.classList.add('error');
  }
});
