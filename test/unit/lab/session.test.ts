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

describe('the lab\'s kernel profile', () => {
  it('profile: book gives the 3.x ipmr (at most 10 unresolved entries per table), modern has no cap', async () => {
    const { loadLab } = await import('../../labs/answers.js');
    const { LabRun } = await import('../../../main/host/lab/lab-run.js');
    const base = loadLab('labs/06-unresolved-queue.yaml'); // its starter never resolves anything
    const senders = Array.from({ length: 12 }, (_, i) => ({ type: 'udp-sender' as const, node: 'src', dst: `239.1.1.${i + 1}`, port: 5000, count: 1, ttl: 4 }));
    const upcalls = async (profile: 'book' | 'modern'): Promise<number> => {
      const run = new LabRun({ ...base, profile, steps: [{ title: 'burst', text: '', hints: [], solution: [], actions: [...senders, { type: 'wait', duration: 1e9 }], checks: [] }] });
      await run.runAll();
      expect(run.session.net.profile).toBe(profile);
      return run.session.trace.events.filter((e) => e.node === 'r1' && e.fn === 'ipmr_cache_report' && e.kind === 'upcall').length;
    };
    expect(await upcalls('modern')).toBe(12);
    expect(await upcalls('book')).toBe(10);
  });
});
