// The shape of a lab file once it passed the schema (lab-schema.ts): what lab-semantics.ts checks and
// lab-file.ts converts into a LabSpec.

export type RawDuration = number | string;
export type RawStrings = string | string[];

export interface RawNode {
  role?: 'host' | 'router';
  exec?: string[];
  startup?: string;
  daemon?: { script: string; solution?: string; args?: string[] };
  files?: Record<string, string>;
}

export type RawAction = Record<string, unknown>;

export interface RawCheck {
  name: string;
  description?: string;
  points?: number;
  hint?: string;
  command?: { node: string; run: string; equals?: string; contains?: RawStrings; regex?: RawStrings; absent?: RawStrings; rc?: number; stream?: 'stdout' | 'stderr' | 'both' };
  delivery?: { receiver: string; from?: string; to?: string; packets?: number; min?: number; max?: number };
  sql?: { query: string; equals?: string | number | null; min?: number; max?: number; rows?: number | Array<Array<string | number | null>> };
  trace?: { fn: string; kind?: string; node?: string; data?: Record<string, string | number | boolean | null>; scope?: 'step' | 'run'; count?: number; min?: number; max?: number };
}

export interface RawStep {
  title: string;
  text?: string;
  hints?: string[];
  solution?: Array<{ node: string; run: string }>;
  actions?: RawAction[];
  checks?: RawCheck[];
}

export interface RawLab {
  name: string;
  title: string;
  description?: string;
  seed?: number;
  profile?: 'modern' | 'book';
  topology: { nodes: Record<string, RawNode | null>; links?: Array<{ endpoints: [string, string] }>; lans?: Record<string, string[]> };
  steps?: RawStep[];
  /** Positions (a downloaded lab); NAME.layout.json wins. */
  layout?: Record<string, { x: number; y: number }>;
  /** Daemon sources by the relative path the lab names them with (a downloaded lab). */
  scripts?: Record<string, string>;
}

export function asList(v: RawStrings | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/** "2s", "500ms", "100us", "10ns" or a number of seconds → nanoseconds. */
export function parseDuration(v: RawDuration): number {
  if (typeof v === 'number') return Math.round(v * 1e9);
  const m = /^([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s)$/.exec(v);
  if (!m) throw new Error(`bad duration "${v}"`);
  const scale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[m[2] as 'ns' | 'us' | 'ms' | 's'];
  return Math.round(Number(m[1]) * scale);
}

export function splitEndpoint(s: string): { node: string; iface: string } {
  const i = s.lastIndexOf(':');
  return { node: s.slice(0, i), iface: s.slice(i + 1) };
}
