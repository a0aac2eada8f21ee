import { describe, expect, it } from 'vitest';
import { completeLine } from '../../../main/host/console-completion.js';

const DEVS = ['lo', 'eth0', 'eth1'];

describe('console Tab completion', () => {
  it('completes the command word', () => {
    expect(completeLine('', DEVS)).toEqual({ from: 0, candidates: ['cat', 'echo', 'ip', 'ping', 'sleep', 'sysctl', 'true'] });
    expect(completeLine('sy', DEVS)).toEqual({ from: 0, candidates: ['sysctl'] });
    expect(completeLine('p', DEVS)).toEqual({ from: 0, candidates: ['ping'] });
  });

  it('completes ip objects and verbs, skipping options', () => {
    expect(completeLine('ip r', DEVS)).toEqual({ from: 3, candidates: ['route', 'rule'] });
    expect(completeLine('ip -br a', DEVS)).toEqual({ from: 7, candidates: ['address'] });
    expect(completeLine('ip addr s', DEVS)).toEqual({ from: 8, candidates: ['show'] });
    expect(completeLine('ip route ', DEVS).candidates).toContain('get');
  });

  it("completes the node's device names where a device is expected", () => {
    expect(completeLine('ip addr show dev e', DEVS)).toEqual({ from: 17, candidates: ['eth0', 'eth1'] });
    expect(completeLine('ip link set ', DEVS)).toEqual({ from: 12, candidates: ['eth0', 'eth1', 'lo'] });
    expect(completeLine('ping -I l', DEVS)).toEqual({ from: 8, candidates: ['lo'] });
  });

  it('completes sysctl keys and /proc paths', () => {
    expect(completeLine('sysctl -w net.ipv4.ip_f', DEVS)).toEqual({ from: 10, candidates: ['net.ipv4.ip_forward'] });
    expect(completeLine('cat /proc/net/ip_mr_', DEVS)).toEqual({ from: 4, candidates: ['/proc/net/ip_mr_cache', '/proc/net/ip_mr_vif'] });
  });

  it('offers nothing for words it knows nothing about', () => {
    expect(completeLine('ping 10.', DEVS)).toEqual({ from: 5, candidates: [] });
    expect(completeLine('nope x', DEVS)).toEqual({ from: 5, candidates: [] });
  });
});
