// The trace pane's named filter sets (renderer/src/timeline/filter-set-model.ts) and the chain the graph highlights
// (chain-nodes.ts): what localStorage may hold is parsed defensively; saving replaces by name; the chain
// folds consecutive events on one node.

import { describe, expect, it } from 'vitest';
import { BUILT_IN_SETS, describeFilter, parseSaved, withSet } from '../../../renderer/src/timeline/filter-set-model.js';
import { chainNodes } from '../../../renderer/src/timeline/chain-nodes.js';
import type { EventDetailView, TraceEventView } from '../../../main/host/api.js';

describe('filter sets', () => {
  it('keeps well-formed saved sets and drops malformed ones and unknown fields', () => {
    const raw = JSON.stringify([
      { name: ' upcalls on r1 ', filter: { node: 'r1', kind: 'upcall', evil: 'x' } },
      { name: '', filter: { kind: 'drop' } },
      { name: 'no filter' },
      { name: 'pkt', filter: { pkt: 7, text: 'igmp' } },
      { name: 'bad pkt', filter: { pkt: -1, fn: 'ip_mr_forward' } },
      'a string',
      null,
    ]);
    expect(parseSaved(raw)).toEqual([
      { name: 'upcalls on r1', filter: { node: 'r1', kind: 'upcall' } },
      { name: 'pkt', filter: { pkt: 7, text: 'igmp' } },
      { name: 'bad pkt', filter: { fn: 'ip_mr_forward' } },
    ]);
    expect(parseSaved('{not json')).toEqual([]);
    expect(parseSaved('{"name":"x"}')).toEqual([]);
    expect(parseSaved(null)).toEqual([]);
  });

  it('replaces a set of the same name and keeps the list sorted', () => {
    const a = withSet([], { name: 'b', filter: { kind: 'drop' } });
    const b = withSet(a, { name: 'a', filter: { fn: 'ip_mr_forward' } });
    const c = withSet(b, { name: 'b', filter: { node: 'r2' } });
    expect(c).toEqual([
      { name: 'a', filter: { fn: 'ip_mr_forward' } },
      { name: 'b', filter: { node: 'r2' } },
    ]);
  });

  it('describes a filter for its tooltip, and the built-in sets each filter on something', () => {
    expect(describeFilter({ node: 'r1', fn: 'ipmr_cache_unresolved', pkt: 3 })).toBe('node=r1 fn=ipmr_cache_unresolved pkt=3');
    expect(describeFilter({})).toBe('everything');
    for (const s of BUILT_IN_SETS) expect(describeFilter(s.filter)).not.toBe('everything');
    expect(new Set(BUILT_IN_SETS.map((s) => s.name)).size).toBe(BUILT_IN_SETS.length);
  });
});

describe('chainNodes', () => {
  const ev = (seq: number, node: string): TraceEventView => ({ seq, t: seq, node, fn: 'f', kind: 'call', pkt: null, parent: null, data: '{}' });
  it('lists the nodes root first, folds repeats and skips run-level events', () => {
    const d: EventDetailView = { event: ev(9, 'r2'), ancestors: [ev(1, ''), ev(2, 'src'), ev(3, 'src'), ev(4, 'r1'), ev(5, 'r1'), ev(6, 'r2')], children: [], moreChildren: 0, packet: null };
    expect(chainNodes(d)).toEqual(['src', 'r1', 'r2']);
    expect(chainNodes(null)).toEqual([]);
  });
});
