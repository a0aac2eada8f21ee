// End to end in Chromium: the trace pane's layout tools (issue 10 §1, and the crowded pane of the last
// session's screenshots): the splitters resize the graph, the list and the event detail and keep their sizes
// across a reload; the event section folds and the kernel state takes the room; a built-in filter set filters,
// a saved one survives a reload and can be deleted; the scrubber moves through the run and selects where it is
// let go. Screenshots: test/e2e/artifacts/trace-layout-*.png (light, dark, 1366x768).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { closeApp, openApp, ROOT, shot, waitFor, type OpenedApp } from './helpers.js';

let app: OpenedApp;

beforeAll(async () => {
  app = await openApp(['--lab', join(ROOT, 'labs', '06-unresolved-queue.yaml')], 'trace-layout');
  const { page } = app;
  await page.emulateMedia({ colorScheme: 'light' });
  await page.click('#tab-guide');
  await page.click('.guide-step[data-step="0"] .guide-run');
  await waitFor(page, `(document.querySelector('.guide-step[data-step="0"] .guide-output')?.textContent ?? '').length > 0`, 20_000);
  await page.click('#tab-trace');
  await page.waitForSelector('.trace-row:not(.pending)', { timeout: 10_000 });
}, 120_000);

afterAll(() => closeApp(app));

const box = (sel: string): Promise<{ x: number; y: number; width: number; height: number }> =>
  app.page.evaluate(`(() => { const r = document.querySelector(${JSON.stringify(sel)}).getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; })()`);

async function dragBy(sel: string, dx: number, dy: number): Promise<void> {
  const b = await box(sel);
  const { mouse } = app.page;
  await mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await mouse.down();
  await mouse.move(b.x + b.width / 2 + dx / 2, b.y + b.height / 2 + dy / 2, { steps: 3 });
  await mouse.move(b.x + b.width / 2 + dx, b.y + b.height / 2 + dy, { steps: 3 });
  await mouse.up();
}

const total = (): Promise<number> => app.page.evaluate(`Number((document.querySelector('.trace-count')?.textContent ?? '').replace(/[^0-9]/g, ''))`);

