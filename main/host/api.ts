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

export interface WorkbenchApi {
  getLab(): Promise<LabView>;
  runCommand(req: RunCommandRequest): Promise<RunCommandResponse>;
  complete(req: CompleteRequest): Promise<CompleteResponse>;
  moveNode(req: MoveNodeRequest): Promise<null>;
  /** Rebuilds the lab from its spec (fresh namespaces, startup commands run again). */
  reset(): Promise<LabView>;
}

export type ApiMethod = keyof WorkbenchApi;
export type ApiArg<M extends ApiMethod> = Parameters<WorkbenchApi[M]> extends [infer A] ? A : undefined;
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<WorkbenchApi[M]>>;

export const API_METHODS = ['getLab', 'runCommand', 'complete', 'moveNode', 'reset'] as const satisfies readonly ApiMethod[];

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

function noArg(arg: unknown, what: string): undefined {
  if (arg !== undefined && arg !== null) invalid(`${what}: takes no argument`);
  return undefined;
}

export const VALIDATORS: { [M in ApiMethod]: (arg: unknown) => ApiArg<M> } = {
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
    getLab: () => call('getLab', undefined) as Promise<LabView>,
    runCommand: (req) => call('runCommand', req) as Promise<RunCommandResponse>,
    complete: (req) => call('complete', req) as Promise<CompleteResponse>,
    moveNode: (req) => call('moveNode', req) as Promise<null>,
    reset: () => call('reset', undefined) as Promise<LabView>,
  };
}

/** Wire messages of web mode (and of the worker that runs the lab). */
export interface RpcRequest {
  id: number;
  method: string;
  arg?: unknown;
}

export type RpcResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { code: string; message: string } };
