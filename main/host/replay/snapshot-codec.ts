// The bytes of a snapshot row written before snapshot parts (part-codec.ts, written now), still read.
// Format 'nodes+deflate' (and 'nodes', uncompressed) keeps each node's JSON
// as its own chunk, so a reader inflates and parses only the nodes it is asked for (nodeAt; a lazily
// materialised stateAt): parsing the whole ~880 KB JSON of a 100-node chain was most of a seek's time
// (test/bench/replay.ts notes). Each chunk is deflated with the largest node's text as zlib dictionary
// (nodes of one lab look alike): per-node chunks alone were 4.8× the bytes of one deflated blob, with
// the dictionary 1.2×. Layout: u32 header length, header JSON {"dict": i, "nodes": [[name, bytes], ...]},
// then the chunks in header order; the dictionary node's chunk is deflated without a dictionary.
// 'json' / 'json+deflate' (one JSON object of every node) are read for files written before.

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { JsonValue } from '../../../engine/sim/trace.js';
import { cloneJson } from '../../../engine/state/state-diff.js';

export class SnapshotFormatError extends Error {}

/** zlib keeps the last 32 KB of a dictionary. */
const DICT_MAX = 32 * 1024;

export function encodeSnapshot(nodes: readonly [name: string, json: string][], compress: boolean, level: number): { format: string; state: Buffer } {
  const texts = nodes.map(([, j]) => Buffer.from(j, 'utf8'));
  let dict = -1;
  if (compress) for (let i = 0; i < texts.length; i++) if (dict < 0 || texts[i]!.length > texts[dict]!.length) dict = i;
  const dictionary = dict >= 0 ? texts[dict]!.subarray(Math.max(0, texts[dict]!.length - DICT_MAX)) : undefined;
  const chunks = texts.map((b, i) => (!compress ? b : i === dict ? deflateRawSync(b, { level }) : deflateRawSync(b, { level, dictionary })));
  const header = Buffer.from(JSON.stringify({ dict, nodes: nodes.map(([name], i) => [name, chunks[i]!.length]) }), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(header.length);
  return { format: compress ? 'nodes+deflate' : 'nodes', state: Buffer.concat([len, header, ...chunks]) };
}

/** One decoded snapshot row: node names, and each node's JSON text on demand (decoded once, then cached). */
export class SnapshotBlob {
  readonly names: string[];
  private readonly texts = new Map<string, string>();
  private readonly chunks = new Map<string, Buffer>();
  private dictName: string | null = null;
  private dictionary: Buffer | undefined;

  constructor(
    readonly seq: number,
    readonly t: number,
    format: string,
    state: Buffer,
  ) {
    if (format === 'json' || format === 'json+deflate') {
      const all = JSON.parse((format === 'json+deflate' ? inflateRawSync(state) : state).toString('utf8')) as { [node: string]: unknown };
      this.names = Object.keys(all);
      for (const n of this.names) this.texts.set(n, JSON.stringify(all[n]));
      return;
    }
    if (format !== 'nodes' && format !== 'nodes+deflate') throw new SnapshotFormatError(`snapshot ${seq}: unknown format '${format}'`);
    const hlen = state.readUInt32BE(0);
    const header = JSON.parse(state.toString('utf8', 4, 4 + hlen)) as { dict: number; nodes: [string, number][] };
    this.names = header.nodes.map(([n]) => n);
    let off = 4 + hlen;
    for (const [name, len] of header.nodes) {
      const c = state.subarray(off, off + len);
      off += len;
      if (format === 'nodes') this.texts.set(name, c.toString('utf8'));
      else this.chunks.set(name, c);
    }
    if (off !== state.length) throw new SnapshotFormatError(`snapshot ${seq}: ${state.length - off} bytes after its last node`);
    if (format === 'nodes+deflate') this.dictName = header.nodes[header.dict]?.[0] ?? null;
  }

  /** Nodes read once (their text parsed for the caller) and nodes read twice or more (parsed value kept). */
  private readonly readOnce = new Set<string>();
  private readonly values = new Map<string, JsonValue>();

  /**
   * A fresh copy of the node's state in this snapshot (undefined if the node was not there yet), the
   * caller's to change. A node read again (scrubbing near one point) is copied from its parsed value
   * rather than parsed again: a copy costs about half a parse.
   */
  value(name: string): JsonValue | undefined {
    const kept = this.values.get(name);
    if (kept !== undefined) return cloneJson(kept);
    const text = this.text(name);
    if (text === undefined) return undefined;
    if (!this.readOnce.has(name)) {
      this.readOnce.add(name);
      return JSON.parse(text) as JsonValue;
    }
    const v = JSON.parse(text) as JsonValue;
    this.values.set(name, v);
    return cloneJson(v);
  }

  /** The node's JSON text in this snapshot (undefined if the node was not there yet). */
  text(name: string): string | undefined {
    const cached = this.texts.get(name);
    if (cached !== undefined || !this.chunks.has(name)) return cached;
    let bytes: Buffer;
    if (name === this.dictName) bytes = inflateRawSync(this.chunks.get(name)!);
    else {
      if (this.dictionary === undefined && this.dictName !== null) {
        const d = Buffer.from(this.text(this.dictName)!, 'utf8');
        this.dictionary = d.subarray(Math.max(0, d.length - DICT_MAX));
      }
      bytes = inflateRawSync(this.chunks.get(name)!, { dictionary: this.dictionary });
    }
    const s = bytes.toString('utf8');
    this.texts.set(name, s);
    return s;
  }
}
