// "Download" of the open lab (issue 9): one YAML file with the whole lab — topology as edited, steps,
// checks, daemons and files, start commands inline, positions, and the daemon sources as edited — that the
// lab loader opens back from a directory holding nothing else, and that grades the same.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { formatLabError } from '../../../main/host/lab/lab-errors.js';
import { loadLabFile, loadLabText } from '../../../main/host/lab/lab-file.js';
import { LabRun } from '../../../main/host/lab/lab-run.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';

const LABS = join(import.meta.dirname, '..', '..', '..', 'labs');
const fsIO = { readFile: (p: string) => readFileSync(p, 'utf8') };

/** Writes the downloaded text alone in a fresh directory and loads it from there. */
function reopen(yaml: string, name = 'downloaded.yaml'): { spec: LabSpec; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'rlw-bundle-')), name);
  writeFileSync(file, yaml);
  const r = loadLabFile(file, fsIO);
  if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
  return { spec: r.spec, file };
}

function original(file: string): LabSpec {
  const r = openLabFile(join(LABS, file));
  if (!r.ok) throw new Error(`${file} did not load`);
  return r.spec;
}

const failed = async (run: LabRun): Promise<string[]> =>
  (await run.runAll()).steps
    .flatMap((s) => s.checks)
    .filter((c) => !c.passed)
    .map((c) => `${c.name}: ${c.message}`);

describe('downloading the open lab', () => {
  it('06-unresolved-queue: one file with steps, checks, scripts and layout; reopened alone, its solution passes', async () => {
    const app = new AppService(DEFAULT_LAB, { labsDir: LABS });
    await app.openLab({ file: '06-unresolved-queue.yaml' });
    const x = await app.exportLab();
    expect(x.name).toBe('06-unresolved-queue');
    const orig = original('06-unresolved-queue.yaml');
    const { spec } = reopen(x.yaml);
    expect(spec.steps!.map((s) => [s.title, s.actions.map((a) => a.type), s.checks.map((c) => c.name)])).toEqual(orig.steps!.map((s) => [s.title, s.actions.map((a) => a.type), s.checks.map((c) => c.name)]));
    expect(spec.steps!.map((s) => s.text)).toEqual(orig.steps!.map((s) => s.text));
    const r1 = spec.nodes.find((n) => n.name === 'r1')!;
    const o1 = orig.nodes.find((n) => n.name === 'r1')!;
    expect(r1.daemon!.script.source).toBe(o1.daemon!.script.source);
    expect(r1.daemon!.solution!.source).toBe(o1.daemon!.solution!.source);
    expect(spec.layout).toEqual(orig.layout);
    expect(spec.nodes.map((n) => [n.name, n.role, n.startup])).toEqual(orig.nodes.map((n) => [n.name, n.role, n.startup]));
    // Graded from the downloaded file alone: the starter fails, the reference solution passes everything.
    expect((await failed(new LabRun(spec))).length).toBeGreaterThan(0);
    expect(await failed(new LabRun(spec, { solution: true }))).toEqual([]);
    // The same run as from the shipped lab (same commands, same scripts; only the scripts' paths differ,
    // and the trace names them, so the fingerprint is not compared): same events, same check results.
    const a = new LabRun(orig, { solution: true });
    const b = new LabRun(spec, { solution: true });
    const [ra, rb] = [await a.runAll(), await b.runAll()];
    expect(b.session.net.sim.trace.eventCount).toBe(a.session.net.sim.trace.eventCount);
    const results = (r: typeof ra): string[][] => r.steps.map((s) => s.checks.map((c) => `${c.name} ${c.passed} ${c.message}`));
    expect(results(rb)).toEqual(results(ra));
  });

  it("carries the student's edited daemon script: reopened in a fresh session, that script passes the checks", async () => {
    const app = new AppService(DEFAULT_LAB, { labsDir: LABS });
    await app.openLab({ file: '06-unresolved-queue.yaml' });
    const r1 = (await app.listDaemons()).find((d) => d.node === 'r1')!;
    const solution = readFileSync(join(LABS, '06-unresolved-queue', 'solution.ts'), 'utf8');
    // The student writes the answer in the daemon pane (the reference one, with a comment of their own).
    const mine = `// my answer\n${solution}`;
    await app.saveDaemon({ node: 'r1', file: r1.file, source: mine });
    const { spec, file } = reopen((await app.exportLab()).yaml);
    expect(spec.nodes.find((n) => n.name === 'r1')!.daemon!.script.source).toBe(mine);
    // Without --solution the node's own (edited) script runs: every check passes.
    expect(await failed(new LabRun(spec))).toEqual([]);
    // Open in a fresh app session: the same guide, its daemon pane holds the edited script.
    const fresh = new AppService(DEFAULT_LAB);
    await fresh.openLab({ file });
    expect((await fresh.getGuide()).steps.map((s) => s.title)).toEqual(original('06-unresolved-queue.yaml').steps!.map((s) => s.title));
    expect((await fresh.listDaemons()).find((d) => d.node === 'r1')!.source).toBe(mine);
  });

  it('inlines `startup:` files and keeps the edited topology and positions (01-forwarding)', async () => {
    const app = new AppService(DEFAULT_LAB, { labsDir: LABS });
    await app.openLab({ file: '01-forwarding.yaml' });
    const lab = await app.getLab();
    const host = lab.nodes.find((n) => n.role === 'host')!;
    await app.applyTopology({
      nodes: lab.nodes.map((n) => ({ name: n.name, role: n.role, exec: n.name === host.name ? [...(n.startup ?? []), 'sysctl -w net.ipv4.ip_forward=0'] : (n.startup ?? []) })),
      links: lab.links,
      segments: lab.segments,
      layout: { ...lab.layout, [host.name]: { x: 321, y: 54 } },
    });
    const x = await app.exportLab();
    expect(x.yaml).not.toMatch(/^\s+startup:/m);
    const { spec } = reopen(x.yaml);
    expect(spec.nodes.find((n) => n.name === host.name)!.startup.at(-1)).toBe('sysctl -w net.ipv4.ip_forward=0');
    expect(spec.nodes.map((n) => n.startup)).toEqual((await app.getLab()).nodes.map((n) => n.startup));
    expect(spec.layout![host.name]).toEqual({ x: 321, y: 54 });
    expect(spec.steps!.length).toBe(original('01-forwarding.yaml').steps!.length);
  });

  it('a lab with extra daemon processes in its steps carries them too (11-igmpv2)', async () => {
    const app = new AppService(DEFAULT_LAB, { labsDir: LABS });
    await app.openLab({ file: '11-igmpv2.yaml' });
    const { spec } = reopen((await app.exportLab()).yaml);
    const orig = original('11-igmpv2.yaml');
    const scripts = (s: LabSpec): string[] => (s.steps ?? []).flatMap((st) => st.actions.flatMap((a) => (a.type === 'daemon' && a.script ? [a.script.source] : [])));
    expect(scripts(spec).length).toBeGreaterThan(0);
    expect(scripts(spec)).toEqual(scripts(orig));
    expect(await failed(new LabRun(spec, { solution: true }))).toEqual([]);
  });

  it('a lab never saved (the built-in one) downloads as a loadable file with its positions', async () => {
    const app = new AppService(DEFAULT_LAB);
    await app.moveNode({ node: 'r1', x: 10, y: 20 });
    const { spec } = reopen((await app.exportLab()).yaml);
    expect(spec.nodes.map((n) => n.name)).toEqual(DEFAULT_LAB.nodes.map((n) => n.name));
    expect(spec.layout!.r1).toEqual({ x: 10, y: 20 });
  });
});

