// Issue 9's "done when" as one flow in Chromium: web mode on the default lab, clear the canvas, draw
// h1 — r1 — h2 by clicking and dragging, address it in the side panel, open a daemon file for r1 in the
// Daemons tab, see a type error marker, fix it, run it, see its output, and watch r1's forwarded-packet
// counter change after multicast traffic from h1. Screenshots of each state: test/e2e/artifacts/flow-*.png.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_OUTPUT, CY, clickEmpty, clickNode, closeApp, drag, nodeAt, openApp, selectNode, shot, typeInConsole, waitFor, type OpenedApp } from './helpers.js';

let app: OpenedApp | undefined;
let page: Page;
let pageErrors: string[] = [];
const text = (selector: string): Promise<string> => page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`);

beforeAll(async () => {
  app = await openApp([], 'flow');
  ({ page, pageErrors } = app);
}, 120_000);

afterAll(() => closeApp(app));

describe('the whole flow in Chromium: draw, address, write a daemon, forward', () => {
  it('clears the opened lab and draws h1 — r1 — h2 by clicking and dragging', async () => {
    await shot(page, 'flow-0-opened');
    for (let left = await page.evaluate<number>(`${CY}.nodes().length`); left > 0; left--) {
      await clickNode(page, await page.evaluate<string>(`${CY}.nodes()[0].id()`));
      await page.locator('#tool-delete').click();
      await waitFor(page, `${CY}.nodes().length === ${left - 1}`);
    }
    await clickEmpty(page);
    for (const [key, n] of [['h', 1], ['r', 2], ['h', 3]] as const) {
      await page.keyboard.press(key);
      await waitFor(page, `${CY}.nodes().length === ${n}`);
    }
    await waitFor(page, `document.querySelector('#editor-panel:not([hidden]) .panel-title')?.firstChild?.textContent === 'h2'`);
    const box = (await page.locator('#topology').boundingBox())!;
    const y = box.y + box.height / 2;
    await drag(page, await nodeAt(page, 'n:h1'), { x: box.x + 70, y: y - 170 });
    await drag(page, await nodeAt(page, 'n:r1'), { x: box.x + (box.width - 250) / 2, y });
    await drag(page, await nodeAt(page, 'n:h2'), { x: box.x + box.width - 330, y: y + 170 });
    await clickEmpty(page);
    await page.keyboard.press('d');
    await drag(page, await nodeAt(page, 'n:h1'), await nodeAt(page, 'n:r1'));
    await waitFor(page, `${CY}.edges().length === 1`);
    await drag(page, await nodeAt(page, 'n:r1'), await nodeAt(page, 'n:h2'));
    await waitFor(page, `${CY}.edges().length === 2`);
    await page.locator('#tool-draw').click();
    expect(await page.evaluate<string[]>(`${CY}.nodes().map((n) => n.data('name')).sort()`)).toEqual(['h1', 'h2', 'r1']);
    await shot(page, 'flow-1-drawn');
  });

  it('addresses the three nodes in the side panel; h1 reaches h2 across r1', async () => {
    await selectNode(page, 'h1');
    await page.locator('#addr-h1-eth0').fill('10.1.0.10/24');
    await page.locator('#node-commands').fill('ip route add default via 10.1.0.1');
    await selectNode(page, 'r1');
    await page.locator('#addr-r1-eth0').fill('10.1.0.1/24');
    await page.locator('#addr-r1-eth1').fill('10.2.0.1/24');
    await selectNode(page, 'h2');
    await page.locator('#addr-h2-eth0').fill('10.2.0.22/24');
    await page.locator('#node-commands').fill('ip route add default via 10.2.0.1');
    await waitFor(page, `/10\\.2\\.0\\.22\\/24/.test(${CY}.getElementById('l:1').data('targetLabel'))`);
    await waitFor(page, `document.querySelectorAll('#editor-panel .field-error').length === 0`);
    await shot(page, 'flow-2-addressed');
    await typeInConsole(page, 'h1', 'ping -c 2 10.2.0.22');
    await waitFor(page, `/2 packets transmitted, 2 received/.test(${CONSOLE_OUTPUT})`, 15_000);
  });

  it('opens a daemon file for r1, sees a type error marker, and fixes it', async () => {
    await page.click('#tab-daemons');
    await page.waitForSelector('.daemon-new', { timeout: 15_000 });
    await page.selectOption('.daemon-node', 'r1');
    await page.click('.daemon-new');
    await page.waitForSelector('.daemon-editor .view-lines', { timeout: 15_000 });
    await expect(text('.daemon-tab.active')).resolves.toBe('r1 · static-mroute.ts');
    await waitFor(page, `document.querySelector('.daemon-problems').dataset.count === '0'`, 30_000);
    await page.click('.daemon-editor .view-lines');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type("const hops: number = 'eight';");
    await waitFor(page, `document.querySelector('.daemon-problems').dataset.count === '1'`, 30_000);
    await waitFor(page, `document.querySelectorAll('.daemon-editor .squiggly-error').length > 0`);
    await shot(page, 'flow-3-type-error');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('const hops: number = 8;');
    await waitFor(page, `document.querySelector('.daemon-problems').dataset.count === '0'`, 30_000);
  });

  it('runs the daemon, shows its output, and r1 forwards h1\'s multicast: the counter changes', async () => {
    await page.click('.daemon-run');
    await waitFor(page, `/phyint eth1 is VIF 1/.test(document.querySelector('.daemon-output').textContent)`, 15_000);
    await expect(text('.daemon-state')).resolves.toBe('running');
    await expect(text('.counter-value[data-node="r1"]')).resolves.toBe('0');
    await shot(page, 'flow-4-daemon-running');
    await typeInConsole(page, 'h1', 'ping -c 3 -t 8 239.1.1.1');
    await waitFor(page, `/3 packets transmitted/.test(${CONSOLE_OUTPUT})`, 15_000);
    await waitFor(page, `document.querySelector('.counter-value[data-node="r1"]').textContent === '3'`);
    await shot(page, 'flow-5-forwarded-console');
    await page.click('#tab-daemons');
    await waitFor(page, `/installed \\(10\\.1\\.0\\.10, 239\\.1\\.1\\.1\\)/.test(document.querySelector('.daemon-output').textContent)`);
    await shot(page, 'flow-6-forwarded-daemon');
    expect(pageErrors).toEqual([]);
  });
});
