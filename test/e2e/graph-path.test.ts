// End to end in Chromium: the Trace tab's selection on the graph (issue 10 §3). On 02-static-routes, routes
// are added and h1 pings h2 from the consoles; selecting r2's ip_forward of the echo request in the trace
// highlights its causal chain h1 → r1 → r2, and the packet's journey is animated: h1 → r1 → r2, then across
// the LAN to h2 only (the bridge knows h2's MAC: h3 never sees the frame). Link counters match `ip -s link`.
// The multicast fan-out and the ✕ of a drop are tested on labs 15 and 06 below.
// Screenshots: test/e2e/artifacts/graph-*.png, light and dark.

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickEmpty, CONSOLE_OUTPUT, CY, nodeAt, ROOT, shot, typeInConsole, waitFor, openApp, closeApp, type OpenedApp } from './helpers.js';

let app: OpenedApp;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  app = await openApp(['--lab', join(ROOT, 'labs', '02-static-routes.yaml')], 'graph', { height: 900, colorScheme: 'light', reducedMotion: 'no-preference' });
  ({ page } = app);
  errors = app.pageErrors;
}, 120_000);

afterAll(() => closeApp(app));

/** Ids of the cytoscape elements with class `c`, sorted. */
const withClass = (c: string): Promise<string[]> => page.evaluate<string[]>(`${CY}.elements('.${c}').map((e) => e.id()).sort()`);

/** The TX packets `ip -s link show DEV` prints in NODE's console. */
async function txPackets(node: string, dev: string): Promise<number> {
  await page.evaluate(`document.querySelector('.node-console:not([hidden]) .console-output')?.replaceChildren()`);
  await typeInConsole(page, node, `ip -s link show ${dev}`);
  await waitFor(page, `/TX:[^\\n]*\\n\\s*\\d+\\s+\\d+/.test(${CONSOLE_OUTPUT})`, 10_000);
  const out = await page.evaluate<string>(CONSOLE_OUTPUT);
  const m = /TX:[^\n]*\n\s*\d+\s+(\d+)/.exec(out.slice(out.lastIndexOf(`ip -s link show ${dev}`)))!;
  return Number(m[1]);
}

/** Each dot's target node, whether it arrived, and its distance (px) from that node on screen. */
async function dots(on: Page = page): Promise<{ to: string; arrived: boolean; hidden: boolean; off: number }[]> {
  return on.evaluate(`(() => {
    const cy = ${CY};
    return [...document.querySelectorAll('.graph-overlay .graph-dot')].map((d) => {
      const p = cy.getElementById('n:' + d.dataset.to).renderedPosition();
      return { to: d.dataset.to, arrived: d.dataset.arrived === 'true', hidden: d.hidden,
        off: Math.hypot(parseFloat(d.style.left) - p.x, parseFloat(d.style.top) - p.y) };
    });
  })()`);
}

