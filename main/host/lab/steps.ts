// The guided part of a lab: steps with Markdown instructions, the actions a step runs (traffic, joins,
// link faults, commands, waiting), the checks that grade it, hints and points. These are the in-memory
// forms the lab file loader produces (lab-file.ts) and the runner consumes (lab-run.ts).

import type { Nanos } from '../../../engine/sim/time.js';

/** Where something was written: for messages that name file:line:col. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export interface LabStep {
  title: string;
  /** Markdown. */
  text: string;
  /** Shown to the student on request (the app) or after a failed check (the CLI). */
  hints: string[];
  /** The reference solution: commands run before the step's actions when grading the solution. */
  solution: CommandSpec[];
  actions: LabAction[];
  checks: LabCheck[];
  at?: SourcePos;
}

export interface CommandSpec {
  node: string;
  run: string;
  at?: SourcePos;
}

export interface UdpReceiverAction {
  type: 'udp-receiver';
  /** Name the delivery checks refer to. */
  name: string;
  node: string;
  port: number;
  group?: string;
  iface?: string;
  bind?: string;
}

export interface UdpSenderAction {
  type: 'udp-sender';
  node: string;
  dst: string;
  port: number;
  count: number;
  interval?: Nanos;
  size?: number;
  ttl?: number;
  tos?: number;
  src?: string;
  sport?: number;
  iface?: string;
}

export interface PingAction {
  type: 'ping';
  node: string;
  dst: string;
  count: number;
  interval?: Nanos;
  size?: number;
  ttl?: number;
  iface?: string;
}

export interface MembershipAction {
  type: 'join' | 'leave';
  node: string;
  group: string;
  iface?: string;
}

export interface LinkAction {
  type: 'link-down' | 'link-up' | 'link-delete';
  node: string;
  iface: string;
}

export interface CommandAction extends Omit<CommandSpec, 'at'> {
  type: 'command';
}

export interface WaitAction {
  type: 'wait';
  duration: Nanos;
}

/** Start, stop (the process dies: its sockets close) or restart a node's daemon, or a lab-supplied extra process. */
export interface DaemonAction {
  type: 'daemon';
  node: string;
  do: 'start' | 'stop' | 'restart';
  /** An extra process running this lab script (e.g. a second daemon), instead of the node's own daemon. */
  script?: { file: string; source: string };
  args?: string[];
}

export type LabAction = (DaemonAction | UdpReceiverAction | UdpSenderAction | PingAction | MembershipAction | LinkAction | CommandAction | WaitAction) & { at?: SourcePos };

/** What every check has. New check kinds (e.g. `sql` over the stored trace) add a member to LabCheck. */
export interface CheckBase {
  /** Short id, unique in the lab (CSV column, JSON key). */
  name: string;
  /** What the check verifies, in the student's words. */
  description?: string;
  points: number;
  hint?: string;
  at?: SourcePos;
}

/** Output of a command on a node. Every given matcher must hold. */
export interface CommandCheck extends CheckBase {
  type: 'command';
  node: string;
  run: string;
  equals?: string;
  contains?: string[];
  regex?: string[];
  absent?: string[];
  rc?: number;
  /** What the matchers read (default stdout). */
  stream: 'stdout' | 'stderr' | 'both';
}

/** Datagrams a receiver (started by a `udp-receiver` action) got, filtered by source and destination. */
export interface DeliveryCheck extends CheckBase {
  type: 'delivery';
  receiver: string;
  from?: string;
  to?: string;
  packets?: number;
  min?: number;
  max?: number;
}

/** Events of the in-memory trace matching fn/kind/node/data (data: each given field equal). */
export interface TraceCheck extends CheckBase {
  type: 'trace';
  fn: string;
  kind?: string;
  node?: string;
  data?: Record<string, string | number | boolean | null>;
  /** 'step' (default): events since the step began; 'run': the whole run. */
  scope: 'step' | 'run';
  count?: number;
  min?: number;
  max?: number;
}

/**
 * Read-only SQL over the run's trace so far (the store's `trace` and `trace_packets` views). `equals`,
 * `min`, `max` judge the first column of the first row; `rows` the number of rows or the rows themselves.
 */
export interface SqlCheck extends CheckBase {
  type: 'sql';
  query: string;
  equals?: string | number | null;
  min?: number;
  max?: number;
  rows?: number | Array<Array<string | number | null>>;
}

export type LabCheck = CommandCheck | DeliveryCheck | TraceCheck | SqlCheck;
