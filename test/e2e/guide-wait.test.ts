// End to end in Chromium (issue 9): a guide step whose actions wait a long simulated time runs in slices in
// the lab worker — the status bar shows its progress, the page stays responsive, and Cancel stops the wait
// where it is: time advanced to there, the step's remaining actions not run, the guide says so. The lab goes
// on answering. Screenshots: test/e2e/artifacts/issue9-guide-*.png (light, then dark).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, openApp, type OpenedApp, shot, waitFor } from './helpers.js';

const LAB = `name: long-wait
title: A step that waits a long time
description: Two hosts on a link; the first step waits far longer than anyone would.
topology:
  nodes:
    h1:
      exec: [ip addr add 10.0.0.1/24 dev eth0, ip link set eth0 up]
    h2:
      exec: [ip addr add 10.0.0.2/24 dev eth0, ip link set eth0 up]
  links:
    - endpoints: [h1:eth0, h2:eth0]
steps:
  - title: Wait for it
    text: h1 pings h2, then the lab **waits 30000000 s** (a year), then looks at h1's addresses.
    actions:
      - ping: { node: h1, dst: 10.0.0.2, count: 1 }
      - wait: 30000000
      - command: { node: h1, run: ip -br addr show dev eth0 }
    checks:
      - name: h1-up
        command: { node: h1, run: ip -br link show dev eth0, contains: UP }
  - title: Something quick
    text: One more ping.
    actions:
      - ping: { node: h2, dst: 10.0.0.1, count: 1 }
`;

let app: OpenedApp;
let page: Page;
let pageErrors: string[] = [];
const BAR_SHOWN = "!document.getElementById('run-progress').hidden";
const step = (i: number): string => `.guide-step[data-step="${i}"]`;
const text = (sel: string): Promise<string> => page.evaluate(`document.querySelector(${JSON.stringify(sel)})?.textContent ?? ''`);
const simTime = async (): Promise<number> => Number((await text('.sim-time')).replace(/[^0-9.]/g, ''));

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rlw-e2e-guide-wait-')), 'long-wait.yaml');
  writeFileSync(file, LAB);
  app = await openApp(['--lab', file], 'guide-wait');
  ({ page, pageErrors } = app);
  await page.emulateMedia({ colorScheme: 'light' });
}, 120_000);

afterAll(() => closeApp(app));

describe("a guide step's long wait in Chromium", () => {
  it('shows the progress of the wait in the status bar while the step runs', async () => {
    await waitFor(page, `document.getElementById('tab-guide').classList.contains('active') && document.querySelectorAll('.guide-step').length === 2`, 10_000);
    await page.click(`${step(0)} .guide-run`);
    await waitFor(page, BAR_SHOWN, 15_000);
    await waitFor(page, `/^Running: .* of 30000000\\.0 s simulated$/.test(document.querySelector('.run-progress-label').textContent)`);
    // Time moves while the wait runs (the header follows the lab), and the bar with it.
    await waitFor(page, `document.querySelector('#run-progress progress').value > 0`, 15_000);
    expect(await page.evaluate<boolean>(`document.getElementById('guide-pane').classList.contains('busy')`)).toBe(true);
    await shot(page, 'issue9-guide-1-wait-running-light');
  });

  it('Cancel stops the wait where it is; the rest of the step does not run, and the guide says so', async () => {
    expect(await page.evaluate<boolean>(BAR_SHOWN)).toBe(true);
    await page.click('#run-progress button');
    await waitFor(page, `document.getElementById('run-progress').hidden`, 15_000);
    await waitFor(page, `!!document.querySelector('${step(0)} .guide-cancelled')`, 15_000);
    const note = await text(`${step(0)} .guide-cancelled`);
    expect(note).toMatch(/^Cancelled: simulated time stopped at [\d.]+ s\. Not run: h1# ip -br addr show dev eth0\. Run the step's actions again to redo it\.$/);
    const out = await text(`${step(0)} .guide-output`);
    expect(out).toContain('1 packets transmitted, 1 received');
    expect(out).toMatch(/wait cancelled after [\d.]+ s of 30000000 s/);
    expect(out).not.toContain('h1# ip -br addr show dev eth0');
    // The header's clock: past the ping, far short of the wait's end.
    await new Promise((r) => setTimeout(r, 300));
    const t = await simTime();
    expect(t).toBeGreaterThan(0);
    expect(t).toBeLessThan(30000000);
    const stopped = Number(/stopped at ([\d.]+) s/.exec(note)![1]);
    expect(Math.abs(stopped - t)).toBeLessThan(0.2);
    await shot(page, 'issue9-guide-2-wait-cancelled-light');
  });

  it('the lab stays consistent: the next step runs from there, checks still work', async () => {
    await page.click(`${step(1)} .guide-run`);
    await waitFor(page, `/1 packets transmitted, 1 received/.test(document.querySelector('${step(1)} .guide-output')?.textContent ?? '')`, 15_000);
    await page.click(`${step(0)} .guide-check`);
    await waitFor(page, `document.querySelector('${step(0)} .guide-check-item')?.dataset.result === 'pass'`, 15_000);
    await page.click('#theme-toggle');
    await expect(page.evaluate('document.documentElement.dataset.theme')).resolves.toBe('dark');
    await page.evaluate(`document.querySelector('${step(0)}').scrollIntoView()`);
    await shot(page, 'issue9-guide-3-after-cancel-dark');
    expect(pageErrors).toEqual([]);
  });
});
