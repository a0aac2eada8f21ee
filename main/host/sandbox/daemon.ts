// One daemon: a student's TypeScript script in its own QuickJS runtime, attached to one node. It starts by
// running the script's top level; after that it only runs when something happens to it (a message on one
// of its sockets, a timer), always from the simulation's event loop and never re-entrantly. A daemon that
// throws, loops past its CPU budget or runs out of memory exits like a crashed process: the reason and the
// student's file:line:column go to the trace, its sockets close through the kernel's close path, the rest of
// the simulation goes on.

import { performance } from 'node:perf_hooks';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import type { Netns } from '../../../engine/net/netns.js';
import type { Prng } from '../../../engine/sim/prng.js';
import type { Nanos } from '../../../engine/sim/time.js';
import type { Payload } from '../../../engine/sim/trace.js';
import { engineSocketFactory, type DaemonSystem, type SocketFactory } from './engine-sockets.js';
import { GUEST_CONSTANTS } from './guest-constants.js';
import { firstFrameIn, mapStack, readGuestError, stringLength } from './guest-errors.js';
import { DaemonSyscalls, type GuestEvent, type OpResult } from './host-ops.js';
import { resolveLimits, type DaemonLimits } from './limits.js';
import { PRELUDE_FILE, PRELUDE_SOURCE } from './prelude.js';
import { DaemonSyntaxError, transpileDaemon, type SourcePosition, type Transpiled } from './transpile.js';

export type ExitReason = 'syntax' | 'exception' | 'cpu' | 'cpu-wallclock' | 'memory' | 'stack' | 'killed' | 'host-error';

export interface DaemonExit {
  reason: ExitReason;
  /** One line, led by the student's file:line:column when known. */
  message: string;
  position: SourcePosition | null;
  /** The student's frames, mapped to the source. */
  stack: string[];
  at: Nanos;
}

export interface DaemonOptions {
  /** The script's name as the student sees it (editor tab, error positions), e.g. "smcroute.ts". */
  file: string;
  source: string;
  limits?: Partial<DaemonLimits>;
  /** Where socket() gets its sockets; the engine's by default. */
  socketFactory?: SocketFactory;
  /** What ip(...) and interfaces() read; the engine's node by default (the kernel oracle gives the real one's). */
  system?: DaemonSystem;
  /**
   * Time from a message reaching the daemon's socket (or a timer expiring) to the daemon running (the
   * scheduler's wakeup). Everything that arrives within it is handed over in one crossing. Default 0:
   * the daemon runs at the same simulated instant, after the kernel work already queued for it.
   */
  wakeupLatency?: Nanos;
  /** Command-line arguments after the program name: the guest's `argv` is [file, ...args], as C's argv. */
  args?: string[];
  /**
   * The node's lab-supplied files, absolute path → content (e.g. "/etc/smcroute.conf"), read-only. The guest
   * reads them with `readFile(path)`; any other path is ENOENT. No host file is ever reachable.
   */
  files?: Record<string, string>;
}

/** Nesting deeper than this in one API call is refused before the host parses it (the host's stack is finite). */
const MAX_ARG_DEPTH = 32;

