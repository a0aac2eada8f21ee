// Prints a report's HTML to PDF with headless Chromium (playwright-core), for the CLI and the tests;
// the Electron app prints the same HTML with webContents.printToPDF. Every request the page would make
// is refused (the report needs none), so printing cannot reach the network.

/** Flags measured in stack-notes §2 (headless, no GPU, no background traffic). */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function chromiumPath(): string {
  return process.env['WORKBENCH_CHROMIUM'] ?? '/usr/bin/chromium';
}

const FOOTER = '<div style="font: 7pt sans-serif; color: #5b6470; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;"><span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>';

export async function printReportPdf(html: string, opts: { executablePath?: string } = {}): Promise<Uint8Array> {
  // Loaded on demand: playwright-core is a development dependency, and only the CLI's --pdf needs it.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: opts.executablePath ?? chromiumPath(), args: FLAGS, headless: true });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: FOOTER });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}
