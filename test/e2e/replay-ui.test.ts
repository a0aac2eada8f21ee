// End to end in Chromium: the kernel state views over the app's recorded live session (issue 10 §4). Open
// 06-unresolved-queue, run its first step from the guide, filter the trace to ipmr_cache_unresolved, step
// with the keyboard to the 5th packet's call: the queue it finds holds 4 packets and it is dropped (the
// next event, ENOBUFS); step back to the 4th packet's: 3. The /proc/net/ip_mr_cache text the state view
// shows is compared with `workbench state` on the session's own run file for the same seq.
// Screenshots go to test/e2e/artifacts/ (git-ignored).

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, shot, waitFor, openApp, closeApp, type OpenedApp } from './helpers.js';

const VIEW = 'cat /proc/net/ip_mr_cache';
let app: OpenedApp;
let page: Page;
let errors: string[] = [];
let dataDir = '';

beforeAll(async () => {
  app = await openApp(['--lab', join(ROOT, 'labs', '06-unresolved-queue.yaml')], 'replay', { height: 900, colorScheme: 'light' });
  ({ page, dataDir } = app);
  errors = app.pageErrors;
}, 120_000);

afterAll(() => closeApp(app));

/** The selected row's seq, fn and kind, and the state view's seq, queue length and text. */
async function selection(): Promise<{ seq: number; fn: string; kind: string; stateSeq: number; queued: string; text: string }> {
  return page.evaluate(`(() => {
    const row = document.querySelector('.trace-row.selected');
    const body = document.querySelector('.state-body');
    return {
      seq: Number(row?.dataset.seq ?? -1),
      fn: row?.querySelector('.c-fn')?.textContent ?? '',
      kind: [...(row?.classList ?? [])].find((c) => c.startsWith('kind-'))?.slice(5) ?? '',
      stateSeq: Number(body?.dataset.seq ?? -1),
      queued: document.querySelector('.state-unres td[data-col="queued"]')?.textContent ?? '',
      text: document.querySelector('.state-view-text')?.textContent ?? '',
    };
  })()`);
}

/** Waits until the state view shows the state before the selected event (the default). */
async function settled(): Promise<void> {
  await waitFor(
    page,
    `(() => { const r = document.querySelector('.trace-row.selected'); const b = document.querySelector('.state-body');
      return !!r && !!b && b.dataset.loading === 'false' && Number(b.dataset.seq) === Number(r.dataset.seq) - 1; })()`,
    10_000,
  );
}

async function step(key: 'ArrowDown' | 'ArrowUp', times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    await page.press('.trace-list', key);
    await settled();
  }
}

