// `ip [ OPTIONS ] OBJECT ...`: the global options of iproute2 6.1's ip/ip.c main(), tried in the same
// order with matches() — so "-s" is -stats, "-b" is -batch (not -brief), "-f" is -family and a lone
// "-" is -loops, exactly as the real tool resolves them.

import { fail1, fail255, invarg, IpExit } from './ip-errors.js';
import { usageIp } from './ip-usage.js';
import { matches } from './ip-utils.js';

export type Family = 'unspec' | 'inet' | 'inet6' | 'packet' | 'mpls' | 'bridge';

export interface IpOptions {
  /** preferred_family (-4, -6, -0, -f). */
  family: Family;
  stats: number;
  details: number;
  json: boolean;
  pretty: boolean;
  oneline: boolean;
  brief: boolean;
  numeric: boolean;
  human: boolean;
  iec: boolean;
  /** -n NETNS: run in another node's namespace. */
  netns: string | null;
}

export const VERSION_LINE = 'ip utility, iproute2-6.1.0, libbpf 1.1.2\n';

export function defaultOptions(): IpOptions {
  return { family: 'unspec', stats: 0, details: 0, json: false, pretty: false, oneline: false, brief: false, numeric: false, human: false, iec: false, netns: null };
}

/** family_name() */
export function familyName(f: Family): string {
  switch (f) {
    case 'inet': return 'inet';
    case 'inet6': return 'inet6';
    case 'packet': return 'link';
    case 'mpls': return 'mpls';
    case 'bridge': return 'bridge';
    default: return '???';
  }
}

/** read_family() */
function readFamily(s: string): Family {
  if (s === 'inet') return 'inet';
  if (s === 'inet6') return 'inet6';
  if (s === 'link') return 'packet';
  if (s === 'mpls') return 'mpls';
  if (s === 'bridge') return 'bridge';
  return 'unspec';
}

/** Result of option parsing: the rest of argv, or a complete answer (-V prints and exits 0). */
export type OptionsResult = { opts: IpOptions; rest: string[] } | { stdout: string };

export function parseGlobalOptions(argv: readonly string[]): OptionsResult {
  const opts = defaultOptions();
  let i = 0;
  // main()'s loop looks at argv[1] and needs argv[2] for options with a value ("argc <= 1" → usage).
  const value = (): string => {
    if (i + 1 >= argv.length) throw new IpExit(255, usageIp());
    return argv[++i]!;
  };
  for (; i < argv.length; i++) {
    let opt = argv[i]!;
    if (opt === '--') {
      i++;
      break;
    }
    if (!opt.startsWith('-')) break;
    if (opt[1] === '-') opt = opt.slice(1);
    if (matches(opt, '-loops')) value();
    else if (matches(opt, '-family')) {
      const f = value();
      if (f === 'help') throw new IpExit(255, usageIp());
      opts.family = readFamily(f);
      if (opts.family === 'unspec') invarg('invalid protocol family', f);
    } else if (opt === '-4') opts.family = 'inet';
    else if (opt === '-6') opts.family = 'inet6';
    else if (opt === '-0') opts.family = 'packet';
    else if (opt === '-M') opts.family = 'mpls';
    else if (opt === '-B') opts.family = 'bridge';
    else if (matches(opt, '-human') || matches(opt, '-human-readable')) opts.human = true;
    else if (matches(opt, '-iec')) opts.iec = true;
    else if (matches(opt, '-stats') || matches(opt, '-statistics')) opts.stats++;
    else if (matches(opt, '-details')) opts.details++;
    else if (matches(opt, '-resolve')) continue; // no DNS in the model; addresses print numerically either way
    else if (matches(opt, '-oneline')) opts.oneline = true;
    else if (matches(opt, '-timestamp') || matches(opt, '-tshort')) continue; // only `ip monitor` uses it
    else if (matches(opt, '-Version')) return { stdout: VERSION_LINE };
    else if (matches(opt, '-force')) continue;
    else if (matches(opt, '-batch')) fail1(`Cannot open file "${value()}" for reading: No such file or directory`);
    else if (matches(opt, '-brief')) opts.brief = true;
    else if (matches(opt, '-json')) opts.json = true;
    else if (matches(opt, '-pretty')) opts.pretty = true;
    else if (matches(opt, '-rcvbuf')) {
      const v = value();
      if (!/^\d+$/.test(v)) fail255(`Invalid rcvbuf size '${v}'`);
    } else if (matches(opt, '-color') || opt.startsWith('-color=')) continue; // colours are not reproduced
    else if (matches(opt, '-help')) throw new IpExit(255, usageIp());
    else if (matches(opt, '-netns')) opts.netns = value();
    else if (matches(opt, '-Numeric')) opts.numeric = true;
    else if (matches(opt, '-all')) continue;
    else if (opt === '-echo') continue;
    else fail255(`Option "${opt}" is unknown, try "ip -help".`);
  }
  return { opts, rest: argv.slice(i) };
}
