// The HTML run report: what a recorded lab run's report says (metadata, fingerprint, check results,
// topology, counters, chains), that it is one self-contained file under a strict CSP, that everything
// from the run file is escaped, and that incomplete runs and missing sections say so.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../engine/sim/trace.js';
import { main, type CliIO } from '../../../main/host/cli/workbench.js';
import { readTopology } from '../../../main/host/export/report-topology.js';
import { runReportHtml } from '../../../main/host/export/report.js';
import { writeRunAnnotations } from '../../../main/host/export/report-annotations.js';
import { esc } from '../../../main/host/export/report-escape.js';
import { loadLabOrThrow } from '../../../main/host/lab/lab-file.js';
import { LabRun } from '../../../main/host/lab/lab-run.js';
import { RunReader } from '../../../main/host/store/run-reader.js';
import { SqliteSink } from '../../../main/host/store/sqlite-sink.js';
import { closeDb, openDb, OPEN_READWRITE, run } from '../../../main/host/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'rlw-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LAB = 'labs/02-static-routes.yaml';

function io() {
  const out = { stdout: '', stderr: '' };
  const cli: CliIO = { out: (s) => void (out.stdout += s), err: (s) => void (out.stderr += s), readFile: (p) => readFileSync(p, 'utf8') };
  return { out, cli };
}

async function htmlOf(file: string): Promise<string> {
  const r = await RunReader.open(file);
  try {
    return await runReportHtml(r);
  } finally {
    await r.close();
  }
}

