// Differential test of unicast and policy routing: the configuration of routing-scenarios.ts is built
// in a real namespace and in the model; every `ip route add/del/...`, `ip rule ...`, `ip route get`
// (text and -j), `ip rule show` and `ip route show table all` must be byte-equal. Then the multipath
// split over 300 flows is compared with the kernel's.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommandLine } from '../../engine/iproute2/shell.js';
import { tokenize } from '../../engine/iproute2/tokenize.js';
import { destroyAllLabs, oracleGate, withLab, type OracleLab } from './harness.js';
import { ROUTE_METRICS_AND_CONNECTED, ROUTING_ROUTES, ROUTING_RULES, ROUTING_SETUP, ROUTING_VIEWS, RULE_LIFECYCLE, routeGetQueries } from './routing-scenarios.js';

const gate = oracleGate();
if (!gate.ok) console.log(`routing oracle tests skipped: ${gate.reason}`);

/** Sysctls applied during a lab, by step index, so that recorded transcripts can be replayed. */
const sysctlLog = new Map<OracleLab, Array<{ at: number; node: string; setting: string }>>();

/**
 * With RLW_RECORD_ROUTING_TRANSCRIPTS=DIR, a lab's steps and sysctls are written to DIR; the copies in
 * test/unit/routing/transcripts/ are replayed without root by test/unit/routing/transcripts.test.ts.
 */
function record(lab: OracleLab, file: string): void {
  const dir = process.env['RLW_RECORD_ROUTING_TRANSCRIPTS'];
  if (!dir) return;
  writeFileSync(join(dir, file), `${JSON.stringify({ ...lab.transcript(), sysctls: sysctlLog.get(lab) ?? [] }, null, 1)}\n`);
}

/** `sysctl -w K=V` in the node's real namespace and in the model (only namespaces this test created). */
function sysctlBoth(lab: OracleLab, node: string, setting: string): void {
  const ns = lab.names.get(node)!;
  const log = sysctlLog.get(lab) ?? [];
  log.push({ at: lab.steps.length, node: ns, setting });
  sysctlLog.set(lab, log);
  const r = spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', setting], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sysctl ${setting} in ${ns}: ${r.stderr}`);
  const m = runCommandLine(lab.net.node(ns), `sysctl -q -w ${setting}`);
  if (m.rc !== 0) throw new Error(`model sysctl ${setting}: ${m.stderr}`);
}

/** Counts of `dev X` over a batch of `ip route get` commands, real and model. */
function devCounts(lab: OracleLab, node: string, queries: string[]): { real: Record<string, number>; model: Record<string, number> } {
  const real: Record<string, number> = {};
  const model: Record<string, number> = {};
  const ns = lab.names.get(node)!;
  for (const q of queries) {
    const r = spawnSync('ip', ['-n', ns, ...q.split(' ')], { encoding: 'utf8' });
    const m = runCommandLine(lab.net.node(ns), `ip ${q}`);
    const rd = /dev (\S+)/.exec(r.stdout)?.[1] ?? `rc${r.status}`;
    const md = /dev (\S+)/.exec(m.stdout)?.[1] ?? `rc${m.rc}`;
    real[rd] = (real[rd] ?? 0) + 1;
    model[md] = (model[md] ?? 0) + 1;
  }
  return { real, model };
}

