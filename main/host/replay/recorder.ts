// ReplayRecorder: records the state a run passes through, so stateAt(seq) can rebuild it without
// re-running anything. Attached as a TraceSink *before* its SqliteSink. When event N arrives, the state
// after event N-1 is settled: a kernel path changes state just before or just after the event it emits,
// so only the nodes of events N-1 and N are checked (and, after a configuration event, the nodes at the
// other end of their links). A check compares each part's signature (engine/state/signature.ts, a flat
// list of raw values) with the last one; only a changed part is captured, and stored as a structural
// patch of what changed (state-diff.ts); a view is printed again only if a part it depends on changed.
// Configuration parts are checked only in a configuration window (configWindow()). Every
// `snapshotEvery` events every node is checked in full (which also bounds any change made without an
// event on its node) and the whole state is written as a snapshot: per node and part, the id of a
// stored part (part-codec.ts); a part unchanged since the snapshot before keeps its id and is not
// written again.

import { captureFinalViews, readPart } from '../../../engine/state/capture.js';
import { withoutSideEffects } from '../../../engine/state/quiet.js';
import { sameSignature, signPart } from '../../../engine/state/signature.js';
import { renderView } from '../../../engine/state/views.js';
import { PART_NAMES, type NodeState, type PartName } from '../../../engine/state/node-state.js';
import { diff, type Patch } from '../../../engine/state/state-diff.js';
import { VIEWS } from '../../../engine/state/views.js';
import type { Netns } from '../../../engine/net/netns.js';
import type { Network } from '../../../engine/net/network.js';
import type { JsonValue, PacketRecord, TraceEvent, TraceSink } from '../../../engine/sim/trace.js';
import type { SqliteSink } from '../store/sqlite-sink.js';
import { encodeHeader, encodePart, type PartsHeader } from './part-codec.js';

export interface RecorderOptions {
  /** Events between snapshots (see test/bench/replay.ts for how it was chosen). */
  snapshotEvery?: number;
  /**
   * Events between checks of every node in full (default: max(snapshotEvery, 5000)); a full check also
   * writes a snapshot. Between them only the nodes of each event are checked (settle()).
   */
  checkEvery?: number;
  /** Deflate snapshot headers (default true), at this zlib level (default 1); parts are stored as text (part-codec.ts). */
  compress?: boolean;
  level?: number;
}

/**
 * Snapshots store only the parts that changed (part-codec.ts), so they are cheap (~2 bytes per event
 * at 1000 on the 1M-event chain): 1000 keeps the deltas a seek applies few (full materialisation at
 * 10 % of that run: ~2.8 ms at 1000, ~5 at 5000; test/bench/replay.ts).
 */
export const DEFAULT_SNAPSHOT_EVERY = 1000;

/**
 * Checking every node in full bounds a change made without an event on its node; it cost as much as
 * the rest of the recorder at every 1000 events, so it stays at every 5000 (as when snapshots were
 * taken every 5000) while snapshots are written more often.
 */
export const DEFAULT_CHECK_EVERY = 5000;

/** Parts that change without configuration: device counters, MFC counters and queues, IGMP timers, socket queues. */
const DYNAMIC_PARTS: readonly PartName[] = ['stats', 'ipmr', 'igmp', 'sockets'];

interface NodeCache {
  role: string;
  /** Each part's signature when it was last captured (signature.ts). */
  sig: Map<PartName, unknown[]>;
  json: Map<PartName, string>;
  /** The views as JSON text, as the last snapshot wrote them; null once a view changed. */
  viewsJson: string | null;
  /** Each part's text and state_parts id at the last snapshot (the same text keeps its id). */
  partIds: Map<string, [text: string, id: number]>;
  value: Map<PartName, JsonValue>;
  views: Map<string, string>;
}

export interface RecorderStats {
  snapshots: number;
  deltas: number;
  /** Nodes checked for changes (their parts' signatures compared). */
  checks: number;
  /** Parts captured again because their signature changed. */
  partsCaptured: number;
  viewsPrinted: number;
  /** Snapshot parts written (a part unchanged since the snapshot before is not written again). */
  partsWritten: number;
}

export class ReplayRecorder implements TraceSink {
  private readonly cache = new Map<string, NodeCache>();
  private readonly every: number;
  private readonly checkEvery: number;
  private readonly compress: boolean;
  private readonly level: number;
  private prevNode: string | null = null;
  private prevKind: string | null = null;
  private lastSeq = 0;
  private lastT = 0;
  private started = false;
  private finished = false;
  readonly stats: RecorderStats = { snapshots: 0, deltas: 0, checks: 0, partsCaptured: 0, viewsPrinted: 0, partsWritten: 0 };
  private scratch: unknown[] = [];

