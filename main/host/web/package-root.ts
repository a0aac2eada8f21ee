// The installed app's root (where package.json and renderer/dist are), found from this module's location so
// it is the same from the sources (vitest) and from dist/.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'routing-lab-workbench') return dir;
    if (dirname(dir) === dir) throw new Error('routing-lab-workbench: package.json not found above ' + from);
  }
}

export function rendererDist(root = packageRoot()): string {
  return join(root, 'renderer', 'dist');
}
