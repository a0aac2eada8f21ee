// Replay correctness: for random seqs of recorded runs of real labs, stateAt(seq) — the nearest snapshot
// plus the deltas after it — equals the state captured live at that point of the run with the same
// serialiser. Labs: a multicast one whose unresolved queue fills to 4 and expires, and two routing ones.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetState } from '../../../engine/state/node-state.js';
import { ReplayReader } from '../../../main/host/replay/state-at.js';
import { recordLab, type RecordedLab } from './record-lab.js';

const UNRES_LAB = 'test/unit/replay/fixtures/unres-queue.yaml';
const dir = mkdtempSync(join(tmpdir(), 'rlw-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Recorded {
  rec: RecordedLab;
  replay: ReplayReader;
  live: Map<number, NetState>;
}

async function record(lab: string, name: string, liveAt: (seq: number) => boolean, snapshotEvery: number, solution = false): Promise<Recorded> {
  const db = join(dir, `${name}.sqlite`);
  const rec = await recordLab(lab, db, { solution, liveAt, recorder: { snapshotEvery } });
  return { rec, replay: await ReplayReader.open(db), live: rec.live!.states };
}

/** Property: for random seqs captured live, stateAt(seq) and nodeAt(seq, each node) hold exactly the live state. */
async function checkRandomSeqs(r: Recorded, numRuns: number): Promise<void> {
  const seqs = [...r.live.keys()].sort((a, b) => a - b);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...seqs), async (seq) => {
      const got = await r.replay.stateAt(seq);
      expect(got.seq).toBe(seq);
      const live = r.live.get(seq)!.nodes;
      expect(got.nodes).toEqual(live);
      // Nodes are decoded lazily: the object still serialises as the same plain data, in the same order.
      expect(JSON.stringify(got)).toBe(JSON.stringify({ seq, t: got.t, nodes: live }));
      // nodeAt reads one node's chunk and deltas only, and gives the same state.
      for (const node of Object.keys(live)) expect(await r.replay.nodeAt(seq, node)).toEqual(live[node]);
    }),
    { numRuns, seed: 7 },
  );
}

