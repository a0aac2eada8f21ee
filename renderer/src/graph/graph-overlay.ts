// The graph's part of the Trace tab (issue 10 §3): the selected event's causal chain highlighted, its
// packet's path animated, and packets per link as edge labels with a toolbar toggle. Listens for
// TRACE_SELECT on window; touches the lab's cytoscape elements only through classes and data fields.

import './graph.css';
import type { Core, EdgeSingular } from 'cytoscape';
import type { WorkbenchApi } from '../../../main/host/api.js';
import { toolbarToggle } from '../editor/toolbar.js';
import { runEvents } from '../progress-events.js';
import { keepFitted } from './graph-fit.js';
import { chainElements, nodeId, type Topo } from './graph-route.js';
import { CHAIN_CLASS, COUNTERS_CLASS, FOCUS_CLASS, JOURNEY_CLASS } from './graph-style.js';
import { planJourney } from './journey-plan.js';
import { edgeCounters, withCount, type EdgeCounter } from './link-counters.js';
import { PathAnimation } from './path-animation.js';
import { TRACE_SELECT, traceSelectDetail, type TraceSelectDetail } from './trace-select.js';

const COUNTERS_KEY = 'workbench.linkCounters';
/** How often shown link counters are re-read while the lab runs. */
const POLL_MS = 2000;

export interface GraphOverlay {
  select(d: TraceSelectDetail): Promise<void>;
  clear(): void;
  setCounters(on: boolean): void;
  updateCounters(): Promise<void>;
}

export function installGraphOverlay(view: { cy: Core }, api: WorkbenchApi, fail: (e: unknown) => void): GraphOverlay {
  const cy = view.cy;
  const container = cy.container()!;
  const anim = new PathAnimation(cy, container);
  // The graph re-fits when its pane is resized (the splitter), unless the user zoomed or panned by hand.
  keepFitted(cy);
  let topo: Topo | null = null;
  // Edits rebuild the edges: the topology is read again on the next use.
  cy.on('add remove', () => (topo = null));
  const topology = async (): Promise<Topo> => (topo ??= await api.getLab());
  let token = 0;
  // The packets of the journey on show: stepping through its events keeps its animation going.
  let family = new Set<number>();

  const clear = (): void => {
    token++;
    family = new Set();
    cy.elements().removeClass(`${CHAIN_CLASS} ${FOCUS_CLASS} ${JOURNEY_CLASS}`);
    anim.clear();
  };

  const select = async (d: TraceSelectDetail): Promise<void> => {
    if (d.pkt !== undefined && family.has(d.pkt) && d.chainNodes.length > 0) {
      token++;
      cy.elements().removeClass(`${CHAIN_CLASS} ${FOCUS_CLASS}`);
    } else clear();
    if (d.chainNodes.length === 0) return;
    const mine = token;
    const t = await topology();
    if (mine !== token) return;
    const chain = chainElements(t, d.chainNodes);
    cy.batch(() => {
      for (const id of [...chain.nodes, ...chain.edges]) cy.getElementById(id).addClass(CHAIN_CLASS);
      if (d.node) cy.getElementById(nodeId(d.node)).addClass(FOCUS_CLASS);
    });
    if (d.pkt === undefined || family.has(d.pkt)) return;
    const journey = await api.getJourney({ pkt: d.pkt });
    if (mine !== token) return;
    family = new Set(journey.packets.map((p) => p.id));
    const plan = planJourney(journey, t);
    cy.batch(() => {
      for (const id of [...plan.nodes, ...plan.edges]) cy.getElementById(id).addClass(JOURNEY_CLASS);
    });
    anim.show(plan, d.pkt);
  };

  window.addEventListener(TRACE_SELECT, (e) => {
    const d = traceSelectDetail(e);
    if (d) select(d).catch(fail);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) clear();
  });

  // Link counters: each end's label gets its TX count; the labels themselves change with addresses
  // (TopologyView.update), so the counted ones follow them.
  const label = (e: EdgeSingular, c: EdgeCounter): void => {
    const src = withCount(String(e.data('sourceLabel') ?? ''), c.txSource);
    const dst = withCount(String(e.data('targetLabel') ?? ''), c.txTarget);
    if (e.data('srcCount') !== src || e.data('dstCount') !== dst || e.data('txSource') !== c.txSource) {
      e.data({ srcCount: src, dstCount: dst, txSource: c.txSource, txTarget: c.txTarget });
    }
  };
  cy.on('data', 'edge', (ev) => {
    const e = ev.target as EdgeSingular;
    if (typeof e.data('txSource') === 'number') label(e, { txSource: e.data('txSource') as number, txTarget: e.data('txTarget') as number | null });
  });
  let shown = localStorage.getItem(COUNTERS_KEY) !== 'off';
  let busy = false;
  const updateCounters = async (): Promise<void> => {
    if (!shown || busy) return;
    busy = true;
    try {
      const [t, counters] = await Promise.all([topology(), api.getCounters()]);
      const labels = edgeCounters(t, counters);
      cy.batch(() => {
        for (const [id, c] of labels) {
          const e = cy.getElementById(id);
          if (e.empty()) continue;
          label(e, c);
          e.toggleClass(COUNTERS_CLASS, shown);
        }
      });
    } finally {
      busy = false;
    }
  };
  const setCounters = (on: boolean): void => {
    shown = on;
    localStorage.setItem(COUNTERS_KEY, on ? 'on' : 'off');
    if (on) updateCounters().catch(fail);
    else cy.edges().removeClass(COUNTERS_CLASS);
  };
  const toolbar = container.parentElement?.querySelector('.editor-toolbar');
  toolbar?.append(toolbarToggle('tool-counters', 'Counters', 'Show packets sent by each link end (ip -s link, TX packets)', shown, setCounters));
  cy.on('add', 'edge', () => {
    if (shown) queueMicrotask(() => void updateCounters().catch(fail));
  });
  setInterval(() => {
    if (!document.hidden) updateCounters().catch(fail);
  }, POLL_MS);
  let lastProgress = 0;
  runEvents().onProgress((p) => {
    if (p.done || performance.now() - lastProgress > POLL_MS / 2) {
      lastProgress = performance.now();
      updateCounters().catch(fail);
    }
  });
  updateCounters().catch(fail);
  return { select, clear, setCounters, updateCounters };
}