describe('saving over a downloaded lab', () => {
  it('refreshes its embedded scripts and positions (no stale copy next to the edits)', async () => {
    const app = new AppService(DEFAULT_LAB, { labsDir: LABS });
    await app.openLab({ file: '06-unresolved-queue.yaml' });
    const { file } = reopen((await app.exportLab()).yaml, 'mine.yaml');
    const s = new AppService(DEFAULT_LAB);
    await s.openLab({ file });
    const r1 = (await s.listDaemons()).find((d) => d.node === 'r1')!;
    await s.saveDaemon({ node: 'r1', file: r1.file, source: `${r1.source}// edited\n` });
    await s.moveNode({ node: 'src', x: 1, y: 2 });
    await s.saveLab({ file });
    const back = loadLabFile(file, fsIO);
    if (!back.ok) throw new Error(back.errors.map(formatLabError).join('\n'));
    expect(back.spec.nodes.find((n) => n.name === 'r1')!.daemon!.script.source).toBe(`${r1.source}// edited\n`);
    expect(back.spec.layout!.src).toEqual({ x: 1, y: 2 });
    expect(back.spec.steps!.length).toBe(original('06-unresolved-queue.yaml').steps!.length);
  });
});

describe('the loader reads embedded scripts and layout', () => {
  const base = (extra: string): string => `name: t\ntitle: T\ntopology:\n  nodes:\n    r1: { role: router, daemon: { script: d/r1.ts } }\n  lans:\n    lan0: ["r1:eth0"]\n${extra}`;

  it('uses `scripts:` instead of the file and `layout:` for nodes and LANs', () => {
    const r = loadLabText(base('scripts:\n  d/r1.ts: |\n    console.log("hi");\nlayout:\n  r1: { x: 1, y: 2 }\n  lan0: { x: 3, y: 4 }\n'), '/nowhere/t.yaml', { readFile: () => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); } });
    if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
    expect(r.spec.nodes[0]!.daemon!.script).toEqual({ file: '/nowhere/d/r1.ts', source: 'console.log("hi");\n' });
    expect(r.spec.layout).toEqual({ r1: { x: 1, y: 2 }, lan0: { x: 3, y: 4 } });
  });

  it('names an unknown layout entry and a missing script at file:line:col', () => {
    const r = loadLabText(base('layout:\n  r9: { x: 1, y: 2 }\n'), '/nowhere/t.yaml', { readFile: () => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); } });
    expect(r.ok).toBe(false);
    const msgs = r.ok ? [] : r.errors.map(formatLabError);
    expect(msgs).toContainEqual(expect.stringMatching(/^\/nowhere\/t\.yaml:9:3: .*"r9" is neither a node nor a LAN/));
    expect(msgs).toContainEqual(expect.stringMatching(/^\/nowhere\/t\.yaml:5:43: .*daemon script \/nowhere\/d\/r1\.ts does not exist/));
  });
});