describe('trace pane layout', () => {
  it('resizes the graph, the list and the event detail with splitters, and keeps the sizes after a reload', async () => {
    const { page } = app;
    const graph0 = (await box('#topology-pane')).width;
    await dragBy('.workspace > .splitter-x', -200, 0);
    const graph1 = (await box('#topology-pane')).width;
    expect(graph1).toBeGreaterThan(graph0 - 210);
    expect(graph1).toBeLessThan(graph0 - 190);
    const list0 = (await box('.trace-list')).height;
    await dragBy('.trace-list + .splitter-y', 0, 60);
    const list1 = (await box('.trace-list')).height;
    expect(Math.abs(list1 - (list0 + 60))).toBeLessThan(3);
    // The keyboard moves a focused splitter by 16 px.
    await page.focus('.trace-detail-section + .splitter-y');
    const detail0 = (await box('.trace-detail-section')).height;
    await page.keyboard.press('ArrowUp');
    expect(Math.abs((await box('.trace-detail-section')).height - (detail0 - 16))).toBeLessThan(2);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#tab-trace');
    await page.waitForSelector('.trace-row:not(.pending)');
    expect(Math.abs((await box('#topology-pane')).width - graph1)).toBeLessThan(2);
    expect(Math.abs((await box('.trace-list')).height - list1)).toBeLessThan(2);
    // Double-click restores the default split.
    await page.dblclick('.workspace > .splitter-x');
    expect(Math.abs((await box('#topology-pane')).width - graph0)).toBeLessThan(2);
  }, 60_000);

  it('folds the event section: the kernel state takes its room; unfolding brings it back', async () => {
    const { page } = app;
    await page.click('.trace-row:not(.pending) >> nth=3');
    await waitFor(page, `!!document.querySelector('.trace-detail .event-title')`);
    const state0 = (await box('.trace-state-section')).height;
    await page.click('.trace-detail-section .trace-fold');
    expect(await page.evaluate(`document.querySelector('.trace-detail').hidden`)).toBe(true);
    expect(await page.getAttribute('.trace-detail-section .trace-fold', 'aria-expanded')).toBe('false');
    expect((await box('.trace-state-section')).height).toBeGreaterThan(state0 + 60);
    await page.click('.trace-detail-section .trace-fold');
    expect(await page.evaluate(`document.querySelector('.trace-detail').hidden`)).toBe(false);
    expect(Math.abs((await box('.trace-state-section')).height - state0)).toBeLessThan(2);
  });

  it('applies a built-in filter set, saves the current filter under a name that survives a reload, deletes it', async () => {
    const { page } = app;
    const all = await total();
    await page.selectOption('.trace-sets', { label: 'Unresolved queue' });
    await waitFor(page, `document.querySelector('.trace-fn').value === 'ipmr_cache_unresolved' && document.querySelector('.trace-list').dataset.loading === 'false'`);
    await waitFor(page, `[...document.querySelectorAll('.trace-row .c-fn')].every((e) => e.textContent === 'ipmr_cache_unresolved')`);
    // The event selected before (an early setup event) is filtered out: its detail and state go with it.
    expect(await page.$('.trace-detail .event-title')).toBeNull();
    expect(await page.evaluate(`document.querySelector('.state-body')?.dataset.seq ?? 'none'`)).toBe('none');
    const unres = await total();
    expect(unres).toBeGreaterThan(4);
    expect(unres).toBeLessThan(all);
    // Narrow it by hand (the picker no longer names it), save it as "queue on r1".
    await page.selectOption('.trace-node', 'r1');
    await waitFor(page, `document.querySelector('.trace-sets').value === ''`);
    await page.click('.trace-set-save');
    await page.fill('.trace-set-name', 'queue on r1');
    await page.press('.trace-set-name', 'Enter');
    await waitFor(page, `document.querySelector('.trace-sets').value === 's:queue on r1'`);
    await shot(page, 'trace-layout-1-light');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#tab-trace');
    await page.waitForSelector('.trace-row:not(.pending)');
    // A reload starts unfiltered; the saved set is still offered.
    expect(await page.evaluate(`document.querySelector('.trace-fn').value + document.querySelector('.trace-node').value`)).toBe('');
    await page.selectOption('.trace-sets', { label: 'queue on r1' });
    await waitFor(page, `document.querySelector('.trace-node').value === 'r1' && document.querySelector('.trace-fn').value === 'ipmr_cache_unresolved'`);
    await waitFor(page, `document.querySelector('.trace-list').dataset.loading === 'false'`);
    expect(await total()).toBe(unres);
    await page.click('.trace-set-delete');
    // A filter that matches nothing says so.
    await page.fill('.trace-fn', 'no_such_function');
    await page.press('.trace-fn', 'Enter');
    await waitFor(page, `document.querySelector('.trace-empty')?.textContent === 'No event matches this filter.'`);
    expect(await total()).toBe(0);
    expect(await page.evaluate(`[...document.querySelectorAll('.trace-sets option')].some((o) => o.textContent === 'queue on r1')`)).toBe(false);
  });

  it('scrubs through the run and selects the event where the scrubber is let go', async () => {
    const { page } = app;
    await page.selectOption('.trace-sets', { label: 'Filter sets…' });
    await page.selectOption('.trace-node', '');
    await page.fill('.trace-fn', '');
    await page.press('.trace-fn', 'Enter');
    await waitFor(page, `document.querySelector('.trace-list').dataset.loading === 'false'`);
    const n = await total();
    expect(await page.getAttribute('.trace-scrubber', 'max')).toBe(String(n - 1));
    const target = Math.floor(n * 0.7);
    // As a user drags: input events move the view, the change on release selects.
    await page.evaluate(`(() => { const s = document.querySelector('.trace-scrubber'); s.focus(); s.value = '${target}'; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); })()`);
    await waitFor(page, `!!document.querySelector('.trace-row.selected')`);
    const seqAt = await page.evaluate<number>(`Number(document.querySelector('.trace-row.selected').dataset.seq)`);
    const rowTop = await page.evaluate<number>(`parseFloat(document.querySelector('.trace-row.selected').style.top)`);
    expect(rowTop / 22).toBe(target);
    expect(await page.textContent('.trace-scrub-pos')).toBe(`${(target + 1).toLocaleString('en')} /`);
    // The selected event is the one the list holds at that position: step back one and forward again.
    await page.press('.trace-list', 'ArrowUp');
    await page.press('.trace-list', 'ArrowDown');
    await waitFor(page, `Number(document.querySelector('.trace-row.selected')?.dataset.seq) === ${seqAt}`);
    expect(await page.evaluate(`document.querySelector('.trace-scrubber').value`)).toBe(String(target));
    await page.click('.theme-toggle, button:has-text("Theme")');
    await shot(page, 'trace-layout-2-dark');
  });

  it("opens a multicast group's journey from one of its datagrams: every datagram src sent, side by side", async () => {
    const { page } = app;
    await page.selectOption('.trace-sets', { label: 'Unresolved queue' });
    await waitFor(page, `document.querySelector('.trace-list').dataset.loading === 'false' && document.querySelector('.trace-fn').value === 'ipmr_cache_unresolved'`);
    await page.click('.trace-row:not(.pending) >> nth=0');
    await page.waitForSelector('.journey-group-open');
    expect(await page.textContent('.journey-group-open')).toBe('Journey of (10.1.0.10, 239.1.1.1)');
    await page.click('.journey-group-open');
    await page.waitForSelector('.journey-panel');
    const title = (await page.textContent('.journey-title')) ?? '';
    expect(title).toMatch(/^Journey of \(10\.1\.0\.10, 239\.1\.1\.1\) · (\d+) datagrams sent · \d+ hops · \d+ events$/);
    const sent = Number(/· (\d+) datagrams sent/.exec(title)![1]);
    expect(sent).toBeGreaterThan(4);
    // The chart has a hop arrow for each datagram (src → r1), each its own packet.
    const pkts = await page.evaluate<number>(`new Set([...document.querySelectorAll('.journey-panel .seq-hop')].map((l) => l.dataset.pkt)).size`);
    expect(pkts).toBe(sent);
    await shot(page, 'trace-layout-3-group-journey-dark');
    await page.keyboard.press('Escape');
    expect(app.pageErrors).toEqual([]);
  });
});
