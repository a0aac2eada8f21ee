// `workbench export RUN --pdf`: the HTML report printed by headless Chromium. Checked as a PDF (header,
// pages) and, with poppler-utils (pdfinfo, pdftotext), by its page count and extracted text.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../main/host/cli/workbench.js';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../../../main/host/export/report-pdf.js';
import { runReportHtml } from '../../../main/host/export/report.js';
import { RunReader } from '../../../main/host/store/run-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'rlw-report-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasChromium = existsSync(chromiumPath());
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0 && spawnSync('pdfinfo', ['-v']).status === 0;
if (!hasChromium) console.log(`report-pdf: no Chromium at ${chromiumPath()}; the PDF tests only check the failure path`);
if (!hasPoppler) console.log('report-pdf: poppler-utils (pdftotext, pdfinfo) not installed; page count and text are checked from the PDF bytes only');

function io() {
  const out = { stdout: '', stderr: '' };
  const cli: CliIO = { out: (s) => void (out.stdout += s), err: (s) => void (out.stderr += s), readFile: (p) => readFileSync(p, 'utf8') };
  return { out, cli };
}

const db = join(dir, 'run.sqlite');
beforeAll(async () => {
  expect(await main(['run', 'labs/02-static-routes.yaml', '--solution', '--db', db], io().cli)).toBe(0);
}, 60_000);

describe('PDF report', () => {
  it.runIf(hasChromium)('prints the report to an A4 PDF whose text names the lab and its fingerprint', async () => {
    const pdfFile = join(dir, 'run.pdf');
    const ex = io();
    expect(await main(['export', db, '--pdf', pdfFile], ex.cli)).toBe(0);
    expect(ex.out.stderr).toMatch(/run\.pdf: report of \d+ events, \d+ bytes of PDF\n$/);
    const pdf = readFileSync(pdfFile);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
    const pageObjects = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? [];
    expect(pageObjects.length).toBeGreaterThanOrEqual(1);
    if (!hasPoppler) return;
    const info = spawnSync('pdfinfo', [pdfFile], { encoding: 'utf8' }).stdout;
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    expect(pages).toBe(pageObjects.length);
    // A4 is 595 × 842 points
    expect(info).toMatch(/^Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/m);
    const text = spawnSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).stdout;
    const r = await RunReader.open(db);
    const fp = (await r.info()).fingerprint;
    await r.close();
    expect(text).toContain('Lab report: Forwarding 2: static routes, there and back');
    expect(text).toContain('02-static-routes');
    expect(fp).toMatch(/^[0-9a-f]{32}$/);
    expect(text).toContain(fp!);
    expect(text).toContain('Check results');
    expect(text).toContain('Causal chains');
    // a page per section at least: run and checks, topology and counters, events, node state
    expect(pages).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it.runIf(hasChromium)('renders in Chromium under its own CSP: the hashed style applies, nothing is blocked or fetched', async () => {
    const r = await RunReader.open(db);
    const html = await runReportHtml(r);
    await r.close();
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' || m.type() === 'warning' ? problems.push(m.text()) : undefined));
      page.on('request', (q) => void (q.url().startsWith('data:') || q.url() === 'about:blank' ? undefined : problems.push(`request ${q.url()}`)));
      await page.setContent(html, { waitUntil: 'load' });
      // a string, run in the page (the tests' lib has no DOM types)
      const look = (await page.evaluate(`({
        border: getComputedStyle(document.querySelector('h2')).borderBottomStyle,
        svgWidth: document.querySelector('svg.topology').getBoundingClientRect().width,
        plots: document.querySelectorAll('svg.plot').length,
      })`)) as { border: string; svgWidth: number; plots: number };
      expect(problems).toEqual([]);
      expect(look.border).toBe('solid'); // the stylesheet ran: its hash matches the CSP
      expect(look.svgWidth).toBeGreaterThan(100);
      expect(look.plots).toBe(3);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('fails cleanly without Chromium and leaves no file behind', async () => {
    const out = join(dir, 'nochrome.pdf');
    const saved = process.env['WORKBENCH_CHROMIUM'];
    process.env['WORKBENCH_CHROMIUM'] = join(dir, 'no-such-chromium');
    try {
      const ex = io();
      expect(await main(['export', db, '--pdf', out], ex.cli)).toBe(1);
      expect(ex.out.stderr).toMatch(/^workbench: export: .*no-such-chromium/m);
      expect(existsSync(out)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['WORKBENCH_CHROMIUM'];
      else process.env['WORKBENCH_CHROMIUM'] = saved;
    }
  }, 60_000);
});
