// The Electron main process with 'electron' mocked (the binary cannot run here): hardened window options,
// the privileged app:// scheme, IPC handlers that check the sender and validate every argument, blocked
// navigation and new windows.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const mocks = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, arg: unknown) => Promise<unknown>>(),
  registerSchemesAsPrivileged: vi.fn(),
}));

vi.mock('electron', () => ({
  app: { on: vi.fn(), whenReady: vi.fn(), quit: vi.fn(), exit: vi.fn() },
  BrowserWindow: vi.fn(function () {
    return { once: vi.fn(), show: vi.fn(), loadURL: vi.fn(async () => {}) };
  }),
  ipcMain: { handle: vi.fn((channel: string, fn: (event: unknown, arg: unknown) => Promise<unknown>) => mocks.handlers.set(channel, fn)) },
  protocol: { registerSchemesAsPrivileged: mocks.registerSchemesAsPrivileged, handle: vi.fn() },
  session: {},
  dialog: {
    showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/home/u/labs/mine.yaml'] })),
    showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/home/u/labs/new-lab' })),
  },
}));

const shell = await import('../../../main/electron.js');
const { API_CHANNELS } = await import('../../../main/host/api.js');
const { inProcessBackend } = await import('../../../main/host/service-client.js');
const { DEFAULT_LAB } = await import('../../../main/host/lab/default-lab.js');

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('Electron main process', () => {
  it('registers app:// as a standard, secure scheme before the app is ready', () => {
    expect(mocks.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(shell.START_URL).toBe('app://workbench/index.html');
  });

  it('opens the window isolated and sandboxed, without Node, with the CommonJS preload', async () => {
    const { BrowserWindow } = await import('electron');
    const win = shell.createWindow() as unknown as { loadURL: ReturnType<typeof vi.fn> };
    const opts = vi.mocked(BrowserWindow).mock.calls.at(-1)![0]!;
    const w = opts.webPreferences!;
    expect(w).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false, disableBlinkFeatures: 'Auxclick' });
    expect(w.preload).toMatch(/[/\\]preload\.cjs$/);
    expect(win.loadURL).toHaveBeenCalledWith('app://workbench/index.html');
  });

  it('serves the renderer build on app://workbench with the CSP, and nothing outside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rlw-app-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'a.js'), 'x');
    const ok = await shell.handleAppRequest(new Request('app://workbench/index.html'), root);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await ok.text()).toBe('<!doctype html>');
    expect((await shell.handleAppRequest(new Request('app://workbench/assets/a.js'), root)).status).toBe(200);
    expect((await shell.handleAppRequest(new Request('app://workbench/..%2f..%2fetc%2fpasswd'), root)).status).toBe(404);
    expect((await shell.handleAppRequest(new Request('app://other/index.html'), root)).status).toBe(404);
  });

  it('handles one channel per API method; only our top frame may call, and every argument is validated', async () => {
    shell.registerIpc(inProcessBackend(DEFAULT_LAB));
    expect([...mocks.handlers.keys()].sort()).toEqual([...API_CHANNELS].sort());
    const run = mocks.handlers.get('workbench:runCommand')!;
    await expect(run(frame('app://workbench/index.html'), { node: 'r1', line: 'sysctl -n net.ipv4.ip_forward' })).resolves.toEqual({ rc: 0, stdout: '1\n', stderr: '', now: 0 });
    await expect(run(frame('https://evil.example/'), { node: 'r1', line: 'true' })).rejects.toThrow('EPERM: untrusted sender');
    await expect(run(frame('app://workbench/index.html', { url: 'app://workbench/' }), { node: 'r1', line: 'true' })).rejects.toThrow('EPERM');
    await expect(run({ senderFrame: null }, { node: 'r1', line: 'true' })).rejects.toThrow('EPERM');
    await expect(run(frame('app://workbench/index.html'), { node: 'r1', line: 'true', x: 1 })).rejects.toThrow('EINVAL: runCommand: unknown field "x"');
    await expect(mocks.handlers.get('workbench:getLab')!(frame('app://workbench/'), 'x')).rejects.toThrow('EINVAL: getLab: takes no argument');
  });

  it('answers lab file dialogs in the shell (validated, our frame only); the lab worker has none', async () => {
    const { dialog } = await import('electron');
    shell.registerIpc(inProcessBackend(DEFAULT_LAB));
    const pick = mocks.handlers.get('workbench:pickLabFile')!;
    const top = frame('app://workbench/index.html');
    await expect(pick(top, { mode: 'open', suggested: null })).resolves.toBe('/home/u/labs/mine.yaml');
    await expect(pick(top, { mode: 'save', suggested: '/home/u/labs/x.yaml' })).resolves.toBe('/home/u/labs/new-lab.yaml');
    expect(vi.mocked(dialog.showSaveDialog).mock.calls[0]![0]).toMatchObject({ defaultPath: '/home/u/labs/x.yaml', filters: [{ name: 'Lab files', extensions: ['yaml', 'yml'] }] });
    await expect(pick(frame('https://evil.example/'), { mode: 'open', suggested: null })).rejects.toThrow('EPERM');
    await expect(pick(top, { mode: 'delete', suggested: null })).rejects.toThrow('EINVAL: pickLabFile.mode');
    await expect(inProcessBackend(DEFAULT_LAB).invoke('pickLabFile', { mode: 'open', suggested: null })).rejects.toThrow(/only in the desktop app/);
  });

  it('blocks navigation, redirects, <webview> and new windows', () => {
    const on = new Map<string, (e: { preventDefault(): void }) => void>();
    let openHandler: (() => unknown) | undefined;
    const contents = {
      on: (ev: string, fn: (e: { preventDefault(): void }) => void) => on.set(ev, fn),
      setWindowOpenHandler: (fn: () => unknown) => (openHandler = fn),
    };
    shell.hardenContents(contents as never);
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      on.get(ev)!(e);
      expect(e.preventDefault, ev).toHaveBeenCalled();
    }
    expect(openHandler!()).toEqual({ action: 'deny' });
  });
});
