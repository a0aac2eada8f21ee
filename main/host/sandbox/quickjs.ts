// The QuickJS WebAssembly module, loaded once per process; every daemon gets its own runtime from it
// (a runtime is the isolation unit: its own heap, memory limit, stack limit and interrupt handler).

import variant from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, type QuickJSSyncVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';

let loading: Promise<QuickJSWASMModule> | null = null;

export function loadQuickJS(): Promise<QuickJSWASMModule> {
  // The package's only .d.ts is its CommonJS one, so under nodenext TypeScript types the default import as
  // the whole module; Node loads the ESM build, whose default export is the variant itself.
  loading ??= newQuickJSWASMModuleFromVariant(variant as unknown as QuickJSSyncVariant);
  return loading;
}