  constructor(
    private readonly net: Network,
    private readonly sink: SqliteSink,
    opts: RecorderOptions = {},
  ) {
    this.every = opts.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    this.compress = opts.compress ?? true;
    this.level = opts.level ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) throw new RangeError(`snapshotEvery must be a positive integer, got ${this.every}`);
    this.checkEvery = opts.checkEvery ?? Math.max(this.every, DEFAULT_CHECK_EVERY);
    if (!Number.isInteger(this.checkEvery) || this.checkEvery < 1) throw new RangeError(`checkEvery must be a positive integer, got ${this.checkEvery}`);
    sink.onClose(() => this.finish());
  }

  event(ev: TraceEvent): void {
    if (this.finished) return;
    if (this.sink.lastSeq >= ev.seq) throw new Error('ReplayRecorder: attach the recorder before its SqliteSink (state rows must precede the events they follow)');
    if (!this.started) {
      this.started = true;
      this.snapshotAll(ev.seq - 1, ev.t);
    } else this.settle(ev.seq - 1, ev.node, this.configWindow(ev));
    this.prevNode = ev.node;
    this.prevKind = ev.kind;
    this.lastSeq = ev.seq;
    this.lastT = ev.t;
  }

  packet(_p: PacketRecord): void {}

  /**
   * Configuration (devices, addresses, sysctls, FIB) changes come with 'state' events. After one, the
   * rest of that simulation step (a timer, a frame's arrival, or a command run between steps) and the
   * first event after it count as a configuration window: the configuration parts are checked only then
   * (and at every snapshot); counters, queues, timers and memberships are checked after every event.
   */
  private configWindow(ev: TraceEvent): boolean {
    const steps = this.net.sim.steps;
    const open = this.configSteps === steps || this.prevKind === 'state';
    if (ev.kind === 'state') this.configSteps = steps;
    return open || ev.kind === 'state';
  }

  private configSteps = -1;

  /**
   * The state after `seq`: re-read the nodes that can have changed (every `checkEvery` events, all of
   * them); every `every` events, write a snapshot of what the recorder holds. A configuration change
   * (a 'state' event) can also change the nodes at the other end of the node's links: veth_newlink sets
   * both ends' peers after both registered, and a carrier change reaches the peer.
   */
  private settle(seq: number, node: string, config: boolean): void {
    if (seq % this.checkEvery === 0) this.snapshotAll(seq, this.lastT);
    else {
      this.updateDirty(seq, node, config);
      if (seq % this.every === 0) this.writeSnapshot(seq, this.lastT);
    }
  }

  private updateDirty(seq: number, node: string, config: boolean): void {
    const dirty = new Set<Netns>();
    for (const name of [this.prevNode, node]) {
      const ns = name === null ? undefined : this.net.nodes.get(name);
      if (!ns) continue;
      dirty.add(ns);
      if (config) for (const p of linkedNodes(ns)) dirty.add(p);
    }
    for (const ns of dirty) {
      if (this.net.nodes.get(ns.name) === ns) this.update(seq, ns, config ? PART_NAMES : DYNAMIC_PARTS);
    }
  }

  private snapshotAll(seq: number, t: number): void {
    for (const ns of this.net.nodes.values()) this.update(seq, ns);
    this.writeSnapshot(seq, t);
  }

  /** A snapshot of the state the recorder holds: per node and part, a state_parts id (written if new). */
  private writeSnapshot(seq: number, t: number): void {
    const header: PartsHeader = { parts: [...PART_NAMES, 'views'], nodes: [] };
    const current = new Map<string, number>();
    for (const [name, c] of this.cache) {
      const ids: number[] = [];
      for (const part of PART_NAMES) ids.push(this.partId(c, part, c.json.get(part) ?? 'null', current));
      ids.push(this.partId(c, 'views', (c.viewsJson ??= JSON.stringify(Object.fromEntries(c.views))), current));
      header.nodes.push({ name, role: c.role, ids });
    }
    this.lastSnapshotParts = current;
    this.sink.state({ table: 'snapshots', seq, t, ...encodeHeader(header, this.compress, this.level) });
    this.stats.snapshots++;
  }

  /** Part texts of the last snapshot → their state_parts ids (nodes with the same text share a row). */
  private lastSnapshotParts = new Map<string, number>();
  private nextPartId = 1;

  /** The state_parts id of a node's part text: the node's own from the snapshot before, a shared one, or a new row. */
  private partId(c: NodeCache, part: string, text: string, current: Map<string, number>): number {
    const mine = c.partIds.get(part);
    let id = mine !== undefined && mine[0] === text ? mine[1] : (current.get(text) ?? this.lastSnapshotParts.get(text));
    if (id === undefined) {
      id = this.nextPartId++;
      this.sink.state({ table: 'state_parts', id, data: encodePart(text) });
      this.stats.partsWritten++;
    }
    if (mine?.[1] !== id) c.partIds.set(part, [text, id]);
    current.set(text, id);
    return id;
  }

  /** Checks `ns` for changes and writes the patch of what changed (nothing if nothing did). */
  private update(seq: number, ns: Netns, parts: readonly PartName[] = PART_NAMES): void {
    this.stats.checks++;
    const c = this.cache.get(ns.name);
    const changedParts: PartName[] = [];
    const devs = ns.deviceList();
    for (const part of c ? parts : PART_NAMES) {
      const sig = signPart(ns, part, this.scratch, devs);
      const old = c?.sig.get(part);
      if (old && sameSignature(old, sig)) continue;
      changedParts.push(part);
      // Keep this signature; its old array becomes the next scratch.
      this.scratch = old ?? [];
      c?.sig.set(part, sig);
      if (!c) this.pendingSigs.set(part, sig);
    }
    if (changedParts.length === 0) return;
    withoutSideEffects(ns.sim, () => this.capture(seq, ns, c, changedParts));
  }

  private readonly pendingSigs = new Map<PartName, unknown[]>();

  private capture(seq: number, ns: Netns, cached: NodeCache | undefined, parts: readonly PartName[]): void {
    const patch: { [key: string]: Patch } = {};
    let c = cached;
    if (!c) {
      c = { role: ns.role, sig: new Map(this.pendingSigs), json: new Map(), viewsJson: null, partIds: new Map(), value: new Map(), views: new Map() };
      this.pendingSigs.clear();
      this.cache.set(ns.name, c);
      patch['node'] = { '=': ns.name };
      patch['role'] = { '=': ns.role };
    }
    const dirty = new Set<PartName>();
    for (const part of parts) {
      this.stats.partsCaptured++;
      const v = readPart(ns, part) as unknown as JsonValue;
      const j = JSON.stringify(v);
      if (c.json.get(part) === j) continue;
      const p = diff(c.value.get(part), v);
      if (p) patch[part] = p;
      c.json.set(part, j);
      c.value.set(part, v);
      dirty.add(part);
    }
    if (dirty.size > 0) {
      const vp: { [view: string]: Patch } = {};
      let anyView = false;
      for (const v of VIEWS) {
        if (c.views.has(v.name) && !v.deps.some((d) => dirty.has(d))) continue;
        const text = renderView(ns, v);
        this.stats.viewsPrinted++;
        const old = c.views.get(v.name);
        if (old === text) continue;
        vp[v.name] = old === undefined ? { '=': text } : diff(old, text)!;
        c.views.set(v.name, text);
        anyView = true;
      }
      // A node's first patch sets `views` whole; later ones patch the views that changed.
      if (anyView) c.viewsJson = null;
      if (anyView) patch['views'] = 'node' in patch ? { '=': Object.fromEntries(c.views) } : { o: vp };
    }
    if (Object.keys(patch).length === 0) return;
    this.sink.state({ table: 'state_deltas', seq, node: ns.name, patch: JSON.stringify({ o: patch }) });
    this.stats.deltas++;
  }

  /** Settles the state after the last event, writes the last snapshot and every node's final views (called by the sink's close()). */
  finish(): void {
    if (this.finished) return;
    if (this.started) this.snapshotAll(this.lastSeq, this.lastT);
    for (const ns of this.net.nodes.values()) {
      for (const [view, text] of Object.entries(captureFinalViews(ns))) this.sink.state({ table: 'node_views', node: ns.name, view, text });
    }
    this.finished = true;
  }
}

/** The nodes at the other end of a node's links (through a LAN segment's bridge: every other member). */
function linkedNodes(ns: Netns): Netns[] {
  const out: Netns[] = [];
  for (const d of ns.devices.values()) {
    const p = d.peer;
    if (!p) continue;
    if (!p.dev.segment) out.push(p.ns);
    else for (const port of p.dev.segment.ports) if (port.peer && port.peer.ns !== ns) out.push(port.peer.ns);
  }
  return out;
}

export type { NodeState };
