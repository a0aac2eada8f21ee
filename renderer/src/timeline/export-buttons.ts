// Export buttons of the trace pane: the recorded session as a report (HTML, PDF), a pcapng capture or CSV,
// made on the host from the session's run file and handed over as a download (web mode and Electron alike).
// A long pcapng or CSV export reports on the long-run channel how far through the run's simulated time it
// is (the status bar's bar, whose Cancel stops it); the group shows the percentage next to the buttons. A
// refusal (too large to hand over: the host names the CLI command instead; no Chromium for the PDF) goes
// to `fail`, the status line.

import type { WorkbenchApi } from '../../../main/host/api.js';
import type { ExportedFile, ExportFormat } from '../../../main/host/state-api.js';
import { h } from '../dom.js';
import { runEvents } from '../progress-events.js';
import '../query/export-progress.css';

const LABELS: [ExportFormat, string, string][] = [
  ['html', 'Report', 'The run report as a self-contained HTML page'],
  ['pdf', 'PDF', 'The run report printed to PDF (needs Chromium on the host)'],
  ['pcapng', 'pcapng', 'Every packet of the run, for Wireshark'],
  ['csv', 'CSV', 'Every event of the run'],
];

function download(f: ExportedFile): void {
  const bin = atob(f.base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: f.mime }));
  const a = h('a', { href: url, download: f.name, hidden: '' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The buttons, in a group; `fail` reports a refused export (e.g. no Chromium for the PDF). */
export function exportButtons(api: WorkbenchApi, fail: (e: unknown) => void): HTMLElement {
  const group = h('span', { class: 'trace-export', role: 'group', 'aria-label': 'Export the recorded session' });
  const status = h('span', { class: 'trace-export-status', role: 'status' });
  const buttons: HTMLButtonElement[] = [];
  for (const [format, label, title] of LABELS) {
    const b = h('button', { type: 'button', class: `trace-export-${format}`, title }, label);
    b.addEventListener('click', () => {
      for (const x of buttons) x.disabled = true;
      group.dataset.busy = format;
      status.textContent = `${label}…`;
      // The host runs one request at a time: while this export runs, progress on the channel is its own.
      const off = runEvents().onProgress((p) => {
        if (p.done) return;
        const f = p.target > p.start ? (p.now - p.start) / (p.target - p.start) : 1;
        status.textContent = `${label} ${Math.floor(Math.min(1, Math.max(0, f)) * 100)}%`;
      });
      api
        .exportRecording({ format })
        .then(download, fail)
        .finally(() => {
          off();
          status.textContent = '';
          for (const x of buttons) x.disabled = false;
          delete group.dataset.busy;
        });
    });
    buttons.push(b);
    group.append(b);
  }
  group.append(status);
  return group;
}
