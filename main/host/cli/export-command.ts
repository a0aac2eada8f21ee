// `workbench export RUN.sqlite --pcapng|--csv|--json|--html|--pdf [-o FILE | FILE]`: a recorded run to the
// tools people already use, or as a report (HTML, PDF printed from it by headless Chromium). The default
// output is the run file's name with the format's extension; `-o -` is stdout.

import { parseArgs } from 'node:util';
import { exportCsv, exportJson } from '../export/export-events.js';
import { exportPcapng } from '../export/export-pcapng.js';
import { openOutput, type Output } from '../export/output.js';
import { runReportHtml } from '../export/report.js';
import { printReportPdf } from '../export/report-pdf.js';
import { RunReader } from '../store/run-reader.js';
import { packageVersion } from '../version.js';

export const EXPORT_HELP = `Usage: workbench export RUN.sqlite --pcapng|--csv|--json [-o FILE]
       workbench export RUN.sqlite --html|--pdf [-o FILE | FILE]

Exports a recorded run.

Formats (exactly one):
  --pcapng        Every packet record, for Wireshark/tshark: one interface per simulated device
                  (named NODE:DEV, raw IPv4), simulated timestamps in nanoseconds.
  --csv           Every trace event: seq,t,node,fn,kind,pkt,parent,data (data as JSON).
  --json          The run's metadata and every trace event: {"run": {...}, "events": [...]}.
  --html          A report in one self-contained HTML file (no scripts, no network): run metadata
                  and fingerprint, check results, topology, packet counters over time, drops,
                  deliveries and upcalls with their causal chains, each node's final state.
  --pdf           The same report printed to PDF (A4) by headless Chromium
                  (/usr/bin/chromium, or the path in WORKBENCH_CHROMIUM).

Options:
  -o, --output FILE   Where to write (default: RUN with the format's extension; '-' for stdout);
                      also given as a second argument: workbench export RUN.sqlite --html OUT.html
  -h, --help          Show this help.

Exit status: 0 on success, 1 if the run cannot be read or written out, 2 for bad usage.
`;

export interface ExportIO {
  out(s: string): void;
  err(s: string): void;
  /** Opens the destination (a file path or '-'); tests pass their own. */
  open?(path: string): Output;
}

const FORMATS = ['pcapng', 'csv', 'json', 'html', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

function usage(io: ExportIO, msg: string): number {
  io.err(`workbench: export: ${msg}\nTry 'workbench export --help'.\n`);
  return 2;
}

interface ExportJob {
  format: Format;
  file: string;
  dest: string;
}

/** Parses the arguments; a number is the exit status when there is nothing to export (help, bad usage). */
function parseExportArgs(argv: string[], io: ExportIO): ExportJob | number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        pcapng: { type: 'boolean' },
        csv: { type: 'boolean' },
        json: { type: 'boolean' },
        html: { type: 'boolean' },
        pdf: { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(EXPORT_HELP);
    return 0;
  }
  const formats = FORMATS.filter((f) => values[f]);
  if (formats.length !== 1) return usage(io, 'give exactly one of --pcapng, --csv, --json, --html, --pdf');
  if (positionals.length === 0) return usage(io, 'no run file given');
  if (positionals.length > 2 || (positionals.length === 2 && values.output !== undefined)) return usage(io, `one run file at a time (got ${positionals.length} files${values.output !== undefined ? ' and -o' : ''})`);
  const format: Format = formats[0]!;
  const file = positionals[0]!;
  const dest = values.output ?? positionals[1] ?? `${file.replace(/\.(sqlite3?|db)$/i, '')}.${format}`;
  if (dest === file) return usage(io, `the output would overwrite the run file ${file}`);
  return { format, file, dest };
}

export async function exportCommand(argv: string[], io: ExportIO): Promise<number> {
  const job = parseExportArgs(argv, io);
  return typeof job === 'number' ? job : runExport(job, io);
}

async function runExport({ format, file, dest }: ExportJob, io: ExportIO): Promise<number> {
  let reader: RunReader;
  try {
    reader = await RunReader.open(file);
  } catch (e) {
    io.err(`workbench: export: ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const info = await reader.info();
    if (info.status !== 'complete') io.err(`workbench: export: warning: ${file}: the run is ${info.status} (${info.events} events recorded)\n`);
    // A report is made whole before its file is opened: a failed print leaves no empty file behind.
    const report = format === 'html' || format === 'pdf' ? await runReportHtml(reader) : null;
    const pdf = report !== null && format === 'pdf' ? await printReportPdf(report) : null;
    const out = (io.open ?? openOutput)(dest);
    let what: string;
    if (report !== null) {
      await out.write(pdf ?? report);
      what = `report of ${info.events} events, ${pdf ? `${pdf.length} bytes of PDF` : `${Buffer.byteLength(report)} bytes of HTML`}`;
    } else if (format === 'pcapng') {
      const r = await exportPcapng(reader, out, `Routing Lab Workbench ${packageVersion()}`);
      what = `${r.packets} packets on ${r.interfaces} interfaces`;
    } else {
      const n = format === 'csv' ? await exportCsv(reader, out) : await exportJson(reader, out);
      what = `${n} events`;
    }
    await out.close();
    if (dest !== '-') io.err(`${dest}: ${what}\n`);
    return 0;
  } catch (e) {
    io.err(`workbench: export: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await reader.close();
  }
}
