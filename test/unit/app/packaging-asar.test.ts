// Packaging for real with electron-builder, offline: a stand-in Electron folder (electronDist, an executable
// named `electron` and the files electron-builder copies) instead of the download, `--linux dir`. The asar
// must hold what the main process loads (entry, main, preload, lab worker, engine, renderer build, labs,
// production packages), sqlite3's native addon must be unpacked, and no sources, tests or maps ship.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'rlw-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function standInElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "stand-in for Electron 45.4.1"\n');
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), '45.4.1');
  writeFileSync(join(dir, 'LICENSE'), '');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '');
}

describe('electron-builder with a stand-in Electron', () => {
  it('packages the app whose asar holds what main loads, and nothing else of ours', () => {
    // The build (npm test builds first) is what gets packed.
    for (const f of ['dist/main/electron-entry.js', 'renderer/dist/index.html']) expect(existsSync(join(ROOT, f)), `${f}: run npm run build`).toBe(true);
    const electronDist = join(work, 'electron-dist');
    standInElectron(electronDist);
    const out = join(work, 'release');
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'electron-builder'), ['--linux', 'dir', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${out}`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, CI: 'true' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const app = join(out, 'linux-unpacked');
    expect(readdirSync(app)).toEqual(expect.arrayContaining(['routing-lab-workbench', 'resources']));
    const files = new Set(listPackage(join(app, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replace(/^[/\\]/, '').replaceAll('\\', '/')));
    for (const f of [
      'package.json',
      'dist/main/electron-entry.js',
      'dist/main/electron.js',
      'dist/main/preload.cjs',
      'dist/main/host/service-worker.js',
      'dist/main/host/service-client.js',
      'dist/engine/ipv4/ipmr.js',
      'renderer/dist/index.html',
      'labs/00-tour.yaml',
      'labs/daemons/smcroute.ts',
      'node_modules/quickjs-emscripten-core/package.json',
      'node_modules/yaml/package.json',
    ])
      expect(files.has(f), f).toBe(true);
    for (const f of files) {
      expect(f.startsWith('main/') || f.startsWith('engine/') || f.startsWith('test/') || f.startsWith('dist/test/') || f.startsWith('renderer/src/'), f).toBe(false);
      if (!f.startsWith('node_modules/')) expect(f.endsWith('.map'), f).toBe(false);
    }
    // electron-builder never packs *.d.ts: the daemon API's types reach Monaco inside the renderer bundle.
    expect(files.has('labs/daemons/daemon-api.d.ts')).toBe(false);
    const assets = join(ROOT, 'renderer', 'dist', 'assets');
    expect(readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('declare const MRT_ADD_VIF: 202;'))).toBe(true);
    // Dev tools are not packed (electron-builder packs production dependencies only).
    expect([...files].some((f) => f.startsWith('node_modules/vitest/') || f.startsWith('node_modules/electron-builder/'))).toBe(false);
    // sqlite3's addon cannot load from inside an asar: electron-builder unpacks it.
    const unpacked = join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'sqlite3');
    expect(existsSync(unpacked)).toBe(true);
  }, 300_000);
});
