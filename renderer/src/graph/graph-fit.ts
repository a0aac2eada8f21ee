// Keeps the topology fitted when its pane changes size (the workspace splitter, the window): cytoscape keeps
// its zoom and pan on a resize, so a narrowed pane would cut nodes off. A view the user zoomed or panned by
// hand is left as it is until the graph is fitted again (the toolbar's Fit, the editor's fit after an edit).

import type { Core, EventObject } from 'cytoscape';

/** As TopologyView.fit (the toolbar's Fit button): the same view either way. */
const FIT_PADDING = 60;
/**
 * A size change smaller than this in both directions is layout jitter (a status line that wraps: the pane
 * moves by 1 px and back while the user works), not a resize: re-fitting there would move the nodes under
 * the pointer. The splitter's keyboard step is 16 px.
 */
const MIN_CHANGE = 8;
/** A zoom this soon after a wheel event on the graph was made by hand. */
const WHEEL_MS = 150;

export interface AutoFit {
  /** True while the user's own zoom/pan stands (no fit since). */
  readonly manual: boolean;
  dispose(): void;
}

/** Whether every element (labels included) lies inside the graph's viewport. */
function allInView(cy: Core): boolean {
  if (cy.elements().empty()) return true;
  const bb = cy.elements().renderedBoundingBox();
  return bb.x1 >= -1 && bb.y1 >= -1 && bb.x2 <= cy.width() + 1 && bb.y2 <= cy.height() + 1;
}

export function keepFitted(cy: Core): AutoFit {
  const container = cy.container()!;
  let manual = false;
  let wheelAt = -Infinity;
  // A press on the background, until released: cytoscape pans the view with it (or pinch-zooms).
  let pressed = false;
  let size = { w: container.clientWidth, h: container.clientHeight };
  // Capture phase: cytoscape's wheel handler (on its canvas, inside) zooms synchronously.
  const wheel = (): void => void (wheelAt = performance.now());
  container.addEventListener('wheel', wheel, { capture: true, passive: true });
  const press = (e: EventObject): void => void (pressed = e.target === cy);
  const release = (): void => void (pressed = false);
  const viewport = (): void => {
    if (pressed || performance.now() - wheelAt < WHEEL_MS) manual = true;
    // A change the program made (a fit) that shows the whole graph again ends the user's view.
    else if (allInView(cy)) manual = false;
  };
  cy.on('tapstart', press);
  cy.on('tapend', release);
  cy.on('viewport', viewport);
  const observer = new ResizeObserver(() => {
    const now = { w: container.clientWidth, h: container.clientHeight };
    // The first observation is the size the lab opened with; `size` stays until a change is a resize.
    if ((Math.abs(now.w - size.w) < MIN_CHANGE && Math.abs(now.h - size.h) < MIN_CHANGE) || now.w === 0 || now.h === 0) return;
    size = now;
    cy.resize();
    if (!manual) cy.fit(undefined, FIT_PADDING);
  });
  observer.observe(container);
  return {
    get manual() {
      return manual;
    },
    dispose() {
      observer.disconnect();
      cy.off('tapstart', press);
      cy.off('tapend', release);
      cy.off('viewport', viewport);
      container.removeEventListener('wheel', wheel, { capture: true });
    },
  };
}
