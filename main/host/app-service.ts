// WorkbenchApi implemented over a LabSession: what the app's UI asks of a lab. Runs in a worker thread in
// the app and in web mode (see service-worker.ts), directly in unit tests. Arguments are validated here
// too (`invoke`), so a caller that skips the edge's validation still cannot reach the lab with bad data.

import { LabSession, type RunSlicing } from './lab/session.js';
import type { LabSpec } from './lab/spec.js';
import {
  ApiError,
  parseRequest,
  type CompleteRequest,
  type CompleteResponse,
  type IfaceView,
  type LabView,
  type MoveNodeRequest,
  type RunCommandRequest,
  type RunCommandResponse,
  type WorkbenchApi,
} from './api.js';
import { completeLine } from './console-completion.js';
import { join } from 'node:path';
import { AppRecordings, RecordingUnavailable } from './app-recording.js';
import { NoReplayState } from './replay/state-at.js';
import type { ExportedFile, ExportRecordingRequest, GetStateAtRequest, RecordingView, StateAtView } from './state-api.js';
import { ExportUnavailable, exportRunFile } from './app-export.js';
import type { QueryResultView, RunQueryRequest } from './query-api.js';
import { QueryFailed, runRecordingQuery } from './query-run.js';
import { DaemonControl } from './daemon-control.js';
import { readCounters } from './node-counters.js';
import type { CounterView, DaemonView, StartDaemonRequest, StopDaemonRequest } from './api.js';
import type { EventDetailView, GetEventRequest, GetSeriesRequest, GetTraceRequest, LocateEventRequest, SeriesView, TracePage } from './api.js';
import { groupJourney } from './group-journey.js';
import { TraceQuery } from './trace-query.js';
import { LabGuide, GuideNotFound } from './guide.js';
import { daemonActionRunner } from './guide-daemons.js';
import type { CheckStepResponse, GetJourneyRequest, GuideStepRequest, GuideView, JourneyView, RunStepActionsResponse } from './guide-api.js';
import { Autosaver } from './workspace/autosave.js';
import { listLabFiles, openLabFile, resolveLabPath, saveLabFile } from './workspace/lab-files.js';
import { labBundle } from './workspace/lab-bundle.js';
import { addRecent, readRecent } from './workspace/recent.js';
import { applyTopologySpec } from './workspace/topology-edit.js';
import type { DeviceEventRequest, DeviceEventResponse, LabExport, LabFileRequest, LabFilesView, TopologySpec } from './workspace/topology-api.js';

export interface AppServiceOptions {
  /** Where the live session's run file is written (default: DATADIR/runs, else the OS temp dir). */
  runsDir?: string;
  /** Where the workspace is autosaved and the recent labs are kept; none: nothing is written. */
  dataDir?: string;
  /** The labs/ directory (listLabs, relative paths of openLab/saveLab). */
  labsDir?: string;
  /** The lab file `spec` came from. */
  file?: string | null;
}

/** The part of `ip -j addr show` this service reads. */
interface IpAddrJson {
  ifname: string;
  operstate: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

export class AppService implements WorkbenchApi {
  private current: LabSession;
  private readonly daemons: DaemonControl;
  private layout: Record<string, { x: number; y: number }>;
  private readonly autosave: Autosaver | null;
  private file: string | null;
  private readonly recordings: AppRecordings;

  constructor(
    private spec: LabSpec,
    private readonly opts: AppServiceOptions = {},
  ) {
    this.autosave = opts.dataDir ? new Autosaver(opts.dataDir) : null;
    this.recordings = new AppRecordings(opts.runsDir ?? (opts.dataDir ? join(opts.dataDir, 'runs') : undefined));
    this.file = opts.file ?? spec.file ?? null;
    this.current = new LabSession(spec);
    this.daemons = new DaemonControl(this.current);
    this.layout = structuredClone(spec.layout ?? {});
    this.ready = this.recordings.attach(this.current).then(() => this.daemons.startDeclared());
  }