/** The report must load nothing: no URL, no external reference, no script; one style, allowed by its hash. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/https?:/i);
  expect(html).not.toMatch(/<(script|link|iframe|object|embed|img|base|frame|audio|video|source)\b/i);
  // Attributes of the real tags (text is escaped, so every '<' left opens one of ours).
  const attrs = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].flatMap((m) => [...m[0].matchAll(/\s([a-zA-Z:-]+)=/g)].map((a) => a[1]!.toLowerCase()));
  expect(attrs.length).toBeGreaterThan(10);
  expect(attrs.filter((a) => /^(src|href|srcset|action|formaction|xlink:href|style|background|poster|data)$|^on/.test(a))).toEqual([]);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  expect(csp).toBeDefined();
  expect(csp).toContain("default-src 'none'");
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
  expect(styles).toHaveLength(1);
  const hash = createHash('sha256').update(styles[0]!, 'utf8').digest('base64');
  expect(csp).toContain(`style-src 'sha256-${hash}'`);
}

describe('HTML report of a recorded lab run', () => {
  const db = join(dir, 'lab02.sqlite');
  let fp = '';
  let html = '';
  const spec = loadLabOrThrow(LAB, { readFile: (p) => readFileSync(p, 'utf8') });

  beforeAll(async () => {
    const rec = io();
    expect(await main(['run', LAB, '--solution', '--db', db], rec.cli)).toBe(0);
    fp = /recorded: .+ \(fingerprint ([0-9a-f]{32})\)\n$/.exec(rec.out.stdout)![1]!;
    const ex = io();
    const out = join(dir, 'lab02.html');
    expect(await main(['export', db, '--html', out], ex.cli)).toBe(0);
    expect(ex.out.stderr).toMatch(/lab02\.html: report of \d+ events, \d+ bytes of HTML\n$/);
    html = readFileSync(out, 'utf8');
  }, 60_000);

  it('names the lab and the run: title, seed, profile, engine version, fingerprint, status, counts, duration', async () => {
    const r = await RunReader.open(db);
    const info = await r.info();
    await r.close();
    expect(info.fingerprint).toBe(fp);
    expect(html).toContain(`<title>Lab report: ${esc(spec.title)}</title>`);
    const row = (k: string, v: string): void => expect(html).toContain(`<tr><th>${k}</th><td>${v}</td></tr>`);
    row('Lab', spec.name);
    row('Seed', String(spec.seed));
    row('Kernel profile', spec.profile);
    row('Engine version', info.engineVersion);
    row('Fingerprint', `<code>${fp}</code>`);
    row('Status', '<span class="badge pass">complete</span>');
    row('Trace events', String(info.events));
    row('Packet records', String(info.packets));
    row('Simulated duration', `${((info.endedT! - info.startedT) / 1e9).toFixed(6)} s`);
    expect(html).not.toContain('class="banner"');
  });

  it("lists every check with the result an unrecorded run of the same lab gets, and the score", async () => {
    const plain = new LabRun(spec, { solution: true });
    const report = await plain.runAll(() => undefined);
    const checks = report.steps.flatMap((s) => s.checks);
    expect(checks.length).toBeGreaterThan(3);
    for (const c of checks) {
      expect(html).toContain(`<td><span class="badge ${c.passed ? 'pass' : 'fail'}">${c.passed ? 'PASS' : 'FAIL'}</span></td><td class="mono">${esc(c.name)}</td><td class="num">${c.points}</td>`);
    }
    expect(html).toContain(`${report.points}/${report.total} points (${report.percent}%)`);
    for (const s of report.steps) expect(html).toContain(`<caption>Step ${s.index + 1}: ${esc(s.title)}</caption>`);
  });

  it('draws the topology the lab file describes, read back from the trace', async () => {
    const r = await RunReader.open(db);
    const topo = await readTopology(r);
    await r.close();
    expect(topo.nodes.map((n) => n.name)).toEqual(spec.nodes.map((n) => n.name));
    expect(topo.nodes.map((n) => n.role)).toEqual(spec.nodes.map((n) => n.role));
    const key = (a: { node: string; dev?: string; iface?: string }): string => `${a.node}:${a.dev ?? a.iface}`;
    expect(topo.links.map((l) => [key(l.a), key(l.b)])).toEqual(spec.links.map((l) => l.endpoints.map(key)));
    expect(topo.segments.map((s) => ({ name: s.name, members: s.members.map(key) }))).toEqual(spec.segments.map((s) => ({ name: s.name, members: s.members.map(key) })));
    const svg = /<svg class="topology"[\s\S]*?<\/svg>/.exec(html)![0];
    const edges = spec.links.length + spec.segments.reduce((n, s) => n + s.members.length, 0);
    expect(svg.match(/<line class="link"/g)).toHaveLength(edges);
    for (const n of spec.nodes) expect(svg).toContain(`>${n.name}</text>`);
  });

  it("counts each node's forwarded and dropped packets as the trace does", async () => {
    const r = await RunReader.open(db);
    const q = async (sql: string): Promise<Map<string, number>> => new Map((await r.query(sql)).rows.map((x) => [String(x['node']), Number(x['n'])]));
    const fwd = await q("SELECT node, count(*) AS n FROM trace WHERE fn = 'ip_forward' AND kind = 'call' GROUP BY node");
    const drop = await q("SELECT node, count(*) AS n FROM trace WHERE kind = 'drop' GROUP BY node");
    await r.close();
    expect([...fwd.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect([...drop.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const table = /<table class="counters">[\s\S]*?<\/table>/.exec(html)![0];
    for (const node of new Set([...fwd.keys(), ...drop.keys()])) {
      expect(table).toMatch(new RegExp(`<tr><td>${node}</td><td class="num">${fwd.get(node) ?? 0}</td><td class="num">\\d+</td><td class="num">${drop.get(node) ?? 0}</td></tr>`));
    }
    expect(html.match(/<svg class="plot"/g)).toHaveLength(3);
  });

  it('shows each kind of drop with its causal chain back to the packet that caused it', async () => {
    const r = await RunReader.open(db);
    const drops = (await r.query("SELECT min(seq) AS seq FROM trace WHERE kind = 'drop' GROUP BY node, fn, json_extract(data, '$.reason') ORDER BY 1")).rows.map((x) => Number(x['seq']));
    expect(drops.length).toBeGreaterThan(0);
    for (const seq of drops) {
      const chain = await r.ancestors(seq);
      expect(chain.length).toBeGreaterThan(2);
      const caption = new RegExp(`<caption>\\d+\\. drop at [^<]*the first \\(#${seq}\\) and its causes</caption>`);
      const table = html.split('<table class="events">').find((t) => caption.test(t));
      expect(table, `chain of #${seq}`).toBeDefined();
      // the root cause first, the drop itself last and highlighted
      expect(table!.indexOf(`<td class="num">${chain[0]!.seq}</td>`)).toBeGreaterThan(0);
      expect(table).toContain(`<tr class="focus"><td class="num">${seq}</td>`);
    }
    await r.close();
  });

  it('is one self-contained file', () => {
    expectSelfContained(html);
  });

  it("shows each node's final ip and /proc views as the run recorded them", async () => {
    const r = await RunReader.open(db);
    const rows = (await r.query('SELECT node, view, text FROM node_views')).rows;
    await r.close();
    expect(rows.length).toBeGreaterThan(spec.nodes.length);
    for (const row of rows) {
      const [node, view, text] = [String(row['node']), String(row['view']), String(row['text'])];
      // a view with output is shown whole; one without is named in the node's "No output" line
      if (text.trim()) expect(html).toContain(`<h4>${esc(node)}# ${esc(view)}</h4><pre class="view${text.split('\n').length < 25 ? ' short' : ''}">${esc(text)}</pre>`);
      else {
        const div = html.split('<div class="node-state">').find((d) => d.startsWith(`<h3>${esc(node)}</h3>`));
        expect(/<p class="muted">No output: .*<\/p>/.exec(div ?? '')?.[0]).toContain(`<code>${esc(view)}</code>`);
      }
    }
    expect(html).not.toContain('Not recorded: this run file holds no final node views');
  });
});

/** A run file written through the sink as a recorder would, with names and payloads chosen to break HTML. */
async function hostileRun(file: string, opts: { complete: boolean }): Promise<number> {
  const evil = '<script>alert("x")</script>\'&';
  const sink = await SqliteSink.create(file, { lab: `lab ${evil}`, seed: 7, profile: `p"><b>` }, { flushIntervalMs: 0 });
  let seq = 0;
  const ev = (node: string, fn: string, kind: TraceEvent['kind'], data: TraceEvent['data'], extra: Partial<TraceEvent> = {}): number => {
    sink.event({ seq: ++seq, t: seq * 1000, node, fn, kind, pkt: null, parent: null, data, ...extra });
    return seq;
  };
  ev(evil, 'setup_net', 'state', { role: 'router' });
  ev('h1', 'setup_net', 'state', { role: 'host' });
  ev('h1', 'register_netdevice', 'state', { dev: 'eth0', kind: 'veth' });
  ev(evil, 'register_netdevice', 'state', { dev: `e"'<0`, kind: 'veth' });
  const tx = ev('h1', 'dev_queue_xmit', 'tx', { dev: 'eth0', note: '</td></tr></table><script>x</script>' }, { pkt: 1 });
  const rx = ev(evil, 'netif_receive_skb', 'rx', { dev: `e"'<0` }, { pkt: 1, parent: tx });
  ev(evil, 'ip_rcv', 'drop', { reason: '<img src=x onerror=alert(1)>' }, { pkt: 1, parent: rx });
  if (opts.complete) await sink.close({ fingerprint: '0123456789abcdef0123456789abcdef', endedT: seq * 1000 });
  else await sink.abandon();
  const db = await openDb(file, OPEN_READWRITE);
  try {
    await run(db, 'INSERT INTO node_views (node, view, text) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)', [
      evil, 'ip route show table all', `10.0.0.0/8 dev x </pre><script>y</script>`,
      'h1', 'cat /proc/net/igmp', 'Idx\tDevice    : Count Querier\n1\tlo        :     1      V3',
      'h1', `ip mroute show <${evil}>`, '',
    ]);
  } finally {
    await closeDb(db);
  }
  await writeRunAnnotations(file, {
    lab: { name: 'x', title: `T ${evil}`, description: `**d** ${evil}` },
    checks: { steps: [{ index: 0, title: `S ${evil}`, checks: [{ name: `c${evil}`, passed: false, points: 2, message: `m ${evil}`, hint: `h ${evil}` }] }], stepCount: 2, points: 0, total: 2, percent: 0, passed: false, startupErrors: [`e ${evil}`], daemonExits: [`r1: daemon ${evil}.ts crashed`] },
  });
  return seq;
}

