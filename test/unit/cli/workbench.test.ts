import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../main/host/cli/workbench.js';

function fakeIO(files: Record<string, string> = {}) {
  const io = { stdout: '', stderr: '' };
  const cli: CliIO = {
    out: (s) => void (io.stdout += s),
    err: (s) => void (io.stderr += s),
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      return files[p]!;
    },
  };
  return { io, cli };
}

const R1 = `# r1: one veth towards the sink namespace
ip link add e0 type veth peer name p0 netns sink
ip addr add 10.0.0.1/24 dev e0
ip link set e0 up
sysctl -w net.ipv4.ip_forward=1
`;

describe('workbench exec', () => {
  it('runs a command on a scripted node and passes its output and exit code through', () => {
    const { io, cli } = fakeIO({ 'r1.startup': R1 });
    expect(main(['exec', '--script', 'r1.startup', '--ns', 'sink', '--', 'sysctl', 'net.ipv4.conf.e0.forwarding'], cli)).toBe(0);
    expect(io.stdout).toBe('net.ipv4.conf.e0.forwarding = 1\n');
    const bad = fakeIO({ 'r1.startup': R1 });
    expect(main(['exec', '--script', 'r1.startup', '--ns', 'sink', '--', 'cat', '/proc/sys/nope'], bad.cli)).toBe(1);
    expect(bad.io.stderr).toBe('cat: /proc/sys/nope: No such file or directory\n');
  });

  it('names file, line and column of a failing script line and exits 1', () => {
    const script = 'ip link add e0 type veth peer name p0 netns sink\nsysctl -w net.ipv4.ip_forward=1\n\nsysctl -w net.ipv4.ip_default_ttl=300\n';
    const { io, cli } = fakeIO({ 'lab/r1.startup': script });
    expect(main(['exec', '--script', 'lab/r1.startup', '--ns', 'sink', '--', 'true'], cli)).toBe(1);
    expect(io.stderr).toBe('lab/r1.startup:4:1: sysctl -w net.ipv4.ip_default_ttl=300\n  sysctl: setting key "net.ipv4.ip_default_ttl": Invalid argument\n');
    const kg = fakeIO({ 'lab/r1.startup': script });
    expect(main(['exec', '--script', 'lab/r1.startup', '--ns', 'sink', '--keep-going', '--', 'sysctl', '-n', 'net.ipv4.ip_default_ttl'], kg.cli)).toBe(0);
    expect(kg.io.stdout).toBe('64\n');
  });

  it('prints one JSON line per batch command', () => {
    const { io, cli } = fakeIO({ 'r1.startup': R1, 'cmds.txt': '# checks\nsysctl -n net.ipv4.ip_forward\n\ncat /proc/sys/net/ipv4/x\n' });
    expect(main(['exec', '--script', 'r1.startup', '--ns', 'sink', '--batch', 'cmds.txt', '--jsonl'], cli)).toBe(1);
    const lines = io.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { cmd: 'sysctl -n net.ipv4.ip_forward', rc: 0, stdout: '1\n', stderr: '' },
      { cmd: 'cat /proc/sys/net/ipv4/x', rc: 1, stdout: '', stderr: 'cat: /proc/sys/net/ipv4/x: No such file or directory\n' },
    ]);
  });

  it('rejects bad usage with exit code 2 and a hint', () => {
    for (const args of [['exec', '--script', 'r1.startup'], ['exec', '--bogus'], ['frob'], ['exec', '--seed', 'x', '--ns', 'a', '--', 'true'], ['exec', '--ns', 'a', '--node', 'b', '--', 'true']]) {
      const { io, cli } = fakeIO({ 'r1.startup': R1 });
      expect(main(args, cli), args.join(' ')).toBe(2);
      expect(io.stderr).toMatch(/^workbench: .+\nTry 'workbench --help'\.\n$/);
    }
    const missing = fakeIO();
    expect(main(['exec', '--script', 'nope.startup', '--', 'true'], missing.cli)).toBe(2);
    expect(missing.io.stderr).toContain("nope.startup");
  });

  it('has --help and --version', () => {
    const h = fakeIO();
    expect(main(['--help'], h.cli)).toBe(0);
    expect(h.io.stdout).toContain('workbench <command>');
    const v = fakeIO();
    expect(main(['--version'], v.cli)).toBe(0);
    expect(v.io.stdout).toMatch(/^workbench \d+\.\d+\.\d+\n$/);
  });
});

describe('bin/workbench.js', () => {
  it('runs as a program with the exit code of the command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-'));
    writeFileSync(join(dir, 'r1.startup'), R1);
    const out = execFileSync('node', ['bin/workbench.js', 'exec', '--script', join(dir, 'r1.startup'), '--ns', 'sink', '--', 'sysctl', 'net.ipv4.ip_forward'], { encoding: 'utf8' });
    expect(out).toBe('net.ipv4.ip_forward = 1\n');
    const r = spawnSync('node', ['bin/workbench.js', 'exec', '--script', join(dir, 'r1.startup'), '--ns', 'sink', '--', 'sysctl', 'net.nope'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('sysctl: cannot stat /proc/sys/net/nope: No such file or directory\n');
  });
});
