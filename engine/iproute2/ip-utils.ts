// Small helpers every `ip` object parser uses: iproute2's matches() abbreviation rule and the
// NEXT_ARG() cursor over argv.

import { incomplete } from './ip-errors.js';

/**
 * matches(): `word` may be abbreviated to any non-empty prefix. Callers test candidates in
 * iproute2's order, which is what decides ambiguous prefixes ("ip link s" is `set`, not `show`).
 */
export function matches(prefix: string, word: string): boolean {
  return prefix.length > 0 && word.startsWith(prefix);
}

/** argc/argv walking with NEXT_ARG(): a missing value is "Command line is not complete". */
export class Args {
  private i = 0;

  constructor(private readonly argv: readonly string[]) {}

  get more(): boolean {
    return this.i < this.argv.length;
  }

  get remaining(): readonly string[] {
    return this.argv.slice(this.i);
  }

  /** *argv */
  get cur(): string {
    return this.argv[this.i]!;
  }

  /** argc--; argv++ */
  advance(): void {
    this.i++;
  }

  /** NEXT_ARG(): move to the value of the current keyword. */
  next(): string {
    if (this.i + 1 >= this.argv.length) incomplete();
    return this.argv[++this.i]!;
  }
}