describe.skipIf(!gate.ok)('policy routing against the kernel', () => {
  afterAll(destroyAllLabs);

  it('routes of every type, ≥12 rules, ≥200 `ip route get` queries, rule and table dumps', () => {
    const queries = routeGetQueries();
    expect(queries.length).toBeGreaterThanOrEqual(200);
    const lab = withLab('policy routing: route types, rules, route get', ['a', 's'], (l) => {
      l.script(ROUTING_SETUP);
      sysctlBoth(l, 'a', 'net.ipv4.ip_forward=1');
      l.script(ROUTING_ROUTES);
      // Before any rule change local and main are merged: a local route answers without "table local".
      l.script('a: route get 10.25.1.1\na: route get 127.0.0.1\na: -j route get 10.10.1.1');
      l.script(ROUTING_RULES);
      l.script(ROUTING_VIEWS);
      l.script(queries.join('\n'));
      record(l, 'route-types-rules-route-get.json');
    });
    expect(lab.report()).toBe('');
  });

  it('rule lifecycle: auto prefs, goto, deletion, flush; merged local/main until the first rule change', () => {
    const lab = withLab('policy routing: rule lifecycle and merged tables', ['a', 's'], (l) => {
      l.script(ROUTING_SETUP);
      l.script(RULE_LIFECYCLE);
      record(l, 'rule-lifecycle-merged-tables.json');
    });
    expect(lab.report()).toBe('');
  });

  it('rp_filter strict and loose, with the reverse lookup through the egress device', () => {
    const lab = withLab('policy routing: rp_filter', ['a', 's'], (l) => {
      l.script(ROUTING_SETUP);
      sysctlBoth(l, 'a', 'net.ipv4.ip_forward=1');
      l.script('a: route add default via 192.168.1.254\na: route add 10.10.0.0/16 via 192.168.2.254\na: route add unreachable 10.21.0.0/16\na: route add 10.50.0.0/16 dev e0 table 100');
      const q = [
        '10.10.1.1 from 192.168.1.50 iif e0', '10.10.1.1 from 192.168.2.50 iif e0', '10.10.1.1 from 10.10.5.5 iif e0', '10.10.1.1 from 8.8.8.8 iif e0',
        '10.10.1.1 from 8.8.8.8 iif e1', '10.10.1.1 from 10.21.5.5 iif e0', '192.168.1.1 from 192.168.2.50 iif e0', '10.10.1.1 from 192.168.1.1 iif e0',
        '192.168.1.255 from 192.168.1.50 iif e0', '10.10.1.1 from 10.50.1.1 iif e0', '192.168.1.1 from 10.50.1.1 iif e0',
      ];
      const ask = (): void => l.script(q.map((x) => `a: route get ${x}`).join('\n'));
      ask();
      for (const mode of ['1', '2']) {
        sysctlBoth(l, 'a', `net.ipv4.conf.all.rp_filter=${mode}`);
        ask();
      }
      sysctlBoth(l, 'a', 'net.ipv4.conf.all.rp_filter=1');
      for (const rule of ['iif e0 lookup 100', 'iif e1 lookup 100', 'iif lo lookup 100', 'from all lookup 100']) {
        l.script(`a: rule add pref 50 ${rule}`);
        ask();
        l.script('a: rule del pref 50');
      }
      record(l, 'rp-filter.json');
    });
    expect(lab.report()).toBe('');
  });

  it('multipath 2:1 over 300 flows: the split lies within the spread Linux shows; one flow keeps one hop', () => {
    withLab('policy routing: multipath split', ['a', 's'], (l) => {
      l.script(ROUTING_SETUP);
      l.script('a: route add 198.51.0.0/16 nexthop via 192.168.1.254 weight 2 nexthop via 192.168.2.254 weight 1');
      const flows = Array.from({ length: 300 }, (_, i) => `route get 198.51.${i >> 8}.${i & 255}`);
      const { real, model } = devCounts(l, 'a', flows);
      // Expected share of e1 is 1/3 (100 of 300, σ ≈ 8); both must lie within 4σ of it.
      for (const c of [real, model]) {
        expect(c['e0']! + c['e1']!).toBe(300);
        expect(Math.abs(c['e1']! - 100)).toBeLessThanOrEqual(32);
      }
      const one = devCounts(l, 'a', Array.from({ length: 300 }, () => 'route get 198.51.3.4'));
      expect(Object.keys(one.real)).toHaveLength(1);
      expect(Object.keys(one.model)).toHaveLength(1);
      sysctlBoth(l, 'a', 'net.ipv4.fib_multipath_hash_policy=1');
      const ports = devCounts(l, 'a', Array.from({ length: 300 }, (_, i) => `route get 198.51.3.4 sport ${1000 + i} dport 80`));
      for (const c of [ports.real, ports.model]) expect(Math.abs((c['e1'] ?? 0) - 100)).toBeLessThanOrEqual(32);
    });
  });

  it('fib_multipath_hash_seed: with a fixed seed every flow takes the kernel\'s next hop (policies 0, 1, 3; output and forwarding)', () => {
    const lab = withLab('policy routing: multipath per-flow hop with a fixed seed', ['a', 's'], (l) => {
      l.script(ROUTING_SETUP);
      sysctlBoth(l, 'a', 'net.ipv4.ip_forward=1');
      l.script('a: route add 198.51.0.0/16 nexthop via 192.168.1.254 weight 2 nexthop via 192.168.2.254 weight 1');
      l.script('a: route add 203.0.113.0/24 nexthop via 192.168.1.254 nexthop via 192.168.2.254 nexthop via 10.9.0.254 weight 3');
      const settings: Array<[string, number]> = [['12345', 0], ['4294967295', 1], ['0x2a', 3], ['7', 1]];
      for (const [seed, policy] of settings) {
        sysctlBoth(l, 'a', `net.ipv4.fib_multipath_hash_seed=${seed}`);
        sysctlBoth(l, 'a', `net.ipv4.fib_multipath_hash_policy=${policy}`);
        const q: string[] = [];
        for (let i = 0; i < 60; i++) q.push(`a: route get 198.51.${i >> 3}.${(i * 37) & 255}`);
        for (let i = 0; i < 30; i++) q.push(`a: route get 203.0.113.${i} ipproto tcp sport ${1000 + 7 * i} dport 443`);
        for (let i = 0; i < 30; i++) q.push(`a: route get 198.51.9.${i} from 192.168.1.${50 + i} iif e0 ipproto udp sport 5000 dport ${2000 + i}`);
        for (let i = 0; i < 5; i++) q.push(`a: -j route get 203.0.113.${100 + i}`);
        l.script(q.join('\n'));
      }
      record(l, 'multipath-seed.json');
    });
    expect(lab.report()).toBe('');
  });

  it('net.ipv4.fib_multipath_hash_seed reads and writes as on 6.18 (proc_douintvec_minmax)', () => {
    withLab('policy routing: multipath seed sysctl', ['a'], (l) => {
      const ns = l.names.get('a')!;
      for (const v of ['4294967295', '4294967296', '-1', '+5', '0x10', '010', '08', '7x', '12 34', '0']) {
        const r = spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-w', `net.ipv4.fib_multipath_hash_seed=${v}`], { encoding: 'utf8' });
        const m = runCommandLine(l.net.node(ns), `sysctl -w 'net.ipv4.fib_multipath_hash_seed=${v}'`);
        expect({ v, rc: m.rc, stdout: m.stdout, stderr: m.stderr }).toEqual({ v, rc: r.status, stdout: r.stdout, stderr: r.stderr });
        const rr = spawnSync('ip', ['netns', 'exec', ns, 'sysctl', 'net.ipv4.fib_multipath_hash_seed'], { encoding: 'utf8' });
        expect(runCommandLine(l.net.node(ns), 'sysctl net.ipv4.fib_multipath_hash_seed').stdout).toBe(rr.stdout);
      }
    });
  });

  it('route metrics (mtu, advmss, lock, ...), `ip route get ... connected`, equal-metric default routes', () => {
    const lab = withLab('policy routing: metrics, connected, default routes', ['a', 's'], (l) => {
      l.script(ROUTING_SETUP);
      l.script(ROUTE_METRICS_AND_CONNECTED);
      record(l, 'metrics-connected-defaults.json');
    });
    expect(lab.report()).toBe('');
  });

  it('`workbench exec --script ... --batch ... --jsonl` gives the kernel\'s answers to the routing scenario', () => {
    const node = `rlw-${process.pid}-rx`;
    const sink = `${node}s`;
    const lines = (text: string, who: string): string[] =>
      text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(`${who}:`)).map((l) => `ip ${l.slice(who.length + 1).trim().replaceAll('{s}', sink)}`);
    const startup = [...lines(ROUTING_SETUP, 'a'), 'sysctl -w net.ipv4.ip_forward=1'];
    const sinkStartup = lines(ROUTING_SETUP, 's');
    const checks = [...lines(ROUTING_ROUTES, 'a'), ...lines(ROUTING_RULES, 'a'), ...lines(ROUTING_VIEWS, 'a'), ...lines(routeGetQueries().join('\n'), 'a')];
    expect(checks.length).toBeGreaterThan(250);
    const dir = mkdtempSync(join(tmpdir(), 'rlw-route-exec-'));
    try {
      for (const n of [node, sink]) {
        expect(spawnSync('ip', ['netns', 'add', n]).status).toBe(0);
        spawnSync('ip', ['netns', 'exec', n, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
      }
      const real = (ns: string, cmd: string): { rc: number; stdout: string; stderr: string } => {
        const r = spawnSync('ip', ['netns', 'exec', ns, ...tokenize(cmd)], { encoding: 'utf8' });
        return { rc: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
      };
      for (const c of startup) expect(real(node, c).rc, c).toBe(0);
      for (const c of sinkStartup) expect(real(sink, c).rc, c).toBe(0);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);
      const want = checks.map((cmd) => ({ cmd, ...real(node, cmd) }));
      writeFileSync(join(dir, `${node}.startup`), `${startup.join('\n')}\n`);
      writeFileSync(join(dir, `${sink}.startup`), `${sinkStartup.join('\n')}\n`);
      writeFileSync(join(dir, 'checks.txt'), `${checks.join('\n')}\n`);
      const cli = spawnSync('node', ['bin/workbench.js', 'exec', '--script', join(dir, `${node}.startup`), '--script', join(dir, `${sink}.startup`), '--batch', join(dir, 'checks.txt'), '--jsonl'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(cli.stderr).toBe('');
      const got = cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as { cmd: string; rc: number; stdout: string; stderr: string });
      expect(got.map((g) => g.cmd)).toEqual(checks);
      const diffs = got.filter((g, i) => JSON.stringify(g) !== JSON.stringify(want[i])).map((g) => `${g.cmd}\n  model ${JSON.stringify(g)}\n  real  ${JSON.stringify(want.find((w) => w.cmd === g.cmd))}`);
      expect(diffs.join('\n')).toBe('');
    } finally {
      for (const n of [node, sink]) spawnSync('ip', ['netns', 'del', n]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
