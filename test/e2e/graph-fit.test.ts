// End to end in Chromium: the topology re-fits when the workspace splitter resizes its pane (cytoscape alone
// keeps its zoom, and nodes end up off-screen), unless the user zoomed by hand since the last fit; the
// toolbar's Fit hands the view back to the automatic fit. On 15-dense-mode (six nodes over a wide layout).
// Screenshots: test/e2e/artifacts/h5-*.png (light and dark).

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeApp, CY, openApp, ROOT, shot, waitFor, type OpenedApp } from './helpers.js';

let app: OpenedApp | undefined;

beforeAll(async () => {
  app = await openApp(['--lab', join(ROOT, 'labs', '15-dense-mode.yaml')], 'h5-fit', { height: 900, colorScheme: 'light' });
}, 120_000);

afterAll(() => closeApp(app));

interface View {
  zoom: number;
  pan: { x: number; y: number };
  /** cytoscape's idea of its size, and the container's on the page. */
  cyW: number;
  boxW: number;
  /** Nodes (labels included) whose box leaves the viewport. */
  outside: string[];
}

const view = (): Promise<View> =>
  app!.page.evaluate<View>(`(() => {
    const cy = ${CY};
    const w = cy.width(), h = cy.height();
    const outside = cy.nodes().filter((n) => { const b = n.renderedBoundingBox(); return b.x1 < 0 || b.y1 < 0 || b.x2 > w || b.y2 > h; }).map((n) => n.id());
    return { zoom: cy.zoom(), pan: cy.pan(), cyW: w, boxW: document.getElementById('topology').getBoundingClientRect().width, outside };
  })()`);

/** Drags the workspace splitter (between the graph and the side panes) by dx and waits for a frame. */
async function dragSplitter(dx: number): Promise<void> {
  const { page } = app!;
  const b = (await page.locator('.workspace > .splitter-x').boundingBox())!;
  const x = b.x + b.width / 2;
  const y = b.y + b.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y, { steps: 4 });
  await page.mouse.move(x + dx, y, { steps: 4 });
  await page.mouse.up();
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/** Waits until cytoscape has taken in the container's new size. */
const resized = (): Promise<void> => waitFor(app!.page, `Math.abs(${CY}.width() - document.getElementById('topology').getBoundingClientRect().width) < 1`);

describe('graph fit on pane resize', () => {
  it('re-fits when the splitter narrows and widens the graph: every node stays on screen', async () => {
    const { page } = app!;
    const start = await view();
    expect(start.outside).toEqual([]);
    await shot(page, 'h5-0-opened-light');
    await dragSplitter(-380);
    await resized();
    const narrow = await view();
    expect(narrow.boxW).toBeLessThan(start.boxW - 300);
    expect(narrow.cyW).toBeCloseTo(narrow.boxW, 0);
    // The layout is wider than tall: a narrower pane means a smaller zoom, and nothing cut off.
    expect(narrow.zoom).toBeLessThan(start.zoom * 0.9);
    expect(narrow.outside).toEqual([]);
    // The editor toolbar stays one row (the graph starts under it) and scrolls sideways to its last button.
    const bar = await page.evaluate<{ rows: number; scrolls: boolean; lastReachable: boolean }>(`(() => {
      const bar = document.querySelector('.editor-toolbar');
      const tops = new Set([...bar.querySelectorAll('button')].map((b) => b.offsetTop));
      bar.scrollLeft = bar.scrollWidth;
      const last = [...bar.querySelectorAll('button')].at(-1).getBoundingClientRect();
      const box = bar.getBoundingClientRect();
      return { rows: tops.size, scrolls: bar.scrollWidth > bar.clientWidth, lastReachable: last.right <= box.right + 1 && last.bottom <= box.bottom };
    })()`);
    expect(bar).toEqual({ rows: 1, scrolls: true, lastReachable: true });
    await page.evaluate(`document.querySelector('.editor-toolbar').scrollLeft = 0`);
    await shot(page, 'h5-1-narrow-light');
    await dragSplitter(300);
    await resized();
    const wide = await view();
    expect(wide.zoom).toBeGreaterThan(narrow.zoom * 1.1);
    expect(wide.outside).toEqual([]);
  });

  it("keeps a zoom the user made by hand; the toolbar's Fit hands the view back to the automatic fit", async () => {
    const { page } = app!;
    const b = (await page.locator('#topology').boundingBox())!;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    const before = await view();
    // cytoscape zooms ~1.4% per wheel event (wheelSensitivity 0.3).
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -100);
    await waitFor(page, `${CY}.zoom() > ${before.zoom * 1.05}`);
    const zoomed = await view();
    await dragSplitter(-200);
    await resized();
    const kept = await view();
    expect(kept.zoom).toBeCloseTo(zoomed.zoom, 6);
    expect(kept.pan).toEqual(zoomed.pan);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    const fitted = await view();
    expect(fitted.outside).toEqual([]);
    await dragSplitter(-150);
    await resized();
    const refit = await view();
    expect(refit.outside).toEqual([]);
    expect(refit.zoom).toBeLessThan(fitted.zoom * 0.9);
    await shot(page, 'h5-2-refit-light');
  });

  it('looks right in the dark theme after a resize', async () => {
    const { page } = app!;
    await page.click('#theme-toggle');
    await waitFor(page, `document.documentElement.dataset.theme === 'dark'`);
    const before = await view();
    await dragSplitter(250);
    await resized();
    const after = await view();
    expect(after.outside).toEqual([]);
    expect(after.zoom).toBeGreaterThan(before.zoom * 1.1);
    await shot(page, 'h5-3-resized-dark');
    expect(app!.pageErrors).toEqual([]);
  });
});