  /** The lab's own daemons starting (after the start commands, as `workbench run` does); requests wait for it. */
  private ready: Promise<void>;

  /** The running lab (its trace, for host-side consumers such as the trace store). */
  get session(): LabSession {
    return this.current;
  }

  /** Validates (method, arg) and calls the method: the single entry point of the transports. */
  async invoke(method: unknown, arg: unknown): Promise<unknown> {
    const req = parseRequest(method, arg);
    await this.ready;
    // parseRequest checked the method name against API_METHODS and the argument's shape for that method, so
    // the call goes to the WorkbenchApi member of that name (every method takes at most its one argument).
    const fn = (this satisfies WorkbenchApi)[req.method] as (arg?: unknown) => Promise<unknown>;
    return fn.call(this, req.arg);
  }

  async getLab(): Promise<LabView> {
    const s = this.session;
    return {
      name: this.spec.name,
      title: this.spec.title,
      description: this.spec.description,
      nodes: this.spec.nodes.map((n) => ({ name: n.name, role: n.role, ifaces: this.ifaces(n.name), startup: [...n.startup] })),
      links: this.spec.links.map((l) => ({ endpoints: [{ ...l.endpoints[0] }, { ...l.endpoints[1] }] })),
      segments: this.spec.segments.map((g) => ({ name: g.name, members: g.members.map((m) => ({ ...m })) })),
      layout: structuredClone(this.layout),
      startupErrors: s.startupErrors.map((e) => ({ ...e })),
      now: s.now,
    };
  }

  /** Set by the lab worker (service-client.ts): long commands then run in slices, report progress, can be cancelled. */
  slicing: RunSlicing | null = null;

  async runCommand(req: RunCommandRequest): Promise<RunCommandResponse> {
    this.requireNode(req.node);
    const r = this.slicing ? await this.session.runCommandSliced(req.node, req.line, this.slicing) : this.session.runCommand(req.node, req.line);
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr, now: this.session.now };
  }

  async complete(req: CompleteRequest): Promise<CompleteResponse> {
    this.requireNode(req.node);
    return completeLine(req.line, this.ifaces(req.node).map((i) => i.name));
  }

  async moveNode(req: MoveNodeRequest): Promise<null> {
    const known = this.spec.nodes.some((n) => n.name === req.node) || this.spec.segments.some((g) => g.name === req.node);
    if (!known) throw new ApiError('ENOENT', `no node or segment "${req.node}"`);
    this.layout[req.node] = { x: req.x, y: req.y };
    this.changed();
    return null;
  }

  async applyTopology(topo: TopologySpec): Promise<LabView> {
    this.spec = applyTopologySpec(this.spec, topo);
    this.layout = structuredClone(this.spec.layout ?? {});
    this.changed();
    return this.reset();
  }

  async deviceEvent(req: DeviceEventRequest): Promise<DeviceEventResponse> {
    this.requireNode(req.node);
    if (!this.ifaces(req.node).some((i) => i.name === req.iface)) throw new ApiError('ENOENT', `${req.node} has no device "${req.iface}"`);
    // The same commands as the lab actions link-down/up/delete: the engine sees what `ip link` does.
    const line = req.op === 'delete' ? `ip link del dev ${req.iface}` : `ip link set dev ${req.iface} ${req.op}`;
    const r = this.session.runCommand(req.node, line);
    return { rc: r.rc, stderr: r.stderr, now: this.session.now };
  }

  async listLabs(): Promise<LabFilesView> {
    return {
      labs: this.opts.labsDir ? listLabFiles(this.opts.labsDir) : [],
      recent: this.opts.dataDir ? readRecent(this.opts.dataDir) : [],
      current: this.file,
    };
  }

  async openLab(req: LabFileRequest): Promise<LabView> {
    const path = resolveLabPath(req.file, this.opts.labsDir ?? process.cwd());
    this.spec = openLabFile(path);
    this.layout = structuredClone(this.spec.layout ?? {});
    this.file = path;
    if (this.opts.dataDir) addRecent(this.opts.dataDir, path);
    this.changed();
    return this.reset();
  }

