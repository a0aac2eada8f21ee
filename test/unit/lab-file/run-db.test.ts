// `workbench run LAB --db RUN.sqlite`: a lab run recorded from its first event, readable and exportable.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../main/host/cli/workbench.js';
import { RunReader } from '../../../main/host/store/run-reader.js';
import { loadLabOrThrow } from '../../../main/host/lab/lab-file.js';
import { LabRun } from '../../../main/host/lab/lab-run.js';

const dir = mkdtempSync(join(tmpdir(), 'rlw-rundb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out = { stdout: '', stderr: '' };
  const cli: CliIO = { out: (s) => void (out.stdout += s), err: (s) => void (out.stderr += s), readFile: (p) => readFileSync(p, 'utf8') };
  return { out, cli };
}

describe('workbench run --db', () => {
  it('records the whole run, startup included, with the fingerprint of an unrecorded run', async () => {
    const db = join(dir, 'run.sqlite');
    const a = io();
    expect(await main(['run', 'labs/01-forwarding.yaml', '--solution', '--db', db], a.cli)).toBe(0);
    expect(a.out.stderr).toBe('');
    const fp = /recorded: .+ \(fingerprint ([0-9a-f]{32})\)\n$/.exec(a.out.stdout)?.[1];
    expect(fp).toBeDefined();

    // The same lab and seed without recording gives the same fingerprint: recording changes nothing.
    const plain = new LabRun(loadLabOrThrow('labs/01-forwarding.yaml', { readFile: (p) => readFileSync(p, 'utf8') }), { solution: true });
    await plain.runAll(() => undefined);
    expect(plain.session.net.sim.trace.fingerprint()).toBe(fp);

    const r = await RunReader.open(db);
    try {
      const info = await r.info();
      expect(info.status).toBe('complete');
      expect(info.fingerprint).toBe(fp);
      const first = await r.query("SELECT fn FROM trace WHERE seq = 1");
      expect(first.rows[0]).toEqual({ fn: 'setup_net' });
      const fwd = await r.query("SELECT count(*) AS n FROM trace WHERE fn = 'ip_forward' AND kind = 'call'");
      expect(Number(fwd.rows[0]!['n'])).toBeGreaterThan(0);
      expect(Number((await r.query('SELECT count(*) AS n FROM trace')).rows[0]!['n'])).toBe(plain.session.trace.events.length);
    } finally {
      await r.close();
    }

    const again = io();
    expect(await main(['run', 'labs/01-forwarding.yaml', '--db', db], again.cli)).toBe(2);
    expect(again.out.stderr).toContain('the file exists');
    const ex = io();
    expect(await main(['export', db, '--csv', '-o', join(dir, 'run.csv')], ex.cli)).toBe(0);
    expect(readFileSync(join(dir, 'run.csv'), 'utf8').split('\n')[1]).toMatch(/^1,/);
  });
});
