// iproute2's lib/json_writer.c: a streaming JSON writer whose "pretty" layout is not JSON.stringify's
// (`[ {` on one line, 4-space indents, `},{` between objects, `[ "A","B" ]` for scalar arrays).
// Reproduced state machine for state machine so `ip -j -p` output is byte-equal.

export type JsonScalar = string | number | boolean | null;

export class JsonWriter {
  private depth = 0;
  /** The separator to print before the next element: '' right after an opening bracket, else ','. */
  private sep = '';

  constructor(
    private readonly write: (s: string) => void,
    private readonly pretty: boolean,
  ) {}

  /** jsonw_eol(): newline and indent, pretty mode only. */
  private eol(): void {
    if (!this.pretty) return;
    this.write(`\n${'    '.repeat(this.depth)}`);
  }

  /** jsonw_eor(): the separator owed by the previous element. */
  private eor(): void {
    if (this.sep !== '') this.write(this.sep);
    this.sep = ',';
  }

  private begin(c: string): void {
    this.eor();
    this.write(c);
    this.depth++;
    this.sep = '';
  }

  private end(c: string): void {
    this.depth--;
    if (this.sep !== '') this.eol();
    this.write(c);
    this.sep = ',';
  }

  name(key: string): void {
    this.eor();
    this.eol();
    this.sep = '';
    this.write(quote(key));
    this.write(this.pretty ? ': ' : ':');
  }

  value(v: JsonScalar): void {
    this.eor();
    this.write(v === null ? 'null' : typeof v === 'string' ? quote(v) : String(v));
  }

  field(key: string, v: JsonScalar): void {
    this.name(key);
    this.value(v);
  }

  startObject(): void {
    this.begin('{');
  }

  endObject(): void {
    this.end('}');
  }

  startArray(): void {
    this.begin('[');
    if (this.pretty) this.write(' ');
  }

  endArray(): void {
    if (this.pretty && this.sep !== '') this.write(' ');
    this.sep = '';
    this.end(']');
  }
}

/** jsonw_puts(): only these characters are escaped (no \u sequences). */
function quote(s: string): string {
  let out = '"';
  for (const c of s) {
    switch (c) {
      case '\t': out += '\\t'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\f': out += '\\f'; break;
      case '\b': out += '\\b'; break;
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      default: out += c;
    }
  }
  return `${out}"`;
}
