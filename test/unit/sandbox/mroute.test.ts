// A daemon on the real mroute socket: MRT_INIT, VIFs, an MFC entry installed on a NOCACHE upcall, the
// kernel's errno texts, and what happens when the daemon dies (the socket closes, mrtsock_destruct runs).

import { describe, expect, it } from 'vitest';
import { devOpen } from '../../../engine/net/dev.js';
import { Network } from '../../../engine/net/network.js';
import { MemorySink } from '../../../engine/sim/trace.js';
import { runCommandLine } from '../../../engine/iproute2/shell.js';
import { Daemon } from '../../../main/host/sandbox/daemon.js';
import { loadQuickJS } from '../../../main/host/sandbox/quickjs.js';
import { addr } from '../helpers/topo.js';

/** src (10.1.0.10) — eth0 r1 eth1 — (10.2.0.20) rcv */
function mlab() {
  const net = new Network({ seed: 7 });
  const sink = new MemorySink();
  net.sim.trace.addSink(sink);
  for (const [n, role] of [['src', 'host'], ['r1', 'router'], ['rcv', 'host']] as const) devOpen(net.addNode(n, role).devByName('lo')!);
  net.link('src', 'eth0', 'r1', 'eth0');
  net.link('r1', 'eth1', 'rcv', 'eth0');
  addr(net.node('src'), 'eth0', '10.1.0.10/24');
  addr(net.node('r1'), 'eth0', '10.1.0.1/24');
  addr(net.node('r1'), 'eth1', '10.2.0.1/24');
  addr(net.node('rcv'), 'eth0', '10.2.0.20/24');
  for (const [n, line] of [['src', 'ip route add default via 10.1.0.1'], ['rcv', 'ip route add default via 10.2.0.1']] as const) expect(runCommandLine(net.node(n), line).rc).toBe(0);
  net.sim.run();
  return { net, sink };
}

const ROUTER = `
const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: 0, vifc_lcl_addr: '10.1.0.1', vifc_threshold: 1 });
mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: 1, vifc_lcl_addr: '10.2.0.1', vifc_threshold: 1 });
try {
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: 1, vifc_lcl_addr: '10.2.0.1' });
} catch (e) {
  log('dup vif:', e.message);
}
mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg') return;
  log('upcall', m.msgtypeName, m.src, m.dst, 'vif', m.vif);
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: m.vif, mfcc_ttls: [0, 1] });
  const c = mr.ioctl(SIOCGETSGCNT, { src: m.src, grp: m.dst });
  log('sg', c.src, c.grp, c.pktcnt);
});
`;

async function sendMulticast(net: Network, n: number): Promise<void> {
  const src = net.node('src');
  const u = src.ipv4.udp.create(src);
  u.mcTtl = 8;
  for (let i = 0; i < n; i++) u.sendto(new Uint8Array([i]), 0xef010101, 5000);
}

