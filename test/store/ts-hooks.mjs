// Node module hooks that let a child process run this repository's TypeScript directly (Node 20 cannot
// strip types): a relative `./x.js` import resolves to `./x.ts` when only that exists, and `.ts` files are
// transpiled with the TypeScript compiler (no type check). Outputs are cached in the temp directory by
// path, size and mtime, so only the first child pays for loading the compiler. Used by the durability
// harness's child.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import process from 'node:process';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const cacheDir = join(tmpdir(), 'rlw-ts-hooks-cache');
let ts;

export async function resolve(specifier, context, next) {
  if ((specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
    const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(url)) && !existsSync(fileURLToPath(new URL(specifier, context.parentURL)))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const st = statSync(file);
  const key = createHash('sha256').update(`${file}\0${st.size}\0${st.mtimeMs}`).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  if (existsSync(cached)) return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  ts ??= (await import('typescript')).default;
  const out = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false },
  });
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cached}.${process.pid}`;
  writeFileSync(tmp, out.outputText);
  renameSync(tmp, cached); // atomic: children running at once never read half a file
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
