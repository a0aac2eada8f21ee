// Snapshot rows: per-node chunks (deflated against a dictionary node, or plain) give back each node's
// exact JSON text; rows written before per-node chunks ('json', 'json+deflate') still read; a row
// with trailing bytes or an unknown format is refused.
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSnapshot, SnapshotBlob, SnapshotFormatError } from '../../../main/host/replay/snapshot-codec.js';

const nodeJson = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 40 }), fc.array(fc.integer(), { maxLength: 30 }))).map((o) => JSON.stringify(o));
const snapshot = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), nodeJson), { selector: ([name]) => name, maxLength: 12 });

describe('snapshot codec', () => {
  it('gives back every node of a per-node row, compressed or not, in order', () => {
    fc.assert(
      fc.property(snapshot, fc.boolean(), (nodes, compress) => {
        const { format, state } = encodeSnapshot(nodes, compress, 1);
        expect(format).toBe(compress ? 'nodes+deflate' : 'nodes');
        const blob = new SnapshotBlob(5, 9, format, state);
        expect(blob.names).toEqual(nodes.map(([n]) => n));
        // Out of order, so a node is decoded before the dictionary node was asked for.
        for (const [name, json] of [...nodes].reverse()) expect(blob.text(name)).toBe(json);
        expect(blob.text('\u0000absent')).toBeUndefined();
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('shrinks alike nodes below their deflated size one by one (the dictionary pays)', () => {
    const nodes: [string, string][] = Array.from({ length: 20 }, (_, i) => [`r${i}`, JSON.stringify({ node: `r${i}`, routes: Array.from({ length: 50 }, (_, j) => ({ dst: `10.${i}.${j}.0`, plen: 24, dev: `eth${j % 3}` })) })]);
    const { state } = encodeSnapshot(nodes, true, 1);
    const alone = nodes.reduce((n, [, j]) => n + deflateRawSync(Buffer.from(j), { level: 1 }).length, 0);
    expect(state.length).toBeLessThan(alone * 0.8);
  });

  it('hands out a fresh copy of a node on every read, parsed or copied from the kept value', () => {
    const node = { node: 'r1', devs: [{ name: 'eth0', mc: [['01:00:5e:00:00:01', 1]] }], ['__proto__']: { x: 1 } };
    const text = JSON.stringify(node); // a computed '__proto__' key is an own property: kept as data
    const { format, state } = encodeSnapshot([['r1', text], ['r2', '{"a":1}']], true, 1);
    const blob = new SnapshotBlob(0, 0, format, state);
    const expected = JSON.parse(text) as unknown;
    for (let i = 0; i < 4; i++) {
      const v = blob.value('r1') as { devs: { name: string }[] };
      expect(v).toEqual(expected);
      expect(Object.prototype.hasOwnProperty.call(v, '__proto__')).toBe(true);
      v.devs[0]!.name = `changed ${i}`;
      v.devs.push({ name: 'extra' });
    }
    expect(blob.value('absent')).toBeUndefined();
  });

  it('reads the whole-object formats of earlier files', () => {
    const all = { r1: { node: 'r1', x: [1, 2] }, h1: { node: 'h1', views: { a: 'b\nc' } } };
    const text = Buffer.from(JSON.stringify(all));
    for (const [format, state] of [['json', text], ['json+deflate', deflateRawSync(text)]] as const) {
      const blob = new SnapshotBlob(0, 0, format, state);
      expect(blob.names).toEqual(['r1', 'h1']);
      expect(JSON.parse(blob.text('h1')!)).toEqual(all.h1);
    }
  });

  it('refuses an unknown format and a row with bytes after its last node', () => {
    expect(() => new SnapshotBlob(7, 0, 'msgpack', Buffer.alloc(0))).toThrow(new SnapshotFormatError("snapshot 7: unknown format 'msgpack'"));
    const { format, state } = encodeSnapshot([['r1', '{}']], true, 1);
    expect(() => new SnapshotBlob(8, 0, format, Buffer.concat([state, Buffer.from([0])]))).toThrow(/snapshot 8: 1 bytes after its last node/);
  });
});