describe('a daemon on the mroute socket', () => {
  it('installs an (S,G) entry on NOCACHE and traffic flows; errors carry the kernel’s text', async () => {
    const { net, sink } = mlab();
    const rcv = net.node('rcv');
    const sock = rcv.ipv4.udp.create(rcv);
    sock.bind(0, 5000);
    sock.join({ multiaddr: 0xef010101, ifindex: rcv.devByName('eth0')!.ifindex });
    const d = Daemon.start(await loadQuickJS(), net.node('r1'), { file: 'router.ts', source: ROUTER });
    expect(d.exit).toBeNull();
    await sendMulticast(net, 3);
    net.sim.run({ until: net.sim.now + 50_000_000 });
    const logs = sink.events.filter((e) => e.fn === 'daemon_log').map((e) => String(e.data.text));
    expect(logs[0]).toBe('dup vif: setsockopt(MRT_ADD_VIF): Address already in use (EADDRINUSE)');
    expect(logs).toContain('upcall IGMPMSG_NOCACHE 10.1.0.10 239.1.1.1 vif 0');
    expect(runCommandLine(net.node('r1'), 'cat /proc/net/ip_mr_cache').stdout).toMatch(/^010101EF 0A00010A 0 +3 +87 +0 +1:1 /m);
    // The first packet waited on the unresolved entry and left with the other two once it resolved.
    expect(sock.queue.map((d) => d.data[0])).toEqual([0, 1, 2]);
    // The callback's parent is the kernel's upcall delivery; the MFC add is a child of the daemon's syscall.
    const cb = sink.events.find((e) => e.fn === 'daemon_callback')!;
    expect(sink.get(cb.parent!)!.fn).toBe('sock_queue_rcv_skb');
    const add = sink.events.find((e) => e.fn === 'sys_enter_setsockopt' && e.data.optname === 'MRT_ADD_MFC')!;
    expect(add.parent).toBe(cb.seq);
    expect(sink.ancestors(add.seq).map((e) => e.fn)).toContain('ipmr_cache_report');
  });

  it('a second daemon on the node gets EADDRINUSE from MRT_INIT; a crash runs mrtsock_destruct and the first keeps its table gone', async () => {
    const { net, sink } = mlab();
    const qjs = await loadQuickJS();
    const a = Daemon.start(qjs, net.node('r1'), { file: 'a.ts', source: `const s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);\ns.setsockopt(IPPROTO_IP, MRT_INIT, 1);\nsetTimeout(() => {\n  (null as any).boom;\n}, 10);` });
    const b = Daemon.start(qjs, net.node('r1'), { file: 'b.ts', source: `const s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);\ns.setsockopt(IPPROTO_IP, MRT_INIT, 1);` });
    expect(a.exit).toBeNull();
    expect(b.exit?.message).toBe("b.ts:2:13: uncaught OSError: setsockopt(MRT_INIT): Address already in use (EADDRINUSE) (in the top level)");
    expect(runCommandLine(net.node('r1'), 'sysctl -n net.ipv4.conf.all.mc_forwarding').stdout).toBe('1\n');
    net.sim.run({ until: net.sim.now + 20_000_000 });
    expect(a.exit?.reason).toBe('exception');
    expect(a.exit?.message).toMatch(/^a\.ts:4:\d+: uncaught TypeError: cannot read property 'boom' of null \(in a timer callback\)$/);
    const exit = sink.events.find((e) => e.fn === 'sched_process_exit' && e.data.comm === 'a.ts')!;
    const destruct = sink.events.find((e) => e.fn === 'mrtsock_destruct');
    expect(destruct).toBeDefined();
    expect(sink.ancestors(destruct!.seq).map((e) => e.seq)).toContain(exit.seq);
    expect(runCommandLine(net.node('r1'), 'sysctl -n net.ipv4.conf.all.mc_forwarding').stdout).toBe('0\n');
    expect(a.openSockets).toBe(0);
  });
});

describe('labs/daemons/static-mroute.ts', () => {
  it('installs VIFs and turns its (*,G) template into an (S,G) entry on the first packet', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../../labs/daemons/static-mroute.ts', import.meta.url), 'utf8');
    const { net, sink } = mlab();
    const rcv = net.node('rcv');
    const sock = rcv.ipv4.udp.create(rcv);
    sock.bind(0, 5000);
    sock.join({ multiaddr: 0xef010101, ifindex: rcv.devByName('eth0')!.ifindex });
    const d = Daemon.start(await loadQuickJS(), net.node('r1'), { file: 'static-mroute.ts', source });
    expect(d.exit).toBeNull();
    await sendMulticast(net, 2);
    net.sim.run({ until: net.sim.now + 50_000_000 });
    expect(sink.events.filter((e) => e.fn === 'daemon_log').map((e) => e.data.text)).toEqual([
      'phyint eth0 is VIF 0',
      'phyint eth1 is VIF 1',
      'installed (10.1.0.10, 239.1.1.1) iif eth0 oifs eth1',
    ]);
    expect(runCommandLine(net.node('r1'), 'cat /proc/net/ip_mr_vif').stdout).toMatch(/eth0[\s\S]*eth1/);
    expect(sock.queue.map((q) => q.data[0])).toEqual([0, 1]);
  });
});
