// The daemon pane: one tab per node's daemon script, the Monaco editor with the daemon API's types, run /
// stop / restart on the node, and the daemon's output. Type errors come from Monaco's TypeScript worker;
// crash positions (file:line:col) come from the sandbox and become markers too, so both kinds of mistake
// show where the student typed them.

import type { editor as MonacoEditor } from 'monaco-editor/editor';
import type { DaemonView, LabView, WorkbenchApi } from '../../../main/host/api.js';
import { h } from '../dom.js';
import { setupMonaco, type Monaco } from './monaco-setup.js';
import template from '../../../labs/daemons/static-mroute.ts?raw';

/** Edits reach the host this long after the last keystroke (the autosave promise is one second). */
const SAVE_DELAY_MS = 400;
const SANDBOX_OWNER = 'sandbox';

interface Tab {
  node: string;
  file: string;
  model: MonacoEditor.ITextModel;
  button: HTMLButtonElement;
  view: DaemonView | null;
  saveTimer: number | undefined;
}

export class DaemonPane {
  private readonly monaco: Monaco;
  private readonly editor: MonacoEditor.IStandaloneCodeEditor;
  private readonly tabs: Tab[] = [];
  private current: Tab | null = null;
  private readonly tabBar = h('div', { class: 'daemon-tabs', role: 'tablist' });
  private readonly state = h('span', { class: 'daemon-state' });
  private readonly problems = h('button', { type: 'button', class: 'daemon-problems', title: 'Go to the first problem' });
  private readonly output = h('div', { class: 'daemon-output', 'aria-live': 'polite' });
  private readonly empty = h('p', { class: 'hint daemon-empty' }, 'No daemon yet. Pick a router and start from the static multicast routing daemon.');

