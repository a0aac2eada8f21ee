// End to end in Chromium: `npm run web` (the built server, lab in a worker thread), the built renderer, driven
// by playwright-core. Screenshots go to test/e2e/artifacts/ (git-ignored).

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ARTIFACTS, ensureBuilt, launch, startServer, waitFor as waitIn } from './helpers.js';

let server: ChildProcess;
let url = '';
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

// Browser-side expressions are strings: this file is type-checked without the DOM library.
const CY = "document.getElementById('topology')._cyreg.cy";
const CONSOLE = "document.querySelector('.node-console:not([hidden])')";

/** Names of the topology's elements, read from the cytoscape instance the container holds. */
function topologyNames(selector: string): Promise<string[]> {
  return page.evaluate(`${CY}.nodes(${JSON.stringify(selector)}).map((n) => n.data('name'))`);
}

async function clickNode(name: string): Promise<void> {
  const p = await page.evaluate<{ x: number; y: number }>(`(() => {
    const pos = ${CY}.getElementById(${JSON.stringify(`n:${name}`)}).renderedPosition();
    const box = document.getElementById('topology').getBoundingClientRect();
    return { x: box.left + pos.x, y: box.top + pos.y };
  })()`);
  await page.mouse.click(p.x, p.y);
}

/** Polls a browser expression until it is true (see helpers.ts). */
function waitFor(expr: string, timeout = 5_000): Promise<void> {
  return waitIn(page, expr, timeout);
}

/** Waits until the visible console's output matches `re`. */
function outputMatches(re: RegExp, timeout = 5_000): Promise<void> {
  return waitFor(`${re.toString()}.test(${CONSOLE}?.querySelector('.console-output')?.textContent ?? '')`, timeout);
}

function inputIs(value: string): Promise<void> {
  return waitFor(`${CONSOLE}.querySelector('.console-input').value === ${JSON.stringify(value)}`);
}

async function typeCommand(line: string): Promise<void> {
  const input = page.locator('.node-console:not([hidden]) .console-input');
  await input.fill(line);
  await input.press('Enter');
}

const output = () => page.locator('.node-console:not([hidden]) .console-output');

