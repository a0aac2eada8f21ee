// The WorkbenchApi as the UI sees it: the preload's object in Electron, or a WebSocket client in web mode
// (token from the page URL, same origin).

import type { ApiMethod, CompleteResponse, LabView, RpcResponse, RunCommandResponse, WorkbenchApi } from '../../main/host/api.js';
import type { CounterView, DaemonView, EventDetailView, SeriesView, TracePage } from '../../main/host/api.js';
import type { DeviceEventResponse, LabExport, LabFilesView } from '../../main/host/workspace/topology-api.js';
import type { CheckStepResponse, GuideView, JourneyView, RunStepActionsResponse } from '../../main/host/guide-api.js';
import { attachSocketRun, isRunProgress } from './progress-events.js';
import type { ExportedFile, RecordingView, StateAtView } from '../../main/host/state-api.js';
import type { QueryResultView } from '../../main/host/query-api.js';

/** The topology editor's methods (workspace/topology-api.ts) over the same call. */
function editorCalls(call: (method: ApiMethod, arg: unknown) => Promise<unknown>): Pick<WorkbenchApi, 'applyTopology' | 'deviceEvent' | 'listLabs' | 'openLab' | 'saveLab' | 'exportLab' | 'pickLabFile'> {
  return {
    applyTopology: (req) => call('applyTopology', req) as Promise<LabView>,
    deviceEvent: (req) => call('deviceEvent', req) as Promise<DeviceEventResponse>,
    listLabs: () => call('listLabs', undefined) as Promise<LabFilesView>,
    openLab: (req) => call('openLab', req) as Promise<LabView>,
    saveLab: (req) => call('saveLab', req) as Promise<LabFilesView>,
    exportLab: () => call('exportLab', undefined) as Promise<LabExport>,
    pickLabFile: (req) => call('pickLabFile', req) as Promise<string | null>,
  };
}

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
  // Progress notifications ({notify, progress}, no id); Cancel is the server's `cancelRun` (web/server.ts).
  const notifyProgress = attachSocketRun(async () => {
    await call('cancelRun' as ApiMethod, undefined);
  });
  ws.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data)) as { notify?: unknown; progress?: unknown };
    if (msg.notify === 'progress' && isRunProgress(msg.progress)) return notifyProgress(msg.progress);
    const res = msg as RpcResponse;
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
    listDaemons: () => call('listDaemons', undefined) as Promise<DaemonView[]>,
    startDaemon: (req) => call('startDaemon', req) as Promise<DaemonView>,
    stopDaemon: (req) => call('stopDaemon', req) as Promise<DaemonView>,
    saveDaemon: (req) => call('saveDaemon', req) as Promise<null>,
    getCounters: () => call('getCounters', undefined) as Promise<CounterView[]>,
    getTrace: (req) => call('getTrace', req) as Promise<TracePage>,
    locateEvent: (req) => call('locateEvent', req) as Promise<number>,
    getEvent: (req) => call('getEvent', req) as Promise<EventDetailView | null>,
    getSeries: (req) => call('getSeries', req) as Promise<SeriesView>,
    ...editorCalls(call),
    getGuide: () => call('getGuide', undefined) as Promise<GuideView>,
    runStepActions: (req) => call('runStepActions', req) as Promise<RunStepActionsResponse>,
    checkStep: (req) => call('checkStep', req) as Promise<CheckStepResponse>,
    getJourney: (req) => call('getJourney', req) as Promise<JourneyView>,
    getStateAt: (req) => call('getStateAt', req) as Promise<StateAtView>,
    getRecording: () => call('getRecording', undefined) as Promise<RecordingView>,
    exportRecording: (req) => call('exportRecording', req) as Promise<ExportedFile>,
    runQuery: (req) => call('runQuery', req) as Promise<QueryResultView>,
  };
}