function jsonDepth(s: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** How many daemons have started on each node so far (their random streams differ). */
const startsOn = new WeakMap<Netns, number>();

export class Daemon {
  exit: DaemonExit | null = null;
  readonly limits: DaemonLimits;
  readonly rng: Prng;
  private rt: QuickJSRuntime | null = null;
  private ctx: QuickJSContext | null = null;
  private dispatchFn: QuickJSHandle | null = null;
  private code: Transpiled | null = null;
  private readonly syscalls: DaemonSyscalls;
  private readonly pending: GuestEvent[] = [];
  private flushScheduled = false;
  /** Trace event of each callback in the crossing in progress; the guest names the one it is in. */
  private callbackEvents: number[] = [];
  /** Cause of API calls made outside any callback (the top level). */
  private baseCause: number | null = null;
  private checks = 0;
  private checkLimit = 0;
  private deadline = 0;
  private cpuExceeded = false;
  private wallExceeded = false;
  private inCrossing = false;
  private killRequested: string | null = null;
  /** Guest → host crossings so far (API calls), for benchmarks and the inspector. */
  hostCalls = 0;
  /** Host → guest crossings so far (batches of callbacks). */
  crossings = 0;

  private constructor(
    private readonly qjs: QuickJSWASMModule,
    readonly ns: Netns,
    readonly file: string,
    private readonly opts: DaemonOptions,
  ) {
    this.limits = resolveLimits(opts.limits);
    // A stream per node and per start on it: a restarted daemon draws new numbers (a new PIM GenID, new
    // jitter), as a restarted process would, and the same lab and seed still give the same ones.
    const starts = startsOn.get(ns) ?? 0;
    startsOn.set(ns, starts + 1);
    this.rng = ns.sim.rng.fork(starts === 0 ? `daemon:${ns.name}` : `daemon:${ns.name}#${starts}`);
    this.syscalls = new DaemonSyscalls(
      { ns, node: ns.name, rng: this.rng, limits: this.limits, enqueue: (ev) => this.enqueue(ev), ...(opts.system ? { system: opts.system } : {}) },
      opts.socketFactory ?? engineSocketFactory,
    );
  }

  /** Starts `opts.source` on node `ns`; the script's top level runs now, at the current simulated time. */
  static start(qjs: QuickJSWASMModule, ns: Netns, opts: DaemonOptions): Daemon {
    const d = new Daemon(qjs, ns, opts.file, opts);
    d.boot();
    return d;
  }

  get node(): string {
    return this.ns.name;
  }

  get running(): boolean {
    return this.exit === null;
  }

  get openSockets(): number {
    return this.syscalls.openSockets;
  }

  /** Stops the daemon from outside (SIGKILL): the same exit path as a crash. */
  kill(why = 'killed'): void {
    if (this.exit) return;
    if (this.inCrossing) {
      this.killRequested = why;
      return;
    }
    this.stop({ reason: 'killed', message: `${this.file}: ${why}`, position: null, stack: [], at: this.ns.sim.now }, this.ns.sim.trace.current);
  }

  private boot(): void {
    const sim = this.ns.sim;
    const start = this.ns.emit('sched_process_exec', 'state', { comm: this.file });
    this.baseCause = start;
    sim.trace.within(start, () => {
      try {
        this.code = transpileDaemon(this.opts.source, this.file);
      } catch (e) {
        if (!(e instanceof DaemonSyntaxError)) throw e;
        this.stop({ reason: 'syntax', message: e.message, position: e.position, stack: [], at: sim.now }, start);
        return;
      }
      const rt = this.qjs.newRuntime();
      this.rt = rt;
      rt.setMemoryLimit(this.limits.memoryBytes);
      rt.setMaxStackSize(this.limits.stackBytes);
      rt.setInterruptHandler(() => this.interrupt());
      const ctx = rt.newContext();
      this.ctx = ctx;
      const hostFn = ctx.newFunction('__host', (op, cursor, args) => ctx.newString(JSON.stringify(this.hostCall(ctx, op, cursor, args))));
      ctx.setProp(ctx.global, '__host', hostFn);
      hostFn.dispose();
      const consts = ctx.newString(JSON.stringify(GUEST_CONSTANTS));
      ctx.setProp(ctx.global, '__constants', consts);
      consts.dispose();
      const bootInfo = ctx.newString(JSON.stringify(this.bootInfo()));
      ctx.setProp(ctx.global, '__boot', bootInfo);
      bootInfo.dispose();
      const prelude = this.cross(this.limits.cpuChecksForStart, 'the API prelude', () => ctx.evalCode(PRELUDE_SOURCE, PRELUDE_FILE), true);
      if (!prelude) return;
      this.dispatchFn = prelude;
      const ok = this.cross(this.limits.cpuChecksForStart, 'the top level', () => ctx.evalCode(this.code!.code, this.file));
      if (ok) ok.dispose();
    });
  }

  /** argv and the lab's files, copied as plain strings (whatever the caller passed, only strings cross). */
  private bootInfo(): { argv: string[]; files: [string, string][] } {
    const argv = [this.file, ...(this.opts.args ?? []).map(String)];
    const files = Object.entries(this.opts.files ?? {}).map(([k, v]): [string, string] => [String(k), String(v)]);
    return { argv, files };
  }

  private interrupt(): boolean {
    if (++this.checks > this.checkLimit) {
      this.cpuExceeded = true;
      return true;
    }
    if (performance.now() > this.deadline) {
      this.wallExceeded = true;
      return true;
    }
    return false;
  }

  /** Host side of `__host(op, cursor, json)`: strings in, a string out; never throws into the guest. */
  private hostCall(ctx: QuickJSContext, opH: QuickJSHandle, cursorH: QuickJSHandle, argsH: QuickJSHandle): OpResult {
    this.hostCalls++;
    if (this.exit || ctx.typeof(opH) !== 'string' || ctx.typeof(argsH) !== 'string') return { t: 'bad call' };
    const len = stringLength(ctx, argsH);
    if (len > this.limits.maxCallBytes) return { t: `arguments too large (${len} bytes of JSON; the limit is ${this.limits.maxCallBytes})` };
    const op = ctx.getString(opH).slice(0, 64);
    const json = ctx.getString(argsH);
    if (jsonDepth(json) > MAX_ARG_DEPTH) return { t: `${op}(): arguments nested deeper than ${MAX_ARG_DEPTH} levels` };
    let args: unknown;
    try {
      args = JSON.parse(json);
    } catch {
      return { t: 'bad call' };
    }
    const cursor = ctx.typeof(cursorH) === 'number' ? ctx.getNumber(cursorH) : -1;
    const cause = this.callbackEvents[cursor] ?? this.baseCause;
    return this.ns.sim.trace.within(cause, () => this.syscalls.run(op, args));
  }

  private enqueue(ev: GuestEvent): void {
    if (this.exit) return;
    this.pending.push(ev);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.ns.sim.schedule(this.opts.wakeupLatency ?? 0, () => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.exit || !this.ctx || !this.dispatchFn) return;
    const evs = this.pending.splice(0);
    if (evs.length === 0) return;
    const trace = this.ns.sim.trace;
    this.callbackEvents = evs.map((ev) => {
      const data: Payload = ev.k === 'm' ? { callback: 'onMessage', fd: ev.fd, kind: ev.msg.m.kind ?? null } : { callback: 'timer', id: ev.id };
      return trace.emit(this.node, 'daemon_callback', 'call', data, null, ev.cause);
    });
    const batch = JSON.stringify(evs.map((ev) => (ev.k === 'm' ? { k: 'm', fd: ev.fd, m: ev.msg.m, hx: ev.msg.hx } : { k: 't', id: ev.id })));
    const ctx = this.ctx;
    const fn = this.dispatchFn;
    const what = evs.length === 1 ? (evs[0]!.k === 'm' ? 'an onMessage callback' : 'a timer callback') : `a batch of ${evs.length} callbacks`;
    const r = this.cross(this.limits.cpuChecksPerCallback * evs.length, what, () => {
      const arg = ctx.newString(batch);
      try {
        return ctx.callFunction(fn, ctx.undefined, arg);
      } finally {
        arg.dispose();
      }
    });
    r?.dispose();
    this.callbackEvents = [];
  }

  /**
   * Runs guest code under a fresh CPU budget, then its promise jobs. Returns the result handle, or null
   * after stopping the daemon. `keep` returns the handle undisposed.
   */
  private cross(budget: number, what: string, body: () => ReturnType<QuickJSContext['evalCode']>, keep = false): QuickJSHandle | null {
    const rt = this.rt!;
    const ctx = this.ctx!;
    this.checks = 0;
    this.checkLimit = budget;
    this.deadline = performance.now() + this.limits.wallClockBackstopMs;
    this.cpuExceeded = this.wallExceeded = false;
    this.inCrossing = true;
    this.crossings++;
    let failure: QuickJSHandle | null = null;
    let value: QuickJSHandle | null = null;
    let hostError: unknown = null;
    try {
      const r = body();
      if (r.error) failure = r.error;
      else {
        value = r.value;
        const jobs = rt.executePendingJobs(-1);
        if (jobs.error) failure = jobs.error;
        else jobs.dispose();
      }
    } catch (e) {
      hostError = e;
    }
    const cause = this.ns.sim.trace.current;
    try {
      if (hostError !== null) {
        value?.dispose();
        this.stop({ reason: 'host-error', message: `${this.file}: the sandbox failed while running ${what}: ${hostError instanceof Error ? hostError.message : String(hostError)}`, position: null, stack: [], at: this.ns.sim.now }, cause);
        return null;
      }
      if (failure) {
        value?.dispose();
        const exit = this.describeFailure(ctx, failure, what);
        failure.dispose();
        this.stop(exit, cause);
        return null;
      }
      if (this.killRequested !== null) {
        value?.dispose();
        const why = this.killRequested;
        this.inCrossing = false;
        this.kill(why);
        return null;
      }
      if (!keep && value) {
        value.dispose();
        return ctx.undefined;
      }
      return value;
    } finally {
      this.inCrossing = false;
    }
  }

  private describeFailure(ctx: QuickJSContext, h: QuickJSHandle, what: string): DaemonExit {
    const cpu = this.cpuExceeded;
    const wall = this.wallExceeded;
    // Reading the error may run guest getters: give them a little budget of their own, no more.
    this.checks = 0;
    this.checkLimit = cpu || wall ? 0 : 50;
    const err = readGuestError(ctx, h);
    const code = this.code!;
    const frame = firstFrameIn(err.stack, this.file);
    const position = frame ? code.toSource(frame.line, frame.column) : null;
    const stack = mapStack(err.stack, this.file, (l, c) => code.toSource(l, c));
    const at = position ? `${position.file}:${position.line}:${position.column}: ` : `${this.file}: `;
    let reason: ExitReason = 'exception';
    let text = `uncaught ${err.name}: ${err.message} (in ${what})`;
    if (cpu) {
      reason = 'cpu';
      text = `stopped: ${what} exceeded its CPU budget of ${this.checkLimitFor(what)} interrupt checks (≈10,000 interpreter steps each)`;
    } else if (wall) {
      reason = 'cpu-wallclock';
      text = `stopped: ${what} ran for more than ${this.limits.wallClockBackstopMs} ms of real time (this run is not reproducible)`;
    } else if (err.name === 'InternalError' && err.message === 'out of memory') {
      reason = 'memory';
      text = `stopped: out of memory (limit ${this.limits.memoryBytes} bytes) in ${what}`;
    } else if (err.message === 'stack overflow') {
      // InternalError from calls, SyntaxError when JSON.parse is the frame that overflowed.
      reason = 'stack';
      text = `stopped: stack overflow (limit ${this.limits.stackBytes} bytes; runaway recursion?) in ${what}`;
    }
    return { reason, message: at + text, position, stack, at: this.ns.sim.now };
  }

  private checkLimitFor(what: string): number {
    return what === 'the top level' || what === 'the API prelude' ? this.limits.cpuChecksForStart : this.limits.cpuChecksPerCallback;
  }

  /** Process exit: trace it, close every socket through the engine, drop timers, free the runtime. */
  private stop(exit: DaemonExit, cause: number | null): void {
    if (this.exit) return;
    this.exit = exit;
    this.pending.length = 0;
    const ev = this.ns.sim.trace.emit(this.node, 'sched_process_exit', 'state', {
      comm: this.file,
      reason: exit.reason,
      message: exit.message,
      line: exit.position?.line ?? null,
      column: exit.position?.column ?? null,
    }, null, cause);
    this.ns.sim.trace.within(ev, () => this.syscalls.closeAll());
    try {
      this.dispatchFn?.dispose();
      this.ctx?.dispose();
      this.rt?.dispose();
    } catch {
      // A runtime that died of OOM may not free cleanly; it is unreachable either way.
    }
    this.dispatchFn = null;
    this.ctx = null;
    this.rt = null;
  }
}
