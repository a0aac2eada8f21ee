// The SIGKILL pattern of the durability tests: start a recording child (a TypeScript script run through the
// test hooks), and kill it `delayMs` after it has reported `commits` commits ('C ...' lines after its 'R'
// line). Counting commits rather than time keeps the kill points spread over the stream however loaded the
// machine is. Resolves with everything the child printed; rejects if it ended by itself.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function recordAndKillChild(script: string, args: string[], commits: number, delayMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', './test/store/register-ts.mjs', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (timer === undefined && out.startsWith('R\n') && out.split('\nC ').length > commits) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended by itself (code ${code}): ${err}`));
      resolve(out);
    });
  });
}
