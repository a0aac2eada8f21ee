// Positions back to the student's text: every character of the transpiled daemon maps to the same character
// in the TypeScript source, on the same line — including lines after long type-only stretches, where
// sucrase's own source map drifts.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { alignColumn, transpileDaemon } from '../../../main/host/sandbox/transpile.js';

const DAEMONS = join(import.meta.dirname, '..', '..', '..', 'labs', 'daemons');

describe('daemon source positions', () => {
  const files = readdirSync(DAEMONS).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

  it.each(files)('%s: each generated character maps to the same source character', (f) => {
    const source = readFileSync(join(DAEMONS, f), 'utf8');
    const t = transpileDaemon(source, f);
    const gen = t.code.split('\n');
    const src = source.split('\n');
    expect(gen.length).toBe(src.length);
    let checked = 0;
    gen.forEach((g, i) => {
      for (let c = 0; c < g.length; c++) {
        if (i === 0 && c < '"use strict";'.length && !src[0]!.startsWith('"use strict"')) continue;
        const p = t.toSource(i + 1, c + 1);
        expect(p.line).toBe(i + 1);
        expect(src[i]![p.column - 1], `${f}:${i + 1}:${c + 1}`).toBe(g[c]);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(1000);
  });

  it('aligns across deleted type annotations and refuses text that is not a subsequence', () => {
    expect(alignColumn('const x = new Map();', 'const x: Map<string, number> = new Map();', 8)).toBe(29);
    expect(alignColumn('f(a, b)', 'f<T>(a as T, b!)', 5)).toBe(13);
    expect(alignColumn('var _x = require("x")', 'import x from "x";', 0)).toBeNull();
  });

  it('a crash after the whole static daemon points at the thrown line and its column', async () => {
    const base = readFileSync(join(DAEMONS, 'static-mroute.ts'), 'utf8');
    const source = `${base}\nthrow new Error('boom');`;
    const v = await new AppService(DEFAULT_LAB).startDaemon({ node: 'r1', file: 'static-mroute.ts', source });
    const line = source.split('\n').length;
    expect(v.exit?.line).toBe(line);
    // QuickJS places a `new` call's position at its argument list.
    expect(v.exit?.column).toBe("throw new Error('boom');".indexOf('(') + 1);
  });
});
