// The Electron side of long runs with 'electron' mocked: the lab worker's progress reaches the windows on
// the progress channel, and Cancel is taken only from our own page, with no argument.

import { describe, expect, it, vi } from 'vitest';
import type { RunProgress as Progress } from '../../../main/host/service-client.js';

const mocks = vi.hoisted(() => ({ handlers: new Map<string, (event: unknown, arg: unknown) => unknown>() }));

vi.mock('electron', () => ({
  app: { on: vi.fn(), whenReady: vi.fn(), quit: vi.fn(), exit: vi.fn() },
  BrowserWindow: vi.fn(),
  ipcMain: { handle: vi.fn((channel: string, fn: (event: unknown, arg: unknown) => unknown) => mocks.handlers.set(channel, fn)) },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  session: {},
  dialog: {},
}));

const shell = await import('../../../main/electron.js');

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('Electron: progress and cancel of long runs', () => {
  it('sends progress to live windows and cancels only for our top frame', () => {
    let emit: (p: Progress) => void = () => {};
    const cancel = vi.fn();
    const backend = {
      invoke: vi.fn(),
      close: vi.fn(async () => {}),
      cancel,
      onProgress: (fn: (p: Progress) => void) => ((emit = fn), () => {}),
    };
    const live = { send: vi.fn(), isDestroyed: () => false };
    const gone = { send: vi.fn(), isDestroyed: () => true };
    shell.registerRunEvents(backend, () => [{ webContents: live }, { webContents: gone }]);
    const p: Progress = { start: 0, now: 5e9, target: 300e9, done: false };
    emit(p);
    expect(live.send).toHaveBeenCalledWith(shell.RUN_CHANNELS.progress, p);
    expect(gone.send).not.toHaveBeenCalled();

    const handler = mocks.handlers.get(shell.RUN_CHANNELS.cancel)!;
    expect(() => handler(frame('https://evil.example/'), undefined)).toThrow('EPERM');
    expect(() => handler(frame('app://workbench/index.html', {}), undefined)).toThrow('EPERM');
    expect(() => handler(frame('app://workbench/index.html'), { all: true })).toThrow('EINVAL');
    expect(cancel).not.toHaveBeenCalled();
    expect(handler(frame('app://workbench/index.html'), undefined)).toBeNull();
    expect(cancel).toHaveBeenCalledTimes(1);
  });
});
