// The sandboxed preload (CommonJS: sandboxed preloads cannot load ES modules or our own files). Exposes
// exactly one object, `window.workbench`, implementing WorkbenchApi over ipcRenderer.invoke; main validates
// every call. The channel convention `workbench:<method>` is api.ts's channelOf(), repeated here because a
// sandboxed preload cannot require api.js (a unit test checks they agree).

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS
import electron = require('electron');
import type { ApiMethod, CompleteResponse, LabView, RunCommandResponse, WorkbenchApi } from './host/api.js';

function call<T>(method: ApiMethod, arg?: unknown): Promise<T> {
  return electron.ipcRenderer.invoke(`workbench:${method}`, arg) as Promise<T>;
}

const api: WorkbenchApi = {
  getLab: () => call<LabView>('getLab'),
  runCommand: (req) => call<RunCommandResponse>('runCommand', req),
  complete: (req) => call<CompleteResponse>('complete', req),
  moveNode: (req) => call<null>('moveNode', req),
  reset: () => call<LabView>('reset'),
};

electron.contextBridge.exposeInMainWorld('workbench', api);
