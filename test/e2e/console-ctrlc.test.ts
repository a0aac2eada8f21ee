// End to end in Chromium (issue 9): Ctrl+C in a node console behaves as in bash. At the prompt it echoes
// the line with `^C`, drops it (not in the history) and gives a fresh prompt; while a command runs it
// interrupts it (the same cancel as the status bar's button): `sleep` stops early, `ping` prints its
// statistics after `^C`. Ctrl+C with text selected copies instead. Screenshots: artifacts/issue9-console-*.png.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, CONSOLE_OUTPUT, openApp, type OpenedApp, shot, typeInConsole, waitFor } from './helpers.js';

let app: OpenedApp;
let page: Page;
let pageErrors: string[] = [];
const BAR_SHOWN = "!document.getElementById('run-progress').hidden";
const INPUT = '.node-console:not([hidden]) .console-input';
const BUSY = "document.querySelector('.node-console:not([hidden])').classList.contains('busy')";
const simTime = async (): Promise<number> => Number((await page.evaluate<string>(`document.querySelector('.sim-time').textContent`)).replace(/[^0-9.]/g, ''));
const output = (): Promise<string> => page.evaluate<string>(CONSOLE_OUTPUT);

beforeAll(async () => {
  app = await openApp(['--lab', 'builtin'], 'console-ctrlc');
  ({ page, pageErrors } = app);
  await page.emulateMedia({ colorScheme: 'light' });
}, 120_000);

afterAll(() => closeApp(app));

describe('Ctrl+C in a node console', () => {
  it('at the prompt: echoes the line with ^C, clears it, keeps it out of the history', async () => {
    await typeInConsole(page, 'src', 'ip -br link');
    await waitFor(page, `/lo +UNKNOWN/.test(${CONSOLE_OUTPUT})`);
    const input = page.locator(INPUT);
    await input.fill('ip route get 10.9');
    await input.press('Control+c');
    await waitFor(page, `${CONSOLE_OUTPUT}.endsWith('root@src:~# ip route get 10.9^C\\n')`);
    expect(await input.inputValue()).toBe('');
    // ↑ brings back the last command run, not the dropped line.
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('ip -br link');
    await input.fill('');
    // On an empty prompt, as bash: a bare ^C line.
    await input.press('Control+c');
    await waitFor(page, `${CONSOLE_OUTPUT}.endsWith('root@src:~# ^C\\n')`);
    await shot(page, 'issue9-console-1-prompt-ctrlc-light');
  });

  it('with text selected in the input, Ctrl+C copies it and does not interrupt', async () => {
    const input = page.locator(INPUT);
    await input.fill('ip addr');
    await input.press('Control+a');
    const before = await output();
    await input.press('Control+c');
    await new Promise((r) => setTimeout(r, 200));
    expect(await output()).toBe(before);
    expect(await input.inputValue()).toBe('ip addr');
    await input.fill('');
  });

  it('while `sleep` runs: interrupts it at the current simulated time, echoes ^C', async () => {
    const before = await simTime();
    await typeInConsole(page, 'src', 'sleep 3000000');
    await waitFor(page, BAR_SHOWN, 15_000);
    await waitFor(page, BUSY);
    await page.locator(INPUT).press('Control+c');
    await waitFor(page, `!${BUSY}`, 15_000);
    await waitFor(page, `document.getElementById('run-progress').hidden`, 15_000);
    expect(await output()).toMatch(/root@src:~# sleep 3000000\n\^C\n$/);
    await new Promise((r) => setTimeout(r, 300));
    const after = await simTime();
    expect(after).toBeGreaterThan(before);
    expect(after - before).toBeLessThan(3_000_000);
    // The console takes the next command at once.
    await typeInConsole(page, 'src', 'echo still here');
    await waitFor(page, `/still here\\n$/.test(${CONSOLE_OUTPUT})`);
  });

  it('while `ping` runs: ^C, then the statistics for what it sent, as iputils prints them', async () => {
    await typeInConsole(page, 'src', 'ping -c 100000 -i 0.2 10.2.0.22');
    await waitFor(page, BAR_SHOWN, 15_000);
    await page.locator(INPUT).press('Control+c');
    await waitFor(page, `/--- 10\\.2\\.0\\.22 ping statistics ---/.test(${CONSOLE_OUTPUT})`, 15_000);
    const out = await output();
    const ping = out.slice(out.lastIndexOf('root@src:~# ping'));
    expect(ping).toMatch(/ms\n\^C\n--- 10\.2\.0\.22 ping statistics ---\n/);
    const m = /(\d+) packets transmitted, (\d+) received/.exec(ping);
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(100000);
    await page.evaluate(`(() => { const o = document.querySelector('.node-console:not([hidden]) .console-output'); o.scrollTop = o.scrollHeight; })()`);
    await shot(page, 'issue9-console-2-ping-ctrlc-light');
    await page.click('#theme-toggle');
    await expect(page.evaluate('document.documentElement.dataset.theme')).resolves.toBe('dark');
    await page.locator(INPUT).focus();
    await shot(page, 'issue9-console-3-ping-ctrlc-dark');
    expect(pageErrors).toEqual([]);
  });
});
