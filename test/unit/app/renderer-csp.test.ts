// The renderer's policy is written twice (index.html meta for any loader, a header from web mode and app://);
// they must say the same, and the policy must stay strict.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../../main/host/web/csp.js';

const html = readFileSync(join(import.meta.dirname, '..', '..', '..', 'renderer', 'index.html'), 'utf8');
const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];

const directives = (csp: string): Map<string, string> => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v.join(' ')]));

describe('renderer CSP', () => {
  it('is the same in index.html and in the header, except frame-ancestors (header only)', () => {
    expect(meta).toBeDefined();
    const header = directives(RENDERER_CSP);
    expect(header.get('frame-ancestors')).toBe("'none'");
    header.delete('frame-ancestors');
    expect(directives(meta!)).toEqual(header);
  });

  it("allows no inline or eval'd script and nothing from other origins", () => {
    const d = directives(RENDERER_CSP);
    expect(d.get('default-src')).toBe("'none'");
    expect(d.get('script-src')).toBe("'self'");
    expect(d.get('connect-src')).toBe("'self'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('keeps the favicon request off the network', () => {
    expect(html).toContain('<link rel="icon" href="data:," />');
  });
});
