// Expected texts and exit codes were observed with procps-ng 4.0.2 on Linux 6.18 in a fresh namespace.
import { describe, expect, it } from 'vitest';
import { Network } from '../../../engine/net/network.js';
import { runCommandLine } from '../../../engine/iproute2/shell.js';
import type { Netns } from '../../../engine/net/netns.js';

function node(): Netns {
  const net = new Network({ seed: 1 });
  const ns = net.addNode('r1');
  net.addNode('sink');
  net.addVethPair(ns, 'e0', net.node('sink'), 'p0');
  return ns;
}

const sh = (ns: Netns, line: string) => runCommandLine(ns, line);

describe('sysctl', () => {
  it('reads and writes like procps', () => {
    const ns = node();
    expect(sh(ns, 'sysctl net.ipv4.ip_forward')).toEqual({ rc: 0, stdout: 'net.ipv4.ip_forward = 0\n', stderr: '' });
    expect(sh(ns, 'sysctl -w net.ipv4.ip_forward=1')).toEqual({ rc: 0, stdout: 'net.ipv4.ip_forward = 1\n', stderr: '' });
    expect(sh(ns, 'sysctl -n net.ipv4.ip_forward').stdout).toBe('1\n');
    expect(sh(ns, 'sysctl net/ipv4/ip_default_ttl').stdout).toBe('net.ipv4.ip_default_ttl = 64\n');
    // '=' without -w writes too; spaces around '=' are trimmed; the echoed value is the one given.
    expect(sh(ns, 'sysctl "net.ipv4.ip_forward = 1 2"').stdout).toBe('net.ipv4.ip_forward = 1 2\n');
    expect(sh(ns, 'sysctl -q -w net.ipv4.ip_forward=0')).toEqual({ rc: 0, stdout: '', stderr: '' });
  });

  it('ip_forward drives every device, default, and accept_redirects (inet_forward_change)', () => {
    const ns = node();
    sh(ns, 'sysctl -w net.ipv4.ip_forward=1');
    expect(sh(ns, 'sysctl net.ipv4.conf.e0.forwarding net.ipv4.conf.default.forwarding net.ipv4.conf.all.accept_redirects net.ipv4.conf.e0.accept_redirects').stdout).toBe(
      'net.ipv4.conf.e0.forwarding = 1\nnet.ipv4.conf.default.forwarding = 1\nnet.ipv4.conf.all.accept_redirects = 0\nnet.ipv4.conf.e0.accept_redirects = 1\n',
    );
    // A device can be switched back on its own; default.forwarding changes no existing device.
    sh(ns, 'sysctl -w net.ipv4.conf.e0.forwarding=0');
    sh(ns, 'sysctl -w net.ipv4.conf.default.forwarding=0');
    expect(sh(ns, 'sysctl -n net.ipv4.conf.e0.forwarding net.ipv4.ip_forward').stdout).toBe('0\n1\n');
    // proc_dointvec: any int goes, and reads back as written.
    sh(ns, 'sysctl -w net.ipv4.ip_forward=5');
    expect(sh(ns, 'sysctl -n net.ipv4.ip_forward net.ipv4.conf.e0.forwarding').stdout).toBe('5\n5\n');
  });

  it('propagates default.* to devices that never had the entry written', () => {
    const ns = node();
    sh(ns, 'sysctl -w net.ipv4.conf.e0.rp_filter=2');
    sh(ns, 'sysctl -w net.ipv4.conf.default.rp_filter=1');
    expect(sh(ns, 'sysctl -n net.ipv4.conf.e0.rp_filter net.ipv4.conf.lo.rp_filter').stdout).toBe('2\n1\n');
    // A device created after a default write inherits the value *and* the "written" mark.
    const net = ns.net;
    net.addVethPair(ns, 'e1', net.node('sink'), 'p1');
    sh(ns, 'sysctl -w net.ipv4.conf.default.rp_filter=0');
    expect(sh(ns, 'sysctl -n net.ipv4.conf.e1.rp_filter net.ipv4.conf.lo.rp_filter').stdout).toBe('1\n0\n');
  });

  it('gives procps messages and exit codes for errors', () => {
    const ns = node();
    expect(sh(ns, 'sysctl net.ipv4.nope')).toEqual({ rc: 1, stdout: '', stderr: 'sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n' });
    expect(sh(ns, 'sysctl -e net.ipv4.nope')).toEqual({ rc: 0, stdout: '', stderr: '' });
    expect(sh(ns, 'sysctl -w net.ipv4.ip_forward=abc')).toEqual({ rc: 1, stdout: '', stderr: 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n' });
    expect(sh(ns, 'sysctl -w net.ipv4.ip_default_ttl=0').rc).toBe(1);
    expect(sh(ns, 'sysctl -w net.ipv4.icmp_echo_ignore_all=2').rc).toBe(1);
    expect(sh(ns, 'sysctl -w net.ipv4.ip_forward=99999999999').rc).toBe(1);
    // Read-only: the warning, yet exit status 0, and the value is unchanged.
    expect(sh(ns, 'sysctl -w net.ipv4.conf.all.mc_forwarding=1')).toEqual({ rc: 0, stdout: '', stderr: 'sysctl: setting key "net.ipv4.conf.all.mc_forwarding": Invalid argument\n' });
    expect(sh(ns, 'sysctl -n net.ipv4.conf.all.mc_forwarding').stdout).toBe('0\n');
    expect(sh(ns, 'sysctl -w net.ipv4.ip_forward')).toEqual({ rc: 1, stdout: '', stderr: 'sysctl: command line(0): invalid syntax, continuing...\n' });
    // A failure in the middle does not stop the others; the exit status says one failed.
    expect(sh(ns, 'sysctl net.ipv4.ip_forward net.ipv4.nope net.ipv4.ip_default_ttl')).toMatchObject({ rc: 1, stdout: 'net.ipv4.ip_forward = 0\nnet.ipv4.ip_default_ttl = 64\n' });
    const none = sh(ns, 'sysctl');
    expect(none.rc).toBe(1);
    expect(none.stderr).toMatch(/^\nUsage:\n sysctl \[options\]/);
  });

  it('lists a directory in procfs name order, devices included', () => {
    const ns = node();
    const out = sh(ns, 'sysctl net.ipv4.conf').stdout.split('\n');
    expect(out[0]).toBe('net.ipv4.conf.all.accept_local = 0');
    expect(out.filter((l) => l.endsWith('.rp_filter = 0')).map((l) => l.split('.')[3])).toEqual(['all', 'default', 'e0', 'lo']);
    expect(out).toContain('net.ipv4.conf.lo.disable_policy = 1');
    expect(out).toContain('net.ipv4.conf.all.accept_source_route = 0');
    expect(out).toContain('net.ipv4.conf.default.accept_source_route = 1');
  });
});

describe('/proc/sys through the shell', () => {
  it('cat and echo-redirect read and write sysctls', () => {
    const ns = node();
    expect(sh(ns, 'cat /proc/sys/net/ipv4/ip_forward')).toEqual({ rc: 0, stdout: '0\n', stderr: '' });
    expect(sh(ns, 'echo 1 > /proc/sys/net/ipv4/ip_forward')).toEqual({ rc: 0, stdout: '', stderr: '' });
    expect(sh(ns, 'cat /proc/sys/net/ipv4/conf/e0/forwarding').stdout).toBe('1\n');
    expect(sh(ns, 'echo x > /proc/sys/net/ipv4/ip_forward')).toEqual({ rc: 1, stdout: '', stderr: 'bash: echo: write error: Invalid argument\n' });
    expect(sh(ns, 'cat /proc/sys/net/ipv4/nope')).toEqual({ rc: 1, stdout: '', stderr: 'cat: /proc/sys/net/ipv4/nope: No such file or directory\n' });
    expect(sh(ns, 'frobnicate')).toEqual({ rc: 127, stdout: '', stderr: 'bash: frobnicate: command not found\n' });
  });
});