describe('state views over the recorded session (06-unresolved-queue)', () => {
  it("runs the burst, steps to the 5th packet's ipmr_cache_unresolved: queue 4 and dropped; one packet back: 3", async () => {
    await page.click('#tab-guide');
    await page.click('.guide-step[data-step="0"] .guide-run');
    await waitFor(page, `(document.querySelector('.guide-step[data-step="0"] .guide-output')?.textContent ?? '').length > 0`, 20_000);
    await page.click('#tab-trace');
    await page.waitForSelector('.trace-row', { timeout: 10_000 });
    await page.fill('.trace-fn', 'ipmr_cache_unresolved');
    await page.press('.trace-fn', 'Enter');
    await waitFor(page, `(() => { const f = [...document.querySelectorAll('.trace-row .c-fn')]; return f.length > 8 && f.every((e) => e.textContent === 'ipmr_cache_unresolved'); })()`, 10_000);
    await page.click('.trace-row >> nth=0');
    await settled();
    const first = await selection();
    expect(first).toMatchObject({ fn: 'ipmr_cache_unresolved', kind: 'call' });
    // Packets 1-4 each have one call; the 5th packet's call is the 5th row.
    await step('ArrowDown', 4);
    const fifth = await selection();
    expect(fifth).toMatchObject({ fn: 'ipmr_cache_unresolved', kind: 'call', queued: '4' });
    expect(fifth.stateSeq).toBe(fifth.seq - 1);
    await page.locator('.state-unres').scrollIntoViewIfNeeded();
    await shot(page, 'replay-06-fifth-packet-queue-4');
    await step('ArrowDown');
    const drop = await selection();
    expect(drop).toMatchObject({ kind: 'drop', queued: '4' });
    expect(drop.seq).toBe(fifth.seq + 1);
    expect(await page.evaluate<string>(`document.querySelector('.trace-detail .event-data')?.textContent ?? ''`)).toMatch(/ENOBUFS/);
    await step('ArrowUp', 2);
    const fourth = await selection();
    expect(fourth).toMatchObject({ kind: 'call', queued: '3' });
    expect(fourth.seq).toBeLessThan(fifth.seq);
    await page.locator('.state-unres').scrollIntoViewIfNeeded();
    await shot(page, 'replay-06-fourth-packet-queue-3');
  }, 90_000);

  it('shows the same /proc/net/ip_mr_cache text as `workbench state` on the session recording', async () => {
    await step('ArrowDown');
    const s = await selection();
    expect(await page.evaluate<string>(`document.querySelector('.state-view-text')?.dataset.view ?? ''`)).toBe(VIEW);
    expect(s.text).toMatch(/^Group +Origin +Iif/);
    const runs = readdirSync(join(dataDir, 'runs')).filter((f) => f.endsWith('.sqlite'));
    expect(runs).toHaveLength(1);
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'workbench.js'), 'state', join(dataDir, 'runs', runs[0]!), '--seq', String(s.stateSeq), '--node', 'r1', '--view', VIEW], { encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const marker = `## r1: ${VIEW}\n`;
    expect(cli.stdout).toContain(`# state after event ${s.stateSeq} `);
    expect(cli.stdout.slice(cli.stdout.indexOf(marker) + marker.length)).toBe(s.text);
    // After the event instead of before it: the same view one seq later, still agreeing with the CLI's file.
    await page.selectOption('.state-when', 'after');
    await waitFor(page, `document.querySelector('.state-body')?.dataset.seq === '${s.seq}' && document.querySelector('.state-body')?.dataset.loading === 'false'`);
    // Another node through the picker: src runs no multicast router (no mroute socket, nothing unresolved).
    await page.selectOption('.state-node', 'src');
    await waitFor(page, `document.querySelector('.state-body')?.dataset.node === 'src' && document.querySelector('.state-body')?.dataset.loading === 'false'`);
    const srcText = await page.evaluate<string>(`document.querySelector('.state-body')?.textContent ?? ''`);
    expect(srcText).toContain('src (host) after');
    expect(srcText).not.toContain('owned by an mroute socket');
    expect(await page.evaluate<string>(`document.querySelector('.state-unres')?.textContent ?? ''`)).toBe('No unresolved entries.');
    await page.selectOption('.state-node', '');
    await waitFor(page, `document.querySelector('.state-body')?.dataset.node === 'r1'`);
    await page.selectOption('.state-view-select', 'ip mroute show');
    await waitFor(page, `document.querySelector('.state-view-text')?.dataset.view === 'ip mroute show'`);
    await page.locator('.state-view-text').scrollIntoViewIfNeeded();
    await shot(page, 'replay-06-state-view-ip-mroute');
    expect(errors).toEqual([]);
  }, 60_000);

  it('exports the recorded session as report (HTML, PDF) and pcapng downloads', async () => {
    const get = async (format: string): Promise<{ name: string; bytes: Buffer }> => {
      const [d] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click(`.trace-export-${format}`)]);
      return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
    };
    const report = await get('html');
    expect(report.name).toBe('06-unresolved-queue.report.html');
    const html = report.bytes.toString('utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('ipmr_cache_unresolved');
    const pcap = await get('pcapng');
    expect(pcap.name).toBe('06-unresolved-queue.pcapng');
    // A pcapng section header block, then interface and packet blocks: count the packets (EPB, type 6).
    expect(pcap.bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
    let packets = 0;
    for (let off = 0; off < pcap.bytes.length; off += pcap.bytes.readUInt32LE(off + 4)) if (pcap.bytes.readUInt32LE(off) === 6) packets++;
    // src sent 8 datagrams to the group: at least those crossed src's eth0.
    expect(packets).toBeGreaterThanOrEqual(8);
    // The host has Chromium (these tests run in it): the PDF is printed there.
    const pdf = await get('pdf');
    expect(pdf.name).toBe('06-unresolved-queue.report.pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await shot(page, 'replay-06-after-exports');
    expect(errors).toEqual([]);
  }, 90_000);
});
