// The topology editor: toolbar, links drawn by dragging (cytoscape-edgehandles), the side panel, undo/redo,
// automatic layout, and the right-click menu. Every edit changes a draft TopologySpec; the editor sends it
// with `applyTopology`, which rebuilds the running lab (and autosaves it), then shows the rebuilt lab.

import type { NodeSingular } from 'cytoscape';
import edgehandles from 'cytoscape-edgehandles';
import cytoscape from 'cytoscape';
import type { LabView, WorkbenchApi } from '../../../main/host/api.js';
import type { TopologySpec } from '../../../main/host/workspace/topology-api.js';
import type { TopologyView } from '../topology.js';
import './cytoscape-augment.js';
import { ContextMenu, type MenuItem } from './context-menu.js';
import { History } from './history.js';
import { LabFilesDialog } from './lab-files-dialog.js';
import { addNode, clone, connect, deleteEdge, deleteNode, isSegment, nodeIfaces, topologyOf } from './model.js';
import { SidePanel, type Selection } from './side-panel.js';
import { buildToolbar, shortcutOf, type ToolAction } from './toolbar.js';
import { validate } from './validate.js';

cytoscape.use(edgehandles);

/** Typing pauses this long before the lab is rebuilt; with the host's autosave delay it stays under 1 s. */
export const TYPING_DEBOUNCE_MS = 300;

export interface EditorDeps {
  api: WorkbenchApi;
  view: TopologyView;
  status(msg: string, error?: boolean): void;
  /** The lab was rebuilt or changed by an event: header, consoles and counters follow. */
  labChanged(lab: LabView): void;
  /** A different lab was opened. */
  reopened(): void;
}

export class TopologyEditor {
  private topo: TopologySpec;
  private readonly history = new History<TopologySpec>();
  private selection: Selection = null;
  private readonly panel: SidePanel;
  private readonly toolbar;
  private readonly menu = new ContextMenu();
  private readonly files: LabFilesDialog;
  private readonly eh;
  private drawing = false;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private inflight = false;
  private again = false;

  constructor(pane: HTMLElement, lab: LabView, private readonly deps: EditorDeps) {
    this.topo = topologyOf(lab);
    this.panel = new SidePanel({ change: (f, typing) => this.edit(f, typing), remove: () => this.run('delete') });
    this.toolbar = buildToolbar((a) => this.run(a));
    this.files = new LabFilesDialog(deps.api, deps.reopened);
    pane.classList.add('editing');
    pane.prepend(this.toolbar.root);
    pane.append(this.panel.root);
    // The graph area shrank for the toolbar and panel: fit the lab into what is left.
    deps.view.cy.resize();
    const cy = deps.view.cy;
    this.eh = cy.edgehandles({
      canConnect: (a: NodeSingular, b: NodeSingular) => !a.same(b) && !(a.hasClass('segment') && b.hasClass('segment')),
      snap: true,
      hoverDelay: 50,
    });
    cy.on('ehcomplete', (_e, src: NodeSingular, dst: NodeSingular, added: cytoscape.EdgeSingular) => {
      added.remove();
      this.edit((t) => {
        const err = connect(t, String(src.data('name')), String(dst.data('name')));
        if (err) this.deps.status(err, true);
      });
    });
    cy.on('select unselect', () => queueMicrotask(() => this.selectionChanged()));
    cy.on('dragfree', 'node', (ev) => {
      const p = ev.target.position();
      this.topo.layout[String(ev.target.data('name'))] = { x: Math.round(p.x), y: Math.round(p.y) };
    });
    cy.on('cxttap', 'node, edge', (ev) => {
      const oe = ev.originalEvent as MouseEvent;
      this.contextMenu(ev.target.isNode() ? { node: String(ev.target.data('name')) } : { edge: ev.target.id() }, oe.clientX, oe.clientY);
    });
    document.addEventListener('keydown', (e) => {
      const a = shortcutOf(e);
      if (!a || document.querySelector('.help-overlay:not([hidden])')) return;
      e.preventDefault();
      this.run(a);
    });
    this.refreshPanel();
    this.fitReadable();
    this.markIssues();
    deps.status('Select a node, LAN or link to edit it; right-click for link down/up and device delete. H R L add, D draws links.');
  }

