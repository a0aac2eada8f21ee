// The host side of selecting an event in a long run (issue 10, test/bench/ui.ts): the children index kept
// as linked lists over trace positions lists exactly the events whose parent is the selected one, and the
// state view's reads of the live recording (one node, without waiting for the rest of the run to be
// committed) give the same state and time as a separate reader of the finished file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { ReplayReader } from '../../../main/host/replay/state-at.js';
import type { EventDetailView } from '../../../main/host/api.js';
import type { RecordingView, StateAtView } from '../../../main/host/state-api.js';

const dir = mkdtempSync(join(tmpdir(), 'wb-children-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('children of an event (TraceQuery.detail)', () => {
  it('lists every child in order, the first 50 and a count of the rest, as the trace grows', async () => {
    const app = new AppService(DEFAULT_LAB, { runsDir: dir });
    await app.runCommand({ node: 'src', line: 'ping -c 2 10.2.0.21' });
    const check = async (): Promise<number> => {
      const all = app.session.trace.events;
      const kids = new Map<number, number[]>();
      for (const e of all) if (e.parent !== null) (kids.get(e.parent) ?? kids.set(e.parent, []).get(e.parent)!).push(e.seq);
      let checked = 0;
      for (const e of all) {
        const d = (await app.getEvent({ seq: e.seq })) as EventDetailView;
        const want = kids.get(e.seq) ?? [];
        expect(d.children.map((c) => c.seq)).toEqual(want.slice(0, 50));
        expect(d.moreChildren).toBe(Math.max(0, want.length - 50));
        if (want.length) checked++;
      }
      return checked;
    };
    const before = await check();
    expect(before).toBeGreaterThan(10);
    // Events added after the index was built are taken in on the next read.
    await app.runCommand({ node: 'src', line: 'ping -c 60 -i 0.01 10.2.0.22' });
    expect(await check()).toBeGreaterThan(before);
    await app.closeRecording();
  });
});

describe('state of the live recording (AppRecording.stateAt)', () => {
  it('equals a separate reader of the same file, with the time of the event asked for', async () => {
    const app = new AppService(DEFAULT_LAB, { runsDir: dir });
    await app.invoke('getLab', undefined); // the recording is attached
    const from = app.session.trace.events.at(-1)!.seq;
    await app.invoke('runCommand', { node: 'src', line: 'ping -c 3 -i 0.2 10.2.0.21' });
    const mid = app.session.trace.events.at(-1)!.seq;
    // More events after those, read at once: most of their rows are not committed yet when asked for.
    await app.invoke('runCommand', { node: 'src', line: 'ping -c 3 -i 0.2 10.2.0.22' });
    const to = app.session.trace.events.at(-1)!.seq;
    const seqs = [from, from + 1, Math.floor((from + mid) / 2), mid - 1, mid, mid + 1, to - 1];
    const got: StateAtView[] = [];
    for (const seq of seqs.reverse()) for (const node of ['src', 'r1']) got.push((await app.invoke('getStateAt', { seq, node })) as StateAtView);
    const rec = (await app.invoke('getRecording', undefined)) as RecordingView;
    expect(rec).toMatchObject({ from, to });
    const replay = await ReplayReader.open(rec.file);
    try {
      for (const v of got) {
        expect(v.source).toBe('recording');
        expect(v.t).toBe(app.session.trace.get(v.seq)!.t);
        expect(v.state).toEqual(await replay.nodeAt(v.seq, v.state.node));
      }
      // Distinct states, not one state repeated: r1's counters move between the first seq and the last.
      const r1 = got.filter((v) => v.state.node === 'r1');
      expect(JSON.stringify(r1[0]!.state)).not.toBe(JSON.stringify(r1.at(-1)!.state));
    } finally {
      await replay.close();
      await app.closeRecording();
    }
  });
});
