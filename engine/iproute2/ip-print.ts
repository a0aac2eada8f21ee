// iproute2's lib/json_print.c: one set of print calls serves both outputs. PRINT_ANY goes to JSON (if
// -j) or to the text (if not), PRINT_FP only to the text, PRINT_JSON only to JSON. Keeping that shape
// lets the printers follow iproute2's code line by line, so key order and spacing come out the same.

import { JsonWriter, type JsonScalar } from './ip-json.js';

export class Printer {
  /** Everything written to stdout so far (kept when a command fails half-way, as a pipe would). */
  out = '';
  private readonly jw: JsonWriter | null;
  /** _SL_: the line separator, "\\" with -oneline. */
  readonly sl: string;

  constructor(opts: { json: boolean; pretty: boolean; oneline: boolean }) {
    this.sl = opts.oneline ? '\\' : '\n';
    this.jw = opts.json ? new JsonWriter((s) => (this.out += s), opts.pretty) : null;
  }

  get json(): boolean {
    return this.jw !== null;
  }

  /** new_json_obj(): the top-level array every -j command prints. */
  begin(): void {
    this.jw?.startArray();
  }

  /** delete_json_obj(): closes the top-level array and ends the line. */
  end(): void {
    if (!this.jw) return;
    this.jw.endArray();
    this.out += '\n';
  }

  /** PRINT_ANY: a keyed JSON value, or `text` on the terminal. A null key adds a bare array element. */
  any(key: string | null, value: JsonScalar, text: string): void {
    if (this.jw) this.jsonValue(key, value);
    else this.out += text;
  }

  /** PRINT_JSON */
  jsonOnly(key: string | null, value: JsonScalar): void {
    if (this.jw) this.jsonValue(key, value);
  }

  /** PRINT_FP */
  fp(text: string): void {
    if (!this.jw) this.out += text;
  }

  /** print_nl(): a line break in text mode (a backslash with -o), nothing in JSON. */
  nl(): void {
    if (!this.jw) this.out += this.sl;
  }

  openObject(key?: string): void {
    if (!this.jw) return;
    if (key !== undefined) this.jw.name(key);
    this.jw.startObject();
  }

  closeObject(): void {
    this.jw?.endObject();
  }

  /** open_json_array(PRINT_ANY | PRINT_JSON, ...): in text mode PRINT_ANY prints `text`. */
  openArray(key: string | null, text: string | null): void {
    if (this.jw) {
      if (key !== null) this.jw.name(key);
      this.jw.startArray();
    } else if (text !== null) this.out += text;
  }

  closeArray(text: string | null): void {
    if (this.jw) this.jw.endArray();
    else if (text !== null) this.out += text;
  }

  private jsonValue(key: string | null, value: JsonScalar): void {
    if (key === null) this.jw!.value(value);
    else this.jw!.field(key, value);
  }
}