describe('stateAt on the unresolved-queue lab', () => {
  let r: Recorded;
  beforeAll(async () => {
    // Every seq captured live; a small snapshot interval so deltas span several snapshots.
    r = await record(UNRES_LAB, 'unres', () => true, 64);
  });
  afterAll(() => r.replay.close());

  it('equals the live state at random seqs', async () => {
    expect(r.rec.report.passed).toBe(true);
    expect(await r.replay.replayableTo()).toBe(r.rec.events);
    await checkRandomSeqs(r, 150);
  });

  it('shows the queue growing to 4, the 5th and 6th packets dropped, and the entry expiring', async () => {
    const events = await r.replay.reader.events({ fn: ['ipmr_cache_unresolved', 'ipmr_expire_process', 'ipmr_destroy_unres'], limit: 100 });
    const calls = events.filter((e) => e.fn === 'ipmr_cache_unresolved' && e.kind === 'call');
    expect(calls).toHaveLength(6);
    const drops = events.filter((e) => e.fn === 'ipmr_cache_unresolved' && e.kind === 'drop');
    expect(drops).toHaveLength(2);
    const queued = async (seq: number): Promise<number | undefined> => (await r.replay.nodeAt(seq, 'r1')).ipmr?.tables[0]?.unres[0]?.queued;
    // After the k-th packet's ipmr_cache_unresolved drop or the queueing that follows its call event.
    for (const [k, call] of calls.entries()) {
      const next = events.find((e) => e.seq > call.seq)?.seq ?? call.seq + 1;
      expect(await queued(next - 1), `packet ${k + 1}`).toBe(Math.min(k + 1, 4));
    }
    // The 5th packet: dropped with the queue at 4; one step back (before its call) the queue held 4 too,
    // and before the 4th packet's call it held 3.
    const fifthDrop = drops[0]!;
    expect(await queued(fifthDrop.seq)).toBe(4);
    const fourth = calls[3]!;
    const before4 = await r.replay.stepBack(await r.replay.stateAt(fourth.seq));
    expect(before4.nodes['r1']!.ipmr!.tables[0]!.unres[0]!.queued).toBe(3);
    const st = await r.replay.nodeAt(fifthDrop.seq, 'r1');
    expect(st.views['cat /proc/net/ip_mr_cache']).toBe('Group    Origin   Iif     Pkts    Bytes    Wrong Oifs\n010101EF 0200000A -1         0        0        0\n');
    const alloc = (await r.replay.reader.events({ fn: 'ipmr_cache_alloc_unres' }))[0]!;
    expect(st.ipmr!.tables[0]!.unres[0]!.expires).toBe(alloc.data['expires']);
    const fire = events.find((e) => e.fn === 'ipmr_expire_process' && e.kind === 'timer_fire')!;
    expect(fire).toBeDefined();
    const destroyed = events.filter((e) => e.fn === 'ipmr_destroy_unres');
    expect(destroyed).toHaveLength(4);
    expect(st.ipmr!.tables[0]!.unres[0]!.expires).toBe(fire.t);
    const after = await r.replay.nodeAt(destroyed[destroyed.length - 1]!.seq, 'r1');
    expect(after.ipmr!.tables[0]!.unres).toEqual([]);
    expect(after.views['cat /proc/net/ip_mr_cache']).toBe('Group    Origin   Iif     Pkts    Bytes    Wrong Oifs\n');
  });

  it('steps forward and back through the same states stateAt gives', async () => {
    let s = await r.replay.stateAt(100);
    for (let i = 0; i < 20; i++) {
      s = await r.replay.stepForward(s);
      expect(s).toEqual(await r.replay.stateAt(101 + i));
    }
    const back = await r.replay.stepBack(s);
    expect(back).toEqual(await r.replay.stateAt(119));
    const end = await r.replay.stateAt(r.rec.events);
    expect(await r.replay.stepForward(end)).toBe(end);
  });

  it('finds the last event at or before a time, and an event causal chain', async () => {
    const all = await r.replay.reader.events({ limit: 100_000 });
    for (const i of [0, 17, 90, 150, all.length - 1]) {
      const e = all[i]!;
      const last = all.filter((x) => x.t <= e.t).at(-1)!;
      expect(await r.replay.seqAtTime(e.t)).toBe(last.seq);
    }
    expect(await r.replay.seqAtTime(all.at(-1)!.t + 1e12)).toBe(all.at(-1)!.seq);
    const drop = all.find((e) => e.fn === 'ipmr_cache_unresolved' && e.kind === 'drop')!;
    const chain = await r.replay.causalChain(drop.seq);
    expect(chain.ancestors.at(-1)!.seq).toBe(drop.seq);
    expect(chain.ancestors[0]!.parent).toBeNull();
    expect(chain.ancestors.map((e) => e.fn)).toContain('ip_mr_input');
  });

  it('rejects seqs outside the run', async () => {
    await expect(r.replay.stateAt(r.rec.events + 1)).rejects.toThrow(/past the replayable end/);
    await expect(r.replay.stateAt(-1)).rejects.toThrow(RangeError);
  });

  it('keeps every node final views, /proc/net/igmp included, in node_views', async () => {
    const v = await r.replay.finalViews();
    expect(Object.keys(v).sort()).toEqual(['h1', 'r1', 's']);
    const live = r.live.get(r.rec.events)!;
    for (const [node, views] of Object.entries(v)) {
      for (const [name, text] of Object.entries(live.nodes[node]!.views)) expect(views[name], `${node}: ${name}`).toBe(text);
    }
    // h1 joined 239.1.1.1 on eth0.
    expect(v['h1']!['cat /proc/net/igmp']).toMatch(/^2\teth0 +: +2 +V3\n\t{4}010101EF +1 0:00000000\t\t[01]\n/m);
  });
});

describe('stateAt on routing labs', () => {
  it('equals the live state at random seqs of 02-static-routes (solution)', async () => {
    const r = await record('labs/02-static-routes.yaml', 'static', () => true, 100, true);
    try {
      expect(r.rec.report.passed).toBe(true);
      await checkRandomSeqs(r, 120);
    } finally {
      await r.replay.close();
    }
  });

  it('equals the live state at random seqs of 17-multipath (solution)', async () => {
    // Thousands of events: the live side keeps one seq in 23 (and the end).
    const r = await record('labs/17-multipath.yaml', 'multipath', (s) => s % 23 === 5, 1000, true);
    try {
      expect(r.rec.events).toBeGreaterThan(3000);
      await checkRandomSeqs(r, 80);
    } finally {
      await r.replay.close();
    }
  }, 60_000);
});

describe('recorded without a recorder', () => {
  it('says so instead of replaying', async () => {
    const db = join(dir, 'plain.sqlite');
    await recordLab(UNRES_LAB, db, { recorder: false });
    const replay = await ReplayReader.open(db);
    try {
      await expect(replay.stateAt(1)).rejects.toThrow(/no snapshots/);
    } finally {
      await replay.close();
    }
    expect(readFileSync(db).length).toBeGreaterThan(0);
  });
});
