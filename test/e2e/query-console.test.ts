// End to end in Chromium: the query console (issue 10 §8) over the app's recorded live session. Open
// 06-unresolved-queue, send a burst to the group from src's console (r1's starter daemon leaves the (S,G)
// unresolved, so the queue fills and the kernel drops), open Query with Alt+5, run the "Drops with reasons"
// example: its rows are the events the Trace tab lists under kind = drop, seq for seq. A syntax error shows
// SQLite's message; an endless recursive CTE is stopped by the time cap; sorting and history work; a seq
// in the results opens its event in the Trace tab; the CSV export has one line per event the query counts.
// Screenshots (light and dark) go to test/e2e/artifacts/query-*.png.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_OUTPUT, ROOT, shot, typeInConsole, waitFor, openApp, closeApp, type OpenedApp } from './helpers.js';

let app: OpenedApp;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  app = await openApp(['--lab', join(ROOT, 'labs', '06-unresolved-queue.yaml')], 'query', { height: 900, colorScheme: 'light' });
  ({ page } = app);
  errors = app.pageErrors;
}, 120_000);

afterAll(() => closeApp(app));

/** Waits for the query in flight to finish; returns the status state ('ok' or 'error'). */
async function settled(): Promise<string> {
  await waitFor(page, `['ok', 'error'].includes(document.querySelector('.query-status')?.dataset.state ?? '')`, 15_000);
  return page.evaluate<string>(`document.querySelector('.query-status').dataset.state`);
}

async function runSql(sql: string): Promise<string> {
  await page.fill('.query-editor', sql);
  await page.evaluate(`document.querySelector('.query-status').dataset.state = ''`);
  await page.press('.query-editor', 'Control+Enter');
  return settled();
}

async function grid(): Promise<{ columns: string[]; rows: string[][] }> {
  return page.evaluate(`(() => ({
    columns: [...document.querySelectorAll('.query-table th')].map((th) => th.dataset.col),
    rows: [...document.querySelectorAll('.query-table tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
  }))()`);
}

const text = (sel: string): Promise<string> => page.evaluate<string>(`document.querySelector(${JSON.stringify(sel)})?.textContent ?? ''`);

