// The editor's toolbar over the topology: add host/router/LAN, draw links, delete, undo/redo, layout, lab files.
// Each button names its keyboard shortcut (listed in the help overlay too).

import { h } from '../dom.js';

export type ToolAction = 'host' | 'router' | 'segment' | 'draw' | 'delete' | 'undo' | 'redo' | 'layout' | 'labs';

export const TOOLS: { action: ToolAction; label: string; key: string; title: string }[] = [
  { action: 'host', label: '+ Host', key: 'H', title: 'Add a host' },
  { action: 'router', label: '+ Router', key: 'R', title: 'Add a router (IPv4 forwarding on)' },
  { action: 'segment', label: '+ LAN', key: 'L', title: 'Add a LAN segment (a switch)' },
  { action: 'draw', label: 'Draw links', key: 'D', title: 'Drag from one node to another to link them' },
  { action: 'delete', label: 'Delete', key: 'Del', title: 'Delete the selected node, LAN or link' },
  { action: 'undo', label: 'Undo', key: 'Ctrl+Z', title: 'Undo the last edit' },
  { action: 'redo', label: 'Redo', key: 'Ctrl+Shift+Z', title: 'Redo' },
  { action: 'layout', label: 'Layout', key: 'A', title: 'Arrange the topology automatically' },
  { action: 'labs', label: 'Labs…', key: 'Ctrl+O', title: 'Open, save or download lab files; recent labs' },
];

export interface Toolbar {
  root: HTMLElement;
  setDraw(on: boolean): void;
  setEnabled(action: ToolAction, on: boolean): void;
}

export function buildToolbar(run: (a: ToolAction) => void): Toolbar {
  const buttons = new Map<ToolAction, HTMLButtonElement>();
  const root = h('div', { class: 'editor-toolbar', role: 'toolbar', 'aria-label': 'Topology editor' });
  for (const t of TOOLS) {
    const b = h('button', { type: 'button', class: 'tool', id: `tool-${t.action}`, title: `${t.title} (${t.key})`, 'aria-keyshortcuts': t.key }, t.label);
    b.addEventListener('click', () => run(t.action));
    buttons.set(t.action, b);
    root.append(b);
  }
  return {
    root,
    setDraw: (on) => {
      buttons.get('draw')!.classList.toggle('active', on);
      buttons.get('draw')!.setAttribute('aria-pressed', String(on));
    },
    setEnabled: (a, on) => {
      buttons.get(a)!.disabled = !on;
    },
  };
}

/** The shortcut's action for a key event outside text fields, or null. */
export function shortcutOf(e: KeyboardEvent): ToolAction | null {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return null;
  // The daemon pane's Monaco editor takes its own Ctrl+Z.
  if (t?.closest?.('.monaco-editor')) return null;
  const ctrl = e.ctrlKey || e.metaKey;
  const k = e.key.toLowerCase();
  if (ctrl && k === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (ctrl && k === 'y') return 'redo';
  if (ctrl && k === 'o') return 'labs';
  if (ctrl || e.altKey) return null;
  if (e.key === 'Delete' || e.key === 'Backspace') return 'delete';
  const map: Record<string, ToolAction> = { h: 'host', r: 'router', l: 'segment', d: 'draw', a: 'layout' };
  return map[k] ?? null;
}

/** A toggle button styled like the tools (the graph's "Counters"): pressed state in aria-pressed. */
export function toolbarToggle(id: string, label: string, title: string, pressed: boolean, changed: (on: boolean) => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'tool graph-toggle', id, title, 'aria-pressed': String(pressed) }, label);
  b.addEventListener('click', () => {
    const on = b.getAttribute('aria-pressed') !== 'true';
    b.setAttribute('aria-pressed', String(on));
    changed(on);
  });
  return b;
}