describe('HTML report of a hostile or incomplete run', () => {
  it('escapes every string from the run file and still renders every section', async () => {
    const file = join(dir, 'hostile.sqlite');
    await hostileRun(file, { complete: true });
    const html = await htmlOf(file);
    expectSelfContained(html);
    expect(html).not.toMatch(/<(script|img|b)\b/i);
    expect(html).not.toContain('"><b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
    // in the topology, the chains, the checks and the node views alike
    expect(html).toMatch(/<svg class="topology"[\s\S]*&lt;script&gt;alert[\s\S]*<\/svg>/);
    expect(html).toContain('e&quot;&#39;&lt;0');
    expect(html).toContain('note=&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('reason=&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<td class="mono">c&lt;script&gt;');
    expect(html).toContain('hint: h &lt;script&gt;');
    expect(html).toContain('<pre class="view short">10.0.0.0/8 dev x &lt;/pre&gt;&lt;script&gt;y&lt;/script&gt;</pre>');
    expect(html).toContain('<h4>h1# cat /proc/net/igmp</h4><pre class="view short">Idx\tDevice    : Count Querier\n1\tlo        :     1      V3</pre>');
    expect(html).toContain('<p class="muted">No output: <code>ip mroute show &lt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&gt;</code></p>');
    expect(html).toContain('Only 1 of 2 steps ran');
    expect(html).toContain('<h3>Start commands that failed</h3><pre>e &lt;script&gt;');
    expect(html).toContain('<h3>Daemon exits</h3><pre>r1: daemon &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;.ts crashed</pre>');
  });

  it('says a run is incomplete, and the CLI still exports it with a warning', async () => {
    const file = join(dir, 'incomplete.sqlite');
    const events = await hostileRun(file, { complete: false });
    const html = await htmlOf(file);
    expectSelfContained(html);
    expect(html).toContain(`<p class="banner">This run is incomplete: its recording stopped before the run ended (${events} events recorded).`);
    expect(html).toContain('<span class="badge fail">incomplete</span>');
    expect(html).toContain('<tr><th>Fingerprint</th><td><span class="muted">none (the run did not finish)</span></td></tr>');
    expect(html).toContain('recorded (the run did not finish)');
    const ex = io();
    expect(await main(['export', file, '--html', '-o', join(dir, 'incomplete.html')], ex.cli)).toBe(0);
    expect(ex.out.stderr).toContain('warning: ');
    expect(readFileSync(join(dir, 'incomplete.html'), 'utf8')).toBe(html);
  });

  it('says check results were not recorded for a run without them', async () => {
    const file = join(dir, 'bare.sqlite');
    const sink = await SqliteSink.create(file, { lab: 'bare', seed: 1, profile: 'modern' }, { flushIntervalMs: 0 });
    sink.event({ seq: 1, t: 0, node: 'a', fn: 'setup_net', kind: 'state', pkt: null, parent: null, data: { role: 'host' } });
    await sink.close({ fingerprint: 'f'.repeat(32), endedT: 0 });
    const html = await htmlOf(file);
    expectSelfContained(html);
    expect(html).toContain('Not recorded: this run file holds no check results');
    expect(html).toContain('No packet was dropped, delivered or sent up to a daemon in this run.');
    expect(html).toContain('Not recorded: this run file holds no final node views');
  });

  it('export takes the output as -o or a second argument, not both', async () => {
    const ex = io();
    expect(await main(['export', join(dir, 'lab02.sqlite'), 'a.html', '--html', '-o', 'b.html'], ex.cli)).toBe(2);
    expect(ex.out.stderr).toContain('one run file at a time');
  });
});
