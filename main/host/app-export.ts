// The app's export buttons (issue 10 §7): the live session's run file as a report (HTML, or PDF printed by
// headless Chromium where the host has one), a pcapng capture, or the events as CSV — the CLI's exporters
// over the same recording, collected in memory and returned as bytes.

import { existsSync } from 'node:fs';
import type { Output } from './export/output.js';
import { exportCsv } from './export/export-events.js';
import { exportPcapng } from './export/export-pcapng.js';
import { runReportHtml } from './export/report.js';
import { chromiumPath, printReportPdf } from './export/report-pdf.js';
import type { RunReader } from './store/run-reader.js';
import type { ExportedFile, ExportFormat } from './state-api.js';
import { packageVersion } from './version.js';

export class ExportUnavailable extends Error {}

function memoryOutput(): { out: Output; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    out: {
      write: (c) => (chunks.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c)), Promise.resolve()),
      close: () => Promise.resolve(),
    },
    bytes: () => Buffer.concat(chunks),
  };
}

const MIME: { [F in ExportFormat]: string } = { html: 'text/html', pdf: 'application/pdf', pcapng: 'application/x-pcapng', csv: 'text/csv' };

export async function exportRun(reader: RunReader, format: ExportFormat, lab: string): Promise<ExportedFile> {
  let data: Buffer;
  if (format === 'html' || format === 'pdf') {
    const html = await runReportHtml(reader);
    if (format === 'html') data = Buffer.from(html, 'utf8');
    else {
      if (!existsSync(chromiumPath())) throw new ExportUnavailable(`printing a PDF needs Chromium at ${chromiumPath()} (set WORKBENCH_CHROMIUM); export the HTML report instead`);
      data = Buffer.from(await printReportPdf(html));
    }
  } else {
    const m = memoryOutput();
    if (format === 'pcapng') await exportPcapng(reader, m.out, `Routing Lab Workbench ${packageVersion()}`);
    else await exportCsv(reader, m.out);
    data = m.bytes();
  }
  const name = `${lab.replace(/[^A-Za-z0-9_.-]/g, '_')}.${format === 'html' ? 'report.html' : format === 'pdf' ? 'report.pdf' : format}`;
  return { name, mime: MIME[format], base64: data.toString('base64'), bytes: data.length };
}
