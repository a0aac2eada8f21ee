// The state views' part of the WorkbenchApi contract (issue 10 §4): one node's kernel state after an event
// of the live session's recording. api.ts includes it (like guide-api.ts); this module stays free of Node
// imports because the renderer imports it. NodeState is the engine's (engine/state/node-state.ts).

import type { NodeState } from '../../engine/state/node-state.js';

export class StateInvalid extends Error {}

export interface GetStateAtRequest {
  /** The state after this event (0: before the first one). */
  seq: number;
  node: string;
}

export interface StateAtView {
  seq: number;
  /** Simulated time of event `seq`, ns (expiry countdowns count from here). */
  t: number;
  /** Nodes of the lab (the view's node picker). */
  nodes: string[];
  state: NodeState;
  /** 'recording': rebuilt from the session's run file; 'live': the state after the newest event, read now. */
  source: 'recording' | 'live';
}

export interface RecordingView {
  /** The session's run file (readable by `workbench state FILE --seq N`). */
  file: string;
  /** First and last seq whose state can be shown. */
  from: number;
  to: number;
}

export const EXPORT_FORMATS = ['html', 'pdf', 'pcapng', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRecordingRequest {
  format: ExportFormat;
}

/** A file to hand to the user (a download in web mode). */
export interface ExportedFile {
  name: string;
  mime: string;
  base64: string;
  bytes: number;
}

export interface StateApi {
  /** The live session's recording as a report (HTML or PDF), a pcapng capture or the events as CSV. */
  exportRecording(req: ExportRecordingRequest): Promise<ExportedFile>;
  /** A node's kernel state after event `seq`: VIFs, MFC, unresolved queue, IGMP, sockets and the exact `ip`/`/proc` texts. */
  getStateAt(req: GetStateAtRequest): Promise<StateAtView>;
  /** Where the live session is recorded and which seqs have a state. */
  getRecording(): Promise<RecordingView>;
}

type StateMethod = keyof StateApi;

function fail(msg: string): never {
  throw new StateInvalid(msg);
}

const NODE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function validateStateAt(arg: unknown): GetStateAtRequest {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) fail('getStateAt: expected an object { seq, node }');
  const r = arg as Record<string, unknown>;
  for (const k of Object.keys(r)) if (k !== 'seq' && k !== 'node') fail(`getStateAt: unknown field "${k.slice(0, 40)}"`);
  if (typeof r.seq !== 'number' || !Number.isSafeInteger(r.seq) || r.seq < 0) fail('getStateAt.seq: expected a non-negative integer');
  if (typeof r.node !== 'string' || !NODE_NAME.test(r.node)) fail('getStateAt.node: expected a node name (letters, digits, _ . -; at most 64)');
  return { seq: r.seq, node: r.node };
}

export function validateExport(arg: unknown): ExportRecordingRequest {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) fail('exportRecording: expected an object { format }');
  const r = arg as Record<string, unknown>;
  for (const k of Object.keys(r)) if (k !== 'format') fail(`exportRecording: unknown field "${k.slice(0, 40)}"`);
  if (!(EXPORT_FORMATS as readonly unknown[]).includes(r.format)) fail(`exportRecording.format: one of ${EXPORT_FORMATS.join(', ')}`);
  return { format: r.format as ExportFormat };
}

export function validateNoArg(arg: unknown, what: string): undefined {
  if (arg !== undefined && arg !== null) fail(`${what}: takes no argument`);
  return undefined;
}

export function stateCalls(call: (method: StateMethod, arg: unknown) => Promise<unknown>): StateApi {
  return {
    getStateAt: (req) => call('getStateAt', req) as Promise<StateAtView>,
    getRecording: () => call('getRecording', undefined) as Promise<RecordingView>,
    exportRecording: (req) => call('exportRecording', req) as Promise<ExportedFile>,
  };
}
