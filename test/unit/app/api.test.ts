import { describe, expect, it } from 'vitest';
import { API_CHANNELS, API_METHODS, ApiError, parseRequest } from '../../../main/host/api.js';

function refused(method: unknown, arg: unknown): string {
  try {
    parseRequest(method, arg);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('EINVAL');
    return (e as ApiError).message;
  }
  throw new Error(`accepted ${String(method)} ${JSON.stringify(arg)}`);
}

describe('WorkbenchApi request validation', () => {
  it('has one channel per method, named workbench:<method>', () => {
    expect(API_CHANNELS.slice(0, 5)).toEqual(['workbench:getLab', 'workbench:runCommand', 'workbench:complete', 'workbench:moveNode', 'workbench:reset']);
    expect(API_CHANNELS).toEqual(API_METHODS.map((m) => `workbench:${m}`));
    expect(API_CHANNELS).toEqual(expect.arrayContaining(['workbench:applyTopology', 'workbench:deviceEvent', 'workbench:openLab', 'workbench:saveLab']));
    expect(new Set(API_METHODS).size).toBe(API_METHODS.length);
  });

  it('accepts well-formed requests and returns exactly the validated fields', () => {
    expect(parseRequest('getLab', undefined)).toEqual({ method: 'getLab', arg: undefined });
    expect(parseRequest('reset', null)).toEqual({ method: 'reset', arg: undefined });
    expect(parseRequest('runCommand', { node: 'r1', line: 'ip -br addr' })).toEqual({ method: 'runCommand', arg: { node: 'r1', line: 'ip -br addr' } });
    expect(parseRequest('complete', { node: 'rcv-2.a', line: '' }).arg).toEqual({ node: 'rcv-2.a', line: '' });
    expect(parseRequest('moveNode', { node: 'lanb', x: -12.5, y: 300 }).arg).toEqual({ node: 'lanb', x: -12.5, y: 300 });
  });

  it('refuses unknown methods, including inherited property names', () => {
    expect(refused('exec', {})).toMatch(/unknown method/);
    expect(refused('constructor', undefined)).toMatch(/unknown method/);
    expect(refused('__proto__', undefined)).toMatch(/unknown method/);
    expect(refused(42, undefined)).toMatch(/unknown method/);
  });

  it('refuses wrong shapes, extra fields and non-plain objects', () => {
    expect(refused('getLab', { x: 1 })).toMatch(/takes no argument/);
    expect(refused('runCommand', null)).toMatch(/expected an object/);
    expect(refused('runCommand', ['r1', 'ip'])).toMatch(/expected an object/);
    expect(refused('runCommand', { node: 'r1', line: 'ip', extra: true })).toMatch(/unknown field "extra"/);
    expect(refused('runCommand', new (class { node = 'r1'; line = 'ip'; })())).toMatch(/plain object/);
    expect(refused('runCommand', { node: 'r1' })).toMatch(/line: expected a string/);
    expect(refused('runCommand', { node: 'r1', line: 7 })).toMatch(/line: expected a string/);
  });

  it('refuses node names outside containerlab syntax and over-long or multi-line commands', () => {
    expect(refused('runCommand', { node: '', line: 'ip' })).toMatch(/node name/);
    expect(refused('runCommand', { node: '../r1', line: 'ip' })).toMatch(/node name/);
    expect(refused('runCommand', { node: 'r1 r2', line: 'ip' })).toMatch(/node name/);
    expect(refused('runCommand', { node: 'x'.repeat(65), line: 'ip' })).toMatch(/node name/);
    expect(refused('runCommand', { node: 'r1', line: 'ip addr\nip route' })).toMatch(/control characters/);
    expect(refused('runCommand', { node: 'r1', line: 'a'.repeat(4097) })).toMatch(/longer than 4096/);
  });

  it('refuses coordinates that are not finite or far out of range', () => {
    expect(refused('moveNode', { node: 'r1', x: Number.NaN, y: 0 })).toMatch(/finite/);
    expect(refused('moveNode', { node: 'r1', x: 0, y: Infinity })).toMatch(/finite/);
    expect(refused('moveNode', { node: 'r1', x: '1', y: 0 })).toMatch(/finite/);
    expect(refused('moveNode', { node: 'r1', x: 2e6, y: 0 })).toMatch(/finite/);
  });
});
