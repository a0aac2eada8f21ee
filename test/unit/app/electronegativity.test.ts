// Security audit of the Electron shell with Electronegativity (Doyensec): the main process, the preload and
// the renderer's page (its CSP meta) as the app ships them. No high or medium finding is allowed. The same
// audit run on a deliberately weakened copy must find the weakness — so an audit that silently scans
// nothing cannot pass.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const SHIPPED = ['main/electron.ts', 'main/electron-entry.ts', 'main/preload.cts', 'renderer/index.html'];

interface Finding {
  issue: string;
  severity: string;
  file: string;
  location: string;
  row: string;
}

interface RawIssue {
  id: string;
  severity: { name: string };
  file: string;
  location: { line: number; column: number };
  sample?: string;
}

type Run = (o: Record<string, unknown>) => Promise<{ issues: RawIssue[]; errors: { file: string; message: string; tolerable: boolean }[] }>;

/**
 * The tool's own runner, called in-process: its CLI writes the CSV report with two unsynchronised writeFile
 * calls (header, then rows appended), so the header can land over the first row — read the issues directly.
 */
const runAudit = createRequire(import.meta.url)('@doyensec/electronegativity') as Run;

/** Copies `files` (path → content override or null for the repo's file) and audits the copy. */
async function audit(overrides: Record<string, string> = {}): Promise<Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rlw-eneg-'));
  for (const f of SHIPPED) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    if (overrides[f] !== undefined) writeFileSync(join(dir, f), overrides[f]);
    else copyFileSync(join(ROOT, f), join(dir, f));
  }
  // The Electron version in package.json (the tool would otherwise ask the network for it); no check of
  // Electron's release list (fetched from GitHub when the machine can reach it): the same audit everywhere.
  const r = await runAudit({ input: dir, isRelative: true, electronVersionOverride: ELECTRON_VERSION, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] });
  const fatal = r.errors.filter((e) => !e.tolerable);
  if (fatal.length) throw new Error(`electronegativity could not parse: ${fatal.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
  return r.issues.map((i) => ({ issue: i.id, severity: i.severity.name, file: i.file, location: `${i.location.line}:${i.location.column}`, row: `${i.id} ${i.severity.name} ${i.file}:${i.location.line}:${i.location.column} ${i.sample ?? ''}` }));
}

describe('Electronegativity audit of the Electron shell', () => {
  it('finds no high or medium issue in what the app ships', async () => {
    // PRELOAD_JS_CHECK fires wherever a preload is set ("review what it exposes"). Ours is reviewed and tested
    // in preload.test.ts: it requires only electron and exposes one object whose methods each invoke one
    // validated IPC channel — so that one finding, on that one line, is accepted; anything else fails.
    const findings = await audit();
    const serious = findings.filter((f) => (f.severity === 'HIGH' || f.severity === 'MEDIUM') && f.issue !== 'PRELOAD_JS_CHECK');
    expect(serious).toEqual([]);
    const preload = findings.filter((f) => f.issue === 'PRELOAD_JS_CHECK');
    expect(preload.map((f) => f.file)).toEqual(preload.length ? ['main/electron.ts'] : []);
  }, 180_000);

  it('does find a weakened window (context isolation off, no sandbox) and a page without CSP', async () => {
    const main = readFileSync(join(ROOT, 'main/electron.ts'), 'utf8').replace('contextIsolation: true', 'contextIsolation: false').replace('sandbox: true', 'sandbox: false');
    const html = readFileSync(join(ROOT, 'renderer/index.html'), 'utf8').replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, '');
    expect(html).not.toMatch(/Content-Security-Policy/i);
    const findings = await audit({ 'main/electron.ts': main, 'renderer/index.html': html });
    const issues = findings.map((f) => `${f.issue}:${f.severity}`);
    const report = findings.map((f) => f.row).join('\n');
    expect(issues, report).toContain('CONTEXT_ISOLATION_JS_CHECK:HIGH');
    expect(issues, report).toContain('SANDBOX_JS_CHECK:MEDIUM');
    expect(issues, report).toContain('CSP_GLOBAL_CHECK:MEDIUM');
  }, 180_000);
});
