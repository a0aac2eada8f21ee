// The sandboxed preload, compiled to CommonJS as the build does and run with nothing but a mocked
// require('electron') (a sandboxed preload can load no other module): it exposes exactly window.workbench,
// whose methods invoke api.ts's channels.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { API_METHODS, channelOf } from '../../../main/host/api.js';

const source = readFileSync(join(import.meta.dirname, '..', '..', '..', 'main', 'preload.cts'), 'utf8');

type Listener = (event: unknown, arg: unknown) => void;

function loadPreload(): { exposed: Map<string, Record<string, (arg?: unknown) => Promise<unknown>>>; invoked: [string, unknown][]; required: string[]; listeners: Map<string, Set<Listener>> } {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exposed = new Map<string, Record<string, (arg?: unknown) => Promise<unknown>>>();
  const invoked: [string, unknown][] = [];
  const required: string[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (arg?: unknown) => Promise<unknown>>) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: (channel: string, arg: unknown) => (invoked.push([channel, arg]), Promise.resolve('ok')),
      on: (channel: string, fn: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(fn)),
      removeListener: (channel: string, fn: Listener) => listeners.get(channel)?.delete(fn),
    },
  };
  const require = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  runInNewContext(js, { require, exports: {}, module: { exports: {} } });
  return { exposed, invoked, required, listeners };
}

describe('preload', () => {
  it('requires only electron and exposes window.workbench (every API method) and window.workbenchRun (progress, cancel)', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['workbench', 'workbenchRun']);
    expect(Object.keys(exposed.get('workbench')!).sort()).toEqual([...API_METHODS].sort());
    expect(Object.keys(exposed.get('workbenchRun')!).sort()).toEqual(['cancel', 'onProgress']);
  });

  it('workbenchRun: progress messages reach a subscriber until it unsubscribes; cancel invokes its channel without an argument', async () => {
    const { exposed, invoked, listeners } = loadPreload();
    const run = exposed.get('workbenchRun') as unknown as { onProgress(fn: (p: unknown) => void): () => void; cancel(): Promise<unknown> };
    const got: unknown[] = [];
    const off = run.onProgress((p) => got.push(p));
    for (const fn of listeners.get('workbench-run:progress') ?? []) fn({ sender: 'main' }, { now: 1, target: 2 });
    off();
    for (const fn of listeners.get('workbench-run:progress') ?? []) fn({ sender: 'main' }, { now: 2, target: 2 });
    expect(got).toEqual([{ now: 1, target: 2 }]);
    expect(listeners.get('workbench-run:progress')?.size).toBe(0);
    await run.cancel();
    expect(invoked).toEqual([['workbench-run:cancel', undefined]]);
  });

  it("invokes each method's channel with the argument unchanged", async () => {
    const { exposed, invoked } = loadPreload();
    const api = exposed.get('workbench')!;
    const req = { node: 'r1', line: 'ip -br addr' };
    await expect(api.runCommand!(req)).resolves.toBe('ok');
    await api.getLab!();
    await api.moveNode!({ node: 'r1', x: 1, y: 2 });
    expect(invoked).toEqual([
      [channelOf('runCommand'), req],
      [channelOf('getLab'), undefined],
      [channelOf('moveNode'), { node: 'r1', x: 1, y: 2 }],
    ]);
  });
});
