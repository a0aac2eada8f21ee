// Replay of a recorded run: the state after any event, rebuilt from the nearest snapshot at or before
// it plus the state deltas after that snapshot (nothing is re-run), stepping, jumping to a time, and
// the causal chain of an event. The app (issue 10), the report and `workbench state` use this.

import type { NetState, NodeState } from '../../../engine/state/node-state.js';
import { apply, cloneJson, type Patch } from '../../../engine/state/state-diff.js';
import type { JsonValue, TraceEvent } from '../../../engine/sim/trace.js';
import { RunReader } from '../store/run-reader.js';
import { isPartsFormat } from './part-codec.js';
import { PartsSnapshot, PartStore } from './part-store.js';
import { SnapshotBlob, SnapshotFormatError } from './snapshot-codec.js';

/** A decoded snapshot row: its node names and each node's state in it (a fresh top-level object). */
type Snapshot = { readonly seq: number; readonly names: readonly string[]; value(name: string): JsonValue | undefined };

export class NoReplayState extends Error {}

interface SnapshotRow {
  seq: number;
  t: number;
  format: string;
  state: Buffer;
  /** The t of the event asked for (null if none: seq 0). */
  et: number | null;
}

// The snapshot at or before ?1 and the t of event ?1, in one query (each query is a thread-pool round trip).
const SNAPSHOT_SQL = 'SELECT s.seq, s.t, s.format, s.state, (SELECT t FROM events WHERE seq = ?1) AS et FROM snapshots s WHERE s.seq <= ?1 ORDER BY s.seq DESC LIMIT 1';
const AFTER_SNAPSHOT = '(SELECT max(seq) FROM snapshots WHERE seq <= ?1)';

/**
 * Every node's state after some seq, each node built on first access: from its snapshot parts (shared,
 * decoded once per reader) or chunk, then its deltas applied copy-on-write. Reading a property
 * materialises it in place, so the object behaves as plain data (JSON.stringify, structuredClone, deep
 * equality). Parts the deltas did not touch are shared between states and frozen: cloneJson to change.
 */
function lazyNodes(snap: Snapshot, patches: Map<string, string[]>): { [node: string]: JsonValue } {
  const nodes: { [node: string]: JsonValue } = {};
  const define = (name: string): void => {
    const materialise = (): JsonValue => {
      let v = decoded(() => snap.value(name));
      const list = patches.get(name);
      // One JSON.parse for all of a node's patches: cheaper than one call each.
      if (list) for (const p of JSON.parse(`[${list.join(',')}]`) as Patch[]) v = apply(v, p);
      Object.defineProperty(nodes, name, { value: v, writable: true, enumerable: true, configurable: true });
      return v!;
    };
    Object.defineProperty(nodes, name, {
      get: materialise,
      set: (v: JsonValue) => Object.defineProperty(nodes, name, { value: v, writable: true, enumerable: true, configurable: true }),
      enumerable: true,
      configurable: true,
    });
  };
  for (const name of snap.names) define(name);
  for (const name of patches.keys()) if (!Object.prototype.hasOwnProperty.call(nodes, name)) define(name);
  return nodes;
}

/** A snapshot part decoded on first read: a corrupt one is reported as NoReplayState, naming it. */
function decoded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof SnapshotFormatError ? new NoReplayState(e.message) : e;
  }
}

export class ReplayReader {
  /** The last decoded snapshot (stepping or scrubbing around one point decodes each node once). */
  private snapCache: Snapshot | null = null;
  /** Decoded snapshot parts, shared across seeks (part-store.ts). */
  private readonly parts: PartStore;
  private bound: number | null = null;
  /** nodes.id → name (deltas are read by id: a join per delta row cost more than the lookup). */
  private nodeNames = new Map<number, string>();

  private constructor(
    readonly reader: RunReader,
    private readonly owned: boolean,
  ) {
    this.parts = new PartStore(reader);
  }

