// The keyboard shortcuts, shown by the Help button or by pressing `?` outside a console; Esc closes.

import { h } from './dom.js';

const SHORTCUTS: [string, string][] = [
  ['Enter', 'run the command'],
  ['↑ / ↓', 'previous / next command in this console'],
  ['Tab', 'complete a command, ip object, device name, sysctl key or /proc path (twice lists the choices)'],
  ['Ctrl+L, clear', 'clear the console'],
  ['Ctrl+C', 'stop the running command (in a console); at the prompt, a fresh line'],
  ['Click a node', "open the node's console"],
  ['Drag a node', 'move it (the position is kept)'],
  ['Alt+1 / 2 / 3 / 4 / 5', 'consoles / daemon scripts / trace / lab guide / SQL query console'],
  ['↑ ↓ (or k j), PgUp PgDn, Home End', 'step back and forward through the trace (in the trace list)'],
  ['Drag a splitter, ← → ↑ ↓ on it', 'resize the graph, the event list and the event detail (double-click: default)'],
  ['Esc (on the graph)', "clear the selected event's chain and its packet's path"],
  ['Ctrl+Enter', 'run the daemon script on its node (in the editor)'],
  ['Ctrl+Shift+X', 'stop the daemon (in the editor)'],
  ['Ctrl+Space', 'IntelliSense: the daemon API (in the editor)'],
  ['H / R / L', 'add a host / router / LAN segment to the topology'],
  ['D', 'draw links: drag from a node to another (D again: move nodes)'],
  ['Del', 'delete the selected node, LAN or link'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo a topology edit'],
  ['A', 'arrange the topology automatically'],
  ['Ctrl+O', 'lab files: open, save, recent, download'],
  ['Right-click', 'link down/up, device delete (on the running lab)'],
  ['?', 'this help'],
  ['Esc', 'close this help'],
];

export function installHelp(button: HTMLButtonElement): void {
  const table = h('table', { class: 'shortcuts' });
  for (const [k, v] of SHORTCUTS) table.append(h('tr', {}, h('th', {}, h('kbd', {}, k)), h('td', {}, v)));
  const close = h('button', { type: 'button', class: 'tool' }, 'Close');
  const dialog = h('div', { class: 'help-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Keyboard shortcuts' }, h('h2', {}, 'Keyboard shortcuts'), table, close);
  const overlay = h('div', { class: 'help-overlay', id: 'help-overlay' }, dialog);
  overlay.hidden = true;
  document.body.append(overlay);
  const show = (on: boolean): void => {
    overlay.hidden = !on;
    if (on) close.focus();
  };
  button.addEventListener('click', () => show(true));
  close.addEventListener('click', () => show(false));
  overlay.addEventListener('click', (e) => {
    if (e.target === overlay) show(false);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !overlay.hidden) show(false);
    // Not while typing: '?' belongs to the console line or the editor (Monaco types into a textarea).
    else if (e.key === '?' && !(e.target instanceof HTMLInputElement) && !(e.target instanceof HTMLTextAreaElement)) show(true);
  });
}