describe('query console over the recorded session (06-unresolved-queue)', () => {
  it('lists the drops the Trace tab lists, seq for seq', async () => {
    await typeInConsole(page, 'src', 'ping -c 7 -i 0.02 -t 4 239.1.1.1');
    await waitFor(page, `${CONSOLE_OUTPUT}.includes('packets transmitted')`, 20_000);
    await page.click('.lab-title');
    await page.keyboard.press('Alt+5');
    await waitFor(page, `!document.getElementById('query-pane').hidden && document.getElementById('tab-query').getAttribute('aria-selected') === 'true'`);
    await page.click('.query-example >> text=Drops with reasons');
    expect(await settled()).toBe('ok');
    const drops = await grid();
    expect(drops.columns).toEqual(['seq', 't', 'node', 'fn', 'reason', 'errno', 'pkt']);
    // 7 packets, the starter daemon never answers: 4 wait on the unresolved entry, the 5th on are dropped.
    const queueFull = drops.rows.filter((r) => r[3] === 'ipmr_cache_unresolved');
    expect(queueFull).toHaveLength(3);
    for (const r of queueFull) expect(r).toEqual([expect.any(String), expect.any(String), 'r1', 'ipmr_cache_unresolved', 'unresolved queue full (4 packets)', 'ENOBUFS', expect.stringMatching(/^\d+$/)]);
    expect(await text('.query-status')).toMatch(new RegExp(`^${drops.rows.length} rows · [\\d.]+ ms$`));
    await shot(page, 'query-drops-light');

    await page.click('#tab-trace');
    await page.waitForSelector('.trace-row', { timeout: 10_000 });
    await page.selectOption('.trace-kind', 'drop');
    await waitFor(page, `document.querySelector('.trace-count')?.textContent === '${drops.rows.length} event${drops.rows.length === 1 ? '' : 's'}'`, 10_000);
    await waitFor(page, `document.querySelectorAll('.trace-row').length === ${drops.rows.length} && [...document.querySelectorAll('.trace-row')].every((r) => r.classList.contains('kind-drop'))`, 10_000);
    const traceSeqs = await page.evaluate<number[]>(`[...document.querySelectorAll('.trace-row')].map((r) => Number(r.dataset.seq)).sort((a, b) => a - b)`);
    expect(traceSeqs).toEqual(drops.rows.map((r) => Number(r[0])));
    // A seq in the results opens that event in the Trace tab (here the last drop).
    await page.keyboard.press('Alt+5');
    const last = drops.rows.at(-1)![0]!;
    await page.click(`.query-table .query-seq[data-seq="${last}"]`);
    await waitFor(page, `!document.getElementById('trace-pane').hidden && document.querySelector('.trace-row.selected')?.dataset.seq === '${last}'`, 10_000);
    expect(errors).toEqual([]);
  }, 90_000);

  it("shows SQLite's message for a syntax error, and the time cap's for an endless CTE", async () => {
    await page.keyboard.press('Alt+5');
    expect(await runSql('SELECT seq FROM trace WHERE seq >')).toBe('error');
    expect(await text('.query-error')).toBe('SQLITE_ERROR: incomplete input');
    expect(await page.evaluate<boolean>(`document.querySelector('.query-error').hidden`)).toBe(false);
    await shot(page, 'query-error-light');
    expect(await runSql('DELETE FROM events')).toBe('error');
    expect(await text('.query-error')).toMatch(/^read-only SQL: .*not DELETE$/);
    expect(await runSql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c')).toBe('error');
    expect(await text('.query-error')).toMatch(/^SQLITE_INTERRUPT: interrupted: stopped at the limit of 2 s per query/);
    // The host answers again at once: the worker was not held.
    expect(await runSql('SELECT count(*) AS n FROM trace')).toBe('ok');
    expect(await page.evaluate<boolean>(`document.querySelector('.query-error').hidden`)).toBe(true);
    expect(Number((await grid()).rows[0]![0])).toBeGreaterThan(50);
    expect(errors).toEqual([]);
  }, 60_000);

  it('caps rows honestly, sorts by a column, keeps history across a reload; dark theme', async () => {
    expect(await runSql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1500) SELECT x FROM c')).toBe('ok');
    expect((await grid()).rows).toHaveLength(1000);
    expect(await text('.query-status')).toMatch(/^First 1,000 of 1,500 rows · /);
    await page.click('.query-example >> text=Events per function');
    expect(await settled()).toBe('ok');
    const byCount = await grid();
    expect(byCount.columns).toEqual(['fn', 'events', 'drops']);
    const counts = byCount.rows.map((r) => Number(r[1]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await page.click('.query-table th[data-col="fn"]');
    const byName = (await grid()).rows.map((r) => r[0]!);
    expect(byName).toEqual([...byName].sort());
    expect(await page.evaluate<string>(`document.querySelector('.query-table th[data-col="fn"]').getAttribute('aria-sort')`)).toBe('ascending');
    await page.click('#theme-toggle');
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    await shot(page, 'query-functions-dark');
    await page.click('.query-example >> text=Upcalls per (S,G)');
    expect(await settled()).toBe('ok');
    expect((await grid()).rows).toEqual([['r1', '10.1.0.10', '239.1.1.1', 'IGMPMSG_NOCACHE', '1', expect.stringMatching(/^\d+$/)]]);
    await shot(page, 'query-upcalls-dark');
    expect(await runSql('SELECT nope FROM trace')).toBe('error');
    await shot(page, 'query-error-dark');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await page.click('#tab-query');
    const recent = await page.evaluate<string[]>(`[...document.querySelectorAll('.query-history option')].map((o) => o.textContent)`);
    expect(recent[0]).toMatch(/^Recent \(\d+\)$/);
    expect(recent[1]).toBe('SELECT nope FROM trace');
    expect(recent).toContain('SELECT seq FROM trace WHERE seq >');
    await page.selectOption('.query-history', '0');
    expect(await page.inputValue('.query-editor')).toBe('SELECT nope FROM trace');
    await page.click('#theme-toggle');
    expect(errors).toEqual([]);
  }, 60_000);

  it("exports the CSV from the Trace tab: one line per event the query counts; the buttons come back", async () => {
    expect(await runSql('SELECT count(*) AS n FROM trace')).toBe('ok');
    const events = Number((await grid()).rows[0]![0]);
    await page.click('#tab-trace');
    const [d] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('.trace-export-csv')]);
    expect(d.suggestedFilename()).toBe('06-unresolved-queue.csv');
    const lines = readFileSync((await d.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,t,node,fn,kind,pkt,parent,data');
    expect(lines.length - 1).toBe(events);
    await waitFor(page, `!document.querySelector('.trace-export[data-busy]') && document.querySelector('.trace-export-status')?.textContent === '' && !document.querySelector('.trace-export-pcapng').disabled`);
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows how far a long CSV export is, and its Cancel stops it without a download', async () => {
    // ~78k events: the CSV takes seconds to write (2.7 s measured here), far past the 150 ms before a bar shows.
    await typeInConsole(page, 'src', 'ping -c 6000 -i 0.001 -t 4 10.2.0.20');
    await waitFor(page, `${CONSOLE_OUTPUT}.includes('6000 packets transmitted')`, 60_000);
    await page.click('#tab-trace');
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.click('.trace-export-csv');
    await waitFor(page, `/^CSV \\d+%$/.test(document.querySelector('.trace-export-status')?.textContent ?? '')`, 20_000);
    expect(await page.evaluate<boolean>(`!document.getElementById('run-progress').hidden`)).toBe(true);
    expect(await page.evaluate<string>(`document.querySelector('.run-progress-label').textContent`)).toMatch(/^Exporting CSV: [\d.]+ s of [\d.]+ s simulated$/);
    await shot(page, 'query-export-progress-light');
    await page.click('#run-progress button');
    await waitFor(page, `document.getElementById('status')?.textContent === 'export cancelled'`, 20_000);
    await waitFor(page, `document.querySelector('.trace-export-status')?.textContent === '' && !document.querySelector('.trace-export-csv').disabled`);
    expect(downloads).toBe(0);
    // The next export runs to the end.
    const [d] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('.trace-export-pcapng')]);
    expect(d.suggestedFilename()).toBe('06-unresolved-queue.pcapng');
    expect(errors).toEqual([]);
  }, 120_000);
});
