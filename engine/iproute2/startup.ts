// Node scripts: a Kathará-style `.startup` file, one command per line, run in order. Like bash without
// `-e`, a failing line does not stop the script; every failure is reported with file, line and column.

import type { Netns } from '../net/netns.js';
import type { CmdResult } from './result.js';
import { runCommandLine } from './shell.js';
import { tokenize, TokenizeError } from './tokenize.js';

export interface ScriptError {
  file: string;
  line: number;
  column: number;
  command: string;
  rc: number;
  message: string;
}

export interface ScriptRun {
  results: Array<{ line: number; command: string; result: CmdResult }>;
  errors: ScriptError[];
}

/** Column (1-based) of the word an error message quotes ("x"), else of the command's first word. */
function blameColumn(line: string, message: string): number {
  const first = line.length - line.trimStart().length + 1;
  let words: string[];
  try {
    words = tokenize(line);
  } catch {
    return first;
  }
  const quoted = [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  for (const q of quoted) {
    if (!words.includes(q)) continue;
    const re = new RegExp(`(^|\\s)${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\s|$)`);
    const m = re.exec(line);
    if (m) return m.index + m[1]!.length + 1;
  }
  return first;
}

export function runScript(ns: Netns, text: string, file: string): ScriptRun {
  const run: ScriptRun = { results: [], errors: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const command = raw.trim();
    if (!command || command.startsWith('#')) continue;
    if (i === 0 && command.startsWith('#!')) continue;
    let result: CmdResult;
    try {
      result = runCommandLine(ns, raw);
    } catch (e) {
      if (e instanceof TokenizeError) {
        run.errors.push({ file, line: i + 1, column: e.column, command, rc: 2, message: e.message });
        continue;
      }
      throw e;
    }
    run.results.push({ line: i + 1, command, result });
    if (result.rc !== 0) {
      const message = result.stderr.trim() || `exit status ${result.rc}`;
      run.errors.push({ file, line: i + 1, column: blameColumn(raw, message), command, rc: result.rc, message });
    }
  }
  return run;
}

export function formatScriptError(e: ScriptError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.command}\n  ${e.message.split('\n').join('\n  ')}`;
}