  constructor(
    root: HTMLElement,
    private readonly lab: LabView,
    private readonly api: WorkbenchApi,
    private readonly changed: () => void,
    private readonly fail: (e: unknown) => void,
  ) {
    this.monaco = setupMonaco();
    const routers = lab.nodes.filter((n) => n.role === 'router').map((n) => n.name);
    const picker = h('select', { class: 'daemon-node', 'aria-label': 'Router for a new daemon' });
    for (const n of routers.length ? routers : lab.nodes.map((x) => x.name)) picker.append(h('option', { value: n }, n));
    const add = h('button', { type: 'button', class: 'daemon-new' }, 'New daemon');
    add.addEventListener('click', () => this.newDaemon(picker.value));
    const run = h('button', { type: 'button', class: 'daemon-run', title: 'Run on the node (Ctrl+Enter)' }, '▶ Run');
    const stop = h('button', { type: 'button', class: 'daemon-stop', title: 'Stop (Ctrl+Shift+X)' }, '■ Stop');
    run.addEventListener('click', () => void this.run());
    stop.addEventListener('click', () => void this.stop());
    this.problems.addEventListener('click', () => this.gotoFirstProblem());
    const editorHost = h('div', { class: 'daemon-editor' });
    root.append(
      h('div', { class: 'daemon-toolbar' }, this.tabBar, picker, add),
      h('div', { class: 'daemon-toolbar' }, run, stop, this.state, this.problems),
      this.empty,
      editorHost,
      h('div', { class: 'daemon-output-title' }, 'Daemon output'),
      this.output,
    );
    this.editor = this.monaco.editor.create(editorHost, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      // The pane is half a laptop screen wide: wrap rather than scroll sideways; room below the last line
      // keeps its squiggle clear of the scrollbar.
      wordWrap: 'on',
      scrollBeyondLastLine: true,
      theme: document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs',
    });
    this.editor.addCommand(this.monaco.KeyMod.CtrlCmd | this.monaco.KeyCode.Enter, () => void this.run());
    this.editor.addCommand(this.monaco.KeyMod.CtrlCmd | this.monaco.KeyMod.Shift | this.monaco.KeyCode.KeyX, () => void this.stop());
    this.monaco.editor.onDidChangeMarkers(() => this.showProblems());
    this.render();
    void this.refresh();
  }

  /** Follows the app's light/dark theme. */
  restyle(): void {
    this.monaco.editor.setTheme(document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs');
  }

  /** Re-reads every daemon's state and output (after a command advanced simulated time, for instance). */
  async refresh(): Promise<void> {
    const views = await this.api.listDaemons();
    for (const v of views) {
      const tab = this.tabs.find((t) => t.node === v.node) ?? this.addTab(v.node, v.file, v.source);
      tab.view = v;
    }
    this.render();
  }

  private newDaemon(node: string): void {
    if (!node) return;
    const existing = this.tabs.find((t) => t.node === node);
    if (existing) return this.select(existing);
    const tab = this.addTab(node, 'static-mroute.ts', template);
    this.select(tab);
    this.save(tab);
  }

  private addTab(node: string, file: string, source: string): Tab {
    // A lab's own daemon comes with the lab's path to it: the tab shows the file name, the tooltip the path.
    const base = file.slice(file.lastIndexOf('/') + 1);
    const uri = this.monaco.Uri.parse(`file:///${node}/${base}`);
    const model = this.monaco.editor.getModel(uri) ?? this.monaco.editor.createModel(source, 'typescript', uri);
    const button = h('button', { type: 'button', class: 'daemon-tab', role: 'tab', title: file }, `${node} · ${base}`);
    const tab: Tab = { node, file, model, button, view: null, saveTimer: undefined };
    button.addEventListener('click', () => this.select(tab));
    model.onDidChangeContent(() => {
      // An edit makes the last crash position stale.
      this.monaco.editor.setModelMarkers(model, SANDBOX_OWNER, []);
      window.clearTimeout(tab.saveTimer);
      tab.saveTimer = window.setTimeout(() => this.save(tab), SAVE_DELAY_MS);
    });
    this.tabs.push(tab);
    this.tabBar.append(button);
    if (!this.current) this.select(tab);
    return tab;
  }

  private select(tab: Tab): void {
    this.current = tab;
    this.editor.setModel(tab.model);
    this.render();
    this.editor.focus();
  }

  private save(tab: Tab): void {
    window.clearTimeout(tab.saveTimer);
    tab.saveTimer = undefined;
    this.api.saveDaemon({ node: tab.node, file: tab.file, source: tab.model.getValue() }).catch(this.fail);
  }

  private async run(): Promise<void> {
    const tab = this.current;
    if (!tab) return;
    window.clearTimeout(tab.saveTimer);
    try {
      tab.view = await this.api.startDaemon({ node: tab.node, file: tab.file, source: tab.model.getValue() });
      this.markExit(tab);
      this.render();
      this.changed();
    } catch (e) {
      this.fail(e);
    }
  }

  private async stop(): Promise<void> {
    const tab = this.current;
    if (!tab) return;
    try {
      tab.view = await this.api.stopDaemon({ node: tab.node });
      this.render();
      this.changed();
    } catch (e) {
      this.fail(e);
    }
  }

  /** A crash with a position becomes a marker on that line, and the editor shows it. */
  private markExit(tab: Tab): void {
    const exit = tab.view?.exit;
    if (!exit || exit.line === null || exit.reason === 'killed') {
      this.monaco.editor.setModelMarkers(tab.model, SANDBOX_OWNER, []);
      return;
    }
    const line = Math.min(exit.line, tab.model.getLineCount());
    const col = exit.column ?? 1;
    this.monaco.editor.setModelMarkers(tab.model, SANDBOX_OWNER, [
      { severity: this.monaco.MarkerSeverity.Error, message: exit.message, startLineNumber: line, startColumn: col, endLineNumber: line, endColumn: tab.model.getLineMaxColumn(line) },
    ]);
    if (tab === this.current) this.reveal(line, col);
  }

  private reveal(line: number, column: number): void {
    this.editor.revealLineInCenter(line);
    this.editor.setPosition({ lineNumber: line, column });
    this.editor.focus();
  }

  private errors(): MonacoEditor.IMarker[] {
    if (!this.current) return [];
    return this.monaco.editor.getModelMarkers({ resource: this.current.model.uri }).filter((m) => m.severity === this.monaco.MarkerSeverity.Error);
  }

  private showProblems(): void {
    const n = this.errors().length;
    this.problems.textContent = n === 0 ? 'No problems' : `${n} problem${n === 1 ? '' : 's'}`;
    this.problems.classList.toggle('has-errors', n > 0);
    this.problems.dataset.count = String(n);
  }

  private gotoFirstProblem(): void {
    const m = this.errors().sort((a, b) => a.startLineNumber - b.startLineNumber)[0];
    if (m) this.reveal(m.startLineNumber, m.startColumn);
  }

  private render(): void {
    for (const t of this.tabs) {
      t.button.classList.toggle('active', t === this.current);
      t.button.setAttribute('aria-selected', String(t === this.current));
      t.button.dataset.state = t.view?.state ?? 'stopped';
    }
    this.empty.hidden = this.tabs.length > 0;
    const v = this.current?.view ?? null;
    const state = v?.state ?? 'stopped';
    this.state.textContent = state === 'exited' ? `exited (${v!.exit?.reason ?? '?'})` : state;
    this.state.dataset.state = state;
    this.output.replaceChildren(...(v?.log ?? []).map((l) => this.outputLine(l.t, l.stream, l.text, v!)));
    this.output.scrollTop = this.output.scrollHeight;
    this.showProblems();
  }

  private outputLine(t: number, stream: 'log' | 'exit', text: string, v: DaemonView): HTMLElement {
    const el = h('div', { class: `daemon-line ${stream}` }, h('span', { class: 'daemon-time' }, `${(t / 1e9).toFixed(3)} s `), text);
    if (stream === 'exit' && v.exit?.line != null) {
      const { line, column } = v.exit;
      el.classList.add('jump');
      el.title = `Go to line ${line}`;
      el.addEventListener('click', () => this.reveal(line, column ?? 1));
    }
    return el;
  }
}
