// TypeScript in, JavaScript out, positions back: sucrase strips the types keeping every line where it was,
// and its source map gives the columns, so an error at generated line:column is reported at the student's
// own line:column. Type errors are not checked here (Monaco shows them); only syntax errors stop a daemon.

import { transform } from 'sucrase';
import { decodeMappings, type Segment } from './vlq.js';

export interface SourcePosition {
  file: string;
  /** 1-based, as editors and stack traces count. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface Transpiled {
  file: string;
  code: string;
  /** Maps a 1-based position in `code` to the student's source. */
  toSource(line: number, column: number): SourcePosition;
}

export class DaemonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(`${position.file}:${position.line}:${position.column}: SyntaxError: ${message}`);
    this.name = 'DaemonSyntaxError';
  }
}

/** Finds the last segment at or before `column` (0-based) on a line. */
function lookup(segs: readonly Segment[], column: number): Segment | undefined {
  let found: Segment | undefined;
  for (const s of segs) {
    if (s.genColumn > column) break;
    found = s;
  }
  return found;
}

/** The prologue sucrase puts in front of line 1. */
const USE_STRICT = '"use strict";';

/**
 * Where generated column `col` (0-based) of `gen` sits in `src`, when `gen` is `src` with pieces deleted:
 * each generated character is matched to the next equal source character. null when `gen` is not such a
 * subsequence (sucrase added text: the "use strict" prologue, import rewrites).
 */
export function alignColumn(gen: string, src: string, col: number): number | null {
  let j = 0;
  let at: number | null = null;
  for (let i = 0; i < gen.length; i++) {
    const k = src.indexOf(gen[i]!, j);
    if (k < 0) return null;
    if (i === col) at = k;
    j = k + 1;
  }
  // A column just past the end of the line (QuickJS points there for a missing token): past the source line.
  return at ?? (col >= gen.length ? src.length + (col - gen.length) : null);
}

export function transpileDaemon(source: string, file: string): Transpiled {
  let out;
  try {
    // 'imports' turns ES module syntax into calls the sandbox answers (an import fails with a clear message).
    // disableESTransforms: QuickJS runs ?? and ?. itself; rewriting them into helper calls would move columns.
    out = transform(source, { transforms: ['typescript', 'imports'], disableESTransforms: true, filePath: file, sourceMapOptions: { compiledFilename: `${file}.js` } });
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    const message = e instanceof Error ? e.message.replace(/^Error transforming [^:]*: /, '').replace(/ \(\d+:\d+\)$/, '') : String(e);
    // sucrase counts columns from 1 in `loc` (and in its "(line:column)" suffix).
    throw new DaemonSyntaxError(message, { file, line: loc?.line ?? 1, column: loc?.column ?? 1 });
  }
  const lines = decodeMappings(out.sourceMap?.mappings ?? '');
  const srcLines = source.split('\n');
  const genLines = out.code.split('\n');
  return {
    file,
    code: out.code,
    toSource(line: number, column: number): SourcePosition {
      // sucrase keeps every line and only deletes (types, `!`, `as T`) within one, so a generated line is
      // the source line with gaps: align the two texts directly. Its source map's column at a line start
      // carries over from the previous line (seen: line 65 col 16 mapped to col 56), so it is the fallback.
      let gen = genLines[line - 1] ?? '';
      let genCol = column - 1;
      if (line === 1 && gen.startsWith(USE_STRICT) && !(srcLines[0] ?? '').startsWith(USE_STRICT)) {
        gen = gen.slice(USE_STRICT.length);
        genCol -= USE_STRICT.length;
      }
      const aligned = genCol >= 0 ? alignColumn(gen, srcLines[line - 1] ?? '', genCol) : null;
      if (aligned !== null) return { file, line, column: aligned + 1 };
      const seg = lookup(lines[line - 1] ?? [], column - 1);
      if (!seg) return { file, line, column };
      let col = seg.srcColumn + (column - 1 - seg.genColumn);
      // Removed tokens (a `!`, `as T`) share the generated position of the token after them, and the map
      // keeps the first: step over them to the character QuickJS actually pointed at.
      const want = genLines[line - 1]?.[column - 1];
      const src = srcLines[seg.srcLine] ?? '';
      if (want !== undefined && src[col] !== want) {
        const next = src.indexOf(want, col);
        if (next >= 0 && next - col <= 64) col = next;
      }
      return { file, line: seg.srcLine + 1, column: col + 1 };
    },
  };
}
