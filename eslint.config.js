// Lint rules that keep the layers apart (DESIGN.md "Layers"): imports point down only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls', 'url', 'util',
  'v8', 'vm', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'renderer/dist/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The engine: pure, deterministic, portable. No Node, no DOM, no Electron, no clock, no unseeded randomness.
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'engine/ must not import Electron.' },
          { name: 'sqlite3', message: 'engine/ knows nothing of storage.' },
          ...nodeBuiltins.map((name) => ({ name, message: 'engine/ must not import Node built-ins.' })),
        ],
        patterns: [
          { group: ['node:*'], message: 'engine/ must not import Node built-ins.' },
          { group: ['**/main/**', '**/renderer/**', '**/test/**'], message: 'engine/ imports nothing from the layers above it.' },
        ],
      }],
      'no-restricted-globals': ['error',
        ...['window', 'document', 'navigator', 'process', 'Buffer', 'require', 'setTimeout', 'setInterval',
          'setImmediate', 'performance', 'fetch', '__dirname'].map((name) => ({ name, message: `engine/ must not use ${name}: it runs everywhere, on simulated time.` })),
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'engine/ reads no clock; use the simulated clock.' },
        { object: 'Math', property: 'random', message: 'engine/ uses the seeded PRNG (sim/prng.ts).' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date']", message: 'engine/ reads no clock; use the simulated clock.' },
      ],
    },
  },
  {
    // The host serves the app, the CLI and web mode; it never reaches into the UI or Electron.
    files: ['main/host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'main/host/ runs without Electron (CLI, web mode); only main/electron.ts and main/preload.ts import it.' }],
        patterns: [{ group: ['**/renderer/**'], message: 'The host does not import the renderer.' }],
      }],
    },
  },
  {
    // The renderer sees the host only through types (WorkbenchApi); the engine it may import (it is portable).
    files: ['renderer/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks to main only through the preload API.' }],
        patterns: [
          { group: ['**/main/**'], allowTypeImports: true, message: 'The renderer imports host code only as types (import type).' },
          { group: ['node:*', ...nodeBuiltins], message: 'The renderer runs in a browser.' },
        ],
      }],
    },
  },
);
