// sysctl(8) from procps-ng 4.0.2 over a node's /proc/sys, with its exact messages and exit codes
// (observed in a namespace: a read-only key prints "Invalid argument" yet exits 0; an unknown option
// prints the usage on stdout and exits 0).

import { Errno, KernelError } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import { SysctlTree } from '../net/sysctl.js';
import { Output, type CmdResult } from './result.js';

export const SYSCTL_USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

interface Flags {
  all: boolean;
  ignore: boolean;
  names: boolean;
  values: boolean;
  quiet: boolean;
  write: boolean;
  dryRun: boolean;
  binary: boolean;
}

/** procps turns "net/ipv4/ip_forward" into "net.ipv4.ip_forward" (and dots in such a path into slashes). */
function normaliseKey(key: string): string {
  if (!key.includes('/')) return key;
  return key.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

export function sysctlCommand(ns: Netns, argv: string[]): CmdResult {
  if (argv.length === 0) return { rc: 1, stdout: '', stderr: SYSCTL_USAGE };
  const o = new Output();
  const f: Flags = { all: false, ignore: false, names: false, values: false, quiet: false, write: false, dryRun: false, binary: false };
  const args: string[] = [];
  for (const a of argv) {
    if (a === '--') continue;
    if (a.startsWith('--')) {
      const long: Record<string, keyof Flags> = { '--all': 'all', '--ignore': 'ignore', '--names': 'names', '--values': 'values', '--quiet': 'quiet', '--write': 'write', '--dry-run': 'dryRun', '--binary': 'binary' };
      if (a === '--help') return { rc: 0, stdout: SYSCTL_USAGE, stderr: '' };
      if (a === '--version') return { rc: 0, stdout: 'sysctl from procps-ng 4.0.2\n', stderr: '' };
      const k = long[a];
      if (!k) return { rc: 0, stdout: SYSCTL_USAGE, stderr: `sysctl: unrecognized option '${a}'\n` };
      f[k] = true;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        switch (c) {
          case 'a': case 'A': case 'X': f.all = true; break;
          case 'e': f.ignore = true; break;
          case 'N': f.names = true; break;
          case 'n': f.values = true; break;
          case 'q': f.quiet = true; break;
          case 'w': f.write = true; break;
          case 'b': f.binary = true; break;
          case 'o': case 'x': break;
          case 'h': case 'd': return { rc: 0, stdout: SYSCTL_USAGE, stderr: '' };
          case 'V': return { rc: 0, stdout: 'sysctl from procps-ng 4.0.2\n', stderr: '' };
          default:
            return { rc: 0, stdout: SYSCTL_USAGE, stderr: `sysctl: invalid option -- '${c}'\n` };
        }
      }
      continue;
    }
    args.push(a);
  }
  const tree = new SysctlTree(ns);
  const show = (key: string): void => {
    const value = tree.read(key.split('.'));
    if (f.names) o.out(key);
    else if (f.values) o.out(value);
    else o.out(`${key} = ${value}`);
  };
  if (f.all) {
    for (const k of tree.list([])) show(k);
    return o.result();
  }
  if (args.length === 0) return { rc: 1, stdout: '', stderr: `sysctl: no variables specified\nTry \`sysctl --help' for more information.\n` };

  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0 && f.write) {
      o.err('sysctl: command line(0): invalid syntax, continuing...');
      o.rc = 1;
      continue;
    }
    if (eq >= 0) {
      const key = normaliseKey(arg.slice(0, eq).trim());
      const value = arg.slice(eq + 1).trim();
      if (!key) {
        o.err('sysctl: Path is not under /proc/sys/: /proc/sys/');
        o.rc = 1;
        continue;
      }
      const node = tree.lookup(key.split('.'));
      if (!node) {
        if (!f.ignore) {
          o.err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`);
          o.rc = 1;
        }
        continue;
      }
      if (node.kind === 'file' && node.readonly) {
        // procps sees no write bit and warns with a stale errno; the exit code stays 0.
        o.err(`sysctl: setting key "${key}": Invalid argument`);
        continue;
      }
      if (node.kind === 'dir') {
        o.err(`sysctl: setting key "${key}": Is a directory`);
        o.rc = 1;
        continue;
      }
      try {
        if (!f.dryRun) tree.write(key.split('.'), value);
        if (!f.quiet) {
          if (f.values) o.out(value);
          else o.out(`${key} = ${value}`);
        }
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        o.err(`sysctl: setting key "${key}": ${e.errno === Errno.EINVAL ? 'Invalid argument' : e.message}`);
        o.rc = 1;
      }
      continue;
    }
    const key = normaliseKey(arg.trim());
    const node = tree.lookup(key.split('.'));
    if (!node) {
      if (!f.ignore) {
        o.err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`);
        o.rc = 1;
      }
      continue;
    }
    if (node.kind === 'dir') for (const k of tree.list(key.split('.'))) show(k);
    else show(key);
  }
  return o.result();
}
