// The app's export buttons (issue 10 §7): the live session's run file as a report (HTML, or PDF printed by
// headless Chromium where the host has one), a pcapng capture, or the events as CSV — the CLI's exporters
// over the same recording, collected in memory and returned as bytes. The reply crosses IPC or the web
// socket as base64, so a capture or CSV larger than MAX_EXPORT_BYTES is refused up front with the CLI
// command that writes it straight to a file; a long one reports how far through the run's simulated time
// it has got on the long-run progress channel (AppService.slicing) and stops on its Cancel.

import { existsSync } from 'node:fs';
import type { Output } from './export/output.js';
import { CSV_HEADER, exportCsv } from './export/export-events.js';
import { interfaceDescriptionBlock, interfaceFor, runComment, sectionHeaderBlock } from './export/pcapng.js';
import { exportPcapng } from './export/export-pcapng.js';
import { runReportHtml } from './export/report.js';
import { chromiumPath, printReportPdf } from './export/report-pdf.js';
import { RunReader } from './store/run-reader.js';
import type { PacketRecord } from '../../engine/sim/trace.js';
import type { TraceEvent } from '../../engine/sim/trace.js';
import type { ExportedFile, ExportFormat } from './state-api.js';
import { packageVersion } from './version.js';

export class ExportUnavailable extends Error {}

/** The long-run Cancel stopped an export (reported like a refusal: nothing to download). */
export class ExportCancelled extends ExportUnavailable {}

/** Bytes of a pcapng or CSV the app hands over; larger ones go through the CLI (`workbench export`). */
export const MAX_EXPORT_BYTES = 50_000_000;

/** Progress of a long export, in the long runs' terms: simulated time reached (ns) out of the run's. */
export interface ExportProgress {
  between(p: { start: number; now: number; target: number; label?: string }): Promise<void>;
  cancelled(): boolean;
}

export interface ExportOptions {
  progress?: ExportProgress | null;
  /** Default MAX_EXPORT_BYTES. */
  maxBytes?: number;
}

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

const USERAPPL = `Routing Lab Workbench ${packageVersion()}`;

const MIME: { [F in ExportFormat]: string } = { html: 'text/html', pdf: 'application/pdf', pcapng: 'application/x-pcapng', csv: 'text/csv' };

const mb = (n: number): string => `${(n / 1e6).toLocaleString('en', { maximumFractionDigits: n < 1e7 ? 1 : 0 })} MB`;
const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/**
 * What a pcapng (its header blocks, and per packet its bytes padded to 4, a 28-byte header, the packet-id
 * option and the end) or a CSV (per event: its fields, the JSON with its quotes doubled) of this run would
 * weigh, and the simulated time its items span. One scan of the table, no export.
 */
export async function exportSize(reader: RunReader, format: 'pcapng' | 'csv'): Promise<{ items: number; bytes: number; start: number; end: number }> {
  // Over the views SQL users see (schema.ts): they stay the same when the tables under them change.
  const sql =
    format === 'pcapng'
      ? 'SELECT count(*) AS n, coalesce(sum((len + 3) / 4 * 4), 0) + 48 * count(*) AS bytes, coalesce(min(t), 0) AS start, coalesce(max(t), 0) AS end FROM trace_packets'
      : `SELECT count(*) AS n, coalesce(sum(
           2 * length(data) - length(replace(data, '"', '')) + 2 + length(seq) + length(t) + length(node) + length(fn) + length(kind)
           + coalesce(length(pkt), 0) + coalesce(length(parent), 0) + 9
         ), 0) AS bytes, coalesce(min(t), 0) AS start, coalesce(max(t), 0) AS end FROM trace`;
  const [r] = await reader.select<{ n: number; bytes: number; start: number; end: number }>(sql);
  // The pcapng's section header and interface blocks, exactly as the exporter writes them.
  let head = CSV_HEADER.length + 2;
  if (format === 'pcapng') {
    head = sectionHeaderBlock(USERAPPL, runComment(await reader.info())).length;
    for (const d of await reader.devices()) {
      const i = interfaceFor(d);
      head += interfaceDescriptionBlock(i.name, i.description, i.comment).length;
    }
  }
  return { items: r!.n, bytes: head + r!.bytes, start: r!.start, end: r!.end };
}

/**
 * The reader as the exporters see it, reporting after each page of packets or events how far through the
 * run's simulated time the export is (pages come in time order), and stopping when Cancel was pressed.
 */
function tracked(reader: RunReader, span: { start: number; end: number }, progress: ExportProgress, label: string): RunReader {
  const step = async (t: number): Promise<void> => {
    if (progress.cancelled()) throw new ExportCancelled('export cancelled');
    await progress.between({ start: span.start, now: Math.min(t, span.end), target: span.end, label });
  };
  const view = Object.create(reader) as RunReader;
  view.packetPages = async function* (size?: number): AsyncGenerator<(PacketRecord & { devId: number })[]> {
    for await (const page of reader.packetPages(size)) {
      yield page;
      await step(page[page.length - 1]!.t);
    }
  };
  view.eventPages = async function* (size?: number): AsyncGenerator<TraceEvent[]> {
    for await (const page of reader.eventPages(size)) {
      yield page;
      await step(page[page.length - 1]!.t);
    }
  };
  return view;
}

export async function exportRun(reader: RunReader, format: ExportFormat, lab: string, opts: ExportOptions = {}): Promise<ExportedFile> {
  let data: Buffer;
  if (format === 'html' || format === 'pdf') {
    const html = await runReportHtml(reader);
    if (format === 'html') data = Buffer.from(html, 'utf8');
    else {
      if (!existsSync(chromiumPath())) throw new ExportUnavailable(`printing a PDF needs Chromium at ${chromiumPath()} (set WORKBENCH_CHROMIUM); export the HTML report instead`);
      data = Buffer.from(await printReportPdf(html));
    }
  } else {
    const size = await exportSize(reader, format);
    const max = opts.maxBytes ?? MAX_EXPORT_BYTES;
    if (size.bytes > max) {
      const what = format === 'pcapng' ? 'packets' : 'events';
      throw new ExportUnavailable(
        `the run has ${size.items.toLocaleString('en')} ${what} (about ${mb(size.bytes)} as ${format}), more than the app hands over (${mb(max)}): ` +
          `export it from the CLI, which writes straight to a file: workbench export ${shellWord(reader.file)} --${format} -o ${shellWord(`${lab.replace(/[^A-Za-z0-9_.-]/g, '_')}.${format}`)}`,
      );
    }
    const source = opts.progress ? tracked(reader, size, opts.progress, `Exporting ${format === 'pcapng' ? 'pcapng' : 'CSV'}`) : reader;
    const m = memoryOutput();
    if (format === 'pcapng') await exportPcapng(source, m.out, USERAPPL);
    else await exportCsv(source, m.out);
    data = m.bytes();
  }
  const name = `${lab.replace(/[^A-Za-z0-9_.-]/g, '_')}.${format === 'html' ? 'report.html' : format === 'pdf' ? 'report.pdf' : format}`;
  return { name, mime: MIME[format], base64: data.toString('base64'), bytes: data.length };
}

/** exportRun over a run file (opened read-only for this export, closed after). */
export async function exportRunFile(file: string, format: ExportFormat, lab: string, opts: ExportOptions = {}): Promise<ExportedFile> {
  const reader = await RunReader.open(file, { markIncomplete: false });
  try {
    return await exportRun(reader, format, lab, opts);
  } finally {
    await reader.close();
  }
}
