// The report's one stylesheet: screen and print (A4, each major section on a new page, table rows and
// headings kept whole, table headers repeated on every page). Hashed into the report's CSP.

export const REPORT_CSS = `
:root { --fg: #1b1f24; --muted: #5b6470; --line: #d0d7de; --pass: #116329; --fail: #a40e26; --warn-bg: #fff4d6; --warn: #7a4d00; }
* { box-sizing: border-box; }
html { font: 10.5pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--fg); }
body { max-width: 190mm; margin: 12px auto; padding: 0 12px; }
h1 { font-size: 18pt; margin: 0 0 2px; }
h2 { font-size: 13.5pt; margin: 18px 0 8px; padding-bottom: 3px; border-bottom: 1.5px solid var(--fg); break-after: avoid; }
h3 { font-size: 11pt; margin: 14px 0 6px; break-after: avoid; }
h4 { font-size: 9.5pt; margin: 10px 0 3px; color: var(--muted); font-weight: normal; font-family: "DejaVu Sans Mono", monospace; break-after: avoid; }
p { margin: 4px 0 8px; }
.sub { color: var(--muted); margin-bottom: 10px; }
.muted { color: var(--muted); fill: var(--muted); }
code, pre, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; border: 1px solid var(--line); padding: 5px 7px; margin: 0 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 9pt; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #f0f2f4; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr, img, svg, pre.short { break-inside: avoid; }
thead { display: table-header-group; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 8px 0 3px; break-after: avoid; }
table.meta { width: auto; min-width: 60%; }
table.checks, table.events, table.counters { break-inside: avoid; }
table.checks { table-layout: fixed; }
table.checks th:nth-child(1) { width: 5em; }
table.checks th:nth-child(2) { width: 13em; }
table.checks th:nth-child(3) { width: 4.5em; }
table.checks td.mono { overflow-wrap: anywhere; }
pre.view { font-size: 7.5pt; line-height: 1.3; }
table.counters { width: auto; min-width: 55%; }
table.meta th { width: 14em; background: none; font-weight: normal; color: var(--muted); }
table.events td { font-size: 8pt; }
table.events td.data { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; overflow-wrap: anywhere; }
tr.focus td { background: #fff8c5; font-weight: 600; }
.msg { white-space: pre-wrap; }
tr.gap td { color: var(--muted); font-style: italic; text-align: center; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 8.5pt; font-weight: 600; border: 1px solid currentColor; }
.pass { color: var(--pass); }
.fail { color: var(--fail); }
.banner { background: var(--warn-bg); color: var(--warn); border: 1px solid #e5c07b; padding: 6px 9px; margin: 8px 0; font-weight: 600; }
.score { font-size: 12pt; font-weight: 600; }
svg.topology { display: block; max-width: 100%; height: auto; margin: 6px auto; }
svg.topology line.link { stroke: #57606a; stroke-width: 2; }
svg.topology line.deleted { stroke-dasharray: 5 4; stroke: #afb8c1; }
svg.topology text { font: 12px "DejaVu Sans", sans-serif; fill: var(--fg); }
svg.topology text.dev { font: 9px "DejaVu Sans Mono", monospace; fill: #24292f; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.topology text.role { font-size: 9px; fill: var(--muted); }
svg.topology .node rect { fill: #ddf4ff; stroke: #0969da; stroke-width: 1.5; }
svg.topology .router rect { fill: #fff1e5; stroke: #bc4c00; stroke-width: 2; }
svg.topology .segment ellipse { fill: #f6f8fa; stroke: #57606a; stroke-dasharray: 4 3; }
.plots { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 4px 16px; }
svg.plot { max-width: 100%; height: auto; break-inside: avoid; }
svg.plot text { font: 9px "DejaVu Sans", sans-serif; fill: var(--fg); }
svg.plot text.ptitle { font-size: 10.5px; font-weight: 600; }
svg.plot line.grid { stroke: #eaeef2; }
svg.plot line.axis { stroke: #57606a; }
svg.plot path.series { fill: none; stroke-width: 1.8; }
.legend { font-size: 9pt; }
.legend-item { display: inline-block; margin-right: 12px; white-space: nowrap; }
.node-state { break-inside: auto; }
.node-state p.muted { font-size: 9pt; }
footer { margin-top: 20px; color: var(--muted); font-size: 8pt; border-top: 1px solid var(--line); padding-top: 4px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  section.newpage { break-before: page; }
  h2 { margin-top: 0; }
  a { color: inherit; text-decoration: none; }
}
`;
