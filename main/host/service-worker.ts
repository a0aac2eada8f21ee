// Worker-thread entry that owns the lab: the app's main process (and web mode) post requests here so a long
// simulation never blocks the window or the server. One AppService per worker; requests are answered in
// order, long runs in slices with progress and cancel (serveService in service-client.ts).

import { parentPort, workerData } from 'node:worker_threads';
import { AppService } from './app-service.js';
import type { LabSpec } from './lab/spec.js';
import { join } from 'node:path';
import { packageRoot } from './web/package-root.js';
import { serveService } from './service-client.js';

const port = parentPort;
if (!port) throw new Error('service-worker.js must run in a worker thread');
const spec = (workerData as { spec: LabSpec }).spec;
// Set by the app's main process (serve.ts, electron.ts) before it starts this worker.
const dataDir = process.env.WORKBENCH_DATA_DIR || undefined;
const service = new AppService(spec, { dataDir, labsDir: join(packageRoot(), 'labs'), file: spec.file ?? null });
serveService(port, service);
