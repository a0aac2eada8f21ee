// Errors in a lab file, each naming file, line and column and the field it is about:
//   labs/x.yaml:12:7: topology.links[1].endpoints[0]: node "r9" is not defined
// Positions come from the YAML document (yaml's LineCounter), so they are right for flow and block style.

import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathPart = string | number;

export interface LabFileError {
  file: string;
  line: number;
  col: number;
  /** The field, e.g. `topology.links[1].endpoints[0]` ('' for the whole file). */
  path: string;
  message: string;
}

export function formatLabError(e: LabFileError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

export function formatPath(path: readonly PathPart[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s;
}

/** A YAML document with its line counter: answers "where is this path?". */
export class Located {
  constructor(
    readonly file: string,
    readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The node at `path`, or the deepest existing ancestor. */
  nodeAt(path: readonly PathPart[]): Node | null {
    let cur: unknown = this.doc.contents;
    for (const p of path) {
      let next: unknown = undefined;
      if (isMap(cur)) next = cur.items.find((it) => isScalar(it.key) && String(it.key.value) === String(p))?.value;
      else if (isSeq(cur) && typeof p === 'number') next = cur.items[p];
      if (!isNode(next)) break;
      cur = next;
    }
    return isNode(cur) ? cur : null;
  }

  /** The key node of `key` in the map at `path` (for "unknown field" errors). */
  keyAt(path: readonly PathPart[], key: string): Node | null {
    const m = this.nodeAt(path);
    if (!isMap(m)) return null;
    const pair = m.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
    return pair && isNode(pair.key) ? pair.key : null;
  }

  pos(node: Node | null): { line: number; col: number } {
    const offset = node?.range?.[0] ?? 0;
    return this.lines.linePos(offset);
  }

  error(path: readonly PathPart[], message: string, node: Node | null = this.nodeAt(path)): LabFileError {
    return { file: this.file, ...this.pos(node), path: formatPath(path), message };
  }
}