  /** Opens a run file for replay (read-only). */
  static async open(file: string): Promise<ReplayReader> {
    return new ReplayReader(await RunReader.open(file), true);
  }

  /** Replay over an already open reader (not closed by close()). */
  static over(reader: RunReader): ReplayReader {
    return new ReplayReader(reader, false);
  }

  /**
   * The last seq whose state the file holds: the last event of a complete run; for a run that stopped
   * (killed, crashed) the one before its last committed event, whose state was written with it.
   */
  async replayableTo(): Promise<number> {
    if (this.bound !== null) return this.bound;
    const snaps = await this.reader.select<{ n: number }>('SELECT count(*) AS n FROM snapshots');
    if (snaps[0]!.n === 0) throw new NoReplayState(`${this.reader.file}: recorded without replay state (no snapshots; record with a ReplayRecorder)`);
    const status = await this.reader.status();
    const last = (await this.reader.select<{ m: number | null }>('SELECT max(seq) AS m FROM events'))[0]!.m ?? 0;
    const b = status === 'complete' ? last : Math.max(0, last - 1);
    if (status === 'complete') this.bound = b;
    return b;
  }

  /** The first seq with a state: 0 for a run recorded from its start, later for a recorder attached mid-run. */
  async replayableFrom(): Promise<number> {
    await this.replayableTo();
    return (await this.reader.select<{ s: number }>('SELECT min(seq) AS s FROM snapshots'))[0]!.s;
  }

  private async checkSeq(seq: number): Promise<void> {
    if (!Number.isInteger(seq) || seq < 0) throw new RangeError(`seq must be a non-negative integer, got ${seq}`);
    const to = await this.replayableTo();
    if (seq > to) throw new RangeError(`seq ${seq} is past the replayable end of this run (${to})`);
  }

  private async nodeName(id: number): Promise<string> {
    if (!this.nodeNames.has(id)) {
      for (const r of await this.reader.select<{ id: number; name: string }>('SELECT id, name FROM nodes')) this.nodeNames.set(r.id, r.name);
    }
    const n = this.nodeNames.get(id);
    if (n === undefined) throw new NoReplayState(`state delta of unknown node id ${id}`);
    return n;
  }

  /** The snapshot at or before `seq` (decoded, or the cached one) and the t after `seq`. */
  /** `node`: only that node's parts are read (nodeAt); otherwise every node's. */
  private async snapshot(seq: number, row: SnapshotRow | undefined, node?: string): Promise<{ snap: Snapshot; t: number }> {
    if (!row) throw new RangeError(`seq ${seq} is before the replayable start of this run (${await this.replayableFrom()})`);
    try {
      if (this.snapCache?.seq !== row.seq) {
        this.snapCache = isPartsFormat(row.format) ? new PartsSnapshot(row.seq, row.t, row.format, row.state, this.parts) : new SnapshotBlob(row.seq, row.t, row.format, row.state);
      }
      if (this.snapCache instanceof PartsSnapshot) await this.snapCache.ready(node === undefined ? undefined : [node]);
    } catch (e) {
      throw e instanceof SnapshotFormatError ? new NoReplayState(e.message) : e;
    }
    return { snap: this.snapCache, t: seq === row.seq ? row.t : (row.et ?? row.t) };
  }

  /**
   * Every node's state after event `seq` (0: before the first event). Nodes are decoded when first
   * read (see lazyNodes); the returned object is the caller's to keep. Parts no delta touched are
   * shared with other states and frozen: cloneJson() a node (as stepForward does) to change it.
   */
  async stateAt(seq: number): Promise<NetState> {
    await this.checkSeq(seq);
    // Both in flight at once: the deltas find their snapshot by a subquery.
    const [rows, deltas] = await Promise.all([
      this.reader.select<SnapshotRow>(SNAPSHOT_SQL, [seq]),
      this.reader.select<{ node: number; patch: string }>(`SELECT node, patch FROM state_deltas WHERE seq > ${AFTER_SNAPSHOT} AND seq <= ?1 ORDER BY seq`, [seq]),
    ]);
    const { snap, t } = await this.snapshot(seq, rows[0]);
    const patches = new Map<string, string[]>();
    for (const d of deltas) {
      const name = this.nodeNames.get(d.node) ?? (await this.nodeName(d.node));
      const list = patches.get(name);
      if (list) list.push(d.patch);
      else patches.set(name, [d.patch]);
    }
    return { seq, t, nodes: lazyNodes(snap, patches) as unknown as { [node: string]: NodeState } };
  }

