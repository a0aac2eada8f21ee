// The one contract between the UI and the host: WorkbenchApi, its request/response types, the IPC channel
// of each method, and a validator for every argument. Electron IPC (preload) and web mode (WebSocket)
// carry exactly this; both edges validate with `parseRequest` before anything reaches the lab, because
// the renderer (or another local page) is not trusted.
//
// This module must stay free of Node and engine imports: the renderer imports its types.

export type NodeRole = 'host' | 'router';

export interface IfaceView {
  name: string;
  /** Operational state as `ip -br link` prints it (UP, DOWN, LOWERLAYERDOWN, UNKNOWN). */
  state: string;
  /** IPv4 addresses as `ip addr` prints them: `10.1.0.1/24`. */
  addrs: string[];
}

export interface NodeView {
  name: string;
  role: NodeRole;
  ifaces: IfaceView[];
  /** The node's setup commands (the lab's `exec:` list), as the topology editor edits them. */
  startup?: string[];
}

export interface EndpointView {
  node: string;
  iface: string;
}

export interface LinkView {
  endpoints: [EndpointView, EndpointView];
}

export interface SegmentView {
  name: string;
  members: EndpointView[];
}

export interface StartupErrorView {
  node: string;
  file: string;
  line: number;
  command: string;
  rc: number;
  message: string;
}

export interface LabView {
  name: string;
  title: string;
  description: string;
  nodes: NodeView[];
  links: LinkView[];
  segments: SegmentView[];
  /** Positions of nodes (and segments, once moved) in the topology view. */
  layout: Record<string, { x: number; y: number }>;
  startupErrors: StartupErrorView[];
  /** Simulated time, ns. */
  now: number;
}

/** Where a long run is: simulated times (ns); `done` once it has finished or was cancelled. Web mode sends it
 * on the socket, Electron on the preload's progress channel; the renderer validates it (progress-events.ts). */
export interface RunProgress {
  start: number;
  now: number;
  target: number;
  done: boolean;
  /** What is running, when it is not a command ("Exporting pcapng"); the bar says "Running" otherwise. */
  label?: string;
}

export interface RunCommandRequest {
  node: string;
  line: string;
}

/** Exactly what the Linux tool printed, and its exit status. */
export interface RunCommandResponse {
  rc: number;
  stdout: string;
  stderr: string;
  now: number;
}

export interface CompleteRequest {
  node: string;
  /** The command line up to the cursor. */
  line: string;
}

export interface CompleteResponse {
  /** Offset in `line` where the word being completed starts. */
  from: number;
  /** Full words that can replace line.slice(from), sorted. */
  candidates: string[];
}

export interface MoveNodeRequest {
  node: string;
  x: number;
  y: number;
}

/** One line a daemon printed (log/console.*), or its exit. */
export interface DaemonLogLine {
  /** Simulated time, ns. */
  t: number;
  stream: 'log' | 'exit';
  text: string;
}

/** A node's daemon script and its process, as the daemon pane shows them. */
export interface DaemonView {
  node: string;
  /** The script's name as the student sees it, e.g. "smcroute.ts". */
  file: string;
  source: string;
  state: 'stopped' | 'running' | 'exited';
  /** Why it exited, with the student's line and column when known (1-based). */
  exit: { reason: string; message: string; line: number | null; column: number | null } | null;
  log: DaemonLogLine[];
}

export interface StartDaemonRequest {
  node: string;
  file: string;
  source: string;
}

export interface StopDaemonRequest {
  node: string;
}

/** Per-node forwarding counters, read from the node's own /proc files. */
export interface CounterView {
  node: string;
  /** Multicast packets sent out of the node's VIFs (sum of Pkts Out in /proc/net/ip_mr_vif). */
  mcForwarded: number;
  /** Multicast packets the node's MFC entries matched (sum of Pkts in /proc/net/ip_mr_cache). */
  mfcPackets: number;
  /** Packets per interface, as `ip -s link` prints them (the graph's link counters). */
  ifaces: IfaceCounterView[];
}

export interface IfaceCounterView {
  name: string;
  rxPackets: number;
  txPackets: number;
}

/** Which events of the trace to list; absent fields match everything. */
export interface TraceFilter {
  node?: string;
  /** Kernel function name, exactly (ipmr_cache_unresolved). */
  fn?: string;
  kind?: string;
  /** Only the events about this packet id. */
  pkt?: number;
  /** Case-insensitive substring of the function name or the payload's JSON. */
  text?: string;
}

