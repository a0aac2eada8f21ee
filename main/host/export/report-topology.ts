// The lab's topology as the run built it, read back from the trace alone (so it is right for any run
// file, whoever recorded it): nodes announce themselves with setup_net (with their role), a veth pair
// registers its two ends one right after the other (veth_newlink registers the peer, then the device),
// and a LAN segment is a bridge namespace that never ran setup_net. Drawn as an SVG, laid out in
// columns by distance from the first node.

import type { RunReader } from '../store/run-reader.js';
import { esc } from './report-escape.js';

export interface TopoNode {
  name: string;
  role: string;
}

export interface TopoEnd {
  node: string;
  dev: string;
}

export interface TopoLink {
  a: TopoEnd;
  b: TopoEnd;
  /** Set when the pair was deleted during the run (unregister_netdevice). */
  deletedAt?: number;
}

export interface Topology {
  nodes: TopoNode[];
  /** LAN segments by name, with the node devices attached to them. */
  segments: { name: string; members: TopoEnd[] }[];
  /** Point-to-point links between nodes. */
  links: TopoLink[];
}

interface Row {
  seq: number;
  node: string;
  fn: string;
  data: string;
}

export async function readTopology(reader: RunReader): Promise<Topology> {
  const rows = (
    await reader.query(
      "SELECT seq, node, fn, data FROM trace WHERE fn IN ('setup_net', 'register_netdevice', 'unregister_netdevice') ORDER BY seq",
      [],
      { maxRows: 50_000 },
    )
  ).rows as unknown as Row[];
  const roles = new Map<string, string>();
  const pairs: { a: TopoEnd; b: TopoEnd; deletedAt?: number }[] = [];
  const live = new Map<string, number>(); // node\0dev → index in pairs
  let pending: TopoEnd | null = null;
  for (const r of rows) {
    const d = JSON.parse(r.data) as { role?: string; dev?: string; kind?: string };
    if (r.fn === 'setup_net') roles.set(r.node, String(d.role ?? 'host'));
    else if (r.fn === 'register_netdevice' && d.kind === 'veth' && d.dev !== undefined) {
      const end = { node: r.node, dev: d.dev };
      if (!pending) pending = end;
      else {
        // registered peer first: the pair reads (device, peer) the way the lab wrote it
        pairs.push({ a: end, b: pending });
        live.set(`${end.node}\0${end.dev}`, pairs.length - 1);
        live.set(`${pending.node}\0${pending.dev}`, pairs.length - 1);
        pending = null;
      }
    } else if (r.fn === 'unregister_netdevice' && d.dev !== undefined) {
      const i = live.get(`${r.node}\0${d.dev}`);
      if (i !== undefined && pairs[i]!.deletedAt === undefined) pairs[i]!.deletedAt = r.seq;
    }
  }
  const nodes = [...roles].map(([name, role]) => ({ name, role }));
  const segs = new Map<string, TopoEnd[]>();
  const links: TopoLink[] = [];
  for (const p of pairs) {
    const aNode = roles.has(p.a.node);
    const bNode = roles.has(p.b.node);
    if (aNode && bNode) links.push(p);
    else if (aNode !== bNode) {
      const [member, port] = aNode ? [p.a, p.b] : [p.b, p.a];
      if (p.deletedAt !== undefined) continue;
      const list = segs.get(port.node) ?? [];
      list.push(member);
      segs.set(port.node, list);
    }
  }
  return { nodes, segments: [...segs].map(([name, members]) => ({ name, members })), links };
}

interface Placed {
  x: number;
  y: number;
}

const COL = 176;
const ROW = 84;
const BOX_W = 88;
const BOX_H = 36;
const PAD = 40;

