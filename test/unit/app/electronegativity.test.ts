// Security audit of the Electron shell with Electronegativity (Doyensec): the main process, the preload and
// the renderer's page (its CSP meta) as the app ships them. No high or medium finding is allowed. The same
// audit run on a deliberately weakened copy must find the weakness — so an audit that silently scans
// nothing cannot pass.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin', 'electronegativity');
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const SHIPPED = ['main/electron.ts', 'main/electron-entry.ts', 'main/preload.cts', 'renderer/index.html'];

interface Finding {
  issue: string;
  severity: string;
  file: string;
  location: string;
}

/** Copies `files` (path → content override or null for the repo's file) and audits the copy. */
function audit(overrides: Record<string, string> = {}): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), 'rlw-eneg-'));
  for (const f of SHIPPED) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    if (overrides[f] !== undefined) writeFileSync(join(dir, f), overrides[f]);
    else copyFileSync(join(ROOT, f), join(dir, f));
  }
  const out = join(dir, 'report.csv');
  // -e: the Electron version in package.json (the tool would otherwise ask the network for it).
  const r = spawnSync(BIN, ['-i', dir, '-r', '-e', ELECTRON_VERSION, '-o', out], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`electronegativity failed (${r.status}): ${r.stderr}`);
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => {
    const [issue, severity, , file, location] = row.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return { issue: issue!, severity: severity!, file: file!, location: location! };
  });
}

describe('Electronegativity audit of the Electron shell', () => {
  it('finds no high or medium issue in what the app ships', () => {
    // PRELOAD_JS_CHECK fires wherever a preload is set ("review what it exposes"). Ours is reviewed and tested
    // in preload.test.ts: it requires only electron and exposes one object whose methods each invoke one
    // validated IPC channel — so that one finding, on that one line, is accepted; anything else fails.
    const findings = audit();
    const serious = findings.filter((f) => (f.severity === 'HIGH' || f.severity === 'MEDIUM') && f.issue !== 'PRELOAD_JS_CHECK');
    expect(serious).toEqual([]);
    const preload = findings.filter((f) => f.issue === 'PRELOAD_JS_CHECK');
    expect(preload.map((f) => f.file)).toEqual(preload.length ? ['main/electron.ts'] : []);
  }, 180_000);

  it('does find a weakened window (context isolation off, no sandbox) and a page without CSP', () => {
    const main = readFileSync(join(ROOT, 'main/electron.ts'), 'utf8').replace('contextIsolation: true', 'contextIsolation: false').replace('sandbox: true', 'sandbox: false');
    const html = readFileSync(join(ROOT, 'renderer/index.html'), 'utf8').replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, '');
    const issues = audit({ 'main/electron.ts': main, 'renderer/index.html': html }).map((f) => `${f.issue}:${f.severity}`);
    expect(issues).toContain('CONTEXT_ISOLATION_JS_CHECK:HIGH');
    expect(issues).toContain('SANDBOX_JS_CHECK:MEDIUM');
    expect(issues).toContain('CSP_GLOBAL_CHECK:MEDIUM');
  }, 180_000);
});
