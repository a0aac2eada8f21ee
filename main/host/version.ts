// The workbench's version, from package.json (read at run time so the build needs no JSON import).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'routing-lab-workbench' && pkg.version) return pkg.version;
    } catch {
      // not here; look one directory up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
