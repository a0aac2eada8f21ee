import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { LabSession } from '../../../main/host/lab/session.js';

describe('lab session', () => {
  it('builds the default lab with no startup error, lo up, and answers commands on each node', () => {
    const s = new LabSession(DEFAULT_LAB);
    expect(s.startupErrors).toEqual([]);
    expect(s.runCommand('r1', 'ip -br addr show dev eth1').stdout).toMatch(/^eth1@if\d+\s+UP\s+10\.2\.0\.1\/24 \n$/);
    expect(s.runCommand('rcv1', 'ip -br link show dev lo').stdout).toMatch(/^lo\s+UNKNOWN/);
    const ping = s.runCommand('r1', 'ping -c 2 10.2.0.22');
    expect(ping.rc).toBe(0);
    expect(ping.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    expect(s.runCommand('nope', 'true').rc).toBe(127);
  });

  it('reports a failing startup command with node, line and message', () => {
    const s = new LabSession({ ...DEFAULT_LAB, nodes: DEFAULT_LAB.nodes.map((n) => (n.name === 'src' ? { ...n, startup: ['ip link set eth0 up', 'ip addr add 10.1.0.300/24 dev eth0'] } : n)) });
    expect(s.startupErrors).toEqual([
      { node: 'src', file: 'first-steps:src', line: 2, command: 'ip addr add 10.1.0.300/24 dev eth0', rc: 1, message: 'Error: any valid prefix is expected rather than "10.1.0.300/24".' },
    ]);
  });
});

describe('the default lab end to end', () => {
  it('src reaches both receivers across r1 (default routes, forwarding on)', () => {
    const s = new LabSession(DEFAULT_LAB);
    const r = s.runCommand('src', 'ping -c 1 10.2.0.22');
    expect(r.stdout).toMatch(/64 bytes from 10\.2\.0\.22: icmp_seq=1 ttl=63 /);
    s.runCommand('r1', 'sysctl -w net.ipv4.ip_forward=0');
    expect(s.runCommand('src', 'ping -c 1 -W 1 10.2.0.21').stdout).toContain('1 packets transmitted, 0 received, 100% packet loss');
  });
});
