// Web mode: the built renderer over HTTP and the WorkbenchApi over a WebSocket (`/api`), on 127.0.0.1 only,
// both guarded by a random token (guard.ts). The same Backend serves the Electron app over IPC.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, type RpcResponse } from '../api.js';
import type { Backend } from '../service-client.js';
import { RENDERER_CSP } from './csp.js';
import { checkRequest, type Verdict } from './guard.js';
import { resolveStatic } from './static-files.js';


export interface WebServerOptions {
  backend: Backend;
  /** The renderer build (renderer/dist). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); default: 32 random bytes. */
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE = 1 << 20;

function refuse(res: ServerResponse, v: Verdict & { ok: false }): void {
  res.writeHead(v.status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`Refused: ${v.reason}\n`);
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const root = resolve(opts.staticDir);
  let port = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = req.url ?? '/';
      const path = new URL(url, 'http://127.0.0.1').pathname;
      const kind = path === '/' || path === '/index.html' ? 'page' : 'asset';
      const v = checkRequest({ remoteAddress: req.socket.remoteAddress, host: req.headers.host, url }, token, port, kind);
      if (!v.ok) return refuse(res, v);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' });
        return res.end();
      }
      const file = await resolveStatic(root, path);
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end('Not found\n');
      }
      res.writeHead(200, {
        'content-type': file.type,
        'content-security-policy': RENDERER_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    })();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  server.on('upgrade', (req, socket, head) => {
    const url = req.url ?? '/';
    const facts = { remoteAddress: req.socket.remoteAddress, host: req.headers.host, url, origin: req.headers.origin };
    const v: Verdict = new URL(url, 'http://127.0.0.1').pathname === '/api' ? checkRequest(facts, token, port, 'api') : { ok: false, status: 403, reason: 'no such endpoint' };
    if (!v.ok) {
      socket.end(`HTTP/1.1 ${v.status} Refused\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nRefused: ${v.reason}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts.backend));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** Cancels the long run in progress (the status bar's Cancel, ^C); not a lab method, answered here. */
export const CANCEL_METHOD = 'cancelRun';

/**
 * One client: JSON {id, method, arg} in, {id, ok, result|error} out; progress of long runs pushed as
 * {notify: 'progress', progress} (no id).
 */
function serveSocket(ws: WebSocket, backend: Backend): void {
  const unsubscribe = backend.onProgress?.((progress) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ notify: 'progress', progress }));
  });
  ws.on('close', () => unsubscribe?.());
  ws.on('message', (data, isBinary) => {
    let msg: unknown;
    try {
      if (isBinary) throw new Error('binary');
      msg = JSON.parse(String(data));
    } catch {
      ws.close(1003, 'expected JSON text');
      return;
    }
    const id = typeof msg === 'object' && msg !== null && Number.isSafeInteger((msg as { id?: unknown }).id) ? (msg as { id: number }).id : -1;
    const { method, arg } = (typeof msg === 'object' && msg !== null ? msg : {}) as { method?: unknown; arg?: unknown };
    if (method === CANCEL_METHOD) {
      backend.cancel?.();
      return send(ws, { id, ok: true, result: null });
    }
    backend.invoke(method, arg).then(
      (result) => send(ws, { id, ok: true, result: result ?? null }),
      (e: unknown) =>
        send(ws, {
          id,
          ok: false,
          error: e instanceof ApiError ? { code: e.code, message: e.message } : { code: 'EINTERNAL', message: 'internal error' },
        }),
    );
  });
}

function send(ws: WebSocket, res: RpcResponse): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(res));
}
