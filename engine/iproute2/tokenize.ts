// Splits a command line into words the way a POSIX shell does for the simple commands a .startup file
// holds: whitespace, single and double quotes, backslash escapes, `#` comments. No expansions.

export class TokenizeError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'TokenizeError';
  }
}

export function tokenize(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '#' && !inWord) break;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inWord) {
        words.push(cur);
        cur = '';
        inWord = false;
      }
      i++;
      continue;
    }
    inWord = true;
    if (c === '\\') {
      if (i + 1 < line.length) cur += line[i + 1];
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new TokenizeError(`unterminated ${c === "'" ? 'single' : 'double'} quote`, i + 1);
      cur += line.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    cur += c;
    i++;
  }
  if (inWord) words.push(cur);
  return words;
}
