// Replay correctness on the course's own labs (run with their reference solutions): for random seqs,
// stateAt(seq) equals the state captured live at that point. Together they exercise what the recorder's
// change detection must not miss: the unresolved queue and its expiry, device removal, IGMPv3 source
// filters, policy rules, and a daemon-driven dense-mode run of thousands of events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplayReader } from '../../../main/host/replay/state-at.js';
import { recordLab } from './record-lab.js';

const dir = mkdtempSync(join(tmpdir(), 'rlw-replay-labs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LABS = ['06-unresolved-queue', '09-device-removal', '12-igmpv3-sources', '16-policy-routing', '15-dense-mode'];

describe('stateAt on the labs', () => {
  for (const lab of LABS) {
    const file = `labs/${lab}.yaml`;
    it(`${lab}: equals the live state at random seqs`, async () => {
      const db = join(dir, `${lab}.sqlite`);
      // One seq in 3 captured live (the property draws among them), snapshots every 300 events.
      const rec = await recordLab(file, db, { solution: true, liveAt: (s) => s % 3 === 1, recorder: { snapshotEvery: 300 } });
      const live = rec.live!.states;
      const replay = await ReplayReader.open(db);
      try {
        expect(await replay.replayableTo()).toBe(rec.events);
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...live.keys()), async (seq) => {
            expect((await replay.stateAt(seq)).nodes).toEqual(live.get(seq)!.nodes);
          }),
          { numRuns: 60, seed: 11 },
        );
      } finally {
        await replay.close();
      }
    }, 120_000);
  }
});
