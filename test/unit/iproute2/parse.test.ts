// iproute2's argument parsing: matches() abbreviations, strtoul/strtol base-0 numbers, get_addr_ipv4's
// short forms, prefixes with lengths or netmasks, and the global options' resolution order.
// Expected values follow the C library's documented behaviour and what ip(8) 6.1 did when tried.

import { describe, expect, it } from 'vitest';
import { IpExit } from '../../../engine/iproute2/ip-errors.js';
import { parseGlobalOptions } from '../../../engine/iproute2/ip-options.js';
import { getAddrIpv4, getInteger, getPrefix, getPrefix1, getU32 } from '../../../engine/iproute2/ip-parse.js';
import { Args, matches } from '../../../engine/iproute2/ip-utils.js';

const ip = (s: string): number => {
  const [a, b, c, d] = s.split('.').map(Number);
  return ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0;
};

describe('matches()', () => {
  it('accepts any non-empty prefix and nothing longer', () => {
    expect(matches('s', 'show')).toBe(true);
    expect(matches('show', 'show')).toBe(true);
    expect(matches('shows', 'show')).toBe(false);
    expect(matches('', 'show')).toBe(false);
    expect(matches('sx', 'show')).toBe(false);
  });
});

describe('numbers (strtoul/strtol with base 0, whole string)', () => {
  it('reads decimal, hex and octal', () => {
    expect(getU32('1500')).toBe(1500);
    expect(getU32('0x10')).toBe(16);
    expect(getU32('010')).toBe(8);
    expect(getU32('0')).toBe(0);
  });

  it('rejects trailing text, empty strings and out-of-range values', () => {
    expect(getU32('12abc')).toBeNull();
    expect(getU32('')).toBeNull();
    expect(getU32('08')).toBeNull();
    expect(getU32('4294967296')).toBeNull();
    expect(getU32('4294967295')).toBe(4294967295);
  });

  it('negative numbers wrap for unsigned parsers (and so fail the u32 range)', () => {
    expect(getU32('-1')).toBeNull();
    expect(getU32('-0')).toBe(0);
    expect(getInteger('-5')).toBe(-5);
    expect(getInteger('2147483648')).toBeNull();
  });
});

describe('IPv4 addresses and prefixes', () => {
  it('get_addr_ipv4 fills missing trailing bytes with 0 and takes base-0 bytes', () => {
    expect(getAddrIpv4('10.1')).toBe(ip('10.1.0.0'));
    expect(getAddrIpv4('10')).toBe(ip('10.0.0.0'));
    expect(getAddrIpv4('0x0a.010.0.1')).toBe(ip('10.8.0.1'));
    expect(getAddrIpv4('10.0.0.256')).toBeNull();
    expect(getAddrIpv4('10.0.0.1.2')).toBeNull();
    expect(getAddrIpv4('10..1')).toBeNull();
  });

  it('a prefix takes a length or a contiguous netmask; no length means /32', () => {
    expect(getPrefix1('10.9.0.1/255.255.0.0', 'unspec')).toMatchObject({ addr: ip('10.9.0.1'), bitlen: 16, lenGiven: true });
    expect(getPrefix1('10.9.0.1', 'unspec')).toMatchObject({ bitlen: 32, lenGiven: false });
    expect(getPrefix1('default', 'unspec')).toMatchObject({ addr: 0, bitlen: 0 });
    expect(getPrefix1('10.0.0.0/255.0.255.0', 'unspec')).toBeNull();
    expect(getPrefix1('10.0.0.1/33', 'unspec')).toBeNull();
  });

  it('a bad prefix exits 1 naming the expected family', () => {
    expect(() => getPrefix('x', 'unspec')).toThrow(new IpExit(1, 'Error: any valid prefix is expected rather than "x".\n'));
    expect(() => getPrefix('x', 'inet')).toThrow(new IpExit(1, 'Error: inet prefix is expected rather than "x".\n'));
  });
});

describe('Args (NEXT_ARG)', () => {
  it('a keyword without its value is "Command line is not complete"', () => {
    const a = new Args(['mtu']);
    expect(() => a.next()).toThrow(new IpExit(255, 'Command line is not complete. Try option "help"\n'));
  });
});

describe('global options resolve in ip.c order', () => {
  const opts = (argv: string[]) => {
    const r = parseGlobalOptions(argv);
    if ('stdout' in r) throw new Error('unexpected -V');
    return r;
  };

  it('-s counts, -d/-j/-p/-o/-br set, -4/-f pick the family, -- ends options', () => {
    const r = opts(['-s', '-statistics', '-d', '-j', '-p', '-o', '-br', '-4', 'link']);
    expect(r.opts).toMatchObject({ stats: 2, details: 1, json: true, pretty: true, oneline: true, brief: true, family: 'inet' });
    expect(r.rest).toEqual(['link']);
    expect(opts(['-f', 'link', 'addr']).opts.family).toBe('packet');
    expect(opts(['--json', 'addr']).opts.json).toBe(true);
    expect(opts(['--', '-j']).rest).toEqual(['-j']);
  });

  it('"-" alone is -loops and eats the next word (ip - link show → object "show")', () => {
    expect(opts(['-', 'link', 'show']).rest).toEqual(['show']);
  });

  it('-b is -batch, not -brief; -he is -help; unknown options exit 255', () => {
    expect(() => parseGlobalOptions(['-b', 'link'])).toThrow(new IpExit(1, 'Cannot open file "link" for reading: No such file or directory\n'));
    expect(() => parseGlobalOptions(['-he'])).toThrow(IpExit);
    expect(() => parseGlobalOptions(['-x', 'link'])).toThrow(new IpExit(255, 'Option "-x" is unknown, try "ip -help".\n'));
    expect(() => parseGlobalOptions(['-f', 'foo', 'link'])).toThrow(new IpExit(255, 'Error: argument "foo" is wrong: invalid protocol family\n'));
  });

  it('-V prints the version line', () => {
    expect(parseGlobalOptions(['-V'])).toEqual({ stdout: 'ip utility, iproute2-6.1.0, libbpf 1.1.2\n' });
  });
});
