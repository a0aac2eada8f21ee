// Web mode carries long runs: the backend's progress reaches each client as {notify: 'progress'} messages
// (no id), and the `cancelRun` message reaches the backend's cancel while the run's own request is pending.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Backend, RunProgress } from '../../../main/host/service-client.js';
import { CANCEL_METHOD, startWebServer, type WebServer } from '../../../main/host/web/server.js';

let web: WebServer | undefined;
afterAll(async () => web?.close());

describe('web mode: progress notifications and cancel', () => {
  it('pushes progress to the client and cancels the pending run', async () => {
    const listeners = new Set<(p: RunProgress) => void>();
    let stop: (() => void) | null = null;
    let cancels = 0;
    const backend: Backend = {
      // A long run: reports progress and ends only when cancelled, as the lab worker does.
      invoke: (method) =>
        new Promise((ok) => {
          expect(method).toBe('runCommand');
          for (const fn of listeners) fn({ start: 0, now: 1e9, target: 300e9, done: false });
          stop = () => {
            for (const fn of listeners) fn({ start: 0, now: 2e9, target: 300e9, done: true });
            ok({ rc: 130, stdout: '', stderr: '', now: 2e9 });
          };
        }),
      close: async () => {},
      cancel: () => {
        cancels++;
        stop?.();
      },
      onProgress: (fn) => (listeners.add(fn), () => listeners.delete(fn)),
    };
    const root = mkdtempSync(join(tmpdir(), 'rlw-progress-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    web = await startWebServer({ backend, staticDir: root, token: 't0k3n' });
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api?token=t0k3n`);
    const got: Record<string, unknown>[] = [];
    const waitFor = (pred: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> =>
      new Promise((ok) => {
        const seen = got.find(pred);
        if (seen) return ok(seen);
        const on = (d: unknown): void => {
          const m = JSON.parse(String(d)) as Record<string, unknown>;
          if (pred(m)) {
            ws.off('message', on);
            ok(m);
          }
        };
        ws.on('message', on);
      });
    ws.on('message', (d) => got.push(JSON.parse(String(d)) as Record<string, unknown>));
    await new Promise((ok) => ws.once('open', ok));
    ws.send(JSON.stringify({ id: 1, method: 'runCommand', arg: { node: 'src', line: 'sleep 300' } }));
    const first = await waitFor((m) => m.notify === 'progress');
    expect(first).toEqual({ notify: 'progress', progress: { start: 0, now: 1e9, target: 300e9, done: false } });
    expect('id' in first).toBe(false);
    ws.send(JSON.stringify({ id: 2, method: CANCEL_METHOD }));
    expect(await waitFor((m) => m.id === 2)).toEqual({ id: 2, ok: true, result: null });
    expect(await waitFor((m) => m.id === 1)).toEqual({ id: 1, ok: true, result: { rc: 130, stdout: '', stderr: '', now: 2e9 } });
    expect(cancels).toBe(1);
    expect(got.filter((m) => m.notify === 'progress').map((m) => (m.progress as RunProgress).done)).toEqual([false, true]);
    ws.close();
  });
});
