// The topology view: nodes by role (router/host, icon and shape), point-to-point links, LAN segments as bus
// nodes, interface names and addresses at each link end, positions from the lab's layout; dragging a node
// stores its new position through the API. The editor (editor/) adds, connects and deletes through `cy`
// and calls `replace` with the rebuilt lab.

import cytoscape from 'cytoscape';
import type { Core, ElementDefinition, StylesheetJson } from 'cytoscape';
import type { LabView, NodeView } from '../../main/host/api.js';
import { hostIcon, routerIcon, segmentIcon } from './icons.js';
import { cssVar } from './theme.js';
import { graphStyle } from './graph/graph-style.js';

export interface TopologyEvents {
  openConsole(node: string): void;
  moved(id: string, x: number, y: number): void;
}

const nodeId = (n: string): string => `n:${n}`;
const segId = (s: string): string => `s:${s}`;

/** A link end that is down (or deleted) in the running lab: the edge is drawn dashed. */
function endDown(nodes: Map<string, NodeView>, node: string, iface: string): boolean {
  const i = nodes.get(node)?.ifaces.find((x) => x.name === iface);
  return !i || (i.state !== 'UP' && i.state !== 'UNKNOWN');
}

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
        classes: endDown(nodes, m.node, m.iface) ? 'down' : '',
      });
    }
  }
  lab.links.forEach((l, i) => {
    const [a, b] = l.endpoints;
    els.push({
      group: 'edges',
      data: { id: `l:${i}`, source: nodeId(a.node), target: nodeId(b.node), sourceLabel: endLabel(nodes, a.node, a.iface), targetLabel: endLabel(nodes, b.node, b.iface) },
      classes: endDown(nodes, a.node, a.iface) || endDown(nodes, b.node, b.iface) ? 'down' : '',
    });
  });
  return els;
}

/**
 * Gives an icon's SVG an intrinsic size: without one, cytoscape sizes an image that has not decoded yet
 * (every icon after a theme switch) as a small square in the corner.
 */
function sized(uri: string, w: number, hgt: number): string {
  const comma = uri.indexOf(',');
  const svg = decodeURIComponent(uri.slice(comma + 1));
  return uri.slice(0, comma + 1) + encodeURIComponent(svg.replace('<svg ', `<svg width="${w}" height="${hgt}" `));
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
    { selector: 'node.router', style: { shape: 'ellipse', width: 54, height: 54, 'background-image': sized(routerIcon(accent), 48, 48), 'border-color': accent } },
    { selector: 'node.host', style: { shape: 'round-rectangle', width: 54, height: 46, 'background-image': sized(hostIcon(fg), 48, 48) } },
    {
      selector: 'node.segment',
      style: {
        shape: 'round-rectangle',
        width: 96,
        height: 22,
        'background-image': sized(segmentIcon(muted), 48, 16),
        'font-size': 11,
        'font-weight': 'normal',
        color: muted,
        'text-valign': 'top',
        'text-margin-y': -4,
      },
    },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': cssVar('--select') } },
    { selector: 'node.has-issue', style: { 'border-width': 3, 'border-color': cssVar('--term-err'), 'border-style': 'dashed' } },
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
    { selector: 'edge.down', style: { 'line-style': 'dashed', 'line-color': cssVar('--term-err') } },
    { selector: 'edge:selected', style: { width: 4, 'line-color': cssVar('--select') } },
    { selector: 'edge.eh-ghost-edge, edge.eh-preview', style: { width: 3, 'line-color': accent, 'line-style': 'dashed', 'source-label': '', 'target-label': '' } },
    { selector: 'node.eh-ghost', style: { width: 1, height: 1, opacity: 0, label: '' } },
    { selector: 'node.eh-hover, node.eh-target', style: { 'border-width': 3, 'border-color': accent } },
    ...graphStyle(),
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
      if (e.nonempty()) e.toggleClass('down', el.classes === 'down');
    }
  }

  /**
   * The lab after an edit: nodes that stay are updated in place (re-adding them would make their icons
   * decode again and draw half-sized meanwhile), new ones added, gone ones removed; edges are rebuilt
   * (their ids are link indices). The selection is kept.
   */
  replace(lab: LabView): void {
    const selected = this.cy.$(':selected').map((e) => e.id());
    const els = labElements(lab);
    const keep = new Set(els.map((e) => String(e.data.id)));
    this.cy.batch(() => {
      this.cy.edges().remove();
      this.cy.nodes().filter((n) => !keep.has(n.id())).remove();
      for (const el of els) {
        const id = String(el.data.id);
        const cur = this.cy.getElementById(id);
        if (el.group === 'nodes' && cur.nonempty()) {
          cur.data(el.data);
          cur.classes(el.classes ?? '');
          if (el.position && lab.layout[String(el.data.name)] && !cur.grabbed()) cur.position(el.position);
        } else this.cy.add(el);
      }
      for (const id of selected) this.cy.getElementById(id).select();
    });
  }

  restyle(): void {
    this.cy.style(style());
  }

  fit(): void {
    this.cy.fit(undefined, 60);
  }
}
