// `npm run bench:ui` (or `node dist/test/bench/ui.js` after `npx tsc -p tsconfig.build.json` and
// `npx vite build renderer`; ~4 min): the app's trace pane in Chromium on a ~1M-event run against the same
// measurements on a small run, in the same process. Issue 10's targets: ≥ 30 fps, ≤ 100 ms, < 500 MB.
//   - scrubbing: the trace list dragged over its whole range (the `input.trace-scrubber` if the pane has
//     one, else the list's scrollTop) one step per animation frame for SCRUB_MS; frame times from
//     requestAnimationFrame, long tasks from a PerformanceObserver; "filled" = frames whose viewport was
//     covered by rows for the position shown; "settle" = last step → rows on screen for it.
//   - select → state: a click on a row (performance.mark) until the state view shows the state for that
//     event (a MutationObserver on its data-seq, then the next frame; performance.measure), ~30 rows.
//     Each select is split (page-side WebSocket timing, ui-page.ts WS_TIMING): click → getStateAt sent,
//     round trip (transport + host), response → DOM, → next frame.
//   - memory: renderer JS heap (CDP Performance.getMetrics) and the renderer process's RSS and PSS (/proc of
//     the pids SystemInfo.getProcessInfo names), peak sampled during scrub and select.
// Diagnosis knobs: BENCH_UI_PINGS, BENCH_UI_SCRUB_MS, BENCH_UI_SELECTS, BENCH_UI_BASELINE_ONLY=1,
// BENCH_UI_HIDE=<selector> (measure with part of the page display:none).
// The run: test/bench/labs/chain-40.yaml (h1, 40 routers, h2); `ping -i 0.01` from h1 typed into its
// console: ~750 events per echo round trip, so BENCH_UI_PINGS=1340 (default) ≈ 1.0M events; the small run
// pings once (~2.5k events with the lab's start). Generation time is not measured.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { IN_PAGE, WS_TIMING } from './ui-page.js';
// Web mode and Chromium as the e2e tests start them (test/e2e/helpers.ts imports the same module).
import { CHROMIUM, launch, ROOT, startServer, waitFor as waitEvery } from './web-harness.js';

const SCRUB_MS = Number(process.env.BENCH_UI_SCRUB_MS ?? 6000);
const SELECTS = Number(process.env.BENCH_UI_SELECTS ?? 30);
const BIG_PINGS = Number(process.env.BENCH_UI_PINGS ?? 1340);
/** BENCH_UI_BASELINE_ONLY=1: the small run alone (for quick diagnosis). */
const BASELINE_ONLY = process.env.BENCH_UI_BASELINE_ONLY === '1';
const TARGET = { fps: 30, selectMs: 100, memMB: 500 };

const LAB = join(ROOT, 'test', 'bench', 'labs', 'chain-40.yaml');
const FAR_END = '10.0.40.2';

export interface ScrubResult {
  frames: number;
  medianFps: number;
  p99FrameMs: number;
  longTasks: number;
  longTaskMs: number;
  filledPct: number;
  settleMs: number;
  via: 'scrubber' | 'scroll';
  /** getTrace requests sent during the scrub, and their round trips (ms). */
  pageRequests: number;
  pageTripP50: number;
  pageTripP95: number;
}

export interface SelectResult {
  n: number;
  failed: number;
  /** The first few failures: what the state view showed instead. */
  errors: string[];
  /** Median and p95 of a select's parts (ms): click → getStateAt sent, its round trip, response → state in the DOM, → next frame. */
  split: { before: number; trip: number; after: number; frame: number; before95: number; trip95: number; after95: number; frame95: number };
  /** Long animation frames during the selects, per select (ms): total, rendering, style+layout, scripts, top script sources. */
  loaf: { perSelect: number; renderPerSelect: number; layoutPerSelect: number; scriptPerSelect: number; top: string[] };
  /** The untimed warm-up select (first state read of the run). */
  coldMs: number;
  p50: number;
  p95: number;
  max: number;
}

interface Memory {
  heapMB: number;
  rssMB: number;
  /** Proportional set size: RSS with pages shared with the other Chromium processes divided among them. */
  pssMB: number;
}

