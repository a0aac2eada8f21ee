// Worker-thread entry that owns the lab: the app's main process (and web mode) post requests here so a long
// simulation never blocks the window or the server. One AppService per worker; requests are answered in order.

import { parentPort, workerData } from 'node:worker_threads';
import { ApiError, type RpcRequest, type RpcResponse } from './api.js';
import { AppService } from './app-service.js';
import type { LabSpec } from './lab/spec.js';

const port = parentPort;
if (!port) throw new Error('service-worker.js must run in a worker thread');
const service = new AppService((workerData as { spec: LabSpec }).spec);

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
