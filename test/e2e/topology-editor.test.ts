// The topology editor end to end in Chromium: from an empty canvas, build h1 — r1 — h2 with the toolbar's
// keys and by dragging links, address the interfaces in the side panel (an invalid prefix is flagged as you
// type), ping across the router from h1's console, take a link down from the context menu, undo/redo; then
// SIGKILL the server one second after the last keystroke and find everything again after a restart.
// Screenshots of each state go to test/e2e/artifacts/ (git-ignored).

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CY, drag, ensureBuilt, launch, nodeAt, shot, startServer, waitFor } from './helpers.js';

const DATA = mkdtempSync(join(tmpdir(), 'rlw-e2e-editor-'));
let server: ChildProcess;
let url = '';
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const CONSOLE = "document.querySelector('.node-console:not([hidden])')";

const names = (): Promise<string[]> => page.evaluate(`${CY}.nodes().map((n) => n.data('name')).sort()`);
const edgeCount = (): Promise<number> => page.evaluate(`${CY}.edges().length`);
const labelsOf = (id: string): Promise<string> => page.evaluate(`(() => { const e = ${CY}.getElementById(${JSON.stringify(id)}); return e.data('sourceLabel') + ' | ' + e.data('targetLabel'); })()`);

async function open(url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
}

async function press(key: string): Promise<void> {
  await page.keyboard.press(key);
}

/** A click on the graph's empty corner: deselects, and takes focus away from the console for shortcuts. */
async function clickEmpty(): Promise<void> {
  const b = (await page.locator('#topology').boundingBox())!;
  await page.mouse.click(b.x + 8, b.y + b.height - 8);
}

async function clickNode(id: string): Promise<void> {
  const p = await nodeAt(page, id);
  await page.mouse.click(p.x, p.y);
}

/** Selects a node by clicking it and waits for the side panel to show it. */
async function selectNode(name: string): Promise<void> {
  await clickNode(`n:${name}`);
  await waitFor(page, `document.querySelector('#editor-panel:not([hidden]) .panel-title')?.firstChild?.textContent === ${JSON.stringify(name)}`);
}

async function ping(from: string, line: string, expectRe: RegExp): Promise<void> {
  // A lab with guided steps shows its guide in the side pane; the consoles are the first tab.
  const tab = page.locator('.side-tab', { hasText: 'Consoles' });
  if ((await tab.count()) > 0) await tab.click();
  await clickNode(`n:${from}`);
  await waitFor(page, `document.querySelector('.console-tab.active')?.dataset.node === ${JSON.stringify(from)}`).catch(async (e: unknown) => {
    await shot(page, 'editor-debug-console');
    throw e;
  });
  const input = page.locator('.node-console:not([hidden]) .console-input');
  await input.fill(line, { timeout: 5_000 }).catch(async (e: unknown) => {
    await shot(page, 'editor-debug-console');
    throw e;
  });
  await input.press('Enter');
  await waitFor(page, `${expectRe.toString()}.test(${CONSOLE}?.querySelector('.console-output')?.textContent ?? '')`, 15_000);
}

