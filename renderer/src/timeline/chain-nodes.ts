// The nodes a causal chain passes through, for the graph's highlight: root first, consecutive repeats folded
// (a packet handled by five functions on r1 is one stop at r1), run-level events (no node) left out.

import type { EventDetailView } from '../../../main/host/api.js';

export function chainNodes(d: EventDetailView | null): string[] {
  if (!d) return [];
  const out: string[] = [];
  for (const e of [...d.ancestors, d.event]) if (e.node && out[out.length - 1] !== e.node) out.push(e.node);
  return out;
}
