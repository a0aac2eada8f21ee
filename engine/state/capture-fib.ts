// FIB tables and policy rules of a node. Rules are copied field by field (numbers, strings, booleans
// and small arrays), so a field the fib owner adds later appears without a change here.

import type { FibRoute } from '../ipv4/fib-types.js';
import type { Netns } from '../net/netns.js';
import type { JsonValue } from '../sim/trace.js';
import { formatIpv4 } from '../wire/inet.js';
import type { FibState, RouteState } from './node-state.js';

function route(r: FibRoute): RouteState {
  return {
    dst: formatIpv4(r.dst),
    plen: r.plen,
    type: r.type,
    tos: r.tos,
    protocol: r.protocol,
    scope: r.scope,
    metric: r.priority,
    prefsrc: formatIpv4(r.prefsrc),
    nhs: r.nhs.map((nh) => ({ gw: formatIpv4(nh.gw), dev: nh.dev?.name ?? '', weight: nh.weight, flags: nh.flags })),
  };
}

/** A plain JSON copy of a record's scalar fields (objects and functions skipped; bigints as strings). */
export function scalarFields(o: object): { [field: string]: JsonValue } {
  const out: { [field: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) out[k] = v;
    else if (typeof v === 'bigint') out[k] = v.toString();
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number' || typeof x === 'string')) out[k] = v as JsonValue[];
  }
  return out;
}

export function captureFib(ns: Netns): FibState {
  const v4 = ns.ipv4;
  const ids = [...v4.tables.keys()].sort((a, b) => a - b);
  return {
    tables: ids.map((id) => ({ id, routes: v4.tables.get(id)!.routes.map(route) })),
    rules: v4.fibRules.map((r) => scalarFields(r)),
  };
}
