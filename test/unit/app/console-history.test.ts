import { describe, expect, it } from 'vitest';
import { commonPrefix, History } from '../../../renderer/src/console-history.js';

describe('console history (renderer)', () => {
  it('walks back with ↑ and forward with ↓, restoring the line being typed', () => {
    const h = new History();
    h.add('ip -br addr');
    h.add('ping -c 2 10.2.0.21');
    expect(h.up('ip ro')).toBe('ping -c 2 10.2.0.21');
    expect(h.up('')).toBe('ip -br addr');
    expect(h.up('')).toBe('ip -br addr');
    expect(h.down('')).toBe('ping -c 2 10.2.0.21');
    expect(h.down('')).toBe('ip ro');
    expect(h.down('ip ro')).toBe('ip ro');
  });

  it('stores neither blank lines nor consecutive duplicates', () => {
    const h = new History();
    h.add('ip link');
    h.add('ip link');
    h.add('   ');
    expect(h.up('')).toBe('ip link');
    expect(h.up('')).toBe('ip link');
    expect(h.down('')).toBe('');
  });

  it('finds the common prefix of completion candidates', () => {
    expect(commonPrefix(['eth0', 'eth1'])).toBe('eth');
    expect(commonPrefix(['route', 'rule'])).toBe('r');
    expect(commonPrefix(['lo'])).toBe('lo');
    expect(commonPrefix([])).toBe('');
  });
});
