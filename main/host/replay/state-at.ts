// Replay of a recorded run: the state after any event, rebuilt from the nearest snapshot at or before
// it plus the state deltas after that snapshot (nothing is re-run), stepping, jumping to a time, and
// the causal chain of an event. The app (issue 10), the report and `workbench state` use this.

import { inflateRawSync } from 'node:zlib';
import type { NetState, NodeState } from '../../../engine/state/node-state.js';
import { apply, type Patch } from '../../../engine/state/state-diff.js';
import type { JsonValue, TraceEvent } from '../../../engine/sim/trace.js';
import { RunReader } from '../store/run-reader.js';

export class NoReplayState extends Error {}

interface SnapshotRow {
  seq: number;
  t: number;
  format: string;
  state: Buffer;
}

function decode(r: SnapshotRow): string {
  const bytes = r.format === 'json+deflate' ? inflateRawSync(r.state) : r.state;
  if (r.format !== 'json' && r.format !== 'json+deflate') throw new NoReplayState(`snapshot ${r.seq}: unknown format '${r.format}'`);
  return Buffer.from(bytes).toString('utf8');
}

export class ReplayReader {
  /** The last decoded snapshot's JSON text (stepping around one point decodes it once). */
  private snapCache: { seq: number; text: string } | null = null;
  private bound: number | null = null;

  private constructor(
    readonly reader: RunReader,
    private readonly owned: boolean,
  ) {}

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
    const info = await this.reader.info();
    const last = (await this.reader.select<{ m: number | null }>('SELECT max(seq) AS m FROM events'))[0]!.m ?? 0;
    const b = info.status === 'complete' ? last : Math.max(0, last - 1);
    if (info.status === 'complete') this.bound = b;
    return b;
  }

  /** The first seq with a state: 0 for a run recorded from its start, later for a recorder attached mid-run. */
  async replayableFrom(): Promise<number> {
    await this.replayableTo();
    return (await this.reader.select<{ s: number }>('SELECT min(seq) AS s FROM snapshots'))[0]!.s;
  }

  /** Every node's state after event `seq` (0: before the first event). */
  async stateAt(seq: number): Promise<NetState> {
    if (!Number.isInteger(seq) || seq < 0) throw new RangeError(`seq must be a non-negative integer, got ${seq}`);
    const to = await this.replayableTo();
    if (seq > to) throw new RangeError(`seq ${seq} is past the replayable end of this run (${to})`);
    const snap = (await this.reader.select<SnapshotRow>('SELECT seq, t, format, state FROM snapshots WHERE seq <= ? ORDER BY seq DESC LIMIT 1', [seq]))[0];
    if (!snap) throw new RangeError(`seq ${seq} is before the replayable start of this run (${await this.replayableFrom()})`);
    let text: string;
    if (this.snapCache?.seq === snap.seq) text = this.snapCache.text;
    else {
      text = decode(snap);
      this.snapCache = { seq: snap.seq, text };
    }
    const nodes = JSON.parse(text) as { [node: string]: JsonValue };
    const deltas = await this.reader.select<{ node: string; patch: string }>(
      'SELECT n.name AS node, d.patch FROM state_deltas d JOIN nodes n ON n.id = d.node WHERE d.seq > ? AND d.seq <= ? ORDER BY d.seq',
      [snap.seq, seq],
    );
    for (const d of deltas) nodes[d.node] = apply(nodes[d.node], JSON.parse(d.patch) as Patch);
    const t = seq === snap.seq ? snap.t : ((await this.reader.select<{ t: number }>('SELECT t FROM events WHERE seq = ?', [seq]))[0]?.t ?? snap.t);
    return { seq, t, nodes: nodes as unknown as { [node: string]: NodeState } };
  }

  /** One node's state after `seq`. */
  async nodeAt(seq: number, node: string): Promise<NodeState> {
    const s = await this.stateAt(seq);
    const n = s.nodes[node];
    if (!n) throw new RangeError(`no node "${node}" at seq ${seq} (nodes: ${Object.keys(s.nodes).join(', ')})`);
    return n;
  }

  /** The state one event later (or the same at the end). */
  async stepForward(state: NetState): Promise<NetState> {
    const to = await this.replayableTo();
    if (state.seq >= to) return state;
    const next = structuredClone(state);
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
