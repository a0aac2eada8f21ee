// A packet decoded layer by layer with the engine's own wire code (the same decoder the engine and the
// pcapng export use), and its bytes in hex. Clicking a field highlights its bytes.

import { decodePacket, type FieldDescription } from '../../../engine/wire/decode.js';
import { fromHex } from '../../../engine/wire/hex.js';
import { h } from '../dom.js';

const BYTES_PER_LINE = 16;

export function packetView(hex: string, title: string): HTMLElement {
  const bytes = fromHex(hex);
  const desc = decodePacket(bytes);
  const dump = hexDump(bytes);
  const highlight = (start: number, end: number): void => {
    for (const cell of dump.querySelectorAll<HTMLElement>('.hex-byte')) {
      const i = Number(cell.dataset.i);
      cell.classList.toggle('hl', i >= start && i < end);
    }
  };
  const layers = h('div', { class: 'packet-layers' });
  for (const layer of desc.layers) {
    const fields = h('table', { class: 'packet-fields' });
    addFields(fields, layer.fields, 0, highlight);
    const details = h('details', { class: 'packet-layer' }, h('summary', {}, h('b', {}, layer.name), ` — ${layer.summary}`), fields);
    details.open = layer.protocol !== 'data';
    details.querySelector('summary')!.addEventListener('click', () => highlight(layer.start, layer.end));
    layers.append(details);
  }
  if (desc.error) layers.append(h('p', { class: 'packet-error' }, `${desc.error.layer}: ${desc.error.message} (byte ${desc.error.offset})`));
  return h('section', { class: 'packet-view' }, h('h4', {}, `${title} — ${desc.summary}`), layers, dump);
}

function addFields(table: HTMLTableElement, fields: FieldDescription[], depth: number, highlight: (s: number, e: number) => void): void {
  for (const f of fields) {
    const row = h('tr', { class: 'packet-field' }, h('th', { style: `padding-left:${depth * 14}px` }, f.label), h('td', {}, f.display));
    row.addEventListener('click', () => highlight(f.start, f.end));
    table.append(row);
    if (f.children) addFields(table, f.children, depth + 1, highlight);
  }
}

function hexDump(bytes: Uint8Array): HTMLElement {
  const pre = h('div', { class: 'hex-dump' });
  for (let off = 0; off < bytes.length; off += BYTES_PER_LINE) {
    const line = h('div', { class: 'hex-line' }, h('span', { class: 'hex-off' }, off.toString(16).padStart(4, '0')));
    for (let i = off; i < Math.min(bytes.length, off + BYTES_PER_LINE); i++) {
      line.append(h('span', { class: 'hex-byte', 'data-i': String(i) }, bytes[i]!.toString(16).padStart(2, '0')));
    }
    pre.append(line);
  }
  return pre;
}
