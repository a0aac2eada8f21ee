// Events of a recorded run as CSV (RFC 4180: one header line, quoted fields where needed, `data` as
// compact JSON) or as one JSON document {"run": {...}, "events": [...]} with one event per line.

import type { TraceEvent } from '../../../engine/sim/trace.js';
import type { RunReader } from '../store/run-reader.js';
import type { Output } from './output.js';

export const CSV_HEADER = 'seq,t,node,fn,kind,pkt,parent,data';

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(e: TraceEvent): string {
  return [String(e.seq), String(e.t), csvField(e.node), csvField(e.fn), e.kind, e.pkt === null ? '' : String(e.pkt), e.parent === null ? '' : String(e.parent), csvField(JSON.stringify(e.data))].join(',');
}

export async function exportCsv(reader: RunReader, out: Output): Promise<number> {
  await out.write(`${CSV_HEADER}\r\n`);
  let n = 0;
  for await (const page of reader.eventPages()) {
    await out.write(page.map((e) => `${csvLine(e)}\r\n`).join(''));
    n += page.length;
  }
  return n;
}

export async function exportJson(reader: RunReader, out: Output): Promise<number> {
  await out.write(`{"run":${JSON.stringify(await reader.info())},\n"events":[`);
  let n = 0;
  for await (const page of reader.eventPages()) {
    await out.write(page.map((e) => `${n++ === 0 ? '\n' : ',\n'}${JSON.stringify(e)}`).join(''));
  }
  await out.write('\n]}\n');
  return n;
}
