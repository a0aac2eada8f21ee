// `npm start`: the desktop app if Electron can run here, else web mode (with a note saying so). On a user's
// machine `require('electron')` downloads the binary on first use; where that is impossible (offline, CI)
// or Electron exits at once (no display), the same renderer is served to a browser instead.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './package-root.js';
import { serveWeb } from './serve.js';

const MARK = 'ELECTRON_PATH=';

/** The Electron executable, or the reason there is none. Runs in a child: electron's index.js may download. */
export function findElectron(root: string): { path: string } | { error: string } {
  const r = spawnSync(process.execPath, ['-e', `process.stdout.write('\\n${MARK}' + require('electron'))`], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60_000,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(MARK));
  if (r.status === 0 && line) {
    const path = line.slice(MARK.length);
    if (existsSync(path)) return { path };
  }
  const why = (r.stderr ?? '').split('\n').find((l) => /Error|failed/i.test(l)) ?? `exit status ${r.status}`;
  return { error: why.trim() };
}

async function main(argv: string[]): Promise<void> {
  const root = packageRoot();
  const web = argv.includes('--web') || process.env.WORKBENCH_WEB === '1';
  if (!web) {
    const found = findElectron(root);
    if ('path' in found) {
      const started = Date.now();
      const child = spawn(found.path, [root], { stdio: 'inherit' });
      const code = await new Promise<number>((ok) => {
        child.on('error', () => ok(-1));
        child.on('exit', (c) => ok(c ?? 1));
      });
      // A clean quit, or a crash after running a while, ends `npm start`; failing to start at all falls back.
      if (code === 0 || Date.now() - started > 10_000) process.exit(code);
      process.stdout.write(`Electron could not start (exit status ${code}); starting web mode instead.\n`);
    } else {
      process.stdout.write(`Electron is not available here (${found.error}); starting web mode instead.\n`);
    }
  }
  await serveWeb(argv.filter((a) => a !== '--web'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`workbench start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
