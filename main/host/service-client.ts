// The lab seen from the main thread: a Backend that forwards validated requests to an AppService, either
// in a worker thread (the app and web mode: the UI thread never runs the simulation) or in-process (tests).

import { Worker } from 'node:worker_threads';
import { ApiError, parseRequest, type RpcRequest, type RpcResponse, type RunProgress } from './api.js';

export type { RunProgress } from './api.js';
import { AppService } from './app-service.js';
import type { LabSpec } from './lab/spec.js';
import { NSEC_PER_MSEC } from '../../engine/sim/time.js';

/** Lab worker protocol: requests and cancel in; responses and progress notifications out. */
export type WorkerInbound = RpcRequest | { kind: 'cancel' } | { kind: 'close' };
export type WorkerOutbound = RpcResponse | { kind: 'progress'; progress: RunProgress } | { kind: 'closed' };

/** How long close() waits for the worker to write its autosave and delete its run file before terminating it. */
const CLOSE_GRACE_MS = 3000;

export interface Backend {
  /** Validates and runs one request; rejects with ApiError. */
  invoke(method: unknown, arg: unknown): Promise<unknown>;
  close(): Promise<void>;
  /** Interrupts the long run in progress, if any (^C): it stops at the current simulated time. */
  cancel?(): void;
  /** Subscribes to progress of long runs; returns the unsubscribe function. */
  onProgress?(fn: (p: RunProgress) => void): () => void;
}

/** Simulated time per slice of a long run; between slices the worker reads cancel messages. */
export const RUN_SLICE_NS = 100 * NSEC_PER_MSEC;
/** At most one progress message per this many wall-clock ms. */
const PROGRESS_EVERY_MS = 100;
/** A run shorter than this (wall clock) shows no progress at all. */
const SHOW_AFTER_MS = 150;
const YIELD_EVERY_MS = 10;

interface PortLike {
  on(event: 'message', fn: (msg: WorkerInbound) => void): unknown;
  postMessage(msg: WorkerOutbound): void;
}

/**
 * The worker side: runs requests one at a time (a long run yields between slices, so later requests wait
 * rather than interleave with it), answers each, and stops the current run on a cancel message.
 */
export function serveService(port: PortLike, service: AppService, slice = RUN_SLICE_NS): void {
  let cancelRequested = false;
  let last: RunProgress | null = null;
  let lastReport = 0;
  let lastYield = 0;
  let runStarted = 0;
  service.slicing = {
    slice,
    cancelled: () => cancelRequested,
    between: async ({ start, now, target, label }) => {
      const wall = Date.now();
      // Quick runs show no bar; a long one reports at most every PROGRESS_EVERY_MS.
      if (wall - runStarted >= SHOW_AFTER_MS && (!last || wall - lastReport >= PROGRESS_EVERY_MS)) {
        lastReport = wall;
        last = { start, now, target, done: true };
        port.postMessage({ kind: 'progress', progress: { start, now, target, done: false, ...(label ? { label } : {}) } });
      }
      if (last) last = { start, now, target, done: true };
      // Yield to the event loop (where a cancel arrives) every few ms of wall time, not every slice.
      if (now < target && wall - lastYield >= YIELD_EVERY_MS) {
        await new Promise<void>((r) => setImmediate(r));
        lastYield = Date.now();
      }
    },
  };
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg) => {
    if ('kind' in msg) {
      if (msg.kind === 'cancel') cancelRequested = true;
      if (msg.kind === 'close') {
        // Clean shutdown: stop the current run, then write the pending autosave and delete the run file
        // (a terminated worker runs no exit hooks).
        cancelRequested = true;
        queue = queue.then(async () => {
          service.flushAutosave();
          await service.closeRecording().catch(() => undefined);
          port.postMessage({ kind: 'closed' });
        });
      }
      return;
    }
    queue = queue.then(async () => {
      cancelRequested = false;
      last = null;
      runStarted = lastYield = Date.now();
      const res = await service.invoke(msg.method, msg.arg).then(
        (result): RpcResponse => ({ id: msg.id, ok: true, result }),
        (e: unknown): RpcResponse => ({
          id: msg.id,
          ok: false,
          error: e instanceof ApiError ? { code: e.code, message: e.message } : { code: 'EINTERNAL', message: e instanceof Error ? e.message : String(e) },
        }),
      );
      cancelRequested = false;
      // The bar closes when the run ends, finished or cancelled.
      if (last) port.postMessage({ kind: 'progress', progress: last });
      port.postMessage(res);
    });
  });
}

export function inProcessBackend(spec: LabSpec): Backend {
  const service = new AppService(spec);
  return { invoke: (m, a) => service.invoke(m, a), close: async () => {} };
}

/** Runs the lab in a worker thread built from dist/ (service-worker.js next to this file). */
export function workerBackend(spec: LabSpec, workerUrl = new URL('./service-worker.js', import.meta.url)): Backend {
  const worker = new Worker(workerUrl, { workerData: { spec } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const failAll = (e: Error): void => {
    dead = e;
    for (const p of pending.values()) p.reject(new ApiError('EINTERNAL', e.message));
    pending.clear();
  };
  const listeners = new Set<(p: RunProgress) => void>();
  let closed: (() => void) | null = null;
  worker.on('message', (res: WorkerOutbound) => {
    if ('kind' in res) {
      if (res.kind === 'closed') closed?.();
      else for (const fn of listeners) fn(res.progress);
      return;
    }
    const p = pending.get(res.id);
    if (!p) return;
    pending.delete(res.id);
    if (res.ok) p.resolve(res.result);
    else p.reject(new ApiError(res.error.code === 'EINVAL' || res.error.code === 'ENOENT' ? res.error.code : 'EINTERNAL', res.error.message));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`lab worker exited (${code})`)));
  return {
    invoke(method, arg) {
      if (dead) return Promise.reject(new ApiError('EINTERNAL', dead.message));
      let req: RpcRequest;
      try {
        const v = parseRequest(method, arg);
        req = { id: nextId++, method: v.method, arg: v.arg };
      } catch (e) {
        return Promise.reject(e);
      }
      return new Promise((resolve, reject) => {
        pending.set(req.id, { resolve, reject });
        worker.postMessage(req);
      });
    },
    cancel() {
      if (!dead) worker.postMessage({ kind: 'cancel' } satisfies WorkerInbound);
    },
    onProgress(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async close() {
      if (!dead) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, CLOSE_GRACE_MS);
          closed = () => {
            clearTimeout(timer);
            resolve();
          };
          worker.postMessage({ kind: 'close' } satisfies WorkerInbound);
        });
      }
      await worker.terminate();
    },
  };
}