/** One trace event; `data` is its payload as JSON text. */
export interface TraceEventView {
  seq: number;
  /** Simulated time, ns. */
  t: number;
  node: string;
  fn: string;
  kind: string;
  pkt: number | null;
  parent: number | null;
  data: string;
}

export interface GetTraceRequest {
  /** Position in the filtered list (0-based). */
  offset: number;
  /** At most MAX_TRACE_PAGE. */
  limit: number;
  filter?: TraceFilter;
}

export interface TracePage {
  /** Events matching the filter. */
  total: number;
  offset: number;
  events: TraceEventView[];
  /** Node and function names seen in the trace so far, for the filter pickers. */
  nodes: string[];
  fns: string[];
}

export interface LocateEventRequest {
  filter?: TraceFilter;
  /** First event with seq ≥ this, or */
  seq?: number;
  /** first event at simulated time ≥ this (ns). */
  t?: number;
}

export interface GetEventRequest {
  seq: number;
}

/** One event with what caused it, what it caused, and the bytes of its packet (hex, from the IP header). */
export interface EventDetailView {
  event: TraceEventView;
  /** Root first, the event's parent last. */
  ancestors: TraceEventView[];
  children: TraceEventView[];
  /** Children not listed. */
  moreChildren: number;
  packet: { id: number; t: number; node: string; dev: string; origin: number | null; hex: string } | null;
}

export const MAX_TRACE_PAGE = 1000;
export const MAX_SERIES_BUCKETS = 2000;

export interface GetSeriesRequest {
  filter?: TraceFilter;
  /** Number of equal time buckets from 0 to the current simulated time. */
  buckets: number;
}

/** Events matching a filter counted per time bucket, one series per node: the plot under the trace. */
export interface SeriesView {
  /** End of each bucket, ns. */
  t: number[];
  series: { node: string; counts: number[] }[];
}

export interface WorkbenchApi extends GuideApi, StateApi, QueryApi {
  /** Topology editor: replaces the lab's nodes, links, segments and layout, then rebuilds the running lab. */
  applyTopology(req: TopologySpec): Promise<LabView>;
  /** Context menu: `ip link set DEV down|up` or `ip link delete DEV` on the running lab (a real engine event). */
  deviceEvent(req: DeviceEventRequest): Promise<DeviceEventResponse>;
  /** Lab files: those in labs/, the recent ones, the current one. */
  listLabs(): Promise<LabFilesView>;
  /** Loads a lab file (the running lab is rebuilt from it). */
  openLab(req: LabFileRequest): Promise<LabView>;
  /** Writes the current lab (topology and setup commands) and its layout file. */
  saveLab(req: LabFileRequest): Promise<LabFilesView>;
  /** The current lab as file text, for a download in web mode. */
  exportLab(): Promise<LabExport>;
  /** A native open/save dialog for lab files: answered by the Electron main process only (null: cancelled). */
  pickLabFile(req: PickLabFileRequest): Promise<string | null>;
  getLab(): Promise<LabView>;
  runCommand(req: RunCommandRequest): Promise<RunCommandResponse>;
  complete(req: CompleteRequest): Promise<CompleteResponse>;
  moveNode(req: MoveNodeRequest): Promise<null>;
  /** Rebuilds the lab from its spec (fresh namespaces, startup commands run again). */
  reset(): Promise<LabView>;
  /** Daemon scripts of the lab's nodes, their state and output. */
  listDaemons(): Promise<DaemonView[]>;
  /** Starts (or restarts) a daemon script on a node; its top level runs now, in simulated time. */
  startDaemon(req: StartDaemonRequest): Promise<DaemonView>;
  /** Kills a node's daemon: its sockets close through the kernel (an mroute socket runs mrtsock_destruct). */
  stopDaemon(req: StopDaemonRequest): Promise<DaemonView>;
  /** Keeps an edited script on the host (autosave) without running it. */
  saveDaemon(req: StartDaemonRequest): Promise<null>;
  getCounters(): Promise<CounterView[]>;
  /** A page of the running lab's trace under a filter. */
  getTrace(req: GetTraceRequest): Promise<TracePage>;
  /** The position (under a filter) of an event by seq or simulated time: jump to time, follow a link. */
  locateEvent(req: LocateEventRequest): Promise<number>;
  /** One event in detail, or null if the trace has no such seq. */
  getEvent(req: GetEventRequest): Promise<EventDetailView | null>;
  getSeries(req: GetSeriesRequest): Promise<SeriesView>;
}

