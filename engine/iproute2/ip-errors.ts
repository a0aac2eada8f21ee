// How `ip` fails: the exact texts and exit statuses of iproute2 6.1's error helpers (lib/utils.c,
// lib/libnetlink.c). A helper throws IpExit; ipCommand() turns it into stderr + exit status, keeping
// whatever was already printed on stdout (e.g. the "[" of a JSON dump that then failed).

import { strerror, type KernelError } from '../net/errno.js';

export class IpExit extends Error {
  constructor(
    /** Exit status as the shell sees it (exit(-1) → 255, return -2 from a do_* function → 2). */
    readonly rc: number,
    readonly stderr: string,
    /** Text some usage paths print on stdout before failing (veth's usage). */
    readonly stdout = '',
  ) {
    super(stderr.trimEnd());
    this.name = 'IpExit';
  }
}

/** invarg(): `Error: argument "X" is wrong: MSG` — MSG often ends in "\n" itself (a blank line follows). */
export function invarg(msg: string, arg: string): never {
  throw new IpExit(255, `Error: argument "${arg}" is wrong: ${msg}\n`);
}

/** incomplete_command(), what NEXT_ARG() calls when the value is missing. */
export function incomplete(): never {
  throw new IpExit(255, 'Command line is not complete. Try option "help"\n');
}

export function duparg(key: string, arg: string): never {
  throw new IpExit(255, `Error: duplicate "${key}": "${arg}" is the second value.\n`);
}

export function duparg2(key: string, arg: string): never {
  throw new IpExit(255, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`);
}

/** nodev(): a device name that does not resolve (returns -1 → exit status 1). */
export function nodev(dev: string): never {
  throw new IpExit(1, `Cannot find device "${dev}"\n`);
}

/** A message iproute2 prints with fprintf(stderr) before returning -1 (exit status 1). */
export function fail1(msg: string): never {
  throw new IpExit(1, msg.endsWith('\n') ? msg : `${msg}\n`);
}

/** A message followed by exit(-1) (exit status 255). */
export function fail255(msg: string): never {
  throw new IpExit(255, msg.endsWith('\n') ? msg : `${msg}\n`);
}

/**
 * rtnl_talk() failing: the kernel's extended ack as `Error: MSG.` (iproute2 adds the full stop), or
 * `RTNETLINK answers: strerror(errno)` without one. do_* returns -2 → exit status 2.
 */
export function rtnlAnswer(e: KernelError): IpExit {
  return new IpExit(2, e.extack ? `Error: ${e.extack}${e.extack.endsWith('.') ? '' : '.'}\n` : `RTNETLINK answers: ${strerror(e.errno)}\n`);
}

/** A dump whose request the kernel refused: the error, then "Dump terminated" (exit status 2). */
export function dumpTerminated(e: KernelError): IpExit {
  return new IpExit(2, `${rtnlAnswer(e).stderr}Dump terminated\n`);
}
