// `npm run web`: the workbench in a browser. Serves the built renderer and the WorkbenchApi on 127.0.0.1 and
// prints the URL with its token (the only way in).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { workerBackend } from '../service-client.js';
import { webDataDir } from '../workspace/data-dir.js';
import { startupLab } from '../workspace/startup-lab.js';
import { packageRoot, rendererDist } from './package-root.js';
import { startWebServer, type WebServer } from './server.js';

export async function serveWeb(argv: string[], log: (s: string) => void = (s) => process.stdout.write(s)): Promise<WebServer> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' }, lab: { type: 'string' } },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  const staticDir = rendererDist();
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error(`the renderer is not built (${staticDir}); run \`npm run build\``);
  const dataDir = webDataDir(values['data-dir']);
  // The lab worker reads the data directory from its environment (a copy of this one, taken at creation).
  process.env.WORKBENCH_DATA_DIR = dataDir;
  const opened = startupLab({ dataDir, labsDir: join(packageRoot(), 'labs'), lab: values.lab }, (m) => process.stderr.write(`workbench web: ${m}\n`));
  const backend = workerBackend(opened.spec);
  const web = await startWebServer({ backend, staticDir, port });
  const from = opened.origin === 'workspace' ? 'the autosaved workspace' : opened.origin === 'lab-file' ? (opened.spec.file ?? 'a lab file') : 'the built-in lab';
  log(`Routing Lab Workbench (web mode) is serving on 127.0.0.1 only.\nLab: ${opened.spec.name} (from ${from}); workspace autosaved in ${dataDir}\nOpen: ${web.url}\n`);
  const stop = (): void => {
    void web.close().then(() => backend.close()).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return web;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  serveWeb(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`workbench web: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
