// Worker-thread entry that owns the lab: the app's main process (and web mode) post requests here so a long
// simulation never blocks the window or the server. One AppService per worker; requests are answered in order.

import { parentPort, workerData } from 'node:worker_threads';
import { ApiError, type RpcRequest, type RpcResponse } from './api.js';
import { AppService } from './app-service.js';
import type { LabSpec } from './lab/spec.js';
import { join } from 'node:path';
import { packageRoot } from './web/package-root.js';

const port = parentPort;
if (!port) throw new Error('service-worker.js must run in a worker thread');
const spec = (workerData as { spec: LabSpec }).spec;
// Set by the app's main process (serve.ts, electron.ts) before it starts this worker.
const dataDir = process.env.WORKBENCH_DATA_DIR || undefined;
const service = new AppService(spec, { dataDir, labsDir: join(packageRoot(), 'labs'), file: spec.file ?? null });

port.on('message', (msg: RpcRequest) => {
  void service.invoke(msg.method, msg.arg).then(
    (result): RpcResponse => ({ id: msg.id, ok: true, result }),
    (e: unknown): RpcResponse => ({
      id: msg.id,
      ok: false,
      error: e instanceof ApiError ? { code: e.code, message: e.message } : { code: 'EINTERNAL', message: e instanceof Error ? e.message : String(e) },
    }),
  ).then((res) => port.postMessage(res));
});
