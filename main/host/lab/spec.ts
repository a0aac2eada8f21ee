// The in-memory form of a lab: what the YAML loader (issue 8) produces and what a session, the app and the
// CLI consume. Topology follows containerlab (nodes, links with endpoints) plus LAN segments; node setup
// is a list of .startup-style commands.

import type { LabStep, SourcePos } from './steps.js';

export type NodeRole = 'host' | 'router';

export interface LabNodeSpec {
  name: string;
  role: NodeRole;
  /** Commands run in order when the node starts (Kathará .startup syntax). */
  startup: string[];
  /** Where the startup commands came from, for error positions: file and the line of each command. */
  startupSource?: { file: string; lines: number[] };
  /** The daemon the node runs once every node's start commands ran (lab-daemons.ts). */
  daemon?: LabDaemonSpec;
  /** Files the node's daemons read with readFile(path): absolute path → content (e.g. /etc/smcroute.conf). */
  files?: Record<string, string>;
}

/** A daemon script: its name as the student sees it (error positions) and its TypeScript source. */
export interface DaemonScript {
  file: string;
  source: string;
}

export interface LabDaemonSpec {
  /** What the student starts from (or their own script: `--daemon NODE=FILE`). */
  script: DaemonScript;
  /** The reference solution, run instead of `script` when grading the solution (`--solution`). */
  solution?: DaemonScript;
  /** Command-line arguments: the guest's argv is [file, ...args]. */
  args: string[];
  at?: SourcePos;
}

export interface EndpointSpec {
  node: string;
  iface: string;
}

/** A point-to-point link (a veth pair). */
export interface LinkSpec {
  endpoints: [EndpointSpec, EndpointSpec];
}

/** A LAN segment (a bridge flooding every frame) and the interfaces attached to it. */
export interface SegmentSpec {
  name: string;
  members: EndpointSpec[];
}

export interface LabSpec {
  name: string;
  title: string;
  description: string;
  seed: number;
  profile: 'modern' | 'book';
  nodes: LabNodeSpec[];
  links: LinkSpec[];
  segments: SegmentSpec[];
  /** Node positions for the topology view (the lab's layout file). */
  layout?: Record<string, { x: number; y: number }>;
  /** The guided steps (instructions, actions, checks), when loaded from a lab file (steps.ts). */
  steps?: LabStep[];
  /** The lab file this spec was loaded from, if any. */
  file?: string;
}