/** Column = BFS distance from the first vertex of each connected part; parts stacked vertically. */
function layout(t: Topology): Map<string, Placed> {
  const vertices = [...t.nodes.map((n) => `n:${n.name}`), ...t.segments.map((s) => `s:${s.name}`)];
  const adj = new Map<string, string[]>(vertices.map((v) => [v, []]));
  const edge = (a: string, b: string): void => {
    adj.get(a)?.push(b);
    adj.get(b)?.push(a);
  };
  for (const l of t.links) if (l.deletedAt === undefined) edge(`n:${l.a.node}`, `n:${l.b.node}`);
  for (const s of t.segments) for (const m of s.members) edge(`s:${s.name}`, `n:${m.node}`);
  const pos = new Map<string, Placed>();
  let yBase = 0;
  for (const start of vertices) {
    if (pos.has(start)) continue;
    const cols: string[][] = [];
    const depth = new Map<string, number>([[start, 0]]);
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      const d = depth.get(v)!;
      (cols[d] ??= []).push(v);
      for (const w of adj.get(v) ?? []) {
        if (!depth.has(w)) {
          depth.set(w, d + 1);
          queue.push(w);
        }
      }
    }
    const rows = Math.max(...cols.map((c) => c.length));
    cols.forEach((col, ci) => {
      // centre each column on the tallest one
      const off = (rows - col.length) / 2;
      col.forEach((v, ri) => pos.set(v, { x: PAD + BOX_W / 2 + ci * COL, y: PAD + BOX_H / 2 + (yBase + off + ri) * ROW }));
    });
    yBase += rows;
  }
  return pos;
}

/** A device name just outside its node's box, beside the line towards the other end. */
function endLabel(from: Placed, to: Placed, text: string): string {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  // distance from the centre to the box border along the line, then a little beyond
  const edge = Math.min(Math.abs(ux) > 1e-9 ? BOX_W / 2 / Math.abs(ux) : Infinity, Math.abs(uy) > 1e-9 ? BOX_H / 2 / Math.abs(uy) : Infinity) + 4;
  const x = from.x + ux * edge;
  const y = from.y + uy * edge;
  const anchor = ux > 0.35 ? 'start' : ux < -0.35 ? 'end' : 'middle';
  // above a mostly horizontal line; beside a steep one
  const lx = anchor === 'middle' ? x + 4 : x;
  const ly = Math.abs(uy) < 0.5 ? y - 4 : uy > 0 ? y + 9 : y - 2;
  return `<text class="dev" x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="${anchor === 'middle' ? 'start' : anchor}">${esc(text)}</text>`;
}

export function topologySvg(t: Topology): string {
  if (t.nodes.length === 0) return '<p class="muted">No nodes were recorded.</p>';
  const pos = layout(t);
  const all = [...pos.values()];
  const w = Math.max(...all.map((p) => p.x)) + BOX_W / 2 + PAD;
  const h = Math.max(...all.map((p) => p.y)) + BOX_H / 2 + PAD;
  const parts: string[] = [];
  for (const l of t.links) {
    const a = pos.get(`n:${l.a.node}`)!;
    const b = pos.get(`n:${l.b.node}`)!;
    const cls = l.deletedAt === undefined ? 'link' : 'link deleted';
    parts.push(`<line class="${cls}" x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}"/>`, endLabel(a, b, l.a.dev), endLabel(b, a, l.b.dev));
  }
  for (const s of t.segments) {
    const c = pos.get(`s:${s.name}`)!;
    for (const m of s.members) {
      const p = pos.get(`n:${m.node}`)!;
      parts.push(`<line class="link" x1="${c.x}" y1="${c.y}" x2="${p.x}" y2="${p.y}"/>`, endLabel(p, c, m.dev));
    }
  }
  for (const s of t.segments) {
    const c = pos.get(`s:${s.name}`)!;
    parts.push(`<g class="segment"><ellipse cx="${c.x}" cy="${c.y}" rx="${BOX_W / 2}" ry="${BOX_H / 2}"/><text x="${c.x}" y="${c.y + 4}" text-anchor="middle">LAN ${esc(s.name)}</text></g>`);
  }
  for (const n of t.nodes) {
    const p = pos.get(`n:${n.name}`)!;
    parts.push(
      `<g class="node ${n.role === 'router' ? 'router' : 'host'}"><rect x="${p.x - BOX_W / 2}" y="${p.y - BOX_H / 2}" width="${BOX_W}" height="${BOX_H}" rx="6"/>` +
        `<text x="${p.x}" y="${p.y - 2}" text-anchor="middle">${esc(n.name)}</text><text class="role" x="${p.x}" y="${p.y + 11}" text-anchor="middle">${esc(n.role)}</text></g>`,
    );
  }
  const deleted = t.links.some((l) => l.deletedAt !== undefined) ? '<p class="muted">Dashed: links deleted during the run.</p>' : '';
  return `<svg class="topology" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="Topology">${parts.join('')}</svg>${deleted}`;
}
