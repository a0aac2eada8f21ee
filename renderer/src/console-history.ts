// Command history of one console, as in bash: ↑ walks back, ↓ forward, and the line being typed is kept
// while browsing. Consecutive duplicates and blank lines are not stored.

export class History {
  private readonly items: string[] = [];
  private pos = 0;
  private draft = '';

  add(line: string): void {
    if (line.trim() !== '' && this.items[this.items.length - 1] !== line) this.items.push(line);
    this.pos = this.items.length;
    this.draft = '';
  }

  /** ^C at the prompt: the line is dropped (not stored) and browsing starts again from the end. */
  discard(): void {
    this.pos = this.items.length;
    this.draft = '';
  }

  /** ↑: the previous entry (or the current line when there is none). */
  up(current: string): string {
    if (this.pos === this.items.length) this.draft = current;
    if (this.pos > 0) this.pos--;
    return this.items[this.pos] ?? current;
  }

  /** ↓: the next entry, then the line that was being typed. */
  down(current: string): string {
    if (this.pos >= this.items.length) return current;
    this.pos++;
    return this.pos === this.items.length ? this.draft : this.items[this.pos]!;
  }
}

/** The longest common prefix of completion candidates (what bash inserts on an ambiguous Tab). */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Where a terminal shows `^C` in the output of an interrupted command: before the summary the tool prints
 * when interrupted (ping's `--- HOST ping statistics ---`), else after everything it printed.
 */
export function withInterrupt(stdout: string): string {
  const m = /^--- .* statistics ---$/m.exec(stdout);
  // iputils starts its summary with a newline: the tty echoed ^C where the cursor was, just before it.
  if (m && m.index > 0 && stdout[m.index - 1] === '\n') return `${stdout.slice(0, m.index - 1)}^C${stdout.slice(m.index - 1)}`;
  if (m) return `${stdout.slice(0, m.index)}^C\n${stdout.slice(m.index)}`;
  return `${stdout}${stdout === '' || stdout.endsWith('\n') ? '' : '\n'}^C\n`;
}
