// The lab worker's side of the protocol over a MessageChannel, as service-worker.ts runs it: calls by id,
// every message the worker posts, and a wait for the next progress report. Ports close after each test.

import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';
import { serveService, type RunProgress, type WorkerOutbound } from '../../../main/host/service-client.js';
import type { RpcResponse } from '../../../main/host/api.js';

export interface WorkerHarness {
  port: MessagePort;
  out: WorkerOutbound[];
  call(id: number, method: string, arg: unknown): Promise<RpcResponse>;
  progress(): Promise<RunProgress>;
}

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

export function workerHarness(spec: LabSpec): WorkerHarness {
  const ch = new MessageChannel();
  serveService(ch.port1, new AppService(spec));
  const out: WorkerOutbound[] = [];
  const waiters: ((m: WorkerOutbound) => void)[] = [];
  ch.port2.on('message', (m: WorkerOutbound) => {
    out.push(m);
    for (const w of [...waiters]) w(m);
  });
  const wait = <T>(pick: (m: WorkerOutbound) => T | undefined): Promise<T> =>
    new Promise((ok) => {
      const w = (m: WorkerOutbound): void => {
        const v = pick(m);
        if (v !== undefined) {
          waiters.splice(waiters.indexOf(w), 1);
          ok(v);
        }
      };
      waiters.push(w);
    });
  ports.push(ch.port1, ch.port2);
  return {
    port: ch.port2,
    out,
    call(id, method, arg) {
      ch.port2.postMessage({ id, method, arg });
      return wait((m) => ('kind' in m || m.id !== id ? undefined : m));
    },
    progress: () => wait((m) => ('kind' in m && m.kind === 'progress' ? m.progress : undefined)),
  };
}
