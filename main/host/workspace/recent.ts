// The recent labs list (<dataDir>/recent.json): lab files opened or saved, newest first, at most 10.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

export const MAX_RECENT = 10;

export function readRecent(dataDir: string): string[] {
  try {
    const v = JSON.parse(readFileSync(join(dataDir, 'recent.json'), 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function addRecent(dataDir: string, file: string): string[] {
  const list = [file, ...readRecent(dataDir).filter((f) => f !== file)].slice(0, MAX_RECENT);
  writeFileAtomic(join(dataDir, 'recent.json'), `${JSON.stringify(list, null, 2)}\n`);
  return list;
}
