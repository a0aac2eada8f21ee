// Differential tests: every scenario runs in real network namespaces and in the engine; stdout,
// stderr and exit status of every command must be byte-equal (see harness.ts, ip-scenarios.ts).

import { afterAll, describe, expect, it } from 'vitest';
import { destroyAllLabs, oracleGate, withLab } from './harness.js';
import { SCENARIOS } from './ip-scenarios.js';

const gate = oracleGate();
if (!gate.ok) console.log(`kernel-oracle tests skipped: ${gate.reason}`);

describe.skipIf(!gate.ok)('ip (iproute2 6.1) against the kernel', () => {
  afterAll(destroyAllLabs);

  for (const sc of SCENARIOS) {
    it(sc.title, () => {
      const lab = withLab(sc.title, sc.nodes, (l) => l.script(sc.script));
      expect(lab.report()).toBe('');
    });
  }
});
