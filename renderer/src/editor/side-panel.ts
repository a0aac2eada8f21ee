// The side panel: what is selected, editable. A node: its interfaces (peer, addresses, up), sysctls and
// setup commands; a link: its two endpoints' device names; a LAN: its members. Typing edits the draft at
// once (validation shows inline under the field); the editor rebuilds the lab shortly after.

import type { TopologySpec } from '../../../main/host/workspace/topology-api.js';
import { h } from '../dom.js';
import { execOf, formOf, nodeIfaces, type NodeForm } from './model.js';
import type { Issue } from './validate.js';

export type Selection = { kind: 'node'; name: string } | { kind: 'segment'; name: string } | { kind: 'edge'; id: string } | null;

export interface PanelEvents {
  /** An edit from a field; `typing` edits are debounced and merged into one undo step. */
  change(edit: (t: TopologySpec) => void, typing: boolean): void;
  remove(): void;
}

const IFNAME = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,14}$/;

function peerOf(t: TopologySpec, node: string, iface: string): string {
  for (const l of t.links) {
    const i = l.endpoints.findIndex((e) => e.node === node && e.iface === iface);
    if (i >= 0) return `${l.endpoints[1 - i]!.node}:${l.endpoints[1 - i]!.iface}`;
  }
  const s = t.segments.find((g) => g.members.some((m) => m.node === node && m.iface === iface));
  return s ? `LAN ${s.name}` : '';
}

const splitList = (v: string): string[] => v.split(/[\s,]+/).filter(Boolean);
const lines = (v: string): string[] => v.split('\n').map((l) => l.trim()).filter(Boolean);

export class SidePanel {
  readonly root = h('aside', { class: 'editor-panel', id: 'editor-panel', 'aria-label': 'Selected element' });
  private errorSlots = new Map<string, HTMLElement>();

  constructor(private readonly events: PanelEvents) {}

  render(t: TopologySpec, sel: Selection, issues: Issue[]): void {
    this.errorSlots.clear();
    if (!sel) {
      this.root.replaceChildren(h('p', { class: 'hint' }, 'Select a node, LAN or link to edit it. Right-click for link down/up and device delete.'));
    } else if (sel.kind === 'node') this.renderNode(t, sel.name);
    else if (sel.kind === 'segment') this.renderSegment(t, sel.name);
    else this.renderEdge(t, sel.id);
    this.showIssues(issues, sel);
  }

  /** Updates the inline messages only (the fields keep focus and caret while typing). */
  showIssues(issues: Issue[], sel: Selection): void {
    for (const slot of this.errorSlots.values()) slot.replaceChildren();
    if (!sel || sel.kind !== 'node') return;
    for (const i of issues) {
      if (i.node !== sel.name) continue;
      const slot = this.errorSlots.get(i.iface ?? '*') ?? this.errorSlots.get('*');
      slot?.append(h('div', { class: 'field-error', role: 'alert' }, i.message));
    }
  }

  private slot(key: string): HTMLElement {
    const el = h('div', { class: 'field-errors' });
    this.errorSlots.set(key, el);
    return el;
  }

  private renderNode(t: TopologySpec, name: string): void {
    const node = t.nodes.find((n) => n.name === name);
    if (!node) return this.render(t, null, []);
    const form = formOf(node);
    const update = (f: (form: NodeForm) => void): void =>
      this.events.change((tt) => {
        const n = tt.nodes.find((x) => x.name === name)!;
        const ff = formOf(n);
        f(ff);
        n.exec = execOf(ff);
      }, true);
    const role = h('select', { id: 'node-role', 'aria-label': 'Role' }, h('option', { value: 'host' }, 'host'), h('option', { value: 'router' }, 'router'));
    role.value = node.role;
    role.addEventListener('change', () =>
      this.events.change((tt) => {
        tt.nodes.find((x) => x.name === name)!.role = role.value === 'router' ? 'router' : 'host';
      }, false),
    );
    const ifaceRows = h('div', { class: 'iface-list' });
    const ifaces = nodeIfaces(t, name);
    // Addresses on a device the node does not have still show, so the error next to them makes sense.
    for (const extra of Object.keys(form.addrs)) if (!ifaces.includes(extra) && extra !== 'lo') ifaces.push(extra);
    if (ifaces.length === 0) ifaceRows.append(h('p', { class: 'hint' }, 'No interfaces yet: draw a link to another node or a LAN.'));
    for (const i of ifaces) {
      const addr = h('input', { type: 'text', class: 'iface-addrs', id: `addr-${name}-${i}`, 'data-iface': i, placeholder: '10.0.1.1/24', spellcheck: 'false', autocomplete: 'off' });
      addr.value = (form.addrs[i] ?? []).join(', ');
      const up = h('input', { type: 'checkbox', class: 'iface-up', id: `up-${name}-${i}`, 'data-iface': i });
      up.checked = form.up.includes(i);
      addr.addEventListener('input', () => {
        // The first address on a device also brings it up (it can be unticked): what a student means.
        if (addr.value.trim() && !(form.addrs[i] ?? []).length && !up.checked) up.checked = true;
        update((f) => {
          f.addrs[i] = splitList(addr.value);
          if (up.checked && !f.up.includes(i)) f.up.push(i);
        });
        form.addrs[i] = splitList(addr.value);
      });
      up.addEventListener('change', () =>
        update((f) => {
          f.up = up.checked ? [...f.up.filter((x) => x !== i), i] : f.up.filter((x) => x !== i);
        }),
      );
      ifaceRows.append(
        h('div', { class: 'iface-row' },
          h('label', { class: 'iface-name', for: addr.id }, i, h('span', { class: 'iface-peer' }, ` → ${peerOf(t, name, i) || 'not connected'}`)),
          h('div', { class: 'iface-fields' }, addr, h('label', { class: 'iface-up-label' }, up, ' up')),
          this.slot(i),
        ),
      );
    }
    const sysctls = h('textarea', { id: 'node-sysctls', rows: '2', wrap: 'off', spellcheck: 'false', placeholder: 'net.ipv4.ip_forward=1' });
    sysctls.value = form.sysctls.join('\n');
    sysctls.addEventListener('input', () => update((f) => (f.sysctls = lines(sysctls.value))));
    const cmds = h('textarea', { id: 'node-commands', rows: '4', wrap: 'off', spellcheck: 'false', placeholder: 'ip route add default via 10.0.1.1' });
    cmds.value = form.commands.join('\n');
    cmds.addEventListener('input', () => update((f) => (f.commands = lines(cmds.value))));
    const del = h('button', { type: 'button', class: 'tool danger', id: 'panel-delete' }, `Delete ${name}`);
    del.addEventListener('click', () => this.events.remove());
    this.root.replaceChildren(
      h('h2', { class: 'panel-title' }, name, ' ', role),
      h('h3', {}, 'Interfaces and addresses'),
      ifaceRows,
      h('label', { class: 'panel-label', for: sysctls.id }, 'Sysctls (key=value, one a line)'),
      sysctls,
      h('label', { class: 'panel-label', for: cmds.id }, 'Setup commands (run after addresses, one a line)'),
      cmds,
      this.slot('*'),
      h('div', { class: 'panel-actions' }, del),
    );
  }

