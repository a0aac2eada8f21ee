// Kernel-oracle harness: runs the same `ip` commands in real network namespaces (iproute2 6.1 on
// this machine's kernel) and in the engine, and reports every difference in stdout, stderr or exit
// status. Only namespaces it created itself are touched (all real commands run with `ip -n NS`), and
// they are deleted again whatever happens.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ipCommand } from '../../engine/iproute2/ip.js';
import { MODEL_POSSIBLE_CPUS } from '../../engine/iproute2/ip-rtnl-link.js';
import type { CmdResult } from '../../engine/iproute2/result.js';
import { tokenize } from '../../engine/iproute2/tokenize.js';
import { Network } from '../../engine/net/network.js';

const ENV = { ...process.env, LC_ALL: 'C', LANG: 'C' };

function sh(cmd: string, args: readonly string[]): CmdResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: ENV, timeout: 10_000 });
  return { rc: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.error ? String(r.error) : (r.stderr ?? '') };
}

export type Gate = { ok: true } | { ok: false; reason: string };

let probeCounter = 0;

/** Can oracle tests run here: Linux, root, iproute2 6.1, `ip netns` and sysctl usable? */
export function oracleGate(): Gate {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { ok: false, reason: 'not running as root' };
  const v = sh('ip', ['-V']);
  if (v.rc !== 0) return { ok: false, reason: '`ip` (iproute2) is not installed' };
  if (!v.stdout.includes('iproute2-6.1.0')) return { ok: false, reason: `the model reproduces iproute2 6.1, found: ${v.stdout.trim()}` };
  if (sh('sysctl', ['--version']).rc !== 0) return { ok: false, reason: '`sysctl` is not installed' };
  const probe = `rlw-${process.pid}-probe${probeCounter++}`;
  const add = sh('ip', ['netns', 'add', probe]);
  if (add.rc !== 0) return { ok: false, reason: `\`ip netns add\` failed: ${add.stderr.trim()}` };
  sh('ip', ['netns', 'del', probe]);
  return { ok: true };
}

/** num_possible_cpus() of this host: a veth's queue count, which the model fixes at MODEL_POSSIBLE_CPUS. */
function hostPossibleCpus(): number {
  try {
    const text = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim();
    return text.split(',').reduce((n, part) => {
      const [lo, hi] = part.split('-').map(Number);
      return n + (hi === undefined ? 1 : hi - lo! + 1);
    }, 0);
  } catch {
    return MODEL_POSSIBLE_CPUS;
  }
}

const HOST_CPUS = hostPossibleCpus();

/** Host-dependent numbers the model cannot know, rewritten to the model's values in the real output. */
function normalise(s: string): string {
  if (HOST_CPUS === MODEL_POSSIBLE_CPUS) return s;
  return s
    .replace(new RegExp(`numtxqueues ${HOST_CPUS} numrxqueues ${HOST_CPUS} `, 'g'), `numtxqueues ${MODEL_POSSIBLE_CPUS} numrxqueues ${MODEL_POSSIBLE_CPUS} `)
    .replace(new RegExp(`"num_tx_queues":( ?)${HOST_CPUS},(\\s*)"num_rx_queues":( ?)${HOST_CPUS}`, 'g'), `"num_tx_queues":$1${MODEL_POSSIBLE_CPUS},$2"num_rx_queues":$3${MODEL_POSSIBLE_CPUS}`);
}

/** One command of a recorded transcript: what the kernel answered. */
export interface TranscriptStep {
  node: string;
  args: string;
  real: CmdResult;
}

/**
 * A lab's commands and the kernel's answers. With RLW_RECORD_IP_TRANSCRIPTS=DIR set, every lab writes
 * one to DIR; test/unit/iproute2 replays them against the engine on machines without root.
 */
export interface Transcript {
  title: string;
  /** Namespace names in creation order (they appear in the output: `link-netns NAME`). */
  namespaces: string[];
  steps: TranscriptStep[];
}

export interface Mismatch {
  node: string;
  cmd: string;
  real: CmdResult;
  model: CmdResult;
}

const LINKWATCH_SETTLE_MS = 1200;

/** `ip [opts] link add|set|change|delete ...`: a command that can queue linkwatch events. */
function isLinkChange(argv: readonly string[]): boolean {
  const words = argv.filter((w) => !w.startsWith('-'));
  const [obj, cmd] = words;
  if (!obj || !'link'.startsWith(obj)) return false;
  return cmd !== undefined && ['add', 'set', 'change', 'delete'].some((c) => c.startsWith(cmd));
}

