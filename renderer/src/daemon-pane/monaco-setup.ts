// Monaco for daemon scripts, bundled locally (no CDN): the slim editor core, the TypeScript language only,
// and its two workers as Vite module workers. The compiler options mirror the sandbox: ES2022, no DOM (a
// daemon has no window), every file its own module (two tabs may both declare `const mr`), and the daemon
// API's .d.ts as the only ambient library — so IntelliSense offers exactly what the sandbox provides.

import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/typescript/register';
import * as ts from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import daemonApi from '../../../labs/daemons/daemon-api.d.ts?raw';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

/** TypeScript's ModuleDetectionKind.Force: a file without import/export is still a module. */
const MODULE_DETECTION_FORCE = 3;

let ready = false;

export function setupMonaco(): typeof monaco {
  if (ready) return monaco;
  ready = true;
  window.MonacoEnvironment = {
    getWorker: (_id, label) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
  };
  ts.typescriptDefaults.setCompilerOptions({
    target: ts.ScriptTarget.ESNext,
    lib: ['es2022'],
    strict: true,
    noEmit: true,
    allowNonTsExtensions: true,
    moduleDetection: MODULE_DETECTION_FORCE,
  });
  ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
  ts.typescriptDefaults.addExtraLib(daemonApi, 'file:///daemon-api.d.ts');
  return monaco;
}

export type Monaco = typeof monaco;