  private renderSegment(t: TopologySpec, name: string): void {
    const seg = t.segments.find((s) => s.name === name);
    if (!seg) return this.render(t, null, []);
    const list = h('ul', { class: 'member-list' });
    for (const m of seg.members) list.append(h('li', {}, `${m.node}:${m.iface}`));
    if (seg.members.length === 0) list.append(h('li', { class: 'hint' }, 'No members: draw links from nodes to this LAN.'));
    const del = h('button', { type: 'button', class: 'tool danger', id: 'panel-delete' }, `Delete ${name}`);
    del.addEventListener('click', () => this.events.remove());
    this.root.replaceChildren(h('h2', { class: 'panel-title' }, `LAN ${name}`), h('h3', {}, 'Members'), list, h('div', { class: 'panel-actions' }, del));
  }

  private renderEdge(t: TopologySpec, id: string): void {
    const m = /^l:(\d+)$/.exec(id);
    const link = m ? t.links[Number(m[1])] : undefined;
    const del = h('button', { type: 'button', class: 'tool danger', id: 'panel-delete' }, 'Delete link');
    del.addEventListener('click', () => this.events.remove());
    if (!link) {
      const [, seg, node, iface] = id.split(':');
      this.root.replaceChildren(h('h2', { class: 'panel-title' }, `${node}:${iface} on LAN ${seg}`), h('div', { class: 'panel-actions' }, del));
      return;
    }
    const rows = link.endpoints.map((e, k) => {
      const input = h('input', { type: 'text', class: 'endpoint-iface', id: `endpoint-${k}`, spellcheck: 'false', autocomplete: 'off' });
      input.value = e.iface;
      const err = h('div', { class: 'field-errors' });
      input.addEventListener('input', () => {
        const v = input.value.trim();
        const others = nodeIfaces(t, e.node).filter((x) => x !== e.iface);
        const msg = !IFNAME.test(v) || v === 'lo' ? 'a device name: letters, digits, . _ -, at most 15' : others.includes(v) ? `${e.node} already has ${v}` : '';
        err.replaceChildren(...(msg ? [h('div', { class: 'field-error', role: 'alert' }, msg)] : []));
        if (msg) return;
        this.events.change((tt) => {
          const ep = tt.links[Number(m![1])]!.endpoints[k]!;
          renameIface(tt, e.node, ep.iface, v);
        }, true);
        e.iface = v;
      });
      return h('div', { class: 'iface-row' }, h('label', { class: 'iface-name', for: input.id }, e.node), input, err);
    });
    this.root.replaceChildren(h('h2', { class: 'panel-title' }, 'Link'), h('h3', {}, 'Endpoints'), ...rows, h('div', { class: 'panel-actions' }, del));
  }
}

/** Renames a device: the endpoint and the node's commands that name it (`dev eth0`, `set eth0 up`). */
function renameIface(t: TopologySpec, node: string, from: string, to: string): void {
  for (const l of t.links) for (const e of l.endpoints) if (e.node === node && e.iface === from) e.iface = to;
  for (const s of t.segments) for (const m of s.members) if (m.node === node && m.iface === from) m.iface = to;
  const n = t.nodes.find((x) => x.name === node);
  if (!n) return;
  const re = new RegExp(`(\\bdev\\s+|\\bset\\s+(?:dev\\s+)?)${from.replace(/[.]/g, '\\.')}(?=\\s|$)`, 'g');
  n.exec = n.exec.map((c) => c.replace(re, `$1${to}`));
}
