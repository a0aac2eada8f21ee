// End to end in Chromium: the daemon pane. Open a daemon script for r1 (Monaco, bundled locally), make a
// type error and see the marker, fix it, run the daemon, see its output, send multicast traffic from a
// console and watch r1's forwarded-packet counter change. Screenshots go to test/e2e/artifacts/ (git-ignored).

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, openApp, shot as shotOf, waitFor as waitIn, type OpenedApp } from './helpers.js';

let app: OpenedApp | undefined;
let page: Page;
let pageErrors: string[] = [];

const shot = (name: string): Promise<void> => shotOf(page, name);
const waitFor = (expr: string, timeout = 10_000): Promise<void> => waitIn(page, expr, timeout);
const text = (selector: string): Promise<string> => page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`);

beforeAll(async () => {
  // The built-in first-steps lab: src — r1 — a LAN with rcv1, rcv2.
  app = await openApp(['--lab', 'builtin'], 'daemon');
  ({ page, pageErrors } = app);
}, 120_000);

afterAll(() => closeApp(app));

describe('daemon pane in Chromium', () => {
  it('opens the Monaco editor with the static daemon for r1, with no type errors', async () => {
    await page.click('#tab-daemons');
    await page.waitForSelector('.daemon-new', { timeout: 15_000 });
    await page.selectOption('.daemon-node', 'r1');
    await page.click('.daemon-new');
    await page.waitForSelector('.daemon-editor .view-lines', { timeout: 15_000 });
    await expect(text('.daemon-tab.active')).resolves.toBe('r1 · static-mroute.ts');
    // The TypeScript worker has checked the file against the daemon API's .d.ts.
    await waitFor(`document.querySelector('.daemon-problems').dataset.count === '0'`, 20_000);
    await shot('daemon-01-editor');
  });

  it('marks a type error where it was typed, and clears it when fixed', async () => {
    await page.click('.daemon-editor .view-lines');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type("const vifCount: number = 'two';");
    await waitFor(`document.querySelector('.daemon-problems').dataset.count === '1'`, 20_000);
    await waitFor(`document.querySelectorAll('.daemon-editor .squiggly-error').length > 0`);
    await expect(text('.daemon-problems')).resolves.toBe('1 problem');
    await shot('daemon-02-type-error');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('const vifCount: number = 2;');
    await waitFor(`document.querySelector('.daemon-problems').dataset.count === '0'`, 20_000);
  });

  it('runs the daemon on r1 and shows its output', async () => {
    await page.click('.daemon-run');
    await waitFor(`/phyint eth1 is VIF 1/.test(document.querySelector('.daemon-output').textContent)`);
    await expect(text('.daemon-state')).resolves.toBe('running');
    await expect(text('.counter-value[data-node="r1"]')).resolves.toBe('0');
    await shot('daemon-03-running');
  });

  it('forwards multicast from src once the daemon installed the route: the counter changes', async () => {
    await page.click('#tab-consoles');
    await page.click('.node-button[data-node="src"]');
    const input = page.locator('.node-console:not([hidden]) .console-input');
    await input.fill('ping -c 3 -t 8 239.1.1.1');
    await input.press('Enter');
    await waitFor(`/packets transmitted/.test(document.querySelector('.node-console:not([hidden]) .console-output').textContent)`, 15_000);
    await waitFor(`document.querySelector('.counter-value[data-node="r1"]').textContent === '3'`);
    await page.click('#tab-daemons');
    await waitFor(`/installed \\(10\\.1\\.0\\.10, 239\\.1\\.1\\.1\\)/.test(document.querySelector('.daemon-output').textContent)`);
    await shot('daemon-04-forwarded');
  });

  it('the trace tab lists the run: filter to the upcall, see its cause, its packet, and step through', async () => {
    await page.click('#tab-trace');
    await page.waitForSelector('.trace-row', { timeout: 10_000 });
    await page.fill('.trace-fn', 'ipmr_cache_unresolved');
    await page.press('.trace-fn', 'Enter');
    await waitFor(`document.querySelector('.trace-count').textContent === '1 event'`);
    await page.click('.trace-row');
    await waitFor(`document.querySelector('.trace-detail .event-title')?.textContent.startsWith('ipmr_cache_unresolved')`);
    // Caused by the echo's arrival at r1; its packet decodes as IPv4 + ICMP to the group.
    await waitFor(`document.querySelectorAll('.trace-detail .ancestors .chain-link').length > 0`);
    await expect(text('.packet-view h4')).resolves.toMatch(/^Packet \d+ \(bytes as recorded on src eth0\) — IPv4 .*239\.1\.1\.1/);
    await shot('trace-01-upcall');
    // Back to every event: the selection stays on the upcall; step forward and back with the keyboard.
    await page.fill('.trace-fn', '');
    await page.press('.trace-fn', 'Enter');
    await waitFor(`document.querySelector('.trace-list').dataset.loading === 'false' && document.querySelector('.trace-count').textContent !== '1 event'`);
    await waitFor(`document.querySelector('.trace-row.selected')?.textContent.includes('ipmr_cache_unresolved')`);
    const seq = Number(await page.evaluate<string>(`document.querySelector('.trace-row.selected').dataset.seq`));
    await page.focus('.trace-list');
    await page.keyboard.press('ArrowDown');
    await waitFor(`document.querySelector('.trace-row.selected')?.dataset.seq === '${seq + 1}'`);
    await page.keyboard.press('k');
    await waitFor(`document.querySelector('.trace-row.selected')?.dataset.seq === '${seq}'`);
    // Follow the chain: clicking an ancestor selects it.
    const parent = await page.evaluate<string>(`[...document.querySelectorAll('.trace-detail .ancestors .chain-link')].at(-1).dataset.seq`);
    await page.click('.trace-detail .ancestors li:last-child .chain-link');
    await waitFor(`document.querySelector('.trace-row.selected')?.dataset.seq === '${parent}'`);
    await shot('trace-02-parent');
    // The plot of the filter (all events) per node over simulated time.
    await page.click('.trace-plot-toggle');
    await waitFor(`document.querySelectorAll('.trace-plot .u-legend .u-series').length >= 4`);
    await shot('trace-03-plot');
  });

  it('a crash points at the line: clicking the exit line moves the cursor there', async () => {
    await page.click('#tab-daemons');
    await page.click('.daemon-editor .view-lines');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type("throw new Error('boom');");
    await page.click('.daemon-run');
    await waitFor(`document.querySelector('.daemon-state').dataset.state === 'exited'`);
    const exitLine = await text('.daemon-line.exit');
    const m = /static-mroute\.ts:(\d+):\d+: .*boom/.exec(exitLine);
    expect(m, exitLine).not.toBeNull();
    await page.click('#theme-toggle');
    await page.click('.daemon-line.exit');
    await waitFor(`document.querySelector('.daemon-editor .current-line') !== null`);
    await shot('daemon-05-crash-dark');
    expect(pageErrors).toEqual([]);
  });
});
