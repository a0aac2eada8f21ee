// The lab guide's and the journey chart's part of the WorkbenchApi contract: request/response types, a
// validator per method, and the client calls. api.ts includes them (like topology-api.ts); this module
// stays free of Node and engine imports because the renderer imports it.

export interface GuideActionView {
  /** The action as the lab file says it, in one line: `ping h1 → 10.3.0.20 ×1`. */
  label: string;
  type: string;
}

export interface GuideCheckView {
  name: string;
  description: string | null;
  points: number;
  /** The last result of this check, or null if never checked. */
  result: { passed: boolean; message: string } | null;
  /** Revealed on demand in the UI (and always sent: the lab file is the student's anyway). */
  hint: string | null;
}

export interface GuideStepView {
  index: number;
  title: string;
  /** Markdown as written in the lab; the renderer sanitises what it renders. */
  text: string;
  hints: string[];
  actions: GuideActionView[];
  checks: GuideCheckView[];
  /** How many times the step's actions ran in this session. */
  actionRuns: number;
}

export interface GuideView {
  lab: string;
  title: string;
  /** Markdown. */
  description: string;
  steps: GuideStepView[];
  /** Points of the checks whose last result passed. */
  points: number;
  total: number;
  /** 0..100 by points; 100 for a lab without checks. */
  percent: number;
}

export interface GuideStepRequest {
  /** 0-based step index. */
  step: number;
}

export interface ActionOutcomeView {
  label: string;
  ok: boolean;
  output: string;
}

export interface RunStepActionsResponse {
  step: number;
  outcomes: ActionOutcomeView[];
  /** Simulated time after the actions, ns. */
  now: number;
  /** The user cancelled a long action (a wait, a ping): it stopped at `now` and the rest did not run. */
  cancelled: boolean;
  /** Labels of the step's actions that did not run because of the cancel, in order. */
  notRun: string[];
}

export interface CheckStepResponse {
  step: number;
  checks: GuideCheckView[];
  points: number;
  total: number;
  percent: number;
}

/** One packet's journey (with its family), or a multicast group's: its senders' datagrams, optionally one source's. */
export type GetJourneyRequest = { pkt: number } | { group: string; source?: string };

/** One hop of a packet: it left `from` (tx event) and arrived at `to` (rx event). */
export interface JourneyHop {
  pkt: number;
  from: string;
  to: string;
  txSeq: number;
  rxSeq: number;
  txDev: string;
  rxDev: string;
  t0: number;
  t1: number;
}

/** One event of the journey, as a mark on its node's lifeline. */
export interface JourneyEvent {
  seq: number;
  t: number;
  node: string;
  fn: string;
  kind: string;
  pkt: number;
}

/** A packet's journey across nodes: the packet, those it was derived from and those derived from it. */
export interface JourneyView {
  pkt: number;
  /** The family, root first: id, the packet it was derived from, where its bytes were first seen. */
  packets: { id: number; origin: number | null; node: string; dev: string; t: number }[];
  /** Lifelines, in the order the journey first reaches them. */
  nodes: string[];
  events: JourneyEvent[];
  hops: JourneyHop[];
  /** More events than MAX_JOURNEY_EVENTS: the list stops there. */
  truncated: boolean;
  /** A group's journey: the group, the source asked for, datagrams sent to it and how many are charted. */
  group?: { group: string; source: string | null; sent: number; shown: number };
}

export const MAX_JOURNEY_EVENTS = 2000;
/** Steps per lab the API accepts; far above any lab (they have a handful). */
export const MAX_GUIDE_STEPS = 1000;

/** A refused argument; api.ts turns it into ApiError('EINVAL'). */
export class GuideInvalid extends Error {}

function bad(msg: string): never {
  throw new GuideInvalid(msg);
}

function only(arg: unknown, keys: readonly string[], what: string): Record<string, unknown> {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) bad(`${what}: expected an object`);
  const proto = Object.getPrototypeOf(arg) as unknown;
  if (proto !== Object.prototype && proto !== null) bad(`${what}: expected a plain object`);
  for (const k of Object.keys(arg)) if (!keys.includes(k)) bad(`${what}: unknown field "${k}"`);
  return arg as Record<string, unknown>;
}

function index(v: unknown, what: string, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) bad(`${what}: expected an integer from 0 to ${max}`);
  return v;
}

export function validateGuideStep(arg: unknown, what: string): GuideStepRequest {
  const r = only(arg, ['step'], what);
  return { step: index(r.step, `${what}.step`, MAX_GUIDE_STEPS) };
}

const QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function quad(v: unknown, what: string): string {
  if (typeof v !== 'string' || !QUAD.test(v)) bad(`${what}: expected an IPv4 address like 239.1.1.1`);
  return v;
}

export function validateJourney(arg: unknown): GetJourneyRequest {
  const r = only(arg, ['pkt', 'group', 'source'], 'getJourney');
  if (r.group === undefined) {
    if (r.source !== undefined) bad('getJourney.source: only with a group');
    return { pkt: index(r.pkt, 'getJourney.pkt', Number.MAX_SAFE_INTEGER) };
  }
  if (r.pkt !== undefined) bad('getJourney: a packet or a group, not both');
  const group = quad(r.group, 'getJourney.group');
  if (Number(group.split('.')[0]) < 224 || Number(group.split('.')[0]) > 239) bad('getJourney.group: expected a multicast group (224.0.0.0/4)');
  return r.source === undefined ? { group } : { group, source: quad(r.source, 'getJourney.source') };
}

export interface GuideApi {
  /** The lab's steps, their actions and checks with the last results, and the completion so far. */
  getGuide(): Promise<GuideView>;
  /** Runs a step's actions (traffic, joins, link events, waits...) in the running lab. */
  runStepActions(req: GuideStepRequest): Promise<RunStepActionsResponse>;
  /** Evaluates a step's checks against the running lab now. */
  checkStep(req: GuideStepRequest): Promise<CheckStepResponse>;
  /** The journey of a packet (and its family), or of a multicast group's datagrams, across nodes, for the sequence chart. */
  getJourney(req: GetJourneyRequest): Promise<JourneyView>;
}

type GuideMethod = keyof GuideApi;

/** The guide's methods over a transport's call (api-client.ts, apiOver). */
export function guideCalls(call: (method: GuideMethod, arg: unknown) => Promise<unknown>): GuideApi {
  return {
    getGuide: () => call('getGuide', undefined) as Promise<GuideView>,
    runStepActions: (req) => call('runStepActions', req) as Promise<RunStepActionsResponse>,
    checkStep: (req) => call('checkStep', req) as Promise<CheckStepResponse>,
    getJourney: (req) => call('getJourney', req) as Promise<JourneyView>,
  };
}