describe('the selected packet on the graph (02-static-routes)', () => {
  it('pings h2 from h1 across r1 and r2 after adding routes in the consoles', async () => {
    await typeInConsole(page, 'r1', 'ip route add 10.3.0.0/24 via 10.0.12.2');
    await typeInConsole(page, 'r2', 'ip route add 10.1.0.0/24 via 10.0.12.1');
    await typeInConsole(page, 'h1', 'ping -c 1 10.3.0.20');
    await waitFor(page, `/1 packets transmitted, 1 received/.test(${CONSOLE_OUTPUT})`, 20_000);
    // The console opened by clicking nodes selected them: close the editor's panel over the graph.
    await clickEmpty(page);
    await waitFor(page, `document.getElementById('editor-panel')?.hidden !== false`);
  }, 60_000);

  it("selecting r2's ip_forward highlights the chain h1 → r1 → r2 and animates the journey to the LAN's last hops", async () => {
    await page.click('#tab-trace');
    await page.waitForSelector('.trace-row', { timeout: 10_000 });
    await page.selectOption('.trace-node', 'r2');
    await page.fill('.trace-fn', 'ip_forward');
    await page.press('.trace-fn', 'Enter');
    await waitFor(page, `(() => { const f = [...document.querySelectorAll('.trace-row .c-fn')]; return f.length > 0 && f.every((e) => e.textContent === 'ip_forward'); })()`, 10_000);
    await page.click('.trace-row >> nth=0');
    // Running, the last hop (to h2) has not arrived: read in one evaluation, one frame's state.
    await waitFor(
      page,
      `(() => { const o = document.querySelector('.graph-overlay'); const last = [...o.querySelectorAll('.graph-dot[data-to="h2"], .graph-dot[data-to="h3"]')];
        return o.dataset.state === 'running' && last.length === 1 && last.every((d) => d.dataset.arrived !== 'true'); })()`,
      10_000,
    );
    expect(await withClass('trace-chain')).toEqual(['l:0', 'l:1', 'n:h1', 'n:r1', 'n:r2']);
    expect(await withClass('trace-focus')).toEqual(['n:r2']);
    expect(await withClass('journey-path')).toEqual(['l:0', 'l:1', 'm:lanc:h2:eth0', 'm:lanc:r2:eth1', 'n:h1', 'n:h2', 'n:r1', 'n:r2', 's:lanc']);
    await shot(page, 'graph-light-animating');
    await waitFor(page, `document.querySelector('.graph-overlay').dataset.state === 'done'`, 10_000);
    const end = await dots();
    expect(end.map((d) => d.to).sort()).toEqual(['h2', 'r1', 'r2']);
    // The copies that went on are carried by the next dot; the last hop stays where it arrived.
    const last = end.filter((d) => !d.hidden);
    expect(last.map((d) => d.to).sort()).toEqual(['h2']);
    for (const d of last) {
      expect(d.arrived).toBe(true);
      expect(d.off).toBeLessThan(1.5);
    }
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll('.graph-drop:not([hidden])')].map((d) => d.dataset.node)`)).toEqual([]);
    await shot(page, 'graph-light-journey');
  }, 60_000);

  it('Escape clears the highlight and the journey; with reduced motion the journey shows at once', async () => {
    await page.keyboard.press('Escape');
    expect(await withClass('trace-chain')).toEqual([]);
    expect(await withClass('journey-path')).toEqual([]);
    expect(await page.evaluate<string>(`document.querySelector('.graph-overlay').dataset.state`)).toBe('idle');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.click('.trace-row >> nth=0');
    await waitFor(page, `document.querySelector('.graph-overlay')?.dataset.motion === 'reduced'`, 10_000);
    expect(await page.evaluate<string>(`document.querySelector('.graph-overlay').dataset.state`)).toBe('done');
    expect((await dots()).filter((d) => !d.hidden).map((d) => d.to).sort()).toEqual(['h2']);
    expect(await withClass('trace-chain')).toEqual(['l:0', 'l:1', 'n:h1', 'n:r1', 'n:r2']);
    // Dragging a node moves the dot that sits on it.
    const h2 = await nodeAt(page, 'n:h2');
    await page.mouse.move(h2.x, h2.y);
    await page.mouse.down();
    await page.mouse.move(h2.x - 40, h2.y + 30, { steps: 6 });
    await page.mouse.up();
    expect((await dots()).find((d) => d.to === 'h2' && !d.hidden)!.off).toBeLessThan(1.5);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  }, 30_000);

  it('an empty selection (the event the Trace tab dispatches) clears the graph', async () => {
    await page.evaluate(`window.dispatchEvent(new CustomEvent('workbench:trace-select', { detail: { seq: 0, node: '', chainNodes: [] } }))`);
    await waitFor(page, `${CY}.elements('.trace-chain, .journey-path').length === 0`);
    expect(await page.evaluate<number>(`document.querySelectorAll('.graph-overlay > *').length`)).toBe(0);
  });

  it('shows packets per link end that match `ip -s link` in the consoles; the toolbar toggle hides them', async () => {
    expect(await page.getAttribute('#tool-counters', 'aria-pressed')).toBe('true');
    const want = { h1: await txPackets('h1', 'eth0'), r1: await txPackets('r1', 'eth0'), r1b: await txPackets('r1', 'eth1'), r2: await txPackets('r2', 'eth0'), r2lan: await txPackets('r2', 'eth1') };
    expect(want.h1).toBeGreaterThan(0);
    expect(want.r2lan).toBeGreaterThan(0);
    const read = `(() => { const c = ${CY}; const d = (id, k) => c.getElementById(id).data(k);
      return { h1: d('l:0', 'txSource'), r1: d('l:0', 'txTarget'), r1b: d('l:1', 'txSource'), r2: d('l:1', 'txTarget'), r2lan: d('m:lanc:r2:eth1', 'txSource') }; })()`;
    await waitFor(page, `JSON.stringify(${read}) === ${JSON.stringify(JSON.stringify(want))}`, 10_000);
    // Shown under each end's interface and addresses.
    expect(await page.evaluate<string>(`${CY}.getElementById('l:0').style('source-label')`)).toBe(`eth0\n10.1.0.10/24\nTX ${want.h1}`);
    expect(await page.evaluate<string>(`${CY}.getElementById('m:lanc:r2:eth1').style('source-label')`)).toBe(`eth1\n10.3.0.1/24\nTX ${want.r2lan}`);
    expect(await withClass('link-counters')).toHaveLength(5);
    await clickEmpty(page);
    await shot(page, 'graph-light-counters');
    await page.click('#tool-counters');
    expect(await withClass('link-counters')).toEqual([]);
    expect(await page.evaluate<string>(`${CY}.getElementById('l:0').style('source-label')`)).toBe('eth0\n10.1.0.10/24');
    expect(await page.getAttribute('#tool-counters', 'aria-pressed')).toBe('false');
    await page.click('#tool-counters');
    await waitFor(page, `${CY}.elements('.link-counters').length === 5`);
  }, 60_000);

  it('reads in the dark theme: chain, journey and counters', async () => {
    await page.click('#tab-trace');
    await page.click('#theme-toggle');
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.click('.trace-row >> nth=0');
    await waitFor(page, `document.querySelector('.graph-overlay')?.dataset.state === 'done'`, 10_000);
    expect(await withClass('trace-chain')).toEqual(['l:0', 'l:1', 'n:h1', 'n:r1', 'n:r2']);
    await shot(page, 'graph-dark-journey');
    expect(errors).toEqual([]);
  }, 30_000);
});

describe('a dropped packet on the graph (06-unresolved-queue)', () => {
  let a06: OpenedApp;
  let p06: Page;

  beforeAll(async () => {
    a06 = await openApp(['--lab', join(ROOT, 'labs', '06-unresolved-queue.yaml')], 'graph06', { height: 900, colorScheme: 'light', reducedMotion: 'no-preference' });
    p06 = a06.page;
  }, 60_000);

  afterAll(async () => {
    errors.push(...a06.pageErrors);
    await closeApp(a06);
  });

  it('ends the journey of the first packet the full unresolved queue refuses at r1 with a ✕ (ENOBUFS)', async () => {
    await p06.click('#tab-guide');
    await p06.click('.guide-step[data-step="0"] .guide-run');
    await waitFor(p06, `(document.querySelector('.guide-step[data-step="0"] .guide-output')?.textContent ?? '').length > 0`, 20_000);
    await p06.click('#tab-trace');
    await p06.waitForSelector('.trace-row', { timeout: 10_000 });
    await p06.selectOption('.trace-kind', 'drop');
    await p06.fill('.trace-fn', 'ipmr_cache_unresolved');
    await p06.press('.trace-fn', 'Enter');
    await waitFor(p06, `(() => { const f = [...document.querySelectorAll('.trace-row .c-fn')]; return f.length > 0 && f.every((e) => e.textContent === 'ipmr_cache_unresolved'); })()`, 10_000);
    await p06.click('.trace-row >> nth=0');
    await waitFor(p06, `document.querySelector('.graph-overlay')?.dataset.state === 'done'`, 10_000);
    expect(await p06.evaluate<string>(`document.querySelector('.trace-detail .event-data')?.textContent ?? ''`)).toMatch(/ENOBUFS/);
    expect(await p06.evaluate<string[]>(`${CY}.elements('.trace-chain').map((e) => e.id()).sort()`)).toEqual(['l:0', 'n:r1', 'n:src']);
    expect(await p06.evaluate<string[]>(`${CY}.elements('.journey-path').map((e) => e.id()).sort()`)).toEqual(['l:0', 'n:r1', 'n:src']);
    const d = await dots(p06);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ to: 'r1', arrived: true, hidden: false });
    expect(d[0]!.off).toBeLessThan(1.5);
    expect(await p06.evaluate<string[]>(`[...document.querySelectorAll('.graph-drop:not([hidden])')].map((x) => x.dataset.node)`)).toEqual(['r1']);
    await shot(p06, 'graph-light-drop');
  }, 60_000);
});

describe('a multicast flood fanning out on the graph (15-dense-mode)', () => {
  let a15: OpenedApp;
  let p15: Page;

  beforeAll(async () => {
    a15 = await openApp(['--lab', join(ROOT, 'labs', '15-dense-mode.yaml')], 'graph15', { height: 900, colorScheme: 'light', reducedMotion: 'no-preference' });
    p15 = a15.page;
  }, 60_000);

  afterAll(async () => {
    errors.push(...a15.pageErrors);
    await closeApp(a15);
  });

  it("animates r1's flood to r2 and r3 together, the copy r3 has no receiver for ending in a ✕", async () => {
    // The lab's daemons start with it (DaemonControl.startDeclared): each tab says so.
    await p15.click('#tab-daemons');
    for (const r of ['r1', 'r2', 'r3']) {
      await p15.locator('.daemon-tab', { hasText: new RegExp(`^${r} · .*pimdd\\.ts$`) }).click();
      await waitFor(p15, `document.querySelector('.daemon-state')?.textContent === 'running'`, 20_000);
    }
    await p15.click('#tab-guide');
    await p15.click('.guide-step[data-step="0"] .guide-run');
    await waitFor(p15, `(document.querySelector('.guide-step[data-step="0"] .guide-output')?.textContent ?? '').length > 0`, 20_000);
    await typeInConsole(p15, 'r2', 'ip route add 10.1.0.0/24 via 10.0.12.1');
    await typeInConsole(p15, 'r3', 'ip route add 10.1.0.0/24 via 10.0.13.1');
    await p15.click('#tab-guide');
    await p15.click('.guide-step[data-step="1"] .guide-run');
    await waitFor(p15, `(document.querySelector('.guide-step[data-step="1"] .guide-output')?.textContent ?? '').length > 0`, 30_000);
    await clickEmpty(p15);
    await p15.click('#tab-trace');
    await p15.waitForSelector('.trace-row', { timeout: 10_000 });
    await p15.selectOption('.trace-node', 'r3');
    await p15.selectOption('.trace-kind', 'drop');
    await p15.fill('.trace-fn', 'ip_mr_forward');
    await p15.press('.trace-fn', 'Enter');
    await waitFor(p15, `(() => { const f = [...document.querySelectorAll('.trace-row .c-fn')]; return f.length > 0 && f.every((e) => e.textContent === 'ip_mr_forward'); })()`, 10_000);
    await p15.click('.trace-row >> nth=0');
    await waitFor(p15, `document.querySelector('.graph-overlay')?.dataset.state === 'running'`, 10_000);
    expect(await p15.evaluate<string[]>(`${CY}.elements('.trace-chain').map((e) => e.id()).sort()`)).toEqual(['l:0', 'l:2', 'n:r1', 'n:r3', 'n:src']);
    // One dot per branch out of r1, both started at the same step.
    expect(await p15.evaluate<string[]>(`[...document.querySelectorAll('.graph-dot[data-from="r1"]')].map((d) => d.dataset.to + '@' + d.dataset.step).sort()`)).toEqual(['r2@1', 'r3@1']);
    // Catch the fan-out mid-way for the screenshot: both branch dots visible, neither arrived.
    await waitFor(p15, `[...document.querySelectorAll('.graph-dot[data-from="r1"]')].every((d) => !d.hidden) || document.querySelector('.graph-overlay').dataset.state === 'done'`, 5_000);
    await shot(p15, 'graph-light-fanout-moving');
    await waitFor(p15, `document.querySelector('.graph-overlay').dataset.state === 'done'`, 10_000);
    const end = (await dots(p15)).filter((d) => !d.hidden);
    expect(end.map((d) => d.to).sort()).toEqual(['r3', 'rx2']);
    for (const d of end) expect(d.off).toBeLessThan(1.5);
    expect(await p15.evaluate<string[]>(`[...document.querySelectorAll('.graph-drop:not([hidden])')].map((x) => x.dataset.node)`)).toEqual(['r3']);
    await shot(p15, 'graph-light-fanout');
    await p15.click('#theme-toggle');
    await p15.click('.trace-row >> nth=0');
    await waitFor(p15, `document.querySelector('.graph-overlay')?.dataset.state === 'done'`, 10_000);
    await shot(p15, 'graph-dark-fanout');
  }, 120_000);
});
