// What a system call answered: 'ok', or the errno of the KernelError it threw (anything else is a bug: rethrown).

import { KernelError, type Errno } from '../../../engine/net/errno.js';

export function errnoOf(f: () => unknown): Errno | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof KernelError) return e.errno;
    throw e;
  }
}
