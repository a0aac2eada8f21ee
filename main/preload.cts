// The sandboxed preload (CommonJS: sandboxed preloads cannot load ES modules or our own files). Exposes
// exactly one object, `window.workbench`, implementing WorkbenchApi over ipcRenderer.invoke; main validates
// every call. The channel convention `workbench:<method>` is api.ts's channelOf(), repeated here because a
// sandboxed preload cannot require api.js (a unit test checks they agree).

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS
import electron = require('electron');
import type { ApiMethod, CompleteResponse, LabView, RunCommandResponse, WorkbenchApi } from './host/api.js';
import type { CounterView, DaemonView, EventDetailView, SeriesView, TracePage } from './host/api.js';
import type { DeviceEventResponse, LabExport, LabFilesView } from './host/workspace/topology-api.js';
import type { CheckStepResponse, GuideView, JourneyView, RunStepActionsResponse } from './host/guide-api.js';
import type { ExportedFile, RecordingView, StateAtView } from './host/state-api.js';
import type { QueryResultView } from './host/query-api.js';

function call<T>(method: ApiMethod, arg?: unknown): Promise<T> {
  return electron.ipcRenderer.invoke(`workbench:${method}`, arg) as Promise<T>;
}

const api: WorkbenchApi = {
  getLab: () => call<LabView>('getLab'),
  runCommand: (req) => call<RunCommandResponse>('runCommand', req),
  complete: (req) => call<CompleteResponse>('complete', req),
  moveNode: (req) => call<null>('moveNode', req),
  reset: () => call<LabView>('reset'),
  listDaemons: () => call<DaemonView[]>('listDaemons'),
  startDaemon: (req) => call<DaemonView>('startDaemon', req),
  stopDaemon: (req) => call<DaemonView>('stopDaemon', req),
  saveDaemon: (req) => call<null>('saveDaemon', req),
  getCounters: () => call<CounterView[]>('getCounters'),
  getTrace: (req) => call<TracePage>('getTrace', req),
  locateEvent: (req) => call<number>('locateEvent', req),
  getEvent: (req) => call<EventDetailView | null>('getEvent', req),
  getSeries: (req) => call<SeriesView>('getSeries', req),
  applyTopology: (req) => call<LabView>('applyTopology', req),
  deviceEvent: (req) => call<DeviceEventResponse>('deviceEvent', req),
  listLabs: () => call<LabFilesView>('listLabs'),
  openLab: (req) => call<LabView>('openLab', req),
  saveLab: (req) => call<LabFilesView>('saveLab', req),
  exportLab: () => call<LabExport>('exportLab'),
  pickLabFile: (req) => call<string | null>('pickLabFile', req),
  getGuide: () => call<GuideView>('getGuide'),
  runStepActions: (req) => call<RunStepActionsResponse>('runStepActions', req),
  checkStep: (req) => call<CheckStepResponse>('checkStep', req),
  getJourney: (req) => call<JourneyView>('getJourney', req),
  getStateAt: (req) => call<StateAtView>('getStateAt', req),
  getRecording: () => call<RecordingView>('getRecording'),
  exportRecording: (req) => call<ExportedFile>('exportRecording', req),
  runQuery: (req) => call<QueryResultView>('runQuery', req),
};

electron.contextBridge.exposeInMainWorld('workbench', api);

// Progress of long runs and their Cancel (electron.ts RUN_CHANNELS; main checks the sender and that cancel
// carries no argument). The renderer validates each progress message's shape (progress-events.ts).
const PROGRESS_CHANNEL = 'workbench-run:progress';
const run = {
  onProgress(fn: (progress: unknown) => void): () => void {
    const listener = (_event: unknown, progress: unknown): void => fn(progress);
    electron.ipcRenderer.on(PROGRESS_CHANNEL, listener);
    return () => {
      electron.ipcRenderer.removeListener(PROGRESS_CHANNEL, listener);
    };
  },
  cancel: (): Promise<void> => electron.ipcRenderer.invoke('workbench-run:cancel') as Promise<void>,
};

electron.contextBridge.exposeInMainWorld('workbenchRun', run);
