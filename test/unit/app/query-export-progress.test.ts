// The export buttons' host side (app-export.ts, exportRecording): a pcapng or CSV too large to hand over
// is refused with its size and the CLI command that writes it; the size estimate the refusal rests on is
// close to what the exporters write; a long export reports its progress through simulated time on the
// long-run channel (AppService.slicing) and stops on its Cancel.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/host/api.js';
import { ExportUnavailable, exportRunFile, exportSize } from '../../../main/host/app-export.js';
import { AppService } from '../../../main/host/app-service.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';
import type { RunSlicing } from '../../../main/host/lab/session.js';
import type { ExportedFile, RecordingView } from '../../../main/host/state-api.js';
import { RunReader } from '../../../main/host/store/run-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'wb-export-'));
let app: AppService;
let file: string;

beforeAll(async () => {
  const r = openLabFile(join(import.meta.dirname, '..', '..', '..', 'labs', '06-unresolved-queue.yaml'));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  app = new AppService(r.spec, { runsDir: dir });
  await app.invoke('runStepActions', { step: 0 });
  file = ((await app.invoke('getRecording', undefined)) as RecordingView).file;
}, 60_000);

afterAll(async () => {
  await app?.closeRecording();
  rmSync(dir, { recursive: true, force: true });
});

const exp = (format: string): Promise<ExportedFile> => app.invoke('exportRecording', { format }) as Promise<ExportedFile>;

describe('export size cap', () => {
  it('estimates the pcapng and CSV sizes within 2% of what the exporters write', async () => {
    const reader = await RunReader.open(file, { markIncomplete: false });
    try {
      for (const format of ['pcapng', 'csv'] as const) {
        const est = await exportSize(reader, format);
        const real = (await exp(format)).bytes;
        expect(est.items).toBe(format === 'pcapng' ? app.session.trace.packets.size : app.session.trace.events.length);
        expect(Math.abs(est.bytes - real) / real).toBeLessThan(0.02);
      }
    } finally {
      await reader.close();
    }
  });

  it('refuses a capture over the cap with its size and the CLI command that writes it', async () => {
    const e = await exportRunFile(file, 'pcapng', '06-unresolved-queue', { maxBytes: 1000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExportUnavailable);
    const packets = app.session.trace.packets.size;
    expect((e as Error).message).toBe(
      `the run has ${packets} packets (about ${(e as Error).message.match(/about ([\d.,]+ MB)/)![1]} as pcapng), more than the app hands over (0 MB): ` +
        `export it from the CLI, which writes straight to a file: workbench export ${file} --pcapng -o 06-unresolved-queue.pcapng`,
    );
    const csv = await exportRunFile(file, 'csv', 'lab x', { maxBytes: 1000 }).catch((x: unknown) => x);
    expect((csv as Error).message).toMatch(new RegExp(`^the run has ${app.session.trace.events.length} events .* -o lab_x\\.csv$`));
    // Under the cap the same export goes through.
    expect((await exportRunFile(file, 'csv', 'lab', { maxBytes: 10_000_000 })).bytes).toBeGreaterThan(1000);
  });
});

describe('export progress on the long-run channel', () => {
  function slicing(cancel: () => boolean): RunSlicing & { seen: { start: number; now: number; target: number; label?: string }[] } {
    const seen: { start: number; now: number; target: number; label?: string }[] = [];
    return { slice: 1, seen, cancelled: cancel, between: async (p) => void seen.push(p) };
  }

  it('reports how far through simulated time it got, page by page, ending at the last item', async () => {
    const s = slicing(() => false);
    app.slicing = s;
    try {
      const csv = await exp('csv');
      expect(csv.bytes).toBeGreaterThan(0);
      const events = app.session.trace.events;
      expect(s.seen.length).toBeGreaterThan(0);
      expect(s.seen.at(-1)).toEqual({ start: events[0]!.t, now: events.at(-1)!.t, target: events.at(-1)!.t, label: 'Exporting CSV' });
      s.seen.length = 0;
      await exp('pcapng');
      const times = [...app.session.trace.packets.values()].map((p) => p.t);
      expect(s.seen.at(-1)).toEqual({ start: Math.min(...times), now: Math.max(...times), target: Math.max(...times), label: 'Exporting pcapng' });
    } finally {
      app.slicing = null;
    }
  });

  it('stops on Cancel with a message, and exports again afterwards', async () => {
    app.slicing = slicing(() => true);
    try {
      const e = await exp('pcapng').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).message).toBe('export cancelled');
    } finally {
      app.slicing = null;
    }
    expect((await exp('pcapng')).bytes).toBeGreaterThan(0);
  });
});
