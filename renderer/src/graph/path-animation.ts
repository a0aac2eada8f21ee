// The selected packet's journey drawn over the topology: one dot per copy travelling its hop in HOP_MS,
// copies leaving a node together (multicast) fanning out together, a ✕ where a copy was dropped. An HTML
// layer over the canvas, positioned from the cytoscape model each frame, so the lab's elements are never
// touched. With prefers-reduced-motion the journey shows at once, without motion.

import type { Core } from 'cytoscape';
import type { JourneyPlan, PlannedLeg } from './journey-plan.js';
import { along } from './polyline.js';

export const HOP_MS = 300;

interface Dot {
  leg: PlannedLeg;
  el: HTMLElement;
}

export class PathAnimation {
  readonly layer: HTMLElement;
  private dots: Dot[] = [];
  private drops: { step: number; node: string; el: HTMLElement }[] = [];
  private plan: JourneyPlan | null = null;
  private start = 0;
  private frame = 0;

  constructor(
    private readonly cy: Core,
    container: HTMLElement,
  ) {
    this.layer = document.createElement('div');
    this.layer.className = 'graph-overlay';
    this.layer.setAttribute('aria-hidden', 'true');
    this.layer.dataset.state = 'idle';
    container.append(this.layer);
    // Pan, zoom and node drags move what the dots sit on.
    cy.on('viewport position', () => {
      if (this.plan && this.layer.dataset.state === 'done') this.draw(Number.POSITIVE_INFINITY);
    });
  }

  show(plan: JourneyPlan, pkt: number): void {
    this.clear();
    this.plan = plan;
    this.layer.dataset.pkt = String(pkt);
    this.layer.dataset.steps = String(plan.steps);
    for (const leg of plan.legs) {
      if (leg.path.length < 2) continue;
      const el = document.createElement('div');
      el.className = 'graph-dot';
      el.dataset.from = leg.from;
      el.dataset.to = leg.to;
      el.dataset.step = String(leg.step);
      el.hidden = true;
      this.layer.append(el);
      this.dots.push({ leg, el });
    }
    for (const d of plan.drops) {
      const el = document.createElement('div');
      el.className = 'graph-drop';
      el.textContent = '✕';
      el.title = `dropped at ${d.node} (${d.fn})`;
      el.dataset.node = d.node;
      el.hidden = true;
      this.layer.append(el);
      this.drops.push({ step: d.step, node: d.node, el });
    }
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.layer.dataset.motion = 'reduced';
      this.draw(Number.POSITIVE_INFINITY);
      return;
    }
    this.layer.dataset.motion = 'full';
    this.layer.dataset.state = 'running';
    this.start = performance.now();
    const tick = (now: number): void => {
      this.draw(now - this.start);
      if (this.layer.dataset.state === 'running') this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  clear(): void {
    cancelAnimationFrame(this.frame);
    this.plan = null;
    this.dots = [];
    this.drops = [];
    this.layer.replaceChildren();
    this.layer.dataset.state = 'idle';
    delete this.layer.dataset.pkt;
    delete this.layer.dataset.steps;
  }

  /** Places everything as it is `elapsed` ms into the animation. */
  private draw(elapsed: number): void {
    if (!this.plan) return;
    const pan = this.cy.pan();
    const zoom = this.cy.zoom();
    // null for an element an edit removed meanwhile: what sat on it is hidden.
    const at = (id: string): { x: number; y: number } | null => {
      const e = this.cy.getElementById(id);
      if (e.empty()) return null;
      const p = e.position();
      return { x: p.x * zoom + pan.x, y: p.y * zoom + pan.y };
    };
    for (const d of this.dots) {
      const f = (elapsed - d.leg.step * HOP_MS) / HOP_MS;
      const arrived = f >= 1;
      const pts = d.leg.path.map(at);
      // A copy that goes on is carried by the next hop's dot; one whose journey ends stays where it ended.
      d.el.hidden = f < 0 || (arrived && !d.leg.last) || pts.includes(null);
      d.el.dataset.arrived = String(arrived);
      if (d.el.hidden) continue;
      const p = along(pts as { x: number; y: number }[], Math.min(1, f));
      d.el.style.left = `${p.x}px`;
      d.el.style.top = `${p.y}px`;
    }
    for (const d of this.drops) {
      const p = at(`n:${d.node}`);
      d.el.hidden = elapsed < d.step * HOP_MS || !p;
      if (!p) continue;
      d.el.style.left = `${p.x}px`;
      d.el.style.top = `${p.y}px`;
    }
    if (elapsed >= this.plan.steps * HOP_MS) this.layer.dataset.state = 'done';
  }
}
