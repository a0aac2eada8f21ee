// The topology view: nodes by role (router/host, icon and shape), point-to-point links, LAN segments as bus
// nodes, interface names and addresses at each link end, positions from the lab's layout; dragging a node
// stores its new position through the API. (The editor — add/delete, drawing links — is a later issue.)

import cytoscape from 'cytoscape';
import type { Core, ElementDefinition, StylesheetJson } from 'cytoscape';
import type { LabView, NodeView } from '../../main/host/api.js';
import { hostIcon, routerIcon, segmentIcon } from './icons.js';
import { cssVar } from './theme.js';

export interface TopologyEvents {
  openConsole(node: string): void;
  moved(id: string, x: number, y: number): void;
}

const nodeId = (n: string): string => `n:${n}`;
const segId = (s: string): string => `s:${s}`;

function endLabel(nodes: Map<string, NodeView>, node: string, iface: string): string {
  const addrs = nodes.get(node)?.ifaces.find((i) => i.name === iface)?.addrs ?? [];
  return [iface, ...addrs].join('\n');
}

/** Elements for a lab; a node without a stored position gets one on a circle, a segment sits at its members' centroid. */
export function labElements(lab: LabView): ElementDefinition[] {
  const nodes = new Map(lab.nodes.map((n) => [n.name, n]));
  const pos = (name: string, i: number): { x: number; y: number } =>
    lab.layout[name] ?? { x: 300 + 200 * Math.cos((2 * Math.PI * i) / lab.nodes.length), y: 220 + 160 * Math.sin((2 * Math.PI * i) / lab.nodes.length) };
  const els: ElementDefinition[] = lab.nodes.map((n, i) => ({
    group: 'nodes',
    data: { id: nodeId(n.name), name: n.name, label: n.name, role: n.role },
    classes: n.role,
    position: pos(n.name, i),
  }));
  for (const s of lab.segments) {
    const members = s.members.map((m) => pos(m.node, lab.nodes.findIndex((n) => n.name === m.node)));
    const c = members.reduce((a, p) => ({ x: a.x + p.x / members.length, y: a.y + p.y / members.length }), { x: 0, y: 0 });
    els.push({ group: 'nodes', data: { id: segId(s.name), name: s.name, label: s.name, role: 'segment' }, classes: 'segment', position: lab.layout[s.name] ?? c });
    for (const m of s.members) {
      els.push({
        group: 'edges',
        data: { id: `m:${s.name}:${m.node}:${m.iface}`, source: nodeId(m.node), target: segId(s.name), sourceLabel: endLabel(nodes, m.node, m.iface), targetLabel: '' },
      });
    }
  }
  lab.links.forEach((l, i) => {
    const [a, b] = l.endpoints;
    els.push({
      group: 'edges',
      data: { id: `l:${i}`, source: nodeId(a.node), target: nodeId(b.node), sourceLabel: endLabel(nodes, a.node, a.iface), targetLabel: endLabel(nodes, b.node, b.iface) },
    });
  });
  return els;
}

function style(): StylesheetJson {
  const fg = cssVar('--fg');
  const muted = cssVar('--muted');
  const bg = cssVar('--bg');
  const accent = cssVar('--accent');
  const node = cssVar('--node-bg');
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        color: fg,
        'font-size': 13,
        'font-weight': 'bold',
        'text-valign': 'bottom',
        'text-margin-y': 6,
        'background-color': node,
        'border-width': 2,
        'border-color': muted,
        'background-fit': 'contain',
        'background-clip': 'none',
        'background-width': '70%',
        'background-height': '70%',
      },
    },
    { selector: 'node.router', style: { shape: 'ellipse', width: 54, height: 54, 'background-image': routerIcon(accent), 'border-color': accent } },
    { selector: 'node.host', style: { shape: 'round-rectangle', width: 54, height: 46, 'background-image': hostIcon(fg) } },
    {
      selector: 'node.segment',
      style: {
        shape: 'round-rectangle',
        width: 96,
        height: 22,
        'background-image': segmentIcon(muted),
        'font-size': 11,
        'font-weight': 'normal',
        color: muted,
        'text-valign': 'top',
        'text-margin-y': -4,
      },
    },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': cssVar('--select') } },
    {
      selector: 'edge',
      style: {
        width: 2,
        'line-color': muted,
        'curve-style': 'straight',
        'font-size': 10,
        color: fg,
        'text-wrap': 'wrap',
        'source-label': 'data(sourceLabel)',
        'target-label': 'data(targetLabel)',
        'source-text-offset': 26,
        'target-text-offset': 26,
        'text-background-color': bg,
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
      },
    },
  ];
}

export class TopologyView {
  readonly cy: Core;

  constructor(container: HTMLElement, lab: LabView, events: TopologyEvents) {
    this.cy = cytoscape({
      container,
      elements: labElements(lab),
      style: style(),
      layout: { name: 'preset', fit: true, padding: 60 },
      wheelSensitivity: 0.3,
      maxZoom: 2.5,
      minZoom: 0.3,
    });
    this.cy.on('tap', 'node.router, node.host', (ev) => events.openConsole(String(ev.target.data('name'))));
    this.cy.on('dragfree', 'node', (ev) => {
      const p = ev.target.position();
      events.moved(String(ev.target.data('name')), Math.round(p.x), Math.round(p.y));
    });
    new ResizeObserver(() => this.cy.resize()).observe(container);
  }

  /** New addresses after a command: relabel link ends, keep positions. */
  update(lab: LabView): void {
    for (const el of labElements(lab)) {
      if (el.group !== 'edges') continue;
      const e = this.cy.getElementById(String(el.data.id));
      if (e.nonempty()) e.data({ sourceLabel: el.data.sourceLabel, targetLabel: el.data.targetLabel });
    }
  }

  restyle(): void {
    this.cy.style(style());
  }

  fit(): void {
    this.cy.fit(undefined, 60);
  }
}
