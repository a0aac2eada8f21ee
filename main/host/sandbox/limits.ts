// Resource limits of one daemon.
//
// CPU: QuickJS calls the runtime's interrupt handler once every ~10,000 interpreter ticks (back edges,
// calls, regexp steps). The budget counts those calls, not milliseconds: the same daemon code on the same
// input makes the same number of checks, so whether (and where) a daemon is stopped for looping is part of
// the reproducible run, independent of machine load. A wall-clock backstop exists only to protect the host
// from a native operation that somehow never reaches an interrupt check; if it ever fires, the exit reason
// says so ('cpu-wallclock'), because that run is no longer reproducible.

export interface DaemonLimits {
  /** Heap of the daemon's runtime (JS_SetMemoryLimit). */
  memoryBytes: number;
  /** Native stack of the interpreter; ≤ 256 KiB, or deep recursion overflows the host's stack. */
  stackBytes: number;
  /** Interrupt checks allowed per callback (≈ 10k interpreter ticks each). */
  cpuChecksPerCallback: number;
  /** Interrupt checks allowed for the script's top level. */
  cpuChecksForStart: number;
  /** Host safety net per crossing, in real milliseconds (see above). */
  wallClockBackstopMs: number;
  /** Largest JSON argument a single API call may carry into the host. */
  maxCallBytes: number;
  /** Pending timers a daemon may hold. */
  maxTimers: number;
  /** Open sockets a daemon may hold (RLIMIT_NOFILE-like; the next socket() fails with EMFILE). */
  maxSockets: number;
  /** Longest log line kept in the trace. */
  maxLogChars: number;
}

export const DEFAULT_LIMITS: Readonly<DaemonLimits> = {
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 256 * 1024,
  cpuChecksPerCallback: 500,
  cpuChecksForStart: 2000,
  wallClockBackstopMs: 10_000,
  maxCallBytes: 1024 * 1024,
  maxTimers: 4096,
  maxSockets: 64,
  maxLogChars: 4096,
};

export function resolveLimits(partial: Partial<DaemonLimits> = {}): DaemonLimits {
  const l = { ...DEFAULT_LIMITS, ...partial };
  if (l.stackBytes > 256 * 1024) throw new RangeError(`stackBytes ${l.stackBytes} > 256 KiB: deep recursion would overflow the host's stack`);
  return l;
}
