// Web mode's guard: a real server on 127.0.0.1 with the default lab in-process; requests without the right
// token, with a foreign Host or Origin, or (checked by the guard) from a non-loopback peer are refused.

import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { inProcessBackend } from '../../../main/host/service-client.js';
import { checkRequest, isLoopbackAddress } from '../../../main/host/web/guard.js';
import { startWebServer, type WebServer } from '../../../main/host/web/server.js';
import { resolveStatic } from '../../../main/host/web/static-files.js';

let web: WebServer;
const root = mkdtempSync(join(tmpdir(), 'rlw-web-'));
const secretDir = mkdtempSync(join(tmpdir(), 'rlw-secret-'));

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Opens the API socket; resolves with 'open' or the HTTP status of the refusal. */
function socket(query: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status: number | 'open' }> {
  return new Promise((ok) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api${query}`, { headers });
    ws.on('open', () => ok({ ws, status: 'open' }));
    ws.on('unexpected-response', (_req, res) => ok({ status: res.statusCode ?? 0 }));
    ws.on('error', () => {});
  });
}

function rpc(ws: WebSocket, msg: unknown): Promise<unknown> {
  return new Promise((ok) => {
    ws.once('message', (d) => ok(JSON.parse(String(d))));
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
}

beforeAll(async () => {
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(secretDir, 'secret.txt'), 'do not serve');
  web = await startWebServer({ backend: inProcessBackend(DEFAULT_LAB), staticDir: root });
});

afterAll(async () => {
  await web.close();
});

describe('web mode server', () => {
  it('listens on 127.0.0.1 and prints a URL carrying a long random token', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${web.token}`);
    expect(web.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the page only with the token, with a CSP header', async () => {
    const good = await get(`/?token=${web.token}`);
    expect(good.status).toBe(200);
    expect(good.body).toContain('<title>t</title>');
    expect(String(good.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=')).status).toBe(403);
    expect((await get(`/?token=${web.token.slice(0, -1)}x`)).status).toBe(403);
    expect((await get(`/index.html?token=nope`)).status).toBe(403);
  });

  it('serves assets, but nothing outside the renderer build', async () => {
    expect((await get('/assets/app.js')).status).toBe(200);
    const rel = join('..', secretDir.split('/').pop()!, 'secret.txt');
    expect((await get(`/%2e%2e/${rel.slice(3)}`)).status).toBe(404);
    expect((await get(`/..%2f${rel.slice(3).replace('/', '%2f')}`)).status).toBe(404);
    // The file is there; only the root check keeps it out.
    expect(await resolveStatic(secretDir, '/secret.txt')).not.toBeNull();
    expect(await resolveStatic(root, `/${rel}`)).toBeNull();
    expect(await resolveStatic(root, `/${rel.replace(/\//g, '%2f')}`)).toBeNull();
  });

  it('refuses a Host header that is not the loopback address (DNS rebinding)', async () => {
    expect((await get(`/?token=${web.token}`, { host: `evil.example:${web.port}` })).status).toBe(421);
    expect((await socket(`?token=${web.token}`, { host: `evil.example:${web.port}` })).status).toBe(421);
  });

  it('refuses the API socket without the token, with a wrong one, or from another origin', async () => {
    expect((await socket('')).status).toBe(403);
    expect((await socket('?token=wrong')).status).toBe(403);
    expect((await socket(`?token=${web.token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await socket(`?token=${web.token}`, { origin: 'http://127.0.0.1:1' })).status).toBe(403);
  });

  it('answers API calls over the socket, validating every argument', async () => {
    const { ws, status } = await socket(`?token=${web.token}`, { origin: `http://127.0.0.1:${web.port}` });
    expect(status).toBe('open');
    const lab = (await rpc(ws!, { id: 1, method: 'getLab' })) as { id: number; ok: boolean; result: { nodes: { name: string }[] } };
    expect(lab.ok).toBe(true);
    expect(lab.result.nodes.map((n) => n.name)).toEqual(['src', 'r1', 'rcv1', 'rcv2']);
    const r = (await rpc(ws!, { id: 2, method: 'runCommand', arg: { node: 'r1', line: 'sysctl net.ipv4.ip_forward' } })) as unknown;
    expect(r).toEqual({ id: 2, ok: true, result: { rc: 0, stdout: 'net.ipv4.ip_forward = 1\n', stderr: '', now: 0 } });
    expect(await rpc(ws!, { id: 3, method: 'runCommand', arg: { node: 'r1', line: 'ip\naddr' } })).toEqual({
      id: 3,
      ok: false,
      error: { code: 'EINVAL', message: 'runCommand.line: control characters are not allowed' },
    });
    expect(await rpc(ws!, { id: 4, method: 'runCommand', arg: { node: 'r9', line: 'true' } })).toEqual({ id: 4, ok: false, error: { code: 'ENOENT', message: 'no node "r9"' } });
    expect(await rpc(ws!, { id: 5, method: 'eval', arg: '1' })).toMatchObject({ id: 5, ok: false, error: { code: 'EINVAL' } });
    const closed = new Promise<number>((ok) => ws!.once('close', (code) => ok(code)));
    ws!.send('not json');
    expect(await closed).toBe(1003);
  });
});

describe('web mode guard', () => {
  const facts = (remoteAddress: string, url = '/?token=T') => ({ remoteAddress, host: '127.0.0.1:8080', url });

  it('treats only 127/8 and ::1 (also IPv4-mapped) as loopback', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['10.0.0.1', '192.168.1.5', '::ffff:192.168.1.5', 'fe80::1', '0.0.0.0', '1127.0.0.1', '', undefined]) expect(isLoopbackAddress(a)).toBe(false);
  });

  it('refuses a non-loopback peer even with the right token', () => {
    expect(checkRequest(facts('192.168.1.5'), 'T', 8080, 'page')).toEqual({ ok: false, status: 403, reason: 'not a loopback address' });
    expect(checkRequest(facts('10.0.0.7'), 'T', 8080, 'asset')).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest(facts('127.0.0.1'), 'T', 8080, 'page')).toEqual({ ok: true });
  });
});
