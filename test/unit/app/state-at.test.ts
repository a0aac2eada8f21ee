// The app's live session recorded for the state views (app-recording.ts, getStateAt/getRecording): the
// unresolved queue of lab 06 read after each ipmr_cache_unresolved event agrees with what the event itself
// says it found, the texts agree with a separate reader of the same run file (what `workbench state`
// uses), the newest event's state is the live one, and a rebuild deletes the old file.

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';
import { ReplayReader } from '../../../main/host/replay/state-at.js';
import { removeStaleRunFiles } from '../../../main/host/app-recording.js';
import type { ExportedFile, RecordingView, StateAtView } from '../../../main/host/state-api.js';
import { captureNode } from '../../../engine/state/capture.js';

const LABS = join(import.meta.dirname, '..', '..', '..', 'labs');
const dir = mkdtempSync(join(tmpdir(), 'wb-state-at-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lab(file: string): LabSpec {
  const r = openLabFile(join(LABS, file));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.spec;
}

async function burst(): Promise<AppService> {
  const app = new AppService(lab('06-unresolved-queue.yaml'), { runsDir: dir });
  await app.invoke('runStepActions', { step: 0 });
  return app;
}

const stateAt = (app: AppService, seq: number, node: string): Promise<StateAtView> => app.invoke('getStateAt', { seq, node }) as Promise<StateAtView>;

describe('getStateAt over the recorded live session (lab 06)', () => {
  it('shows the unresolved queue each ipmr_cache_unresolved call found, and what it left', async () => {
    const app = await burst();
    const evs = app.session.trace.events.filter((e) => e.node === 'r1' && e.fn === 'ipmr_cache_unresolved');
    const calls = evs.filter((e) => e.kind === 'call');
    const drops = evs.filter((e) => e.kind === 'drop');
    expect(calls.length).toBeGreaterThan(4);
    expect(drops.length).toBeGreaterThan(0);
    for (const c of calls) {
      const found = (c.data as { queued: number }).queued;
      const before = (await stateAt(app, c.seq - 1, 'r1')).state.ipmr?.tables[0]?.unres[0]?.queued ?? 0;
      expect(before).toBe(found);
    }
    for (const d of drops) {
      // The drop (qlen > 3, ENOBUFS) leaves the queue as the call found it, without the dropped packet.
      const u = (await stateAt(app, d.seq, 'r1')).state.ipmr!.tables[0]!.unres[0]!;
      const call = calls.filter((c) => c.seq < d.seq).at(-1)!;
      expect(u.queued).toBe((call.data as { queued: number }).queued);
      expect(u.queued).toBeGreaterThan(3);
      expect(u.pkts).toHaveLength(u.queued);
      if (d.pkt !== null) expect(u.pkts).not.toContain(d.pkt);
    }
    await app.closeRecording();
  });

  it('gives the same texts as a separate reader of the run file, and the live state for the newest event', async () => {
    const app = await burst();
    const rec = (await app.invoke('getRecording', undefined)) as RecordingView;
    expect(existsSync(rec.file)).toBe(true);
    expect(rec.to).toBe(app.session.trace.events.at(-1)!.seq);
    const replay = await ReplayReader.open(rec.file);
    const drop = app.session.trace.events.find((e) => e.fn === 'ipmr_cache_unresolved' && e.kind === 'drop')!;
    for (const seq of [rec.from, drop.seq - 1, drop.seq, drop.seq + 7]) {
      const v = await stateAt(app, seq, 'r1');
      expect(v.source).toBe('recording');
      expect(v.state.views).toEqual((await replay.nodeAt(seq, 'r1')).views);
    }
    await replay.close();
    const live = await stateAt(app, rec.to, 'r1');
    expect(live.source).toBe('live');
    expect(live.state.views).toEqual(captureNode(app.session.net.nodes.get('r1')!).views);
    expect(live.nodes).toEqual(['src', 'r1', 'rcv']);
    await app.closeRecording();
    expect(existsSync(rec.file)).toBe(false);
  });

  it('refuses bad arguments (EINVAL) and states it does not have (ENOENT)', async () => {
    for (const arg of [{ seq: -1, node: 'r1' }, { seq: 1.5, node: 'r1' }, { seq: 1, node: 'r 1' }, { seq: 1, node: 'r1', x: 1 }, null, { node: 'r1' }]) {
      expect(() => parseRequest('getStateAt', arg)).toThrow(ApiError);
    }
    expect(() => parseRequest('getRecording', { x: 1 })).toThrow(/takes no argument/);
    const app = await burst();
    const last = app.session.trace.events.at(-1)!.seq;
    await expect(stateAt(app, last + 1, 'r1')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stateAt(app, last - 1, 'nope')).rejects.toMatchObject({ code: 'ENOENT', message: /no node "nope"/ });
    await expect(stateAt(app, 1, 'r1')).rejects.toMatchObject({ code: 'ENOENT', message: /before the replayable start/ });
    await app.closeRecording();
  });

  it('a rebuild records the new session in a new file and deletes the old one', async () => {
    const app = await burst();
    const first = (await app.invoke('getRecording', undefined)) as RecordingView;
    await app.invoke('reset', undefined);
    const second = (await app.invoke('getRecording', undefined)) as RecordingView;
    expect(second.file).not.toBe(first.file);
    expect(existsSync(first.file)).toBe(false);
    expect(existsSync(second.file)).toBe(true);
    // The new session has no unresolved entry: its state is its own, not the old run's.
    const v = await stateAt(app, second.to, 'r1');
    expect(v.state.ipmr?.tables[0]?.unres ?? []).toEqual([]);
    await app.closeRecording();
  });

  it('exports the recording as a report, a pcapng with every packet and a CSV with every event', async () => {
    expect(() => parseRequest('exportRecording', { format: 'exe' })).toThrow(/one of html, pdf, pcapng, csv/);
    expect(() => parseRequest('exportRecording', { format: 'csv', path: '/etc/passwd' })).toThrow(/unknown field/);
    const app = await burst();
    const exp = (format: string): Promise<ExportedFile> => app.invoke('exportRecording', { format }) as Promise<ExportedFile>;
    const html = await exp('html');
    expect(html).toMatchObject({ name: '06-unresolved-queue.report.html', mime: 'text/html' });
    const page = Buffer.from(html.base64, 'base64').toString('utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain('06-unresolved-queue');
    const csv = Buffer.from((await exp('csv')).base64, 'base64').toString('utf8').trimEnd().split('\n');
    expect(csv.length - 1).toBe(app.session.trace.events.length);
    const pcap = Buffer.from((await exp('pcapng')).base64, 'base64');
    expect(pcap.readUInt32LE(0)).toBe(0x0a0d0d0a);
    let epb = 0;
    for (let off = 0; off < pcap.length; off += pcap.readUInt32LE(off + 4)) if (pcap.readUInt32LE(off) === 6) epb++;
    expect(epb).toBe(app.session.trace.packets.size);
    await app.closeRecording();
  });

  it('deletes run files left by app processes that are gone, and only those', () => {
    const d = mkdtempSync(join(dir, 'stale-'));
    // A pid above the kernel's pid_max limit (2^22) belongs to no process.
    const names = ['session-4194399-1-1.sqlite', 'session-4194399-1-1.sqlite-wal', `session-${process.pid}-1-1.sqlite`, 'notes.sqlite'];
    for (const n of names) writeFileSync(join(d, n), '');
    expect(removeStaleRunFiles(d).sort()).toEqual(names.slice(0, 2).sort());
    expect(readdirSync(d).sort()).toEqual(names.slice(2).sort());
  });
});