beforeAll(async () => {
  ensureBuilt();
  // The built-in lab this file's expectations describe, and a throwaway workspace (never the user's).
  const started = await startServer(['--lab', 'builtin', '--data-dir', mkdtempSync(join(tmpdir(), 'rlw-e2e-web-'))]);
  server = started.proc;
  url = started.url;
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

describe('web mode in Chromium', () => {
  it('shows the default lab: header and a topology of its 4 nodes and LAN segment', async () => {
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await expect(page.locator('.lab-title').textContent()).resolves.toBe('First steps: one router, two LANs');
    expect((await topologyNames('.router, .host')).sort()).toEqual(['r1', 'rcv1', 'rcv2', 'src']);
    expect(await topologyNames('.router')).toEqual(['r1']);
    expect(await topologyNames('.segment')).toEqual(['lanb']);
    await shot('01-topology-light');
  });

  it("opens r1's console from the topology and prints `ip -br addr` as Linux does", async () => {
    await clickNode('r1');
    await expect(page.locator('.console-tab.active').textContent()).resolves.toBe('r1');
    await expect(page.locator('.node-console:not([hidden]) .prompt').textContent()).resolves.toBe('root@r1:~# ');
    await typeCommand('ip -br addr');
    await outputMatches(/eth1@/);
    const text = await output().textContent();
    expect(text).toMatch(/^eth0@if\d+ +UP +10\.1\.0\.1\/24 $/m);
    expect(text).toMatch(/^eth1@if\d+ +UP +10\.2\.0\.1\/24 $/m);
    await shot('02-r1-ip-br-addr');
  });

  it('pings across the LAN: "2 received"', async () => {
    await typeCommand('ping -c 2 10.2.0.21');
    await outputMatches(/packets transmitted/, 15_000);
    expect(await output().textContent()).toContain('2 packets transmitted, 2 received, 0% packet loss');
    await shot('03-r1-ping');
  });

  it('recalls history with ↑/↓ and completes commands and device names with Tab', async () => {
    const input = page.locator('.node-console:not([hidden]) .console-input');
    await input.press('ArrowUp');
    await expect(input.inputValue()).resolves.toBe('ping -c 2 10.2.0.21');
    await input.press('ArrowUp');
    await expect(input.inputValue()).resolves.toBe('ip -br addr');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    await expect(input.inputValue()).resolves.toBe('');
    await input.fill('ip li');
    await input.press('Tab');
    await inputIs('ip link ');
    await input.pressSequentially('show e');
    await input.press('Tab');
    await inputIs('ip link show eth');
    await input.press('Tab');
    await outputMatches(/eth0 {2}eth1/);
    await input.pressSequentially('1');
    await input.press('Enter');
    await outputMatches(/\n3: eth1@if\d+: </);
  });

  it('switches to the dark theme and opens a second console from the node buttons', async () => {
    await page.click('#theme-toggle');
    await expect(page.evaluate('document.documentElement.dataset.theme')).resolves.toBe('dark');
    await page.click('.node-button[data-node="rcv1"]');
    await typeCommand('ip -br addr show dev eth0');
    await outputMatches(/10\.2\.0\.21\/24/);
    await shot('04-rcv1-dark');
  });

  it('relabels the link end when a console command adds an address', async () => {
    await typeCommand('ip addr add 10.2.0.99/24 dev eth0');
    await waitFor(`${CY}.getElementById('m:lanb:rcv1:eth0').data('sourceLabel') === ${JSON.stringify('eth0\n10.2.0.21/24\n10.2.0.99/24')}`);
  });

  it('keeps a dragged node where it was dropped, across a reload', async () => {
    const model = (): Promise<{ x: number; y: number }> => page.evaluate(`${CY}.getElementById('n:src').position()`);
    const before = await model();
    const p = await page.evaluate<{ x: number; y: number }>(`(() => {
      const pos = ${CY}.getElementById('n:src').renderedPosition();
      const box = document.getElementById('topology').getBoundingClientRect();
      return { x: box.left + pos.x, y: box.top + pos.y };
    })()`);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    await page.mouse.move(p.x + 60, p.y + 90, { steps: 10 });
    await page.mouse.up();
    const after = await model();
    expect(after.y - before.y).toBeGreaterThan(40);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    const reloaded = await model();
    expect(reloaded).toEqual({ x: Math.round(after.x), y: Math.round(after.y) });
    await shot('05-after-drag-and-reload');
  });

  it('shows the keyboard shortcuts on ? and closes them with Esc', async () => {
    await page.locator('.lab-title').click();
    await page.keyboard.press('?');
    await page.waitForSelector('#help-overlay:not([hidden])');
    await expect(page.locator('.shortcuts').textContent()).resolves.toContain('Tab');
    await shot('06-help');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#help-overlay', { state: 'hidden' });
  });

  it('resets the lab: the address added from a console is gone', async () => {
    await Promise.all([page.waitForEvent('load'), page.click('#reset-lab')]);
    await page.waitForSelector('body[data-ready="true"]');
    await waitFor(`${CY}.getElementById('m:lanb:rcv1:eth0').data('sourceLabel') === ${JSON.stringify('eth0\n10.2.0.21/24')}`, 10_000);
  });

  it('loaded with no script error and no CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });

  it('refuses a wrong or missing token: page and API socket', async () => {
    const base = url.replace(/\?token=.*/, '');
    const res = await page.request.get(`${base}?token=wrong`);
    expect(res.status()).toBe(403);
    expect((await page.request.get(base)).status()).toBe(403);
    const status = await new Promise<number>((ok, fail) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}api?token=wrong`);
      ws.on('unexpected-response', (_req, r) => ok(r.statusCode ?? 0));
      ws.on('open', () => fail(new Error('a socket with a wrong token was accepted')));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
  });
});