  async saveLab(req: LabFileRequest): Promise<LabFilesView> {
    const path = resolveLabPath(req.file, this.opts.labsDir ?? process.cwd());
    saveLabFile(path, this.currentSpec(), this.file);
    this.file = path;
    if (this.opts.dataDir) addRecent(this.opts.dataDir, path);
    this.changed();
    return this.listLabs();
  }

  async exportLab(): Promise<LabExport> {
    return labBundle(this.currentSpec(), this.file);
  }

  /** Native dialogs belong to the desktop shell (electron.ts answers this channel itself); here there are none. */
  async pickLabFile(): Promise<string | null> {
    throw new ApiError('EINVAL', 'file dialogs exist only in the desktop app: type the lab file path instead');
  }

  async getStateAt(req: GetStateAtRequest): Promise<StateAtView> {
    return stateCall(() => this.recordings.recording.stateAt(req.seq, req.node));
  }

  async getRecording(): Promise<RecordingView> {
    return stateCall(() => this.recordings.recording.view());
  }

  async exportRecording(req: ExportRecordingRequest): Promise<ExportedFile> {
    // Over the committed run file (view() flushes it), with the long runs' progress and Cancel (app-export.ts).
    const { file } = await stateCall(() => this.recordings.recording.view());
    return stateCall(() => exportRunFile(file, req.format, this.spec.name, { progress: this.slicing }));
  }

  /** The query console: read-only SQL over the recording (committed up to now); SQLite's refusals are EINVAL. */
  async runQuery(req: RunQueryRequest): Promise<QueryResultView> {
    const { file } = await stateCall(() => this.recordings.recording.view());
    try {
      return await runRecordingQuery(file, req.sql);
    } catch (e) {
      if (e instanceof QueryFailed) throw new ApiError('EINVAL', e.message);
      throw e;
    }
  }

  /** Stops recording and deletes the session's run file (clean shutdown). */
  closeRecording(): Promise<void> {
    return this.recordings.close();
  }

  /** Writes a pending autosave now (clean shutdown). */
  flushAutosave(): void {
    this.autosave?.flush();
  }

  private currentSpec(): LabSpec {
    return { ...this.spec, layout: structuredClone(this.layout) };
  }

  private changed(): void {
    this.autosave?.schedule({ spec: this.currentSpec(), file: this.file });
  }

  async reset(): Promise<LabView> {
    this.current = new LabSession(this.spec);
    this.daemons.attach(this.current);
    this.ready = this.recordings.attach(this.current).then(() => this.daemons.startDeclared());
    await this.ready;
    return this.getLab();
  }

  /** An edited daemon script becomes the node's `daemon:` in the spec: autosaved, kept across rebuilds. */
  private keepScript(node: string, file: string, source: string): void {
    this.spec = {
      ...this.spec,
      nodes: this.spec.nodes.map((n) => (n.name === node ? { ...n, daemon: { ...(n.daemon ?? { args: [] }), script: { file, source } } } : n)),
    };
    this.changed();
  }

  async listDaemons(): Promise<DaemonView[]> {
    return this.daemons.list();
  }

  /**
   * A new script is named by a bare file name; a path is accepted only as the one the lab itself gave this
   * node (so the renderer cannot point a later Save at any other file on disk).
   */
  private requireScriptFile(node: string, file: string, what: string): void {
    if (!file.includes('/')) return;
    const own = this.spec.nodes.find((n) => n.name === node)?.daemon?.script.file;
    if (file !== own) throw new ApiError('EINVAL', `${what}.file: "${file}" is not the script the lab gives ${node}; name a new script like "daemon.ts"`);
  }

  async startDaemon(req: StartDaemonRequest): Promise<DaemonView> {
    this.requireNode(req.node);
    this.requireScriptFile(req.node, req.file, 'startDaemon');
    this.keepScript(req.node, req.file, req.source);
    return this.daemons.start(req.node, req.file, req.source);
  }