import {
  TopologyInvalid,
  validateDeviceEvent,
  validateLabFile,
  validatePickLabFile,
  validateTopology,
  type DeviceEventRequest,
  type DeviceEventResponse,
  type LabExport,
  type LabFileRequest,
  type LabFilesView,
  type PickLabFileRequest,
  type TopologySpec,
} from './workspace/topology-api.js';
import { GuideInvalid, guideCalls, validateGuideStep, validateJourney, type GuideApi } from './guide-api.js';
import { StateInvalid, stateCalls, validateExport, validateNoArg, validateStateAt, type StateApi } from './state-api.js';
// The query console (query-api.ts): one read-only SQL query over the session's recording.
import { QueryInvalid, queryCalls, validateRunQuery, type QueryApi } from './query-api.js';

export type ApiMethod = keyof WorkbenchApi;
export type ApiArg<M extends ApiMethod> = Parameters<WorkbenchApi[M]> extends [infer A] ? A : undefined;
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<WorkbenchApi[M]>>;

export const API_METHODS = ['getLab', 'runCommand', 'complete', 'moveNode', 'reset', 'listDaemons', 'startDaemon', 'stopDaemon', 'saveDaemon', 'getCounters', 'getTrace', 'locateEvent', 'getEvent', 'getSeries', 'applyTopology', 'deviceEvent', 'listLabs', 'openLab', 'saveLab', 'exportLab', 'pickLabFile', 'getGuide', 'runStepActions', 'checkStep', 'getJourney', 'getStateAt', 'getRecording', 'exportRecording', 'runQuery'] as const satisfies readonly ApiMethod[];

// Compile-time check that API_METHODS lists every method.
type Missing = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _exhaustive: Missing extends never ? true : never = true;
void _exhaustive;

/** Electron IPC channel of each method (the preload repeats this convention: it cannot import modules). */
export type ApiChannel<M extends ApiMethod = ApiMethod> = `workbench:${M}`;

export function channelOf<M extends ApiMethod>(method: M): ApiChannel<M> {
  return `workbench:${method}`;
}

export const API_CHANNELS: readonly ApiChannel[] = API_METHODS.map(channelOf);

/** A refused request: bad method or argument (EINVAL-like), reported to the caller, never thrown into the lab. */
export class ApiError extends Error {
  constructor(
    readonly code: 'EINVAL' | 'ENOENT' | 'EINTERNAL',
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Names as containerlab allows them (conventions.md §1). */
const NODE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-._|]*$/;
const MAX_NAME = 64;
const MAX_LINE = 4096;
const MAX_COORD = 1e6;

function invalid(msg: string): never {
  throw new ApiError('EINVAL', msg);
}

function record(arg: unknown, keys: readonly string[], what: string): Record<string, unknown> {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) invalid(`${what}: expected an object`);
  const proto = Object.getPrototypeOf(arg) as unknown;
  if (proto !== Object.prototype && proto !== null) invalid(`${what}: expected a plain object`);
  for (const k of Object.keys(arg)) if (!keys.includes(k)) invalid(`${what}: unknown field "${k}"`);
  return arg as Record<string, unknown>;
}

function nodeName(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME || !NODE_NAME.test(v)) invalid(`${what}.node: expected a node name`);
  return v;
}

function commandLine(v: unknown, what: string): string {
  if (typeof v !== 'string') invalid(`${what}.line: expected a string`);
  if (v.length > MAX_LINE) invalid(`${what}.line: longer than ${MAX_LINE} characters`);
  // One line: the console sends a single command; control characters other than tab have no meaning here.
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) invalid(`${what}.line: control characters are not allowed`);
  }
  return v;
}

function coord(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_COORD) invalid(`${what}: expected a finite number within ±${MAX_COORD}`);
  return v;
}

/** A script file name as a tab shows it: no directories, ends in .ts. */
const SCRIPT_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ts$/;
/** Daemon scripts are typed by hand; 256 KiB is far beyond any of them and keeps one request bounded. */
const MAX_SOURCE = 256 * 1024;

/** A lab's own daemon keeps the path the lab gave it (app-service checks it is that node's script). */
const MAX_SCRIPT_PATH = 4096;

function scriptFile(v: unknown, what: string): string {
  const bad = (): never => invalid(`${what}.file: expected a script name like "daemon.ts" (or the path of the lab's own script)`);
  if (typeof v !== 'string' || v.length > MAX_SCRIPT_PATH || v.includes('\0') || v.includes('\\')) bad();
  const file = v as string;
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (base.length > MAX_NAME || !SCRIPT_FILE.test(base) || file.split('/').some((seg, i) => seg === '..' || seg === '.' || (seg === '' && i > 0))) bad();
  return file;
}

