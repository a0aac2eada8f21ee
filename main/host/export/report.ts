// The run report: `runReportHtml(reader)` gathers a recorded run's data and renders the self-contained
// HTML document; printing it (report-pdf.ts in the CLI, printToPDF in the app) is separate.

import type { RunReader } from '../store/run-reader.js';
import { packageVersion } from '../version.js';
import { gatherReport } from './report-data.js';
import { renderReportHtml } from './report-html.js';

export { labRunAnnotations, writeRunAnnotations, type RunAnnotations } from './report-annotations.js';

export async function runReportHtml(reader: RunReader, generator = `Routing Lab Workbench ${packageVersion()}`): Promise<string> {
  return renderReportHtml(await gatherReport(reader, generator));
}