  async stopDaemon(req: StopDaemonRequest): Promise<DaemonView> {
    this.requireNode(req.node);
    const v = this.daemons.stop(req.node);
    if (!v) throw new ApiError('ENOENT', `node "${req.node}" has no daemon`);
    return v;
  }

  async saveDaemon(req: StartDaemonRequest): Promise<null> {
    this.requireNode(req.node);
    this.requireScriptFile(req.node, req.file, 'saveDaemon');
    this.keepScript(req.node, req.file, req.source);
    this.daemons.setScript(req.node, req.file, req.source);
    return null;
  }

  async getTrace(req: GetTraceRequest): Promise<TracePage> {
    return this.traceQuery().page(req.offset, req.limit, req.filter);
  }

  async locateEvent(req: LocateEventRequest): Promise<number> {
    return this.traceQuery().locate(req.filter ?? {}, req);
  }

  async getEvent(req: GetEventRequest): Promise<EventDetailView | null> {
    return this.traceQuery().detail(req.seq);
  }

  async getSeries(req: GetSeriesRequest): Promise<SeriesView> {
    return this.traceQuery().series(req.filter ?? {}, req.buckets, this.session.now);
  }

  /** One query index per session: a reset starts a new trace. */
  private traceQuery(): TraceQuery {
    if (this.traceQueryFor !== this.session) {
      this.traceQueryFor = this.session;
      this.traceQueryCache = new TraceQuery(this.session.trace);
    }
    return this.traceQueryCache!;
  }

  private traceQueryFor: LabSession | null = null;
  private traceQueryCache: TraceQuery | null = null;

  async getGuide(): Promise<GuideView> {
    return this.guide().view();
  }

  async runStepActions(req: GuideStepRequest): Promise<RunStepActionsResponse> {
    return this.guideCall(() => this.guide().runActions(req.step));
  }

  async checkStep(req: GuideStepRequest): Promise<CheckStepResponse> {
    return this.guideCall(() => this.guide().check(req.step));
  }

  async getJourney(req: GetJourneyRequest): Promise<JourneyView> {
    if ('group' in req) {
      const q = this.traceQuery();
      return groupJourney(this.session.trace, req, q);
    }
    const j = this.traceQuery().journey(req.pkt);
    if (!j) throw new ApiError('ENOENT', `the trace has no packet ${req.pkt}`);
    return j;
  }

  private async guideCall<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof GuideNotFound) throw new ApiError('ENOENT', e.message);
      throw e;
    }
  }

  /** One guide per session, like the trace index: a reset starts the steps over. */
  private guide(): LabGuide {
    if (this.guideFor !== this.session) {
      void this.guideCache?.close();
      this.guideFor = this.session;
      this.guideCache = new LabGuide(this.session, daemonActionRunner(this.session, this.daemons), () => this.slicing);
    }
    return this.guideCache!;
  }

  private guideFor: LabSession | null = null;
  private guideCache: LabGuide | null = null;

  async getCounters(): Promise<CounterView[]> {
    return [...this.session.net.nodes.keys()].map((node) => readCounters(node, (line) => this.session.runCommand(node, line)));
  }

  private requireNode(node: string): void {
    if (!this.session.net.nodes.has(node)) throw new ApiError('ENOENT', `no node "${node}"`);
  }

  /** Interfaces as the node's own `ip -j addr` reports them (the public edge, not engine internals). */
  private ifaces(node: string): IfaceView[] {
    const r = this.session.runCommand(node, 'ip -j addr show');
    if (r.rc !== 0) return [];
    const list = JSON.parse(r.stdout) as IpAddrJson[];
    return list.map((d) => ({
      name: d.ifname,
      state: d.operstate,
      addrs: (d.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
    }));
  }
}

/** A state query's refusals (no recording, seq out of range, no such node) reach the caller as ENOENT. */
async function stateCall<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof RecordingUnavailable || e instanceof NoReplayState || e instanceof RangeError || e instanceof ExportUnavailable) throw new ApiError('ENOENT', e.message);
    throw e;
  }
}