  /** One node's state after `seq`: only its snapshot chunk and its own deltas are read. */
  async nodeAt(seq: number, node: string): Promise<NodeState> {
    await this.checkSeq(seq);
    const [rows, deltas] = await Promise.all([
      this.reader.select<SnapshotRow>(SNAPSHOT_SQL, [seq]),
      this.reader.select<{ patch: string }>(`SELECT d.patch FROM state_deltas d JOIN nodes n ON n.id = d.node WHERE n.name = ?2 AND d.seq > ${AFTER_SNAPSHOT} AND d.seq <= ?1 ORDER BY d.seq`, [seq, node]),
    ]);
    const { snap } = await this.snapshot(seq, rows[0], node);
    let v = decoded(() => snap.value(node));
    if (v === undefined && deltas.length === 0) {
      const names = Object.keys((await this.stateAt(seq)).nodes);
      throw new RangeError(`no node "${node}" at seq ${seq} (nodes: ${names.join(', ')})`);
    }
    for (const p of JSON.parse(`[${deltas.map((d) => d.patch).join(',')}]`) as Patch[]) v = apply(v, p);
    return v as unknown as NodeState;
  }

  /** The state one event later (or the same at the end). */
  async stepForward(state: NetState): Promise<NetState> {
    const to = await this.replayableTo();
    if (state.seq >= to) return state;
    const next = { ...state, nodes: cloneJson(state.nodes as unknown as JsonValue) as unknown as NetState['nodes'] };
    const seq = state.seq + 1;
    const deltas = await this.reader.select<{ node: string; patch: string }>('SELECT n.name AS node, d.patch FROM state_deltas d JOIN nodes n ON n.id = d.node WHERE d.seq = ?', [seq]);
    const nodes = next.nodes as unknown as { [node: string]: JsonValue };
    for (const d of deltas) nodes[d.node] = apply(nodes[d.node], JSON.parse(d.patch) as Patch);
    next.seq = seq;
    next.t = (await this.reader.select<{ t: number }>('SELECT t FROM events WHERE seq = ?', [seq]))[0]?.t ?? state.t;
    return next;
  }

  /** The state one event earlier (rebuilt from the snapshot before it). */
  stepBack(state: NetState): Promise<NetState> {
    return this.stateAt(Math.max(0, state.seq - 1));
  }

  /** The last event at or before simulated time `t` (0 if none). */
  async seqAtTime(t: number): Promise<number> {
    return (await this.reader.firstSeqAtOrAfter(t + 1)) - 1;
  }

  /** The causal chain of an event: its ancestors (root first, the event last) and everything it caused. */
  async causalChain(seq: number, limit = 10_000): Promise<{ ancestors: TraceEvent[]; descendants: TraceEvent[] }> {
    return { ancestors: await this.reader.ancestors(seq), descendants: await this.reader.descendants(seq, limit) };
  }

  /** Each node's views when the run ended (node → view → text); empty for a run that did not finish. */
  async finalViews(): Promise<{ [node: string]: { [view: string]: string } }> {
    const out: { [node: string]: { [view: string]: string } } = {};
    for (const r of await this.reader.select<{ node: string; view: string; text: string }>('SELECT node, view, text FROM node_views ORDER BY rowid')) {
      (out[r.node] ??= {})[r.view] = r.text;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.owned) await this.reader.close();
  }
}
