// Cytoscape style entries for the graph's trace overlay (topology.ts appends them to its stylesheet, so a
// theme switch restyles them too). Colours come from graph.css variables, one pair per theme.

import type { StylesheetJson } from 'cytoscape';
import { cssVar } from '../theme.js';

/** Classes the graph module sets on cytoscape elements. */
export const CHAIN_CLASS = 'trace-chain';
export const FOCUS_CLASS = 'trace-focus';
export const JOURNEY_CLASS = 'journey-path';
export const COUNTERS_CLASS = 'link-counters';

export function graphStyle(): StylesheetJson {
  const chain = cssVar('--graph-chain') || '#c2410c';
  const journey = cssVar('--graph-journey') || '#7c3aed';
  return [
    { selector: `node.${JOURNEY_CLASS}`, style: { 'underlay-color': journey, 'underlay-opacity': 0.35, 'underlay-padding': 9, 'underlay-shape': 'ellipse' } },
    { selector: `edge.${JOURNEY_CLASS}`, style: { 'underlay-color': journey, 'underlay-opacity': 0.4, 'underlay-padding': 6 } },
    { selector: `node.${CHAIN_CLASS}`, style: { 'border-width': 4, 'border-color': chain } },
    { selector: `node.${FOCUS_CLASS}`, style: { 'border-width': 5, 'border-color': chain, 'border-style': 'double' } },
    { selector: `edge.${CHAIN_CLASS}`, style: { width: 5, 'line-color': chain } },
    // The ends' labels with their TX counts (graph-overlay.ts keeps srcCount/dstCount in step with the labels).
    { selector: `edge.${COUNTERS_CLASS}`, style: { 'source-label': 'data(srcCount)', 'target-label': 'data(dstCount)' } },
    // Link-end labels on short links (a LAN member's link is often a few px long): drawn over the icons they
    // would hide under (a straight edge ends at its nodes' borders, so only labels cross them), and left out
    // when zoomed out so far that they would be smaller than 7 px anyway.
    { selector: 'node, edge', style: { 'z-index-compare': 'manual' } },
    { selector: 'node', style: { 'z-index': 1 } },
    { selector: 'edge', style: { 'z-index': 5, 'min-zoomed-font-size': 7 } },
  ];
}
