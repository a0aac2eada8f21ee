// Snapshot parts (format 'parts' / 'parts+deflate'): headers and parts round-trip; decoded parts are
// frozen and patches go on copy-on-write (the shared part never changes); a recorder writes a part
// once and later snapshots point at it while it is unchanged; a corrupt header or part, or a part
// missing from state_parts, is refused with an error naming it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../engine/sim/trace.js';
import { apply, cloneJson, diff } from '../../../engine/state/state-diff.js';
import { decodeHeader, decodePart, encodeHeader, encodePart, type PartsHeader } from '../../../main/host/replay/part-codec.js';
import { NoReplayState, ReplayReader } from '../../../main/host/replay/state-at.js';
import { SnapshotFormatError } from '../../../main/host/replay/snapshot-codec.js';
import { all, closeDb, openDb, OPEN_READWRITE, run } from '../../../main/host/store/sqlite.js';
import { recordLab } from './record-lab.js';

const dir = mkdtempSync(join(tmpdir(), 'rlw-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json: fc.Arbitrary<JsonValue> = fc.jsonValue() as fc.Arbitrary<JsonValue>;
const header: fc.Arbitrary<PartsHeader> = fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 5 }).chain((parts) =>
  fc.record({
    parts: fc.constant(parts),
    nodes: fc.array(fc.record({ name: fc.string({ maxLength: 6 }), role: fc.constantFrom('router', 'host'), ids: fc.array(fc.nat(), { minLength: parts.length, maxLength: parts.length }) }), { maxLength: 8 }),
  }),
);

