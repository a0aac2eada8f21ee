// The WorkbenchApi as the UI sees it: the preload's object in Electron, or a WebSocket client in web mode
// (token from the page URL, same origin).

import type { ApiMethod, CompleteResponse, LabView, RpcResponse, RunCommandResponse, WorkbenchApi } from '../../main/host/api.js';

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function connectApi(): Promise<WorkbenchApi> {
  if (window.workbench) return window.workbench;
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`);
  await new Promise<void>((ok, fail) => {
    ws.addEventListener('open', () => ok(), { once: true });
    ws.addEventListener('error', () => fail(new ApiCallError('ECONN', 'cannot reach the workbench server (wrong or missing token?)')), { once: true });
  });
  const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  let nextId = 1;
  ws.addEventListener('message', (ev) => {
    const res = JSON.parse(String(ev.data)) as RpcResponse;
    const p = pending.get(res.id);
    if (!p) return;
    pending.delete(res.id);
    if (res.ok) p.ok(res.result);
    else p.fail(new ApiCallError(res.error.code, res.error.message));
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.fail(new ApiCallError('ECONN', 'connection to the workbench server closed'));
    pending.clear();
  });
  const call = (method: ApiMethod, arg: unknown): Promise<unknown> =>
    new Promise((ok, fail) => {
      if (ws.readyState !== WebSocket.OPEN) return fail(new ApiCallError('ECONN', 'connection to the workbench server closed'));
      const id = nextId++;
      pending.set(id, { ok, fail });
      ws.send(JSON.stringify({ id, method, arg }));
    });
  return {
    getLab: () => call('getLab', undefined) as Promise<LabView>,
    runCommand: (req) => call('runCommand', req) as Promise<RunCommandResponse>,
    complete: (req) => call('complete', req) as Promise<CompleteResponse>,
    moveNode: (req) => call('moveNode', req) as Promise<null>,
    reset: () => call('reset', undefined) as Promise<LabView>,
  };
}