let labCounter = 0;
const liveLabs = new Set<OracleLab>();

/**
 * A set of namespaces, real and modelled under the same names (`link-netns NAME` prints them).
 * Commands are written with {node} placeholders that expand to the namespace name.
 */
export class OracleLab {
  readonly net = new Network({ seed: 1 });
  readonly names = new Map<string, string>();
  readonly mismatches: Mismatch[] = [];
  private destroyed = false;
  readonly steps: TranscriptStep[] = [];

  constructor(
    nodes: readonly string[],
    readonly title = 'lab',
  ) {
    liveLabs.add(this);
    const prefix = `rlw-${process.pid}-${labCounter++}`;
    try {
      for (const n of nodes) {
        const name = `${prefix}-${n}`;
        const r = sh('ip', ['netns', 'add', name]);
        if (r.rc !== 0) throw new Error(`ip netns add ${name}: ${r.stderr}`);
        this.names.set(n, name);
        // IPv6 off in this namespace only: the model has no IPv6.
        const s = sh('ip', ['netns', 'exec', name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
        if (s.rc !== 0) throw new Error(`disabling IPv6 in ${name}: ${s.stderr}`);
        this.net.addNode(name);
      }
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  private lastLinkChange = 0;

  /**
   * linkwatch rate-limits non-urgent events (a carrier loss) to one batch per second, so the kernel's
   * operstate, RUNNING flag and route linkdown flags lag up to 1 s behind a link change. The model is
   * the settled state: before looking, wait until any pending event has been processed.
   */
  private settle(): void {
    const wait = this.lastLinkChange + LINKWATCH_SETTLE_MS - Date.now();
    if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    this.lastLinkChange = 0;
  }

  private expand(text: string): string {
    return text.replace(/\{(\w+)\}/g, (m, n: string) => this.names.get(n) ?? m);
  }

  /** Runs `ip ARGS` on `node` in both worlds; records a mismatch if anything differs. */
  run(node: string, args: string): { real: CmdResult; model: CmdResult } {
    const ns = this.names.get(node);
    if (!ns) throw new Error(`unknown node ${node}`);
    const argv = tokenize(this.expand(args));
    const changesLinks = isLinkChange(argv);
    if (!changesLinks) this.settle();
    const raw = sh('ip', ['-n', ns, ...argv]);
    if (changesLinks) this.lastLinkChange = Date.now();
    const real = { rc: raw.rc, stdout: normalise(raw.stdout), stderr: raw.stderr };
    this.steps.push({ node: ns, args: this.expand(args), real });
    const model = ipCommand(this.net.node(ns), argv);
    if (real.rc !== model.rc || real.stdout !== model.stdout || real.stderr !== model.stderr) {
      this.mismatches.push({ node, cmd: `ip ${args}`, real, model });
    }
    return { real, model };
  }

  /** Several commands, one per line ("node: args"); blank lines and # comments are skipped. */
  script(text: string): void {
    for (const line of text.split('\n')) {
      const t = line.trim();
      if (!t || t.startsWith('#')) continue;
      const colon = t.indexOf(':');
      this.run(t.slice(0, colon).trim(), t.slice(colon + 1).trim());
    }
  }

  /** The mismatches as a readable report (empty string when there are none). */
  report(): string {
    return this.mismatches
      .map((m) => {
        const show = (r: CmdResult): string => `rc=${r.rc}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
        return `### ${m.node}: ${m.cmd}\n=== kernel\n${show(m.real)}\n=== model\n${show(m.model)}`;
      })
      .join('\n\n');
  }

  transcript(): Transcript {
    return { title: this.title, namespaces: [...this.names.values()], steps: this.steps };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const dir = process.env['RLW_RECORD_IP_TRANSCRIPTS'];
    if (dir && this.steps.length > 0) {
      const file = `${this.title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}.json`;
      writeFileSync(join(dir, file), `${JSON.stringify(this.transcript(), null, 1)}\n`);
    }
    liveLabs.delete(this);
    for (const name of this.names.values()) sh('ip', ['netns', 'del', name]);
  }
}

/** afterAll() hook: namespaces of labs a failing test left behind. */
export function destroyAllLabs(): void {
  for (const lab of [...liveLabs]) lab.destroy();
}

/** Runs `body` with a fresh lab that is always destroyed afterwards. */
export function withLab(title: string, nodes: readonly string[], body: (lab: OracleLab) => void): OracleLab {
  const lab = new OracleLab(nodes, title);
  try {
    body(lab);
  } finally {
    lab.destroy();
  }
  return lab;
}
