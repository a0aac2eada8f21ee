// Simulated time is an integer count of nanoseconds since the run started.
// JS numbers hold integers exactly up to 2^53 ns (about 104 days), far beyond any lab.

export type Nanos = number;

export const NSEC_PER_USEC = 1_000;
export const NSEC_PER_MSEC = 1_000_000;
export const NSEC_PER_SEC = 1_000_000_000;

/** The kernel's tick rate for timers that are specified in jiffies (CONFIG_HZ=1000 on common distros). */
export const HZ = 1000;

export function msecs(n: number): Nanos {
  return Math.round(n * NSEC_PER_MSEC);
}

export function secs(n: number): Nanos {
  return Math.round(n * NSEC_PER_SEC);
}

export function assertNanos(t: number, what: string): void {
  if (!Number.isSafeInteger(t) || t < 0) throw new RangeError(`${what} must be a non-negative integer of nanoseconds, got ${t}`);
}

/** "12.345678901" seconds, the way the trace and the UI show time. */
export function formatSeconds(t: Nanos): string {
  const s = Math.floor(t / NSEC_PER_SEC);
  const ns = t - s * NSEC_PER_SEC;
  return `${s}.${String(ns).padStart(9, '0')}`;
}
