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
