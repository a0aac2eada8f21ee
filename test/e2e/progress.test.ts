// Long runs in Chromium (web mode): a console command that advances simulated time shows a progress bar in
// the status bar, and its Cancel button interrupts it at the current simulated time — a long `sleep` stops
// early, `ping -c 1000 -i 0.2` prints its statistics for what it sent, as iputils does after ^C. The lab
// goes on answering. Screenshots: test/e2e/artifacts/progress-*.png.

import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_OUTPUT, openApp, shot, typeInConsole, waitFor } from './helpers.js';

let server: ChildProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];
const BAR_SHOWN = "!document.getElementById('run-progress').hidden";
const simTime = async (): Promise<number> => Number((await page.evaluate<string>(`document.querySelector('.sim-time').textContent`)).replace(/[^0-9.]/g, ''));

beforeAll(async () => {
  ({ server, browser, page, pageErrors } = await openApp(['--lab', 'builtin'], 'progress'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

describe('progress and cancel of long runs in Chromium', () => {
  it('shows the simulated time of a long `sleep` and stops it on Cancel', async () => {
    const before = await simTime();
    await typeInConsole(page, 'src', 'sleep 3000000');
    await waitFor(page, BAR_SHOWN, 15_000);
    await waitFor(page, `/^Running: .* of 3000000\\.0 s simulated$/.test(document.querySelector('.run-progress-label').textContent)`);
    // The header's clock runs with it.
    await waitFor(page, `Number(document.querySelector('.sim-time').textContent.replace(/[^0-9.]/g, '')) > ${before + 1}`);
    await shot(page, 'progress-1-sleep-running');
    await page.click('#run-progress button');
    await waitFor(page, `document.getElementById('run-progress').hidden`, 15_000);
    await waitFor(page, `!document.querySelector('.node-console:not([hidden])').classList.contains('busy')`);
    // The header's clock follows the lab after the command: it stopped long before its end.
    await new Promise((r) => setTimeout(r, 300));
    const after = await simTime();
    expect(after).toBeGreaterThan(before);
    expect(after - before).toBeLessThan(3_000_000);
    await shot(page, 'progress-2-sleep-cancelled');
  });

  it('cancels `ping -c 100000 -i 0.2`: ping prints its statistics for what it sent', async () => {
    await typeInConsole(page, 'src', 'ping -c 100000 -i 0.2 10.2.0.22');
    await waitFor(page, BAR_SHOWN, 15_000);
    await page.click('#run-progress button');
    await waitFor(page, `/--- 10\\.2\\.0\\.22 ping statistics ---/.test(${CONSOLE_OUTPUT})`, 15_000);
    const out = await page.evaluate<string>(CONSOLE_OUTPUT);
    const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(100000);
    expect(Number(m![1])).toBeGreaterThan(0);
    await shot(page, 'progress-3-ping-cancelled');
    // The lab is consistent afterwards: a short ping runs to its end.
    await typeInConsole(page, 'src', 'ping -c 1 10.2.0.22');
    await waitFor(page, `/1 packets transmitted, 1 received/.test(${CONSOLE_OUTPUT})`, 15_000);
    expect(pageErrors).toEqual([]);
  });
});
