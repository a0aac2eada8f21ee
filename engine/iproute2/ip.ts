// ip(8) of iproute2 6.1 on a node: global options, then the object table of ip/ip.c (whose order
// decides abbreviations: "ip a" is address, "ip l" link, "ip r" route, "ip ru" rule). Output,
// messages and exit statuses are the real tool's; objects the workbench does not model say so.

import { KernelError } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import { doIpaddr } from './ip-address.js';
import type { IpCtx } from './ip-context.js';
import { IpExit, rtnlAnswer } from './ip-errors.js';
import { doIplink } from './ip-link.js';
import { doMultiaddr } from './ip-maddr.js';
import { doMultiroute } from './ip-mroute.js';
import { doMultirule } from './ip-mrule.js';
import { parseGlobalOptions } from './ip-options.js';
import { Printer } from './ip-print.js';
import { doIproute } from './ip-route.js';
import { doIprule } from './ip-rule.js';
import { usageIp } from './ip-usage.js';
import { matches } from './ip-utils.js';
import type { CmdResult } from './result.js';

type ObjectFn = (ctx: IpCtx, argv: readonly string[]) => number;

/** cmds[] of ip/ip.c, in order. `null`: an iproute2 object the workbench does not model. */
const OBJECTS: ReadonlyArray<readonly [string, ObjectFn | null]> = [
  ['address', doIpaddr],
  ['addrlabel', null],
  ['maddress', doMultiaddr],
  ['route', doIproute],
  ['rule', doIprule],
  ['neighbor', null],
  ['neighbour', null],
  ['ntable', null],
  ['ntbl', null],
  ['link', doIplink],
  ['l2tp', null],
  ['fou', null],
  ['ila', null],
  ['macsec', null],
  ['tunnel', null],
  ['tunl', null],
  ['tuntap', null],
  ['tap', null],
  ['token', null],
  ['tcpmetrics', null],
  ['tcp_metrics', null],
  ['monitor', null],
  ['xfrm', null],
  ['mroute', doMultiroute],
  ['mrule', doMultirule],
  ['netns', null],
  ['netconf', null],
  ['vrf', null],
  ['sr', null],
  ['nexthop', null],
  ['mptcp', null],
  ['ioam', null],
  ['help', () => { throw new IpExit(255, usageIp()); }],
  ['stats', null],
];

/** do_cmd() */
function doCmd(ctx: IpCtx, argv: readonly string[]): number {
  const [obj, ...rest] = argv as [string, ...string[]];
  for (const [name, fn] of OBJECTS) {
    if (!matches(obj, name)) continue;
    if (!fn) throw new IpExit(1, `ip: "${name}" is not modelled by the workbench yet.\n`);
    return fn(ctx, rest);
  }
  throw new IpExit(1, `Object "${obj}" is unknown, try "ip help".\n`);
}

/** `ip ARGV...` run in `ns` (argv without the leading "ip"). */
export function ipCommand(ns: Netns, argv: readonly string[]): CmdResult {
  let stdout = '';
  let stderr = '';
  try {
    const parsed = parseGlobalOptions(argv);
    if ('stdout' in parsed) return { rc: 0, stdout: parsed.stdout, stderr: '' };
    const { opts, rest } = parsed;
    let target = ns;
    if (opts.netns !== null) {
      const other = ns.net.nodes.get(opts.netns);
      if (!other) throw new IpExit(255, `Cannot open network namespace "${opts.netns}": No such file or directory\n`);
      target = other;
    }
    if (rest.length === 0) throw new IpExit(255, usageIp());
    const ctx: IpCtx = { ns: target, opts, out: new Printer(opts), stderr: '' };
    try {
      const rc = doCmd(ctx, rest);
      return { rc, stdout: ctx.out.out, stderr: ctx.stderr };
    } finally {
      stdout = ctx.out.out;
      stderr = ctx.stderr;
    }
  } catch (e) {
    if (e instanceof IpExit) return { rc: e.rc, stdout: stdout + e.stdout, stderr: stderr + e.stderr };
    // A kernel error from a path that did not translate it: still what rtnl_talk() would print.
    if (e instanceof KernelError) return { rc: 2, stdout, stderr: stderr + rtnlAnswer(e).stderr };
    throw e;
  }
}
