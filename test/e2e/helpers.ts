// Shared by the Chromium e2e tests: build check, starting web mode from dist/, launching Chromium, polling
// browser expressions (as strings: these files are type-checked without the DOM library), screenshots.

import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launch, ROOT, startServer, waitFor } from '../bench/web-harness.js';

// Starting web mode, launching Chromium and polling are shared with the UI benchmark (test/bench/ui.ts).
export { CHROMIUM, FLAGS, launch, ROOT, startServer, waitFor } from '../bench/web-harness.js';
export const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');
/** The cytoscape instance the topology container holds. */
export const CY = "document.getElementById('topology')._cyreg.cy";

/** Builds what `npm run web` serves when a test run starts from a clean tree (npm test builds first). */
export function ensureBuilt(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium fonts-liberation (.ci/run does)`);
  if (!existsSync(join(ROOT, 'renderer', 'dist', 'index.html'))) {
    const r = spawnSync('npx', ['vite', 'build', 'renderer'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vite build failed:\n${r.stderr}`);
  }
  if (!existsSync(join(ROOT, 'dist', 'main', 'host', 'web', 'serve.js'))) {
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    if (!existsSync(join(ROOT, 'dist', 'main', 'host', 'web', 'serve.js'))) throw new Error('dist/main/host/web/serve.js missing: run `npm run build`');
  }
  mkdirSync(ARTIFACTS, { recursive: true });
}


/** Where a topology node is on the page (viewport pixels). */
export function nodeAt(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.evaluate<{ x: number; y: number }>(`(() => {
    const n = ${CY}.getElementById(${JSON.stringify(id)});
    if (n.empty()) throw new Error('no element ${id}');
    const pos = n.renderedPosition();
    const box = document.getElementById('topology').getBoundingClientRect();
    return { x: box.left + pos.x, y: box.top + pos.y };
  })()`);
}

/** Presses the mouse at `from`, moves in steps to `to`, releases: a drag as a hand makes it. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await new Promise((r) => setTimeout(r, 150));
  await page.mouse.up();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** A click on the graph's empty corner: deselects, and takes focus away from the console for shortcuts. */
export async function clickEmpty(page: Page): Promise<void> {
  const b = (await page.locator('#topology').boundingBox())!;
  await page.mouse.click(b.x + 8, b.y + b.height - 8);
}

export async function clickNode(page: Page, id: string): Promise<void> {
  const p = await nodeAt(page, id);
  await page.mouse.click(p.x, p.y);
}

/** Selects a node by clicking it and waits for the editor's side panel to show it. */
export async function selectNode(page: Page, name: string): Promise<void> {
  await clickNode(page, `n:${name}`);
  await waitFor(page, `document.querySelector('#editor-panel:not([hidden]) .panel-title')?.firstChild?.textContent === ${JSON.stringify(name)}`);
}

/** Types `line` into the console of `node` (opened by clicking the node) and presses Enter. */
export async function typeInConsole(page: Page, node: string, line: string): Promise<void> {
  const tab = page.locator('#tab-consoles');
  if ((await tab.count()) > 0) await tab.click();
  await clickNode(page, `n:${node}`);
  await waitFor(page, `document.querySelector('.console-tab.active')?.dataset.node === ${JSON.stringify(node)}`);
  const input = page.locator('.node-console:not([hidden]) .console-input');
  await input.fill(line);
  await input.press('Enter');
}

/** The visible console's output text (as a browser expression). */
export const CONSOLE_OUTPUT = "(document.querySelector('.node-console:not([hidden]) .console-output')?.textContent ?? '')";

export interface OpenedApp {
  server: ChildProcess;
  browser: Browser;
  page: Page;
  url: string;
  /** The server's data directory (autosave, recorded runs under runs/), removed by closeApp. */
  dataDir: string;
  /** Uncaught page errors and console errors, for a final `expect(pageErrors).toEqual([])`. */
  pageErrors: string[];
}

export interface OpenOptions {
  /** Window height (width is always 1366): 768 by default, 900 for the trace and state views. */
  height?: number;
  colorScheme?: 'light' | 'dark';
  /** reducedMotion for the graph's animations. */
  reducedMotion?: 'reduce' | 'no-preference';
}

/**
 * Builds if needed, starts web mode with `args` and a fresh data directory (no autosaved workspace from
 * another run can change what opens), and opens the app at 1366×768 (or `height`) once it is ready.
 */
export async function openApp(args: string[], name: string, opts: OpenOptions = {}): Promise<OpenedApp> {
  ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), `rlw-e2e-${name}-`));
  const started = await startServer([...args, '--data-dir', dataDir]);
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1366, height: opts.height ?? 768 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  if (opts.colorScheme || opts.reducedMotion) await page.emulateMedia({ colorScheme: opts.colorScheme ?? 'light', reducedMotion: opts.reducedMotion ?? 'no-preference' });
  await page.goto(started.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return { server: started.proc, browser, page, url: started.url, dataDir, pageErrors };
}

/** afterAll: closes the browser, stops the server (waiting for it to exit) and removes its data directory. */
export async function closeApp(app: OpenedApp | undefined): Promise<void> {
  if (!app) return;
  await app.browser.close();
  const server = app.server;
  if (server.exitCode === null && server.signalCode === null) {
    const gone = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await gone;
  }
  rmSync(app.dataDir, { recursive: true, force: true });
}
