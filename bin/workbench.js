#!/usr/bin/env node
// Entry point of the `workbench` command: runs the compiled CLI from dist/ (built by `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/main/host/cli/workbench.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('workbench: not built yet; run `npm run build` (npm install does it) first.\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
