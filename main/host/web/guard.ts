// Who may talk to web mode: only this machine (loopback peer, loopback Host header against DNS rebinding)
// and only a page that was given the random token (another local page or process cannot guess it).

import { timingSafeEqual } from 'node:crypto';

export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  if (addr === '::1') return true;
  const v4 = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Host header must name the loopback address we listen on (a rebinding attacker's name would not). */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface RequestFacts {
  remoteAddress: string | undefined;
  host: string | undefined;
  /** Request target, e.g. `/?token=...` or `/assets/index.js`. */
  url: string;
  origin?: string | undefined;
}

export type Verdict = { ok: true } | { ok: false; status: 403 | 421; reason: string };

/**
 * `needsToken`: the index page and the API socket; static assets (the public renderer build, no lab data)
 * need only the loopback checks. The socket also requires our own Origin if the client sent one.
 */
export function checkRequest(r: RequestFacts, token: string, port: number, kind: 'page' | 'asset' | 'api'): Verdict {
  if (!isLoopbackAddress(r.remoteAddress)) return { ok: false, status: 403, reason: 'not a loopback address' };
  if (!isLoopbackHost(r.host, port)) return { ok: false, status: 421, reason: 'unexpected Host header' };
  if (kind === 'asset') return { ok: true };
  const given = new URL(r.url, 'http://127.0.0.1').searchParams.get('token');
  if (!tokenMatches(given, token)) return { ok: false, status: 403, reason: 'missing or wrong token' };
  if (kind === 'api' && r.origin !== undefined && r.origin !== `http://127.0.0.1:${port}` && r.origin !== `http://localhost:${port}`) {
    return { ok: false, status: 403, reason: 'foreign origin' };
  }
  return { ok: true };
}
