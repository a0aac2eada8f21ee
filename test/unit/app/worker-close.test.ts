// Clean shutdown of the lab worker: a close message stops the current run, writes the pending autosave and
// deletes the session's run file before the worker is terminated (a terminated thread runs no exit hooks).

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { serveService, type WorkerInbound, type WorkerOutbound } from '../../../main/host/service-client.js';

describe('lab worker close', () => {
  it('answers close with closed after deleting the run file and writing the autosave', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rlw-close-'));
    const service = new AppService(DEFAULT_LAB, { dataDir });
    const ch = new MessageChannel();
    serveService(ch.port1 as unknown as Parameters<typeof serveService>[0], service);
    const out: WorkerOutbound[] = [];
    ch.port2.on('message', (m: WorkerOutbound) => out.push(m));
    const next = async (pred: (m: WorkerOutbound) => boolean): Promise<WorkerOutbound> => {
      for (let i = 0; i < 400; i++) {
        const m = out.find(pred);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('no such message');
    };
    const send = (m: WorkerInbound): void => ch.port2.postMessage(m);
    // Traffic first: the recording has replay state once events arrive after it opened.
    send({ id: 0, method: 'runCommand', arg: { node: 'src', line: 'ping -c 1 10.2.0.21' } });
    send({ id: 1, method: 'getRecording' });
    const rec = (await next((m) => 'id' in m && m.id === 1)) as { ok: boolean; result: { file: string }; error?: unknown };
    expect(rec.error, JSON.stringify(rec.error)).toBeUndefined();
    expect(existsSync(rec.result.file)).toBe(true);
    // An edit schedules an autosave (debounced); close must write it rather than lose it.
    send({ id: 2, method: 'moveNode', arg: { node: 'r1', x: 11, y: 22 } });
    send({ kind: 'close' });
    await next((m) => 'kind' in m && m.kind === 'closed');
    expect(existsSync(rec.result.file)).toBe(false);
    expect(existsSync(join(dataDir, 'workspace', 'lab.layout.json'))).toBe(true);
    ch.port1.close();
    ch.port2.close();
  });
});
