// The lab seen from the main thread: a Backend that forwards validated requests to an AppService, either
// in a worker thread (the app and web mode: the UI thread never runs the simulation) or in-process (tests).

import { Worker } from 'node:worker_threads';
import { ApiError, parseRequest, type RpcRequest, type RpcResponse } from './api.js';
import { AppService } from './app-service.js';
import type { LabSpec } from './lab/spec.js';

export interface Backend {
  /** Validates and runs one request; rejects with ApiError. */
  invoke(method: unknown, arg: unknown): Promise<unknown>;
  close(): Promise<void>;
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
  worker.on('message', (res: RpcResponse) => {
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
    async close() {
      await worker.terminate();
    },
  };
}