export interface RunResult {
  label: string;
  events: number;
  scrub: ScrubResult;
  select: SelectResult;
  peak: Memory;
  after: Memory;
}

/** This benchmark polls every 100 ms (the e2e tests every 50). */
const waitFor = (page: Page, expr: string, timeout: number): Promise<void> => waitEvery(page, expr, timeout, 100);

/** A line of /proc/PID/status or smaps_rollup in MB (0 if the process is gone). */
function procMB(pid: number, file: string, key: string): number {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** JS heap of the page and RSS of the renderer process(es) (one page: the largest renderer is ours). */
async function memory(cdp: CDPSession, browserCdp: CDPSession): Promise<Memory> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const info = (await browserCdp.send('SystemInfo.getProcessInfo' as never)) as { processInfo: { type: string; id: number }[] };
  const renderers = info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  const rss = Math.max(0, ...renderers.map((pid) => procMB(pid, 'status', 'VmRSS')));
  const pss = Math.max(0, ...renderers.map((pid) => procMB(pid, 'smaps_rollup', 'Pss')));
  return { heapMB: heap / 2 ** 20, rssMB: rss, pssMB: pss };
}

function maxMem(a: Memory, b: Memory): Memory {
  return { heapMB: Math.max(a.heapMB, b.heapMB), rssMB: Math.max(a.rssMB, b.rssMB), pssMB: Math.max(a.pssMB, b.pssMB) };
}