  run(a: ToolAction): void {
    const at = this.freeSpot();
    switch (a) {
      case 'host':
      case 'router':
      case 'segment': {
        let name = '';
        this.edit((t) => (name = addNode(t, a, at)), false, () => this.select(name));
        return;
      }
      case 'draw':
        this.drawing = !this.drawing;
        if (this.drawing) this.eh.enableDrawMode();
        else this.eh.disableDrawMode();
        this.toolbar.setDraw(this.drawing);
        this.deps.status(this.drawing ? 'Draw links: drag from one node to another. Press D again to move nodes.' : '');
        return;
      case 'delete':
        return this.deleteSelection();
      case 'undo':
      case 'redo': {
        const t = a === 'undo' ? this.history.undo(this.topo) : this.history.redo(this.topo);
        if (!t) return this.deps.status(`Nothing to ${a}.`);
        this.topo = t;
        this.apply();
        this.refreshPanel();
        return;
      }
      case 'layout':
        return this.autoLayout();
      case 'labs':
        void this.files.show().catch((e: unknown) => this.deps.status(String(e), true));
        return;
    }
  }

  /** Where a new node goes: near the middle of the view, on the first spot no node is close to. */
  private freeSpot(): { x: number; y: number } {
    const ext = this.deps.view.cy.extent();
    const c = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
    const taken = Object.values(this.topo.layout);
    for (let i = 0; i < 40; i++) {
      const p = { x: c.x + ((i % 5) - 2) * 110, y: c.y + (Math.floor(i / 5) % 4) * 100 - 100 };
      if (taken.every((q) => Math.hypot(q.x - p.x, q.y - p.y) > 90)) return p;
    }
    return c;
  }

