// Web mode in headless Chromium, shared by the e2e tests (test/e2e/helpers.ts, run from source) and the UI
// benchmark (test/bench/ui.ts, run from dist/test/bench/): it lives here because only test/bench/ is in
// the benchmarks' build (tsconfig.build.json), and finds the package root by looking for it rather than
// from its own location, which differs between the two.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The nearest directory above this file with package.json and tsconfig.build.json. */
export function packageRoot(): string {
  let d = import.meta.dirname;
  while (!(existsSync(join(d, 'package.json')) && existsSync(join(d, 'tsconfig.build.json')))) {
    const up = dirname(d);
    if (up === d) throw new Error('package root not found');
    d = up;
  }
  return d;
}

export const ROOT = packageRoot();
export const CHROMIUM = '/usr/bin/chromium';
// Flags measured in stack-notes §2 (headless, no GPU, no background traffic).
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Starts `dist/main/host/web/serve.js` with `args`; resolves with the process and the URL it prints. */
export function startServer(args: string[]): Promise<{ proc: ChildProcess; url: string; out: () => string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'main', 'host', 'web', 'serve.js'), '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((ok, fail) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) ok({ proc, url: m[1]!, out: () => out });
    });
    proc.stderr!.on('data', (d: Buffer) => (out += String(d)));
    proc.on('exit', (c) => fail(new Error(`server exited ${c}: ${out}`)));
  });
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/**
 * Polls a browser expression (a string: these files are type-checked without the DOM library) every
 * `every` ms until it is true; page.waitForFunction would eval, which the app's CSP forbids.
 */
export async function waitFor(page: Page, expr: string, timeout = 8_000, every = 50): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await page.evaluate<boolean>(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
