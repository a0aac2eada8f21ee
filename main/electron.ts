// The Electron main process: one window, hardened (context isolation, sandbox, no Node in the page, strict
// CSP, no navigation or new windows, no permissions), the renderer served from a privileged `app://` scheme
// rather than file://, and the WorkbenchApi over IPC with every argument validated here. The lab runs in a
// worker thread (service-client.ts) so a long simulation never freezes the window.
// With main/preload.cts, the only module that imports 'electron'.

import { app, BrowserWindow, dialog, ipcMain, protocol, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_METHODS, ApiError, channelOf, parseRequest } from './host/api.js';
import type { PickLabFileRequest } from './host/workspace/topology-api.js';
import { workerBackend, type Backend } from './host/service-client.js';
import { packageRoot, rendererDist } from './host/web/package-root.js';
import { startupLab } from './host/workspace/startup-lab.js';
import { RENDERER_CSP } from './host/web/csp.js';
import { resolveStatic } from './host/web/static-files.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://workbench`;
export const START_URL = `${APP_ORIGIN}/index.html`;

const here = dirname(fileURLToPath(import.meta.url));

// Must run before the app is ready (hence electron-entry.ts): a standard, secure scheme gives the page an
// origin, ES modules and workers.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// The options are one literal at `new BrowserWindow(...)` so a static audit (Electronegativity) sees them.
export function createWindow(preload = join(here, 'preload.cjs')): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Routing Lab Workbench',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would open links in new windows; new windows are refused anyway, this removes the event.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(START_URL);
  return win;
}

/** app://workbench/<path> → the file in the renderer build, with the CSP header; nothing outside it. */
export async function handleAppRequest(req: Request, root = rendererDist()): Promise<Response> {
  const url = new URL(req.url);
  if (url.host !== 'workbench' || req.method !== 'GET') return new Response('Not found', { status: 404 });
  const file = await resolveStatic(root, url.pathname);
  if (!file) return new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: { 'content-type': file.type, 'content-security-policy': RENDERER_CSP, 'x-content-type-options': 'nosniff' },
  });
}

/** Only our own page may call the API: the top frame, loaded from app://workbench. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    // Not URL.origin: Node's URL gives non-special schemes the origin "null".
    const u = new URL(frame.url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'workbench';
  } catch {
    return false;
  }
}

/** One handler per API method; each validates the sender and (in backend.invoke) the argument. */
export function registerIpc(backend: Backend): void {
  for (const method of API_METHODS) {
    ipcMain.handle(channelOf(method), async (event, arg: unknown) => {
      if (!isTrustedSender(event)) throw new Error('EPERM: untrusted sender');
      try {
        // File dialogs are the shell's (the lab worker has no windows); the argument is validated all the same.
        if (method === 'pickLabFile') return await pickLabFile(parseRequest(method, arg).arg as PickLabFileRequest);
        return await backend.invoke(method, arg);
      } catch (e) {
        // Only the code and message cross to the renderer (Electron prefixes "Error invoking remote method").
        throw new Error(e instanceof ApiError ? `${e.code}: ${e.message}` : 'EINTERNAL: internal error', { cause: e });
      }
    });
  }
}

/** Long runs (service-client.ts): progress pushed to the page, Cancel from it. Not WorkbenchApi methods. */
export const RUN_CHANNELS = { progress: 'workbench-run:progress', cancel: 'workbench-run:cancel' } as const;

/** Forwards the lab worker's progress to our windows and takes Cancel from our own page only (no argument). */
export function registerRunEvents(backend: Backend, windows: () => readonly { webContents: Pick<WebContents, 'send' | 'isDestroyed'> }[]): void {
  ipcMain.handle(RUN_CHANNELS.cancel, (event, arg: unknown) => {
    if (!isTrustedSender(event)) throw new Error('EPERM: untrusted sender');
    if (arg !== undefined) throw new Error('EINVAL: cancelRun: takes no argument');
    backend.cancel?.();
    return null;
  });
  backend.onProgress?.((p) => {
    for (const w of windows()) if (!w.webContents.isDestroyed()) w.webContents.send(RUN_CHANNELS.progress, p);
  });
}

/** The native open/save dialog for lab files; the renderer then opens or saves through the API (validated again). */
export async function pickLabFile(req: PickLabFileRequest): Promise<string | null> {
  const filters = [{ name: 'Lab files', extensions: ['yaml', 'yml'] }];
  const defaultPath = req.suggested ?? undefined;
  if (req.mode === 'open') {
    const r = await dialog.showOpenDialog({ title: 'Open a lab', defaultPath, filters, properties: ['openFile'] });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  }
  const r = await dialog.showSaveDialog({ title: 'Save the lab', defaultPath, filters });
  if (r.canceled || !r.filePath) return null;
  return /\.ya?ml$/.test(r.filePath) ? r.filePath : `${r.filePath}.yaml`;
}

/** No navigation away from the app, no new windows, no <webview>, no permission grants. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}


async function main(): Promise<void> {
  app.on('web-contents-created', (_e, contents) => hardenContents(contents));
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(APP_SCHEME, (req) => handleAppRequest(req));
  // The workspace (autosave, recent labs) lives in the per-user data directory; the lab worker reads it
  // from its environment. A restored workspace wins over the default lab (startup-lab.ts).
  const dataDir = app.getPath('userData');
  process.env.WORKBENCH_DATA_DIR = dataDir;
  const opened = startupLab({ dataDir, labsDir: join(packageRoot(), 'labs') }, (m) => console.warn(m));
  const backend = workerBackend(opened.spec);
  registerIpc(backend);
  registerRunEvents(backend, () => BrowserWindow.getAllWindows());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void backend.close());
}

// Runs only inside Electron; unit tests import the functions above with 'electron' mocked.
if (process.versions.electron) {
  main().catch((e: unknown) => {
    console.error(e);
    app.exit(1);
  });
}
