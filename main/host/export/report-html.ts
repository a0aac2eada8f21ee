// The run report as one self-contained HTML document: no script, no network, one inline stylesheet
// allowed by its hash in a strict CSP (so even a string that escaped escaping could not run or load
// anything). The same document is printed to PDF by the CLI (Chromium) and by the app (printToPDF).

import { createHash } from 'node:crypto';
import type { ChecksAnnotation } from './report-annotations.js';
import { REPORT_CSS } from './report-css.js';
import type { ReportData } from './report-data.js';
import { esc } from './report-escape.js';
import { countersSection, eventsSection, fmtT, nodeStateSection } from './report-html-sections.js';
import { topologySvg } from './report-topology.js';

export function reportCsp(css = REPORT_CSS): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

function statusBadge(status: string): string {
  return `<span class="badge ${status === 'complete' ? 'pass' : 'fail'}">${esc(status)}</span>`;
}

/** The lab's description is Markdown; the report shows it as text (no markup to sanitise). */
function plainText(md: string): string {
  return md.replace(/\*\*|`/g, '').trim();
}

function metaSection(d: ReportData): string {
  const i = d.info;
  const lab = d.annotations.lab;
  const duration = i.endedT !== null ? fmtT(i.endedT - i.startedT) : `${fmtT(d.lastT - i.startedT)} recorded (the run did not finish)`;
  const rows: [string, string][] = [
    ['Lab', esc(i.lab)],
    ...(lab ? ([['Title', esc(lab.title)]] as [string, string][]) : []),
    ['Status', statusBadge(i.status)],
    ['Seed', String(i.seed)],
    ['Kernel profile', esc(i.profile)],
    ['Engine version', esc(i.engineVersion)],
    ['Fingerprint', i.fingerprint ? `<code>${esc(i.fingerprint)}</code>` : '<span class="muted">none (the run did not finish)</span>'],
    ['Trace events', String(i.events)],
    ['Packet records', String(i.packets)],
    ['Simulated duration', duration],
    ['Nodes', d.topology.nodes.map((n) => esc(n.name)).join(', ') || '<span class="muted">none</span>'],
    ['Run file', `<code>${esc(d.file)}</code> (schema v${i.schemaVersion})`],
  ];
  const banner =
    i.status === 'complete'
      ? ''
      : `<p class="banner">This run is ${esc(i.status)}: its recording stopped before the run ended (${i.events} events recorded). Counters, chains and states cover only what was recorded.</p>`;
  const desc = lab?.description ? `<p>${esc(plainText(lab.description))}</p>` : '';
  return `${banner}<h2>Run</h2>${desc}<table class="meta"><tbody>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

function checksSection(c: ChecksAnnotation | undefined): string {
  const head = '<h2>Check results</h2>';
  if (!c) return `${head}<p class="muted">Not recorded: this run file holds no check results (it was not recorded by <code>workbench run --db</code>).</p>`;
  const verdict = c.passed ? '<span class="badge pass">all checks passed</span>' : '<span class="badge fail">not all checks passed</span>';
  const score = `<p class="score">${c.points}/${c.total} points (${c.percent}%) ${verdict}</p>`;
  const early = c.steps.length < c.stepCount ? `<p class="banner">Only ${c.steps.length} of ${c.stepCount} steps ran; the checks of the others count as not passed.</p>` : '';
  const startup = c.startupErrors.length ? `<h3>Start commands that failed</h3><pre>${esc(c.startupErrors.join('\n'))}</pre>` : '';
  const exits = c.daemonExits?.length ? `<h3>Daemon exits</h3><pre>${esc(c.daemonExits.join('\n'))}</pre>` : '';
  const steps = c.steps
    .map((s) => {
      const rows = s.checks
        .map((k) => {
          const res = `<span class="badge ${k.passed ? 'pass' : 'fail'}">${k.passed ? 'PASS' : 'FAIL'}</span>`;
          const detail = `${k.description ? `${esc(k.description)}<br>` : ''}<span class="muted msg">${esc(k.message)}</span>${!k.passed && k.hint ? `<br>hint: ${esc(k.hint)}` : ''}`;
          return `<tr><td>${res}</td><td class="mono">${esc(k.name)}</td><td class="num">${k.points}</td><td>${detail}</td></tr>`;
        })
        .join('');
      const body = rows || '<tr><td colspan="4" class="muted">no checks</td></tr>';
      return `<table class="checks"><caption>Step ${s.index + 1}: ${esc(s.title)}</caption><thead><tr><th>result</th><th>check</th><th class="num">points</th><th>what was checked</th></tr></thead><tbody>${body}</tbody></table>`;
    })
    .join('\n');
  return `${head}${score}${early}${startup}${exits}${steps}`;
}

export function renderReportHtml(d: ReportData): string {
  const title = d.annotations.lab?.title ?? d.info.lab;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(d.generator)}">
<title>Lab report: ${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>Lab report: ${esc(title)}</h1>
<p class="sub">${esc(d.info.lab)} · seed ${d.info.seed} · ${esc(d.info.profile)} · ${statusBadge(d.info.status)}</p></header>
<section id="run">${metaSection(d)}${checksSection(d.annotations.checks)}</section>
<section id="topology" class="newpage"><h2>Topology</h2>${topologySvg(d.topology)}${countersSection(d.counters)}</section>
<section id="events" class="newpage">${eventsSection(d.interest)}</section>
<section id="state" class="newpage">${nodeStateSection(d.nodeViews, d.topology.nodes.map((n) => n.name))}</section>
<footer>Generated by ${esc(d.generator)} from ${esc(d.file)}. Simulated times are seconds since the start of the run.</footer>
</body>
</html>
`;
}
