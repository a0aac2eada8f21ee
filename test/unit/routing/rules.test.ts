// Rule semantics with the kernel's observed answers (policy-routing.md §3, observed on 6.18 with
// iproute2 6.1): automatic priorities, fwmark masks, goto, rule actions' errors, suppressors, and the
// trace a student reads to answer "why this path?".

import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { Network } from '../../../engine/net/network.js';
import type { Netns } from '../../../engine/net/netns.js';
import { MemorySink } from '../../../engine/sim/trace.js';

function node(): { ns: Netns; sink: MemorySink } {
  const net = new Network({ seed: 7 });
  const sink = new MemorySink();
  net.sim.trace.addSink(sink);
  const ns = net.addNode('a');
  const s = net.addNode('s');
  const ip = (n: Netns, cmd: string): void => {
    const r = ipCommand(n, cmd.split(' '));
    if (r.rc !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  };
  net.addVethPair(ns, 'v1', s, 'p1');
  net.addVethPair(ns, 'v2', s, 'p2');
  for (const c of ['link set lo up', 'link set v1 up', 'link set v2 up', 'addr add 192.168.1.1/24 dev v1', 'addr add 192.168.2.1/24 dev v2']) ip(ns, c);
  for (const c of ['link set p1 up', 'link set p2 up']) ip(s, c);
  return { ns, sink };
}

const run = (ns: Netns, cmd: string) => ipCommand(ns, cmd.split(' '));

describe('ip rule', () => {
  it('shows the three default rules exactly', () => {
    const { ns } = node();
    expect(run(ns, 'rule show').stdout).toBe('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
  });

  it('gives an automatic pref of the second rule minus one (32765, 32764, then 499 after pref 500)', () => {
    const { ns } = node();
    run(ns, 'rule add lookup 5');
    run(ns, 'rule add lookup 6');
    run(ns, 'rule add pref 500 lookup 7');
    run(ns, 'rule add lookup 8');
    expect(run(ns, 'rule').stdout.split('\n').map((l) => l.split(':')[0])).toEqual(['0', '499', '500', '32764', '32765', '32766', '32767', '']);
  });

  it('fwmark 0x20/0xf0 matches 0x20, 0x2f, 0x120 and not 0x30', () => {
    const { ns } = node();
    run(ns, 'route add 10.10.0.0/16 via 192.168.2.254 table 100');
    run(ns, 'rule add fwmark 0x20/0xf0 lookup 100');
    const dev = (mark: string): string => run(ns, `route get 10.10.1.1 mark ${mark}`).stdout.split(' ')[4] ?? run(ns, `route get 10.10.1.1 mark ${mark}`).stderr;
    expect(['0x20', '0x2f', '0x120', '0x30'].map(dev)).toEqual(['v2', 'v2', 'v2', 'RTNETLINK answers: Network is unreachable\n']);
  });

  it('rule actions: unreachable is ENETUNREACH, prohibit EACCES, blackhole EINVAL; a goto skips the rules between', () => {
    const { ns } = node();
    run(ns, 'route add default via 192.168.1.254');
    run(ns, 'rule add pref 100 fwmark 1 unreachable');
    run(ns, 'rule add pref 110 fwmark 2 prohibit');
    run(ns, 'rule add pref 120 fwmark 3 blackhole');
    run(ns, 'rule add pref 130 lookup main');
    run(ns, 'rule add pref 90 fwmark 3 goto 130');
    expect(run(ns, 'route get 8.8.8.8 mark 1').stderr).toBe('RTNETLINK answers: Network is unreachable\n');
    expect(run(ns, 'route get 8.8.8.8 mark 2').stderr).toBe('RTNETLINK answers: Permission denied\n');
    expect(run(ns, 'route get 8.8.8.8 mark 3').stdout).toBe('8.8.8.8 via 192.168.1.254 dev v1 src 192.168.1.1 mark 3 uid 0 \n    cache \n');
    run(ns, 'rule del pref 90');
    expect(run(ns, 'route get 8.8.8.8 mark 3').stderr).toBe('RTNETLINK answers: Invalid argument\n');
  });

  it('suppress_prefixlength 0 ignores a default route but not an unreachable route', () => {
    const { ns } = node();
    run(ns, 'route add default via 192.168.1.254 table 10');
    run(ns, 'route add unreachable 10.21.0.0/16 table 10');
    run(ns, 'route add default via 192.168.2.254');
    run(ns, 'rule add pref 10 lookup 10 suppress_prefixlength 0');
    expect(run(ns, 'route get 8.8.8.8').stdout).toContain('dev v2');
    expect(run(ns, 'route get 10.21.1.1').stderr).toBe('RTNETLINK answers: No route to host\n');
  });

  it('traces every rule tried, whether it matched, and the selector that decided', () => {
    const { ns, sink } = node();
    run(ns, 'route add 10.10.0.0/16 via 192.168.2.254 table 100');
    run(ns, 'rule add pref 100 from 10.1.0.0/16 lookup 100');
    run(ns, 'rule add pref 110 to 10.10.0.0/16 lookup 100');
    run(ns, 'route get 10.10.1.1');
    const done = sink.events.filter((e) => e.fn === 'fib_rules_lookup' && 'tried' in e.data).at(-1)!;
    const tried = done.data['tried'] as Array<{ pref: number; matched: boolean; selector: string }>;
    expect(tried.slice(0, 3)).toEqual([
      expect.objectContaining({ pref: 0, matched: true }),
      expect.objectContaining({ pref: 100, matched: false, selector: 'from' }),
      expect.objectContaining({ pref: 110, matched: true }),
    ]);
    expect(done.data['rule']).toBe(110);
    expect(sink.events.some((e) => e.fn === 'fib_table_lookup' && e.data['table'] === 100 && e.data['decision'] === 'found')).toBe(true);
  });

  it('folds consecutive rules that failed on the same selector into one run, keeping every verdict', () => {
    const { ns, sink } = node();
    run(ns, 'route add 10.10.0.0/16 via 192.168.2.254 table 100');
    for (let i = 1; i <= 5; i++) run(ns, `rule add pref ${100 + i} fwmark ${i} lookup 100`);
    run(ns, 'rule add pref 110 from 10.9.0.0/16 lookup 100');
    run(ns, 'rule add pref 111 fwmark 9 lookup 100');
    run(ns, 'rule add pref 112 not to 10.10.0.0/16 lookup 100');
    run(ns, 'rule add pref 120 to 10.10.0.0/16 lookup 100');
    run(ns, 'route get 10.10.1.1');
    const done = sink.events.filter((e) => e.fn === 'fib_rules_lookup' && 'tried' in e.data).at(-1)!;
    expect(done.data['tried']).toEqual([
      { pref: 0, action: 'lookup', matched: true, selector: 'all selectors', result: 'no route in table: next rule' },
      { pref: 101, to_pref: 105, rules: 5, matched: false, selector: 'fwmark' },
      { pref: 110, action: 'lookup', matched: false, selector: 'from' },
      { pref: 111, action: 'lookup', matched: false, selector: 'fwmark' },
      { pref: 112, action: 'lookup', matched: false, selector: 'not all selectors' },
      { pref: 120, action: 'lookup', matched: true, selector: 'all selectors', result: 'route in table 100' },
    ]);
    expect(done.data['rule']).toBe(120);
  });

  it('equal-metric default routes: fib_select_default keeps the first and says why in the trace', () => {
    const { ns, sink } = node();
    run(ns, 'route add default via 192.168.2.254');
    run(ns, 'route append default via 192.168.1.254');
    expect(run(ns, 'route get 8.8.8.8').stdout).toBe('8.8.8.8 via 192.168.2.254 dev v2 src 192.168.2.1 uid 0 \n    cache \n');
    const ev = sink.events.filter((e) => e.fn === 'fib_select_default').at(-1)!;
    expect(ev.data).toMatchObject({ table: 254, defaults: 2, decision: '192.168.2.254' });
    const before = sink.events.filter((e) => e.fn === 'fib_select_default').length;
    run(ns, 'route get 8.8.8.8 oif v1');
    expect(sink.events.filter((e) => e.fn === 'fib_select_default')).toHaveLength(before);
  });
});