function scriptSource(v: unknown, what: string): string {
  if (typeof v !== 'string') invalid(`${what}.source: expected a string`);
  if (v.length > MAX_SOURCE) invalid(`${what}.source: longer than ${MAX_SOURCE} characters`);
  if (v.includes('\0')) invalid(`${what}.source: NUL characters are not allowed`);
  return v;
}

const FN_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const KINDS = ['call', 'lookup', 'rx', 'tx', 'deliver', 'drop', 'timer_arm', 'timer_fire', 'timer_cancel', 'upcall', 'state', 'log'];

function count(v: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) invalid(`${what}: expected an integer from 0 to ${max}`);
  return v;
}

function traceFilter(v: unknown, what: string): TraceFilter | undefined {
  if (v === undefined || v === null) return undefined;
  const r = record(v, ['node', 'fn', 'kind', 'pkt', 'text'], what);
  const f: TraceFilter = {};
  if (r.node !== undefined) f.node = nodeName(r.node, what);
  if (r.fn !== undefined) {
    if (typeof r.fn !== 'string' || r.fn.length > MAX_NAME || !FN_NAME.test(r.fn)) invalid(`${what}.fn: expected a function name`);
    f.fn = r.fn;
  }
  if (r.kind !== undefined) {
    if (typeof r.kind !== 'string' || !KINDS.includes(r.kind)) invalid(`${what}.kind: expected one of ${KINDS.join(', ')}`);
    f.kind = r.kind;
  }
  if (r.pkt !== undefined) f.pkt = count(r.pkt, `${what}.pkt`);
  if (r.text !== undefined) {
    if (typeof r.text !== 'string' || r.text.length > 200) invalid(`${what}.text: expected a string of at most 200 characters`);
    f.text = r.text;
  }
  return f;
}

function noArg(arg: unknown, what: string): undefined {
  if (arg !== undefined && arg !== null) invalid(`${what}: takes no argument`);
  return undefined;
}

/**
 * The validators of the other API modules (workspace/topology-api.ts, guide-api.ts, state-api.ts, query-api.ts)
 * report with their own error class (TopologyInvalid, GuideInvalid, StateInvalid, QueryInvalid); here it
 * becomes EINVAL.
 */
function validatedBy<T>(errorClass: abstract new (...args: never[]) => Error, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof errorClass) invalid(e.message);
    throw e;
  }
}

const editorArg = <T>(f: () => T): T => validatedBy(TopologyInvalid, f);
const guideArg = <T>(f: () => T): T => validatedBy(GuideInvalid, f);
const stateArg = <T>(f: () => T): T => validatedBy(StateInvalid, f);
const queryArg = <T>(f: () => T): T => validatedBy(QueryInvalid, f);

