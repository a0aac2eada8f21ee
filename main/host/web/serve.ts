// `npm run web`: the workbench in a browser. Serves the built renderer and the WorkbenchApi on 127.0.0.1 and
// prints the URL with its token (the only way in).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DEFAULT_LAB } from '../lab/default-lab.js';
import { workerBackend } from '../service-client.js';
import { rendererDist } from './package-root.js';
import { startWebServer, type WebServer } from './server.js';

export async function serveWeb(argv: string[], log: (s: string) => void = (s) => process.stdout.write(s)): Promise<WebServer> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '0' } }, strict: true });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  const staticDir = rendererDist();
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error(`the renderer is not built (${staticDir}); run \`npm run build\``);
  const backend = workerBackend(DEFAULT_LAB);
  const web = await startWebServer({ backend, staticDir, port });
  log(`Routing Lab Workbench (web mode) is serving on 127.0.0.1 only.\nOpen: ${web.url}\n`);
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
