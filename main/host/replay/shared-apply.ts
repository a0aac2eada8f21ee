// Patches (engine/state/state-diff.ts) applied copy-on-write: a frozen container (a decoded snapshot
// part, shared by every state the reader hands out: part-codec.ts) is copied before it changes, only
// along the patched path; a container that is not frozen was made for this state and changes in place.
// The result deep-equals apply(cloneJson(a), p), and `a` is never changed where it is frozen.

import type { JsonValue } from '../../../engine/sim/trace.js';
import type { Patch } from '../../../engine/state/state-diff.js';

type Obj = { [key: string]: JsonValue };

function isObject(v: JsonValue | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function own(o: Obj, k: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

function set(o: Obj, k: string, v: JsonValue): void {
  // Only '__proto__' is an accessor on a plain object (state-diff.ts set()).
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/** A writable shallow copy of a frozen object (own keys in order, '__proto__' kept as data). */
function copyObject(o: Obj): Obj {
  const c: Obj = {};
  for (const k of Object.keys(o)) set(c, k, o[k]!);
  return c;
}

export function applyShared(a: JsonValue | undefined, p: Patch): JsonValue {
  if ('=' in p) return p['='];
  if ('l' in p) {
    const lines = String(a).split('\n');
    for (const [i, text] of p.l) lines[i] = text;
    return lines.join('\n');
  }
  if ('a' in p) {
    let arr = a as JsonValue[];
    if (Object.isFrozen(arr)) arr = arr.slice();
    for (const i of Object.keys(p.a)) arr[Number(i)] = applyShared(arr[Number(i)], p.a[i]!);
    return arr;
  }
  let obj: Obj = isObject(a) ? a : {};
  if (Object.isFrozen(obj)) obj = copyObject(obj);
  for (const k of Object.keys(p.o)) set(obj, k, applyShared(own(obj, k), p.o[k]!));
  for (const k of p.d ?? []) delete obj[k];
  return obj;
}
