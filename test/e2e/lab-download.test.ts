// End to end in Chromium (issue 9): "Download" in the Labs dialog gives one .yaml holding the whole open lab
// (steps, checks, the daemon scripts, positions). `workbench lab validate` accepts it from a directory with
// nothing else in it, its reference solution passes every check there, and Open in the app brings back the
// same guide. Screenshot: artifacts/issue9-download-*.png.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabFile } from '../../main/host/lab/lab-file.js';
import { closeApp, openApp, type OpenedApp, ROOT, shot, waitFor } from './helpers.js';

let app: OpenedApp;
let page: Page;
let pageErrors: string[] = [];
const LAB = join(ROOT, 'labs', '06-unresolved-queue.yaml');
const fsIO = { readFile: (p: string) => readFileSync(p, 'utf8') };

beforeAll(async () => {
  app = await openApp(['--lab', LAB], 'lab-download');
  ({ page, pageErrors } = app);
  await page.emulateMedia({ colorScheme: 'light' });
}, 120_000);

afterAll(() => closeApp(app));

describe('downloading the open lab from the Labs dialog', () => {
  let file = '';

  it('downloads one .yaml that validates alone and whose solution passes', async () => {
    await waitFor(page, `document.querySelectorAll('.guide-step').length === 2`, 10_000);
    await page.locator('#tool-labs').click();
    await waitFor(page, `!document.getElementById('labs-overlay').hidden`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#lab-download').click()]);
    expect(download.suggestedFilename()).toBe('06-unresolved-queue.yaml');
    file = join(mkdtempSync(join(tmpdir(), 'rlw-e2e-download-')), 'downloaded.yaml');
    await download.saveAs(file);
    await waitFor(page, `/^Downloaded 06-unresolved-queue\\.yaml: the whole lab/.test(document.querySelector('.labs-message').textContent)`);
    await shot(page, 'issue9-download-1-dialog-light');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^scripts:\n {2}06-unresolved-queue\/starter\.ts: \|/m);
    expect(text).toMatch(/^layout:\n/m);
    const validate = spawnSync(process.execPath, [join(ROOT, 'bin', 'workbench.js'), 'lab', 'validate', file], { encoding: 'utf8' });
    expect(validate.stdout).toMatch(/valid \(3 nodes, 2 steps, 8 checks\)/);
    expect(validate.status).toBe(0);
    const check = spawnSync(process.execPath, [join(ROOT, 'bin', 'workbench.js'), 'check', file, '--solution'], { encoding: 'utf8' });
    expect(check.stdout).toMatch(/Score: 10\/10 points \(100%\), all checks passed/);
    const back = loadLabFile(file, fsIO);
    const orig = loadLabFile(LAB, fsIO);
    if (!back.ok || !orig.ok) throw new Error('a lab did not load');
    expect(back.spec.steps!.map((s) => s.title)).toEqual(orig.spec.steps!.map((s) => s.title));
  }, 60_000);

  it('Open brings the downloaded lab back in the app: the same guide', async () => {
    const titles = await page.evaluate<string[]>(`[...document.querySelectorAll('.guide-step-title')].map((e) => e.textContent)`);
    await page.locator('#lab-path').fill(file);
    await page.locator('#lab-open').click();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await waitFor(page, `document.querySelectorAll('.guide-step').length === 2`, 15_000);
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll('.guide-step-title')].map((e) => e.textContent)`)).toEqual(titles);
    await page.locator('#tool-labs').click();
    await waitFor(page, `document.getElementById('lab-path')?.value === ${JSON.stringify(file)}`);
    await page.locator('#labs-close').click();
    expect(pageErrors).toEqual([]);
  });
});