  /** Applies one edit to the draft: recorded for undo, validated, then the lab is rebuilt. */
  private edit(f: (t: TopologySpec) => void, typing = false, after?: () => void): void {
    if (!typing || this.typingTimer === null) this.history.push(this.topo);
    f(this.topo);
    this.markIssues();
    if (typing) {
      if (this.typingTimer !== null) clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => {
        this.typingTimer = null;
        this.apply();
      }, TYPING_DEBOUNCE_MS);
      return;
    }
    this.apply(after);
  }

  /** Sends the draft; edits made meanwhile are sent once the current rebuild answers. */
  private apply(after?: () => void): void {
    if (this.inflight) {
      this.again = true;
      return;
    }
    this.inflight = true;
    this.deps.api.applyTopology(clone(this.topo)).then(
      (lab) => {
        const grew = this.deps.view.cy.nodes().length !== lab.nodes.length + lab.segments.length;
        this.deps.view.replace(lab);
        // The draft's positions are newer than the answer's when a node was dragged during the rebuild.
        for (const [name, p] of Object.entries(this.topo.layout)) {
          const el = this.deps.view.cy.getElementById(isSegment(this.topo, name) ? `s:${name}` : `n:${name}`);
          if (el.nonempty() && !el.grabbed()) el.position(p);
        }
        if (grew) this.fitReadable();
        this.markIssues();
        this.deps.labChanged(lab);
        const e = lab.startupErrors[0];
        const more = lab.startupErrors.length > 1 ? ` (and ${lab.startupErrors.length - 1} more)` : '';
        this.deps.status(e ? `Lab rebuilt; a setup command failed: ${e.node}: ${e.command}: ${e.message}${more}` : 'Lab rebuilt and saved.', !!e);
        after?.();
      },
      (e: unknown) => this.deps.status(`Cannot apply the edit: ${e instanceof Error ? e.message : String(e)}`, true),
    ).finally(() => {
      this.inflight = false;
      if (this.again) {
        this.again = false;
        this.apply();
      }
    });
  }

  /**
   * Fits the graph into the part of the pane the side panel (when open) leaves free, never zooming in past a readable
   * size (one or two nodes would otherwise fill the pane).
   */
  private fitReadable(): void {
    const cy = this.deps.view.cy;
    if (cy.nodes().empty()) return;
    const pad = 50;
    const bb = cy.elements().boundingBox();
    const w = cy.width() - (this.panel.root.hidden ? 0 : this.panel.root.offsetWidth) - 2 * pad;
    const hgt = cy.height() - 2 * pad;
    const z = Math.min(w / Math.max(bb.w, 1), hgt / Math.max(bb.h, 1), 1.2);
    cy.zoom(z);
    cy.pan({ x: pad + (w - bb.w * z) / 2 - bb.x1 * z, y: pad + (hgt - bb.h * z) / 2 - bb.y1 * z });
  }

  private select(name: string): void {
    const cy = this.deps.view.cy;
    cy.$(':selected').unselect();
    cy.getElementById(isSegment(this.topo, name) ? `s:${name}` : `n:${name}`).select();
  }

  private selectionChanged(): void {
    const sel = this.deps.view.cy.$(':selected');
    const el = sel.length === 1 ? sel[0]! : null;
    let next: Selection = null;
    if (el?.isNode()) next = el.hasClass('segment') ? { kind: 'segment', name: String(el.data('name')) } : { kind: 'node', name: String(el.data('name')) };
    else if (el?.isEdge()) next = { kind: 'edge', id: el.id() };
    if (JSON.stringify(next) === JSON.stringify(this.selection)) return;
    this.selection = next;
    this.refreshPanel();
  }

  /** The panel floats over the graph's right side while something is selected; the selection stays in view. */
  private refreshPanel(): void {
    this.panel.render(this.topo, this.selection, validate(this.topo));
    this.panel.root.hidden = this.selection === null;
    const cy = this.deps.view.cy;
    const sel = cy.$(':selected');
    if (this.selection === null || sel.empty()) return;
    const right = sel.renderedBoundingBox().x2;
    const limit = cy.width() - this.panel.root.offsetWidth - 20;
    if (right > limit) cy.panBy({ x: limit - right, y: 0 });
  }

  private markIssues(): void {
    const issues = validate(this.topo);
    const cy = this.deps.view.cy;
    cy.nodes().removeClass('has-issue');
    for (const i of issues) cy.getElementById(`n:${i.node}`).addClass('has-issue');
    this.panel.showIssues(issues, this.selection);
  }

  private deleteSelection(): void {
    const sel = this.selection;
    if (!sel) return this.deps.status('Select a node, LAN or link to delete.');
    this.selection = null;
    this.edit((t) => (sel.kind === 'edge' ? deleteEdge(t, sel.id) : deleteNode(t, sel.name)));
    this.deps.view.cy.$(':selected').unselect();
    this.refreshPanel();
  }

  private autoLayout(): void {
    const cy = this.deps.view.cy;
    const l = cy.layout({ name: 'breadthfirst', directed: false, spacingFactor: 1.3, padding: 60, animate: false, fit: true });
    l.run();
    this.edit((t) => {
      for (const n of cy.nodes()) {
        const p = n.position();
        t.layout[String(n.data('name'))] = { x: Math.round(p.x), y: Math.round(p.y) };
      }
    });
  }

  private device(node: string, iface: string, op: 'down' | 'up' | 'delete'): Promise<void> {
    return this.deps.api.deviceEvent({ node, iface, op }).then((r) => {
      if (r.rc !== 0) this.deps.status(`${node}: ${r.stderr.trim()}`, true);
    });
  }

  /** Engine events change the running lab only (not the topology); the view then shows the new link states. */
  private contextMenu(target: { node: string } | { edge: string }, x: number, y: number): void {
    const after = (p: Promise<unknown>): void =>
      void p.then(() => this.deps.api.getLab()).then((lab) => {
        this.deps.view.replace(lab);
        this.deps.labChanged(lab);
      }, (e: unknown) => this.deps.status(String(e), true));
    const items: MenuItem[] = [];
    let title: string;
    if ('node' in target) {
      const name = target.node;
      title = name;
      if (!isSegment(this.topo, name)) {
        for (const i of nodeIfaces(this.topo, name)) {
          items.push({ label: `${i} down`, run: () => after(this.device(name, i, 'down')) });
          items.push({ label: `${i} up`, run: () => after(this.device(name, i, 'up')) });
          items.push({ label: `Delete device ${i} (ip link del)`, run: () => after(this.device(name, i, 'delete')), danger: true });
        }
      }
      items.push({ label: `Remove ${name} from the topology`, run: () => this.edit((t) => deleteNode(t, name)), danger: true });
    } else {
      const id = target.edge;
      const m = /^l:(\d+)$/.exec(id);
      const ends = m ? (this.topo.links[Number(m[1])]?.endpoints ?? []) : [(([, , node, iface]) => ({ node: node!, iface: iface! }))(id.split(':'))];
      title = ends.map((e) => `${e.node}:${e.iface}`).join(' — ');
      items.push({ label: 'Link down', run: () => after(Promise.all(ends.map((e) => this.device(e.node, e.iface, 'down')))) });
      items.push({ label: 'Link up', run: () => after(Promise.all(ends.map((e) => this.device(e.node, e.iface, 'up')))) });
      items.push({ label: 'Remove the link from the topology', run: () => this.edit((t) => deleteEdge(t, id)), danger: true });
    }
    this.menu.open(x, y, title, items);
  }
}
