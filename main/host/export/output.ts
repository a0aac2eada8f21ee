// Where an export goes: a file (written through a stream, honouring its backpressure) or stdout ('-').

import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

export interface Output {
  write(chunk: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

function fromStream(s: Writable, owned: boolean): Output {
  let failure: Error | null = null;
  s.on('error', (e) => {
    failure = e;
  });
  return {
    write(chunk) {
      if (failure) return Promise.reject(failure);
      if (s.write(chunk)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onDrain = (): void => (s.off('error', onError), resolve());
        const onError = (e: Error): void => (s.off('drain', onDrain), reject(e));
        s.once('drain', onDrain);
        s.once('error', onError);
      });
    },
    close() {
      if (failure) return Promise.reject(failure);
      if (!owned) return Promise.resolve();
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.end(() => resolve());
      });
    },
  };
}

export function openOutput(path: string): Output {
  return path === '-' ? fromStream(process.stdout, false) : fromStream(createWriteStream(path), true);
}
