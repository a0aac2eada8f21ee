// The packaging layout without electron-builder (not installable offline here): everything the Electron main
// process loads — its static import graph, the preload and the lab worker it starts by URL, the renderer
// build — must be matched by electron-builder.yml's `files`, and every package it imports must be a
// production dependency (electron-builder packs only those).

import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const config = YAML.parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  npmRebuild: boolean;
  asar: boolean;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

/** electron-builder's glob subset used here: `**`, `*`, and `!` exclusions. */
function globRe(glob: string): RegExp {
  const re = glob
    .split('**/')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${re.replace(/\/\*\*$/, '(?:/.*)?')}$`);
}

function packaged(path: string): boolean {
  const include = config.files.filter((f) => !f.startsWith('!'));
  const exclude = config.files.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
  return include.some((g) => globRe(g).test(path)) && !exclude.some((g) => globRe(g).test(path));
}

/** dist/ paths of every module reachable from main/electron.ts, plus the bare packages they import. */
function electronGraph(): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (src: string): void => {
    const distPath = `dist/${src.replace(/\.cts$/, '.cjs').replace(/\.ts$/, '.js')}`;
    if (files.has(distPath)) return;
    files.add(distPath);
    const text = readFileSync(join(ROOT, src), 'utf8');
    const specs = [
      ...[...text.matchAll(/^import (?!type )(?:[^;]*?from )?'([^']+)';/gms)].map((m) => m[1]!),
      ...[...text.matchAll(/^import [\w$]+ = require\('([^']+)'\);/gm)].map((m) => m[1]!),
      ...[...text.matchAll(/new URL\('(\.[^']+)', import\.meta\.url\)/g)].map((m) => m[1]!),
    ];
    for (const s of specs) {
      if (s.startsWith('.')) visit(relative(ROOT, join(dirname(join(ROOT, src)), s)).replace(/\.c?js$/, (e) => (e === '.cjs' ? '.cts' : '.ts')));
      else packages.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    }
  };
  visit(pkg.main.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
  visit('main/preload.cts');
  return { files, packages };
}

describe('packaging (electron-builder.yml)', () => {
  it("starts at package.json's main, the compiled Electron shell", () => {
    expect(pkg.main).toBe('dist/main/electron-entry.js');
    expect(packaged(pkg.main)).toBe(true);
  });

  it('packs every module the main process, the preload and the lab worker load', () => {
    const { files } = electronGraph();
    expect(files).toContain('dist/main/electron.js');
    expect(files).toContain('dist/main/preload.cjs');
    expect(files).toContain('dist/main/host/service-worker.js');
    expect(files).toContain('dist/engine/iproute2/shell.js');
    expect([...files].filter((f) => !packaged(f))).toEqual([]);
  });

  it('packs the renderer build and the labs, but no sources, tests or source maps', () => {
    for (const f of ['renderer/dist/index.html', 'renderer/dist/assets/index-abc.js', 'labs/01-forwarding.yaml', 'labs/daemons/smcroute.ts']) expect(packaged(f), f).toBe(true);
    for (const f of ['main/electron.ts', 'engine/net/dev.ts', 'dist/test/bench/run.js', 'dist/main/electron.js.map', 'renderer/src/main.ts', 'test/e2e/web-mode.test.ts']) expect(packaged(f), f).toBe(false);
  });

  it('imports only production dependencies, Node built-ins and electron', () => {
    const { packages } = electronGraph();
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const missing = [...packages].filter((p) => p !== 'electron' && !builtins.has(p) && !(p in pkg.dependencies));
    expect(missing).toEqual([]);
  });

  it('builds Linux AppImage and deb, Windows nsis, macOS dmg, without rebuilding native modules', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.npmRebuild).toBe(false);
    expect(config.asar).toBe(true);
  });
});