describe('snapshot parts codec', () => {
  it('round-trips headers and parts, compressed or not', () => {
    fc.assert(
      fc.property(header, json, fc.boolean(), (h, v, compress) => {
        const { format, state } = encodeHeader(h, compress, 1);
        expect(format).toBe(compress ? 'parts+deflate' : 'parts');
        expect(decodeHeader(1, format, state)).toEqual(h);
        const part = decodePart(3, encodePart(JSON.stringify(v)));
        expect(part).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('applies patches copy-on-write: the frozen part is never changed, the result equals apply()', () => {
    fc.assert(
      fc.property(json, json, json, (a, b, c) => {
        const shared = decodePart(1, encodePart(JSON.stringify(a)));
        const before = JSON.stringify(shared);
        let v: JsonValue = shared;
        let plain: JsonValue = cloneJson(a);
        for (const next of [b, c]) {
          const p = diff(plain, next);
          if (!p) continue;
          v = apply(v, cloneJson(p as unknown as JsonValue) as never);
          plain = apply(plain, p);
        }
        expect(v).toEqual(plain);
        expect(JSON.stringify(shared)).toBe(before);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  it('shares what a patch did not touch, and copies only the patched path', () => {
    const part = decodePart(1, encodePart(JSON.stringify({ eth0: { rx: 1, tx: 2 }, eth1: { rx: 3, tx: 4 } }))) as { [dev: string]: { rx: number } };
    expect(Object.isFrozen(part['eth0'])).toBe(true);
    const out = apply(part, { o: { eth0: { o: { rx: { '=': 9 } } } } }) as typeof part;
    expect(out).toEqual({ eth0: { rx: 9, tx: 2 }, eth1: { rx: 3, tx: 4 } });
    expect(out['eth1']).toBe(part['eth1']);
    expect(out['eth0']).not.toBe(part['eth0']);
    expect(part['eth0']!.rx).toBe(1);
  });

  it('refuses corrupt headers and parts with an error naming them', () => {
    const { state } = encodeHeader({ parts: ['a'], nodes: [{ name: 'r1', role: 'router', ids: [1] }] }, true, 1);
    const bad = Buffer.from(state);
    bad[0] = bad[0]! ^ 0xff;
    expect(() => decodeHeader(500, 'parts+deflate', bad)).toThrow(SnapshotFormatError);
    expect(() => decodeHeader(500, 'parts+deflate', bad)).toThrow(/^snapshot 500: corrupt (deflate data|JSON)/);
    expect(() => decodeHeader(7, 'parts', Buffer.from('{"parts":["a"],"nodes":[["r1","router"]]}'))).toThrow(/snapshot 7: malformed header/);
    expect(() => decodePart(42, Buffer.from([1, 2, 3]))).toThrow(/^snapshot part 42: corrupt JSON/);
    expect(() => decodePart(43, Buffer.from('{"a":'))).toThrow(/^snapshot part 43: corrupt JSON/);
  });
});

describe('snapshot parts in a recorded run', () => {
  it('writes an unchanged part once, reuses its id in later snapshots, and reports a corrupt or missing part', async () => {
    const db = join(dir, 'unres.sqlite');
    const rec = await recordLab('test/unit/replay/fixtures/unres-queue.yaml', db, { recorder: { snapshotEvery: 20 } });
    const s = rec.recorder!.stats;
    const raw = await openDb(db, OPEN_READWRITE);
    const snaps = await all<{ seq: number; format: string; state: Buffer }>(raw, 'SELECT seq, format, state FROM snapshots ORDER BY seq');
    const headers = snaps.map((r) => decodeHeader(r.seq, r.format, r.state));
    const ids = new Set(headers.flatMap((h) => h.nodes.flatMap((n) => n.ids)));
    const rows = (await all<{ n: number }>(raw, 'SELECT count(*) AS n FROM state_parts'))[0]!.n;
    // Every part a snapshot refers to is stored once; most parts are unchanged from one snapshot to the next.
    expect(rows).toBe(ids.size);
    expect(rows).toBe(s.partsWritten);
    const slots = headers.reduce((n, h) => n + h.nodes.length * h.parts.length, 0);
    expect(snaps.length).toBeGreaterThan(10);
    expect(rows * 4).toBeLessThan(slots);
    // A part whose value is the same in consecutive snapshots keeps its id (nothing written again).
    const text = new Map<number, string>();
    for (const r of await all<{ id: number; data: Buffer }>(raw, 'SELECT id, data FROM state_parts')) text.set(r.id, JSON.stringify(decodePart(r.id, r.data)));
    let kept = 0;
    for (let i = 1; i < headers.length; i++) {
      for (const n of headers[i]!.nodes) {
        const prev = headers[i - 1]!.nodes.find((m) => m.name === n.name);
        n.ids.forEach((id, k) => {
          if (prev && text.get(prev.ids[k]!) === text.get(id)) {
            expect(id).toBe(prev.ids[k]);
            kept++;
          }
        });
      }
    }
    expect(kept).toBeGreaterThan(slots / 2);

    const replay = await ReplayReader.open(db);
    const last = snaps.at(-1)!.seq;
    const before = await replay.stateAt(last);
    expect(Object.isFrozen(before.nodes['r1']!.sysctl)).toBe(true);
    await replay.close();
    // Corrupt one part, delete another: the reader names them.
    const hLast = headers.at(-1)!;
    const linksId = hLast.nodes.find((n) => n.name === 'r1')!.ids[hLast.parts.indexOf('links')]!;
    await run(raw, 'UPDATE state_parts SET data = ? WHERE id = ?', [Buffer.from('{"links": [truncated'), linksId]);
    const fibId = hLast.nodes.find((n) => n.name === 'h1')!.ids[hLast.parts.indexOf('fib')]!;
    await run(raw, 'DELETE FROM state_parts WHERE id = ?', [fibId]);
    await closeDb(raw);
    const broken = await ReplayReader.open(db);
    await expect(broken.nodeAt(last, 'r1')).rejects.toThrow(new RegExp(`^snapshot part ${linksId}: corrupt JSON`));
    await expect(broken.stateAt(last)).rejects.toThrow(NoReplayState);
    await expect(broken.stateAt(last)).rejects.toThrow(new RegExp(`snapshot ${last}: part ${fibId} is missing from state_parts`));
    await broken.close();
  });
});
