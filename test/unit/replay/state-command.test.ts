// `workbench run LAB --db RUN.sqlite` records replay state; `workbench state RUN.sqlite` prints it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../main/host/cli/workbench.js';
import { ReplayReader } from '../../../main/host/replay/state-at.js';

const dir = mkdtempSync(join(tmpdir(), 'rlw-statecmd-'));
const db = join(dir, 'run.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
  const o = { stdout: '', stderr: '' };
  const io: CliIO = { out: (s) => void (o.stdout += s), err: (s) => void (o.stderr += s), readFile: (p) => readFileSync(p, 'utf8') };
  const rc = await main(argv, io);
  return { rc, ...o };
}

describe('workbench state', () => {
  beforeAll(async () => {
    const r = await cli(['run', 'test/unit/replay/fixtures/unres-queue.yaml', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.rc).toBe(0);
  });

  it('prints a node view after a given event, as stateAt has it', async () => {
    const replay = await ReplayReader.open(db);
    try {
      const drop = (await replay.reader.events({ fn: 'ipmr_cache_unresolved', kind: 'drop' }))[0]!;
      const r = await cli(['state', db, '--seq', String(drop.seq), '--node', 'r1', '--view', 'cat /proc/net/ip_mr_cache']);
      expect(r.rc).toBe(0);
      const text = (await replay.nodeAt(drop.seq, 'r1')).views['cat /proc/net/ip_mr_cache']!;
      expect(text).toContain('010101EF 0200000A -1');
      expect(r.stdout).toBe(`# state after event ${drop.seq} (t = ${(drop.t / 1e9).toFixed(9)} s)\n\n## r1: cat /proc/net/ip_mr_cache\n${text}`);
      const json = await cli(['state', db, '--seq', String(drop.seq), '--node', 'r1', '--json']);
      const parsed = JSON.parse(json.stdout) as { seq: number; nodes: Record<string, { ipmr: { tables: { unres: { queued: number }[] }[] } }> };
      expect(parsed.seq).toBe(drop.seq);
      expect(parsed.nodes['r1']!.ipmr.tables[0]!.unres[0]!.queued).toBe(4);
    } finally {
      await replay.close();
    }
  });

  it('defaults to the end of the run, and finds the state at a time', async () => {
    const end = await cli(['state', db, '--node', 'r1', '--view', 'ip mroute show']);
    expect(end.rc).toBe(0);
    expect(end.stdout).toMatch(/^# state after event \d+ .*\n\n## r1: ip mroute show\n$/);
    const at = await cli(['state', db, '--time', '1.0', '--node', 'r1', '--view', 'ip mroute show']);
    expect(at.stdout).toMatch(/\(10\.0\.0\.2,239\.1\.1\.1\) +Iif: unresolved +State: unresolved\n$/);
  });

  it('reports bad usage and bad requests', async () => {
    expect((await cli(['state'])).rc).toBe(2);
    expect((await cli(['state', db, '--seq', 'x'])).stderr).toContain("--seq needs a non-negative integer, got 'x'");
    const far = await cli(['state', db, '--seq', '99999999']);
    expect(far.rc).toBe(1);
    expect(far.stderr).toMatch(/past the replayable end of this run \(\d+\)/);
    const node = await cli(['state', db, '--node', 'nope']);
    expect(node.stderr).toContain("no node 'nope'");
    expect((await cli(['state', join(dir, 'missing.sqlite')])).rc).toBe(1);
  });
});
