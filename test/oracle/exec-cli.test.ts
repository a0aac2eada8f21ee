// `workbench exec --batch --jsonl` against the real kernel: the same .startup script and the same
// checks run in real namespaces (iproute2 6.1, procps 4.0.2, GNU cat) and through the CLI program;
// every command's exit status, stdout and stderr must be equal.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenize } from '../../engine/iproute2/tokenize.js';
import { oracleGate } from './harness.js';

const gate = oracleGate();
if (!gate.ok) console.log(`oracle tests skipped: ${gate.reason}`);

const created: string[] = [];
afterAll(() => {
  for (const ns of created) spawnSync('ip', ['netns', 'del', ns]);
});

function run(cmd: string, args: string[]): { rc: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { rc: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Fresh real namespaces with IPv6 off (the model has none). */
function realNamespaces(names: string[]): void {
  for (const n of names) {
    const r = run('ip', ['netns', 'add', n]);
    if (r.rc !== 0) throw new Error(`ip netns add ${n}: ${r.stderr}`);
    created.push(n);
    run('ip', ['netns', 'exec', n, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  }
}

describe.skipIf(!gate.ok)('workbench exec equals the real kernel', () => {
  it('answers a batch of ip, sysctl and cat commands byte for byte, errors included', () => {
    const node = `rlw-${process.pid}-x1`;
    const sink = `${node}s`;
    realNamespaces([node, sink]);
    const startup = [
      `ip link add e0 type veth peer name p0 netns ${sink}`,
      `ip link add e1 type veth peer name p1 netns ${sink}`,
      'ip link set e0 address 02:00:00:00:01:01',
      'ip link set e1 address 02:00:00:00:01:02',
      'ip link set e1 mtu 9000',
      'ip addr add 10.0.0.1/24 dev e0',
      'ip addr add 10.0.0.2/24 dev e0',
      'ip addr add 192.168.7.1/30 brd + dev e1',
      'ip link set lo up',
      'ip link set e0 up',
      'ip link set e1 up',
      'sysctl -w net.ipv4.ip_forward=1',
      'sysctl -w net.ipv4.conf.e1.rp_filter=2',
    ];
    for (const line of startup) {
      const r = run('ip', ['netns', 'exec', node, ...tokenize(line)]);
      expect(r.rc, `${line}: ${r.stderr}`).toBe(0);
    }
    // The peers sit in the sink namespace: bring them up on both sides (the engine's sink is a node too).
    for (const p of ['p0', 'p1']) run('ip', ['-n', sink, 'link', 'set', p, 'up']);
    const checks = [
      'ip link show',
      'ip -j link show',
      'ip addr show',
      'ip -j addr show',
      'ip -br addr',
      'ip -4 -o addr show dev e0',
      'ip route show table all',
      'ip -j route show table main',
      'sysctl net.ipv4.ip_forward net.ipv4.conf.e0.forwarding net.ipv4.conf.default.forwarding',
      'sysctl net.ipv4.conf.all.accept_redirects net.ipv4.conf.e1.rp_filter',
      'sysctl -w net.ipv4.conf.all.mc_forwarding=1',
      'sysctl -w net.ipv4.ip_default_ttl=0',
      'sysctl net.ipv4.nope',
      'sysctl -n net.ipv4.conf.lo.disable_policy',
      'cat /proc/sys/net/ipv4/conf/e1/rp_filter',
      'cat /proc/sys/net/ipv4/conf/nodev/rp_filter',
      'ip addr add 10.0.0.300/24 dev e0',
      'ip addr add 10.0.0.2/24 dev e0',
      'ip link set nope up',
      'ip foo',
      'ip addr del 10.0.0.1/24 dev e0',
      'ip -br addr show dev e0',
    ];
    // Real side (wait out linkwatch's 1 s batching of carrier events first).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);
    const real = checks.map((cmd) => ({ cmd, ...run('ip', ['netns', 'exec', node, ...tokenize(cmd)]) }));

    // Engine side, through the CLI program exactly as a grader would call it.
    const dir = mkdtempSync(join(tmpdir(), 'rlw-exec-'));
    try {
      writeFileSync(join(dir, `${node}.startup`), `${startup.join('\n')}\n`);
      writeFileSync(join(dir, `${sink}.startup`), 'ip link set p0 up\nip link set p1 up\n');
      writeFileSync(join(dir, 'checks.txt'), `${checks.join('\n')}\n`);
      const cli = run('node', ['bin/workbench.js', 'exec', '--script', join(dir, `${node}.startup`), '--script', join(dir, `${sink}.startup`), '--batch', join(dir, 'checks.txt'), '--jsonl']);
      expect(cli.stderr).toBe('');
      const model = cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as { cmd: string; rc: number; stdout: string; stderr: string });
      expect(model.map((m) => m.cmd)).toEqual(checks);
      for (let i = 0; i < checks.length; i++) expect(model[i], checks[i]).toEqual(real[i]);
      expect(cli.rc).toBe(1); // some checks fail on purpose
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
