// Reading what a daemon threw, without trusting it: a thrown value may be anything (a number, a Proxy, an
// object whose getters loop or throw). Reads go through QuickJS property access, so any guest code they run
// stays under the daemon's CPU budget; every read is guarded and bounded.

import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import type { SourcePosition } from './transpile.js';

const MAX_TEXT = 2000;
/** A stack overflow's stack lists ~1,400 frames; only the first few are shown, but all must be read to find them. */
const MAX_STACK = 200_000;

export interface GuestError {
  name: string;
  message: string;
  /** Stack frames as QuickJS prints them (generated positions). */
  stack: string;
}

/** A guest string's length, read before copying it out (getLength() only answers for objects). */
export function stringLength(ctx: QuickJSContext, h: QuickJSHandle): number {
  const p = ctx.getProp(h, 'length');
  try {
    return ctx.getNumber(p);
  } finally {
    p.dispose();
  }
}

function readString(ctx: QuickJSContext, h: QuickJSHandle, max = MAX_TEXT): string | null {
  if (ctx.typeof(h) !== 'string') return null;
  const len = stringLength(ctx, h);
  if (len > max) return `(${len} characters, not shown)`;
  return ctx.getString(h);
}

function prop(ctx: QuickJSContext, h: QuickJSHandle, key: string, max = MAX_TEXT): string | null {
  try {
    const p = ctx.getProp(h, key);
    try {
      return readString(ctx, p, max);
    } finally {
      p.dispose();
    }
  } catch {
    return null;
  }
}

export function readGuestError(ctx: QuickJSContext, h: QuickJSHandle): GuestError {
  const t = ctx.typeof(h);
  if (t === 'object' && !isNull(ctx, h)) {
    const name = prop(ctx, h, 'name') ?? 'Error';
    const message = prop(ctx, h, 'message') ?? '(a thrown object without a readable message)';
    return { name, message, stack: prop(ctx, h, 'stack', MAX_STACK) ?? '' };
  }
  if (t === 'string') return { name: 'thrown string', message: readString(ctx, h) ?? '', stack: '' };
  if (t === 'number') return { name: 'thrown number', message: String(ctx.getNumber(h)), stack: '' };
  return { name: `thrown ${t === 'object' ? 'null' : t}`, message: '', stack: '' };
}

function isNull(ctx: QuickJSContext, h: QuickJSHandle): boolean {
  return ctx.sameValue(h, ctx.null);
}

/** The first stack frame in `file` (generated line:column), if any. */
export function firstFrameIn(stack: string, file: string): { line: number; column: number } | null {
  for (const line of stack.split('\n')) {
    const m = /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (m && m[1] === file) return { line: Number(m[2]), column: Number(m[3]) };
  }
  return null;
}

/** Frames of the student's file, mapped back to the source, for the exit message. */
export function mapStack(stack: string, file: string, toSource: (l: number, c: number) => SourcePosition, maxFrames = 8): string[] {
  const out: string[] = [];
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:(.*?) \()?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m || m[2] !== file) continue;
    const p = toSource(Number(m[3]), Number(m[4]));
    out.push(`at ${m[1] ?? '<top>'} (${p.file}:${p.line}:${p.column})`);
    if (out.length >= maxFrames) break;
  }
  return out;
}