beforeAll(async () => {
  ensureBuilt();
  ({ proc: server, url } = await startServer(['--data-dir', DATA]));
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

describe('topology editor in Chromium', () => {
  it('starts from an empty canvas: deleting every node and LAN of the opened lab', async () => {
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await open(url);
    await shot(page, 'editor-0-opened-lab');
    for (let left = (await names()).length; left > 0; left--) {
      const id = await page.evaluate<string>(`${CY}.nodes()[0].id()`);
      await clickNode(id);
      // Clicking a node opens its console (focused, for typing); the toolbar deletes, or Del once focus is back
      // on the page (a click on the panel's background).
      if (left % 2) await page.locator('#tool-delete').click();
      else {
        const p = (await page.locator('#editor-panel').boundingBox())!;
        await page.mouse.click(p.x + p.width / 2, p.y + p.height - 10);
        await press('Delete');
      }
      await waitFor(page, `${CY}.nodes().length === ${left - 1}`);
    }
    expect(await names()).toEqual([]);
    expect(await edgeCount()).toBe(0);
  });

  it('adds h1, r1, h2 with H and R, places them by dragging, and draws two links', async () => {
    await clickEmpty();
    await press('h');
    await waitFor(page, `${CY}.nodes().length === 1`);
    await press('r');
    await waitFor(page, `${CY}.nodes().length === 2`);
    await press('h');
    await waitFor(page, `${CY}.nodes().length === 3`);
    expect(await names()).toEqual(['h1', 'h2', 'r1']);
    // The new node is selected: its panel opens (and the view may pan to keep it clear of the panel).
    await waitFor(page, `document.querySelector('#editor-panel:not([hidden]) .panel-title')?.firstChild?.textContent === 'h2'`);
    await new Promise((r) => setTimeout(r, 100));
    const box = (await page.locator('#topology').boundingBox())!;
    // A diagonal leaves room for the addresses at each link end in the narrow pane.
    const y = box.y + box.height / 2;
    // (The side panel floats over the right 250 px while something is selected.)
    await drag(page, await nodeAt(page, 'n:h1'), { x: box.x + 70, y: y - 170 });
    await drag(page, await nodeAt(page, 'n:r1'), { x: box.x + (box.width - 250) / 2, y });
    await drag(page, await nodeAt(page, 'n:h2'), { x: box.x + box.width - 330, y: y + 170 });
    const placed = await page.evaluate<{ x: number; y: number }>(`${CY}.getElementById('n:h1').position()`);
    await clickEmpty();
    await press('d');
    await drag(page, await nodeAt(page, 'n:h1'), await nodeAt(page, 'n:r1'));
    await waitFor(page, `${CY}.edges().length === 1`);
    await drag(page, await nodeAt(page, 'n:r1'), await nodeAt(page, 'n:h2'));
    await waitFor(page, `${CY}.edges().length === 2`);
    await page.locator('#tool-draw').click();
    // Drawing links moves no node.
    const now = await page.evaluate<{ x: number; y: number }>(`${CY}.getElementById('n:h1').position()`);
    // (Positions are stored rounded to whole pixels.)
    expect(now.x).toBeCloseTo(placed.x, 0);
    expect(now.y).toBeCloseTo(placed.y, 0);
    expect(await labelsOf('l:0')).toBe('eth0 | eth0');
    expect(await labelsOf('l:1')).toBe('eth1 | eth0');
    await shot(page, 'editor-1-drawn');
  });

  it('flags a bad prefix as you type, then addresses all three nodes in the side panel', async () => {
    await selectNode('h1');
    await page.locator('#addr-h1-eth0').fill('10.0.1.2/33');
    await waitFor(page, `[...document.querySelectorAll('#editor-panel .field-error')].some((e) => /bad prefix \\/33/.test(e.textContent))`);
    await waitFor(page, `${CY}.getElementById('n:h1').hasClass('has-issue')`);
    await shot(page, 'editor-2-invalid-prefix');
    await page.locator('#addr-h1-eth0').fill('10.0.1.2/24');
    await page.locator('#node-commands').fill('ip route add default via 10.0.1.1');
    await waitFor(page, `document.querySelectorAll('#editor-panel .field-error').length === 0`);
    await selectNode('r1');
    await page.locator('#addr-r1-eth0').fill('10.0.1.1/24');
    await page.locator('#addr-r1-eth1').fill('10.0.2.1/24');
    expect(await page.locator('#node-sysctls').inputValue()).toBe('net.ipv4.ip_forward=1');
    await selectNode('h2');
    await page.locator('#addr-h2-eth0').fill('10.0.2.2/24');
    await page.locator('#node-commands').fill('ip route add default via 10.0.2.1');
    await waitFor(page, `/10\\.0\\.2\\.2\\/24/.test(${CY}.getElementById('l:1').data('targetLabel'))`);
    expect(await labelsOf('l:0')).toBe('eth0\n10.0.1.2/24 | eth0\n10.0.1.1/24');
    await shot(page, 'editor-3-addressed');
  });

  it('pings h2 from h1 across r1 in the node console', async () => {
    await ping('h1', 'ping -c 2 10.0.2.2', /2 packets transmitted, 2 received/);
    await shot(page, 'editor-4-ping');
  });

  it('takes the r1 — h2 link down and up from the context menu (engine events on the running lab)', async () => {
    const a = await nodeAt(page, 'n:r1');
    const b = await nodeAt(page, 'n:h2');
    await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2, { button: 'right' });
    await page.locator('#context-menu button', { hasText: 'Link down' }).click();
    await waitFor(page, `${CY}.getElementById('l:1').hasClass('down')`);
    await shot(page, 'editor-5-link-down');
    await ping('h1', 'ping -c 1 10.0.2.2', /1 packets transmitted, 0 received/);
    await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2, { button: 'right' });
    await page.locator('#context-menu button', { hasText: 'Link up' }).click();
    await waitFor(page, `!${CY}.getElementById('l:1').hasClass('down')`);
  });

  it('undoes and redoes an edit with Ctrl+Z / Ctrl+Shift+Z', async () => {
    await clickEmpty();
    await press('l');
    await waitFor(page, `${CY}.nodes().length === 4`);
    await press('Control+z');
    await waitFor(page, `${CY}.nodes().length === 3`);
    await press('Control+Shift+z');
    await waitFor(page, `${CY}.nodes().length === 4 && ${CY}.getElementById('s:lan1').nonempty()`);
    await press('Control+z');
    await waitFor(page, `${CY}.nodes().length === 3`);
  });

  it('looks right in the dark theme too', async () => {
    await page.locator('#theme-toggle').click();
    await waitFor(page, `document.documentElement.dataset.theme === 'dark'`);
    await selectNode('r1');
    await shot(page, 'editor-6-dark');
    await page.locator('#theme-toggle').click();
  });

  it('saves the lab from the Labs dialog: a lab file and its layout file the loader reads back', async () => {
    await page.locator('#tool-labs').click();
    await waitFor(page, `!document.getElementById('labs-overlay').hidden`);
    expect(await page.locator('#labs-overlay .lab-list').first().textContent()).toMatch(/01-forwarding\.yaml/);
    const file = join(DATA, 'saved', 'three-nodes.yaml');
    await page.locator('#lab-path').fill(file);
    await page.locator('#lab-save').click();
    await waitFor(page, `/Saved .*three-nodes[.]yaml/.test(document.querySelector('.labs-message').textContent)`);
    await shot(page, 'editor-8-labs-dialog');
    await page.locator('#labs-close').click();
    const yaml = readFileSync(file, 'utf8');
    expect(yaml).toMatch(/h1:\n\s+role: host\n\s+exec:\n\s+- ip addr add 10\.0\.1\.2\/24 dev eth0/);
    expect(yaml).toContain('endpoints: [ r1:eth1, h2:eth0 ]');
    expect(Object.keys((JSON.parse(readFileSync(join(DATA, 'saved', 'three-nodes.layout.json'), 'utf8')) as { nodes: object }).nodes).sort()).toEqual(['h1', 'h2', 'r1']);
  });

  it('loses nothing typed more than a second before a SIGKILL: the restarted server restores the workspace', async () => {
    await selectNode('h2');
    await page.locator('#node-commands').fill('ip route add default via 10.0.2.1\nip route add 192.0.2.0/24 via 10.0.2.1');
    await new Promise((r) => setTimeout(r, 1000));
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    const layout = JSON.parse(readFileSync(join(DATA, 'workspace', 'lab.layout.json'), 'utf8')) as { nodes: Record<string, unknown> };
    expect(Object.keys(layout.nodes).sort()).toEqual(['h1', 'h2', 'r1']);
    const again = await startServer(['--data-dir', DATA]);
    server = again.proc;
    expect(again.out()).toMatch(/from the autosaved workspace/);
    await open(again.url);
    expect(await names()).toEqual(['h1', 'h2', 'r1']);
    expect(await labelsOf('l:0')).toBe('eth0\n10.0.1.2/24 | eth0\n10.0.1.1/24');
    await selectNode('h2');
    expect(await page.locator('#node-commands').inputValue()).toBe('ip route add default via 10.0.2.1\nip route add 192.0.2.0/24 via 10.0.2.1');
    await ping('h2', 'ip route show 192.0.2.0/24', /192\.0\.2\.0\/24 via 10\.0\.2\.1 dev eth0/);
    await ping('h1', 'ping -c 1 10.0.2.2', /1 packets transmitted, 1 received/);
    await shot(page, 'editor-7-restored');
    expect(pageErrors).toEqual([]);
  });
});
