// The kernel functions the chapter's cheat sheet names, parsed from its text (a verbatim copy of
// shared/seed/advanced-routing-cheatsheet.txt in fixtures/): every lower-case identifier written as a
// call — the signatures `int ip_mr_input(struct sk_buff *skb);` and prose such as `ipmr_vif_seq_show()`.
// Upper-case names followed by "(" (MFC_HASH, VIF_EXISTS, IPV4_DEVCONF_ALL) are macros, not functions.

import { readFileSync } from 'node:fs';

export const CHEATSHEET_URL = new URL('./fixtures/advanced-routing-cheatsheet.txt', import.meta.url);

/** C keywords and types that can precede "(" in a signature or a cast. */
const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'void', 'int', 'unsigned', 'char']);

export function cheatSheetFunctions(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\b([a-z_][a-z0-9_]*)\(/g)) {
    const name = m[1]!;
    if (!NOT_FUNCTIONS.has(name)) names.add(name);
  }
  return [...names].sort();
}

export function readCheatSheet(): string {
  return readFileSync(CHEATSHEET_URL, 'utf8');
}

/**
 * Names the text uses for something the kernel calls differently. Each maps to the kernel function
 * the trace carries, with the reason.
 */
export const ALIASES: Readonly<Record<string, { traced: string; why: string }>> = {
  // "The daemon calls it via setsockopt()": the system call; its kernel entry is traced.
  setsockopt: { traced: '__sys_setsockopt', why: 'the system call, traced under its kernel entry' },
  // Exercise 2's answer text says ip_mr_cache_unresolved(); no Linux version has that name: the
  // function it describes (qlen > 3 check, -ENOBUFS) is ipmr_cache_unresolved().
  ip_mr_cache_unresolved: { traced: 'ipmr_cache_unresolved', why: 'misspelling in the chapter (Exercise 2) of ipmr_cache_unresolved' },
};