async function measureRun(browser: Browser, label: string, pings: number): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rlw-bench-ui-'));
  const server = await startServer(['--lab', LAB, '--data-dir', dataDir]);
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(WS_TIMING);
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    // The lab's start events are before the recording's first state: rows sampled for select come after them.
    await page.click('#tab-trace');
    await waitFor(page, "/\\d/.test(document.querySelector('.trace-count')?.textContent ?? '')", 30_000);
    const startEvents = Number((await page.textContent('.trace-count'))!.replace(/\D/g, ''));
    await page.click('#tab-consoles');
    await page.click('.node-button[data-node="h1"]');
    const input = page.locator('.node-console:not([hidden]) .console-input');
    await input.fill(`ping -c ${pings} -i 0.01 ${FAR_END}`);
    await input.press('Enter');
    process.stderr.write(`bench:ui ${label}: generating (${pings} pings)…\n`);
    await waitFor(page, "(document.querySelector('.node-console:not([hidden]) .console-output')?.textContent ?? '').includes('packets transmitted')", 20 * 60_000);
    await page.click('#tab-trace');
    await waitFor(page, `Number((document.querySelector('.trace-count')?.textContent ?? '').replace(/\\D/g, '')) > ${startEvents} && document.querySelector('.trace-list')?.dataset.loading === 'false'`, 120_000);
    const events = Number((await page.textContent('.trace-count'))!.replace(/\D/g, ''));
    await page.evaluate(IN_PAGE);
    // Diagnosis: BENCH_UI_HIDE='#topology-pane' measures without that part of the page (display: none).
    if (process.env.BENCH_UI_HIDE) await page.evaluate(`document.querySelectorAll(${JSON.stringify(process.env.BENCH_UI_HIDE)}).forEach((e) => (e.style.display = 'none'))`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const browserCdp = await browser.newBrowserCDPSession();
    let peak = await memory(cdp, browserCdp);
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = maxMem(peak, await memory(cdp, browserCdp));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    process.stderr.write(`bench:ui ${label}: ${events} events; scrubbing, selecting…\n`);
    const scrub = await page.evaluate<ScrubResult>(`window.__benchUi.scrub(${SCRUB_MS})`);
    const select = await page.evaluate<SelectResult>(`window.__benchUi.select(${SELECTS}, ${startEvents + 2}, 7)`);
    sampling = false;
    await sampler;
    const after = await memory(cdp, browserCdp);
    peak = maxMem(peak, after);
    if (select.errors.length) process.stderr.write(`bench:ui ${label}: select failures: ${select.errors.join(' | ')}\n`);
    if (errors.length) process.stderr.write(`bench:ui ${label}: page errors: ${errors.join(' | ')}\n`);
    return { label, events, scrub, select, peak, after };
  } finally {
    await context.close();
    server.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function table(rows: RunResult[]): void {
  const header = ['run', 'events', 'scrub fps (median)', 'worst 1% frame ms', 'long tasks', 'filled %', 'settle ms', 'select→state p50 ms', 'p95 ms', 'first select ms', 'heap MB (peak)', 'renderer PSS MB (peak)', 'renderer RSS MB (peak)'];
  const body = rows.map((r) => [
    r.label,
    r.events.toLocaleString('en-US'),
    r.scrub.medianFps.toFixed(1),
    r.scrub.p99FrameMs.toFixed(1),
    `${r.scrub.longTasks} (${r.scrub.longTaskMs.toFixed(0)} ms)`,
    r.scrub.filledPct.toFixed(0),
    r.scrub.settleMs.toFixed(0),
    r.select.p50.toFixed(1) + (r.select.failed ? ` (${r.select.failed} failed)` : ''),
    r.select.p95.toFixed(1),
    r.select.coldMs.toFixed(0),
    r.peak.heapMB.toFixed(0),
    r.peak.pssMB.toFixed(0),
    r.peak.rssMB.toFixed(0),
  ]);
  body.push(['target', '', `≥ ${TARGET.fps}`, '', '', '', '', '', `≤ ${TARGET.selectMs}`, '', '', '', `< ${TARGET.memMB}`]);
  const big = rows[0]!;
  const met = (b: boolean): string => (b ? 'met' : 'MISSED');
  body.push([
    `${big.label}: targets`,
    '',
    met(big.scrub.medianFps >= TARGET.fps),
    '',
    '',
    '',
    '',
    '',
    met(big.select.p95 <= TARGET.selectMs && big.select.failed === 0),
    '',
    '',
    '',
    met(big.peak.rssMB < TARGET.memMB),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nUI benchmark (Chromium ${CHROMIUM}, 1366x900, trace pane; scrub ${SCRUB_MS} ms via ${big.scrub.via}, ${SELECTS} selects)`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
  console.log('filled % = frames whose viewport showed the rows for the position scrolled to; settle = last scrub step → its rows shown.');
  for (const r of rows) console.log(`${r.label}: scrub sent ${r.scrub.pageRequests} getTrace requests in ${r.scrub.frames} frames, round trip p50 ${r.scrub.pageTripP50.toFixed(1)} ms, p95 ${r.scrub.pageTripP95.toFixed(1)} ms`);
  for (const r of rows) {
    const x = r.select.split;
    console.log(`${r.label}: select→state median (p95) = click→getStateAt sent ${x.before.toFixed(1)} (${x.before95.toFixed(1)}) + round trip ${x.trip.toFixed(1)} (${x.trip95.toFixed(1)}) + response→state in the DOM ${x.after.toFixed(1)} (${x.after95.toFixed(1)}) + →next frame ${x.frame.toFixed(1)} (${x.frame95.toFixed(1)}) ms`);
  }
  for (const r of rows) {
    const l = r.select.loaf;
    console.log(`${r.label}: long animation frames per select ${l.perSelect.toFixed(1)} ms (rendering ${l.renderPerSelect.toFixed(1)}, style+layout ${l.layoutPerSelect.toFixed(1)}, scripts ${l.scriptPerSelect.toFixed(1)}${l.top.length ? `: ${l.top.join(', ')}` : ''})`);
  }
  console.log('select→state = click on a row → the state view shows the state for that event (next frame after the DOM change).');
}

export async function uiBench(): Promise<RunResult[]> {
  for (const f of [CHROMIUM, join(ROOT, 'renderer', 'dist', 'index.html'), join(ROOT, 'dist', 'main', 'host', 'web', 'serve.js')]) {
    if (!existsSync(f)) throw new Error(`${f} missing: install chromium / run \`npx vite build renderer\` and \`npx tsc -p tsconfig.build.json\``);
  }
  const browser = await launch();
  try {
    const rows: RunResult[] = [];
    if (!BASELINE_ONLY) rows.push(await measureRun(browser, `ping ×${BIG_PINGS}`, BIG_PINGS));
    rows.push(await measureRun(browser, 'baseline: ping ×1', 1));
    table(rows);
    return rows;
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await uiBench();
