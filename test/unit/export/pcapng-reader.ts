// A minimal pcapng reader for the tests, written from the format's specification (not from the
// exporter): little-endian sections only, the blocks and options the exporter should produce.

export interface PcapngOption {
  code: number;
  value: Uint8Array;
}

export interface PcapngBlock {
  type: number;
  body: DataView;
  options: PcapngOption[];
}

function readOptions(v: DataView, at: number, end: number): PcapngOption[] {
  const out: PcapngOption[] = [];
  while (at + 4 <= end) {
    const code = v.getUint16(at, true);
    const len = v.getUint16(at + 2, true);
    if (code === 0) break;
    out.push({ code, value: new Uint8Array(v.buffer, v.byteOffset + at + 4, len) });
    at += 4 + ((len + 3) & ~3);
  }
  return out;
}

/** Fixed part length of each block type's body, where its options start. */
const FIXED: Record<number, (v: DataView, at: number) => number> = {
  0x0a0d0d0a: () => 16,
  0x00000001: () => 8,
  0x00000006: (v, at) => 20 + ((v.getUint32(at + 20, true) + 3) & ~3),
};

export function readPcapng(bytes: Uint8Array): PcapngBlock[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: PcapngBlock[] = [];
  let at = 0;
  while (at < bytes.length) {
    const type = v.getUint32(at, true);
    const len = v.getUint32(at + 4, true);
    if (len % 4 !== 0 || len < 12 || at + len > bytes.length) throw new Error(`bad block length ${len} at ${at}`);
    if (v.getUint32(at + len - 4, true) !== len) throw new Error(`trailing length differs at ${at}`);
    const fixed = FIXED[type];
    if (!fixed) throw new Error(`unexpected block type ${type.toString(16)} at ${at}`);
    const optStart = at + 8 + fixed(v, at);
    blocks.push({ type, body: new DataView(bytes.buffer, bytes.byteOffset + at + 8, len - 12), options: readOptions(v, optStart, at + len - 4) });
    at += len;
  }
  return blocks;
}

export const text = (o: PcapngOption | undefined): string | undefined => (o ? new TextDecoder().decode(o.value) : undefined);
