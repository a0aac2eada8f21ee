// The reader's side of snapshot parts (part-codec.ts): the rows of `state_parts` a seek needs are read
// once and decoded once, when a node that holds them is first read, then shared (deep-frozen) by every
// state handed out after. Moving to another snapshot decodes only the parts that changed since the
// snapshots read before: reading every node of a 100-router chain went from parsing ~880 KB of JSON to
// building 102 small objects (test/bench/replay.ts).

import type { JsonValue } from '../../../engine/sim/trace.js';
import type { RunReader } from '../store/run-reader.js';
import { decodeHeader, decodePart, type PartsHeader } from './part-codec.js';
import { SnapshotFormatError } from './snapshot-codec.js';

/** Parts kept at most (a 1M-event chain run has a few thousand distinct parts; a part is ~1 KB decoded). */
const MAX_KEPT = 100_000;

/** One state_parts row: its bytes until first used, then its decoded (deep-frozen) value. */
export class PartEntry {
  private v: JsonValue | undefined;

  constructor(
    readonly id: number,
    private bytes: Buffer | null,
  ) {}

  value(): JsonValue {
    if (this.v === undefined) {
      this.v = decodePart(this.id, this.bytes!);
      this.bytes = null;
    }
    return this.v;
  }
}

export class PartStore {
  private readonly entries = new Map<number, PartEntry>();

  constructor(private readonly reader: RunReader) {}

  /**
   * The entries of these ids, reading the rows not read yet (one query). Past MAX_KEPT the store forgets
   * what it holds; entries already handed out stay usable (states built before still materialise).
   */
  async load(seq: number, ids: Iterable<number>, into: Map<number, PartEntry>): Promise<void> {
    const missing = new Set<number>();
    for (const id of ids) {
      if (into.has(id)) continue;
      const e = this.entries.get(id);
      if (e) into.set(id, e);
      else missing.add(id);
    }
    if (missing.size === 0) return;
    if (this.entries.size + missing.size > MAX_KEPT) this.entries.clear();
    // The ids come from a decoded header (integers only): safe to inline.
    const rows = await this.reader.select<{ id: number; data: Buffer }>(`SELECT id, data FROM state_parts WHERE id IN (${[...missing].join(',')})`);
    for (const r of rows) {
      const e = new PartEntry(r.id, r.data);
      this.entries.set(r.id, e);
      into.set(r.id, e);
    }
    for (const id of missing) if (!into.has(id)) throw new SnapshotFormatError(`snapshot ${seq}: part ${id} is missing from state_parts`);
  }
}

/** One 'parts' snapshot row: node names and, per node, a fresh node object over shared parts. */
export class PartsSnapshot {
  readonly names: string[];
  private readonly header: PartsHeader;
  private readonly index = new Map<string, number>();
  /** The parts this snapshot's nodes read (ready()). */
  private readonly parts = new Map<number, PartEntry>();

  constructor(
    readonly seq: number,
    readonly t: number,
    private readonly format: string,
    state: Buffer,
    private readonly store: PartStore,
  ) {
    this.header = decodeHeader(seq, format, state);
    this.names = this.header.nodes.map((n) => n.name);
    this.header.nodes.forEach((n, i) => this.index.set(n.name, i));
  }

  /** Reads the parts of these nodes (all of them by default) that the store does not hold yet. */
  async ready(names: readonly string[] = this.names): Promise<void> {
    const ids: number[] = [];
    for (const name of names) {
      const i = this.index.get(name);
      if (i !== undefined) ids.push(...this.header.nodes[i]!.ids);
    }
    await this.store.load(this.seq, ids, this.parts);
  }

  /**
   * The node's state in this snapshot (undefined if the node was not there yet): a fresh object whose
   * parts are shared and frozen (apply patches with state-diff's apply, which copies frozen containers; cloneJson it to change it freely).
   */
  value(name: string): JsonValue | undefined {
    const i = this.index.get(name);
    if (i === undefined) return undefined;
    const n = this.header.nodes[i]!;
    const o: { [key: string]: JsonValue } = { node: n.name, role: n.role };
    const parts = this.header.parts;
    for (let k = 0; k < parts.length; k++) {
      const e = this.parts.get(n.ids[k]!);
      if (!e) throw new SnapshotFormatError(`snapshot ${this.seq}: node ${name} read before its parts (ready())`);
      const v = e.value();
      if (parts[k] === '__proto__') Object.defineProperty(o, '__proto__', { value: v, writable: true, enumerable: true, configurable: true });
      else o[parts[k]!] = v;
    }
    return o;
  }
}
