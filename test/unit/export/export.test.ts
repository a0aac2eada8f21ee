import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../engine/sim/trace.js';
import { exportCommand } from '../../../main/host/cli/export-command.js';
import { RunReader } from '../../../main/host/store/run-reader.js';
import { recordSynthetic, tempRunFile, type Recorded, removeTempRuns } from '../../store/record-synthetic.js';
import { readPcapng, text } from './pcapng-reader.js';

let rec: Recorded;
let reader: RunReader;

beforeAll(async () => {
  rec = await recordSynthetic(tempRunFile('lab-run.sqlite'), 40, { interval: 150_000_000 });
  reader = await RunReader.open(rec.file);
});
afterAll(async () => {
  await reader?.close();
  removeTempRuns();
});

function cli(argv: string[]): Promise<{ rc: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return exportCommand(argv, { out: (s) => (out += s), err: (s) => (err += s) }).then((rc) => ({ rc, out, err }));
}

/** RFC 4180 records (fields may be quoted, with "" for a quote and line breaks inside quotes). */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    }
    else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('pcapng export', () => {
  it('has a section header, one interface per device with ns resolution, and one packet block per record', async () => {
    const out = join(dirname(rec.file), 'x.pcapng');
    const r = await cli([rec.file, '--pcapng', '-o', out]);
    expect(r).toEqual({ rc: 0, out: '', err: `${out}: ${rec.mem.packets.size} packets on 4 interfaces\n` });
    const blocks = readPcapng(readFileSync(out));
    const [shb, ...rest] = blocks;
    expect(shb!.type).toBe(0x0a0d0d0a);
    expect(shb!.body.getUint32(0, true)).toBe(0x1a2b3c4d);
    expect(text(shb!.options.find((o) => o.code === 1))).toContain(`fingerprint ${rec.fingerprint}`);
    const idbs = rest.filter((b) => b.type === 1);
    expect(idbs.map((b) => b.body.getUint16(0, true))).toEqual([228, 228, 228, 228]);
    expect(idbs.map((b) => text(b.options.find((o) => o.code === 2)))).toEqual(['h1:-', 'h1:eth0', 'r1:eth1', 'r2:eth1']);
    expect(idbs.map((b) => text(b.options.find((o) => o.code === 1)))).toEqual([
      'node h1: packets built locally before routing chose a device',
      'node h1, device eth0',
      'node r1, device eth1',
      'node r2, device eth1',
    ]);
    for (const b of idbs) expect([...b.options.find((o) => o.code === 9)!.value]).toEqual([9]);
    const epbs = rest.filter((b) => b.type === 6);
    const records = [...rec.mem.packets.values()];
    expect(epbs).toHaveLength(records.length);
    const ifaceOf = (node: string, dev: string): number => ['h1:', 'h1:eth0', 'r1:eth1', 'r2:eth1'].indexOf(`${node}:${dev}`);
    epbs.forEach((b, i) => {
      const p = records[i]!;
      const v = b.body;
      expect(v.getUint32(0, true)).toBe(ifaceOf(p.node, p.dev));
      expect(v.getUint32(4, true) * 2 ** 32 + v.getUint32(8, true)).toBe(p.t);
      expect(v.getUint32(12, true)).toBe(p.bytes.length);
      expect(v.getUint32(16, true)).toBe(p.bytes.length);
      expect(new Uint8Array(v.buffer, v.byteOffset + 20, p.bytes.length)).toEqual(p.bytes);
      expect(new DataView(b.options.find((o) => o.code === 5)!.value.slice().buffer).getBigUint64(0, true)).toBe(BigInt(p.id));
    });
    // Nanoseconds above 2^32 survive the high/low split.
    expect(records.at(-1)!.t).toBeGreaterThan(2 ** 32);
  });
});

describe('event exports', () => {
  it('CSV: a header and one record per event, fields quoted where needed', async () => {
    const out = join(dirname(rec.file), 'events.csv');
    expect((await cli([rec.file, '--csv', '-o', out])).rc).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
    expect(header).toEqual(['seq', 't', 'node', 'fn', 'kind', 'pkt', 'parent', 'data']);
    expect(rows).toEqual(
      rec.mem.events.map((e) => [String(e.seq), String(e.t), e.node, e.fn, e.kind, e.pkt === null ? '' : String(e.pkt), e.parent === null ? '' : String(e.parent), JSON.stringify(e.data)]),
    );
  });

  it('JSON: the run and every event', async () => {
    const r = await cli([rec.file, '--json']);
    expect(r.rc).toBe(0);
    const out = rec.file.replace(/\.sqlite$/, '.json');
    expect(r.err).toBe(`${out}: ${rec.mem.events.length} events\n`);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { run: { fingerprint: string; status: string }; events: TraceEvent[] };
    expect(doc.run).toMatchObject({ fingerprint: rec.fingerprint, status: 'complete', lab: 'synthetic' });
    expect(doc.events).toEqual(rec.mem.events);
  });
});

describe('workbench export usage', () => {
  it('needs exactly one format and one run file, and says so', async () => {
    expect(await cli([rec.file])).toMatchObject({ rc: 2, err: "workbench: export: give exactly one of --pcapng, --csv, --json, --html, --pdf\nTry 'workbench export --help'.\n" });
    expect(await cli([rec.file, '--csv', '--json'])).toMatchObject({ rc: 2 });
    expect(await cli(['--csv'])).toMatchObject({ rc: 2, err: expect.stringContaining('no run file given') });
    expect(await cli([rec.file, '--csv', '-o', rec.file])).toMatchObject({ rc: 2, err: expect.stringContaining('overwrite the run file') });
    expect(await cli([rec.file, '--xml'])).toMatchObject({ rc: 2, err: expect.stringContaining("Unknown option '--xml'") });
    expect((await cli(['--help'])).out).toContain('Usage: workbench export RUN.sqlite --pcapng|--csv|--json [-o FILE]');
  });

  it('fails with status 1 on a file that is not a run', async () => {
    const r = await cli([join(dirname(rec.file), 'missing.sqlite'), '--csv']);
    expect(r.rc).toBe(1);
    expect(r.err).toMatch(/^workbench: export: .*missing\.sqlite: SQLITE_CANTOPEN/);
  });
});
