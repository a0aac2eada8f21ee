// Progress of long runs (sleep, ping, guide waits) and their Cancel, whichever transport carries them:
// notifications on the web socket (web mode) or the preload's `window.workbenchRun` (Electron).

import type { RunProgress } from '../../main/host/api.js';

export type { RunProgress } from '../../main/host/api.js';

export interface RunEvents {
  onProgress(fn: (p: RunProgress) => void): () => void;
  cancel(): Promise<void>;
}

declare global {
  interface Window {
    /** Set by the Electron preload next to `workbench`; absent in web mode. */
    workbenchRun?: RunEvents;
  }
}

const listeners = new Set<(p: RunProgress) => void>();
let cancelImpl: () => Promise<void> = async () => {};

/** Called by the web socket client: where notifications go and how Cancel reaches the server. */
export function attachSocketRun(cancel: () => Promise<void>): (p: RunProgress) => void {
  cancelImpl = cancel;
  return (p) => {
    for (const fn of listeners) fn(p);
  };
}

export function runEvents(): RunEvents {
  if (window.workbenchRun) return window.workbenchRun;
  return {
    onProgress(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    cancel: () => cancelImpl(),
  };
}

/** Checks the shape of a progress notification (the socket carries JSON). */
export function isRunProgress(v: unknown): v is RunProgress {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return typeof p.start === 'number' && typeof p.now === 'number' && typeof p.target === 'number' && typeof p.done === 'boolean' && (p.label === undefined || (typeof p.label === 'string' && p.label.length <= 80));
}
