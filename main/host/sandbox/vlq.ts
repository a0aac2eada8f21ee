// Decoder for a source map's `mappings` (Base64 VLQ), enough to map a generated line:column back to the
// source: sucrase keeps lines, so only the columns of each line need translating.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map<string, number>([...B64].map((c, i) => [c, i]));

/** One segment: generated column → source line and column (all 0-based). */
export interface Segment {
  genColumn: number;
  srcLine: number;
  srcColumn: number;
}

function decodeSegment(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = VALUE.get(c);
    if (digit === undefined) throw new Error(`bad VLQ character ${JSON.stringify(c)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

/** Segments per generated line, each line sorted by generated column. */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let srcLine = 0;
  let srcColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segs: Segment[] = [];
    let genColumn = 0;
    if (lineText) {
      for (const segText of lineText.split(',')) {
        const f = decodeSegment(segText);
        genColumn += f[0] ?? 0;
        if (f.length >= 4) {
          srcLine += f[2]!;
          srcColumn += f[3]!;
          segs.push({ genColumn, srcLine, srcColumn });
        }
      }
    }
    lines.push(segs);
  }
  return lines;
}