export const VALIDATORS: { [M in ApiMethod]: (arg: unknown) => ApiArg<M> } = {
  runQuery: (arg) => queryArg(() => validateRunQuery(arg)),
  getGuide: (arg) => noArg(arg, 'getGuide'),
  runStepActions: (arg) => guideArg(() => validateGuideStep(arg, 'runStepActions')),
  checkStep: (arg) => guideArg(() => validateGuideStep(arg, 'checkStep')),
  getJourney: (arg) => guideArg(() => validateJourney(arg)),
  getStateAt: (arg) => stateArg(() => validateStateAt(arg)),
  getRecording: (arg) => stateArg(() => validateNoArg(arg, 'getRecording')),
  exportRecording: (arg) => stateArg(() => validateExport(arg)),
  applyTopology: (arg) => editorArg(() => validateTopology(arg)),
  deviceEvent: (arg) => editorArg(() => validateDeviceEvent(arg)),
  listLabs: (arg) => noArg(arg, 'listLabs'),
  openLab: (arg) => editorArg(() => validateLabFile(arg, 'openLab')),
  saveLab: (arg) => editorArg(() => validateLabFile(arg, 'saveLab')),
  exportLab: (arg) => noArg(arg, 'exportLab'),
  pickLabFile: (arg) => editorArg(() => validatePickLabFile(arg)),
  getLab: (arg) => noArg(arg, 'getLab'),
  reset: (arg) => noArg(arg, 'reset'),
  runCommand: (arg) => {
    const r = record(arg, ['node', 'line'], 'runCommand');
    return { node: nodeName(r.node, 'runCommand'), line: commandLine(r.line, 'runCommand') };
  },
  complete: (arg) => {
    const r = record(arg, ['node', 'line'], 'complete');
    return { node: nodeName(r.node, 'complete'), line: commandLine(r.line, 'complete') };
  },
  moveNode: (arg) => {
    const r = record(arg, ['node', 'x', 'y'], 'moveNode');
    return { node: nodeName(r.node, 'moveNode'), x: coord(r.x, 'moveNode.x'), y: coord(r.y, 'moveNode.y') };
  },
  getTrace: (arg) => {
    const r = record(arg, ['offset', 'limit', 'filter'], 'getTrace');
    const filter = traceFilter(r.filter, 'getTrace.filter');
    return { offset: count(r.offset, 'getTrace.offset'), limit: count(r.limit, 'getTrace.limit', MAX_TRACE_PAGE), ...(filter ? { filter } : {}) };
  },
  locateEvent: (arg) => {
    const r = record(arg, ['filter', 'seq', 't'], 'locateEvent');
    if ((r.seq === undefined) === (r.t === undefined)) invalid('locateEvent: give exactly one of seq and t');
    const filter = traceFilter(r.filter, 'locateEvent.filter');
    return { ...(filter ? { filter } : {}), ...(r.seq !== undefined ? { seq: count(r.seq, 'locateEvent.seq') } : { t: count(r.t, 'locateEvent.t') }) };
  },
  getEvent: (arg) => {
    const r = record(arg, ['seq'], 'getEvent');
    return { seq: count(r.seq, 'getEvent.seq') };
  },
  getSeries: (arg) => {
    const r = record(arg, ['filter', 'buckets'], 'getSeries');
    const filter = traceFilter(r.filter, 'getSeries.filter');
    const buckets = count(r.buckets, 'getSeries.buckets', MAX_SERIES_BUCKETS);
    if (buckets === 0) invalid('getSeries.buckets: at least 1');
    return { ...(filter ? { filter } : {}), buckets };
  },
  listDaemons: (arg) => noArg(arg, 'listDaemons'),
  getCounters: (arg) => noArg(arg, 'getCounters'),
  startDaemon: (arg) => {
    const r = record(arg, ['node', 'file', 'source'], 'startDaemon');
    return { node: nodeName(r.node, 'startDaemon'), file: scriptFile(r.file, 'startDaemon'), source: scriptSource(r.source, 'startDaemon') };
  },
  saveDaemon: (arg) => {
    const r = record(arg, ['node', 'file', 'source'], 'saveDaemon');
    return { node: nodeName(r.node, 'saveDaemon'), file: scriptFile(r.file, 'saveDaemon'), source: scriptSource(r.source, 'saveDaemon') };
  },
  stopDaemon: (arg) => {
    const r = record(arg, ['node'], 'stopDaemon');
    return { node: nodeName(r.node, 'stopDaemon') };
  },
};

export function isApiMethod(m: unknown): m is ApiMethod {
  return typeof m === 'string' && (API_METHODS as readonly string[]).includes(m);
}

/** Validates a method name and its argument; throws ApiError('EINVAL') on anything else. */
export function parseRequest(method: unknown, arg: unknown): { method: ApiMethod; arg: unknown } {
  if (!isApiMethod(method)) invalid(`unknown method ${JSON.stringify(String(method)).slice(0, 80)}`);
  return { method, arg: VALIDATORS[method](arg) };
}

/** Builds a WorkbenchApi over any transport that carries (method, arg) and returns the result. */
export function apiOver(call: (method: ApiMethod, arg: unknown) => Promise<unknown>): WorkbenchApi {
  return {
    applyTopology: (req) => call('applyTopology', req) as Promise<LabView>,
    deviceEvent: (req) => call('deviceEvent', req) as Promise<DeviceEventResponse>,
    listLabs: () => call('listLabs', undefined) as Promise<LabFilesView>,
    openLab: (req) => call('openLab', req) as Promise<LabView>,
    saveLab: (req) => call('saveLab', req) as Promise<LabFilesView>,
    exportLab: () => call('exportLab', undefined) as Promise<LabExport>,
    pickLabFile: (req) => call('pickLabFile', req) as Promise<string | null>,
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
    ...guideCalls(call),
    ...stateCalls(call),
    ...queryCalls(call),
  };
}

/** Wire messages of web mode (and of the worker that runs the lab). */
export interface RpcRequest {
  id: number;
  method: string;
  arg?: unknown;
}

export type RpcResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { code: string; message: string } };
