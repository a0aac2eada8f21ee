// Reading and writing files under /proc on a node: /proc/sys/* through the sysctl tree; later issues
// register /proc/net/* files (ip_mr_vif, ip_mr_cache, igmp, mcfilter) here.

import { Errno, KernelError, strerror } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import { SysctlTree } from '../net/sysctl.js';

export type ProcFileReader = (ns: Netns) => string;

/** /proc/net/* files registered by subsystems: path → reader. */
export const procNetFiles = new Map<string, ProcFileReader>();

export function registerProcFile(path: string, reader: ProcFileReader): void {
  procNetFiles.set(path, reader);
}

function sysPath(path: string): string[] | null {
  const m = /^\/proc\/sys\/(.+?)\/?$/.exec(path);
  return m ? m[1]!.split('/') : null;
}

/** The contents of a file, or an errno (ENOENT, EISDIR). */
export function readProcFile(ns: Netns, path: string): string {
  const reader = procNetFiles.get(path);
  if (reader) return reader(ns);
  const p = sysPath(path);
  if (p) {
    const tree = new SysctlTree(ns);
    const node = tree.lookup(p);
    if (!node) throw new KernelError(Errno.ENOENT);
    if (node.kind === 'dir') throw new KernelError(Errno.EISDIR);
    return `${tree.read(p)}\n`;
  }
  throw new KernelError(Errno.ENOENT);
}

export function writeProcFile(ns: Netns, path: string, text: string): void {
  const p = sysPath(path);
  if (!p) throw new KernelError(procNetFiles.has(path) ? Errno.EACCES : Errno.ENOENT);
  const tree = new SysctlTree(ns);
  const node = tree.lookup(p);
  if (!node) throw new KernelError(Errno.ENOENT);
  if (node.kind === 'dir') throw new KernelError(Errno.EISDIR);
  if (node.readonly) throw new KernelError(Errno.EACCES);
  tree.write(p, text);
}

export function errnoText(e: unknown): string {
  return e instanceof KernelError ? strerror(e.errno) : String(e);
}
