// Benchmark: a sandboxed daemon answering NOCACHE upcalls (src → r1 → rcv, a new (S,G) every 100 µs for one
// simulated second: 10,000 upcalls, each answered by MRT_ADD_MFC). The baseline is the same daemon logic
// written as plain host code on the same raw socket, so the ratio is the sandbox's cost per upcall.

import { performance } from 'node:perf_hooks';
import { newIfaddr } from '../../engine/ipv4/devinet.js';
import { devOpen } from '../../engine/net/dev.js';
import { Network } from '../../engine/net/network.js';
import { IPPROTO_IGMP, IPPROTO_IP, MRT_ADD_MFC, MRT_ADD_VIF, MRT_INIT, SOCK_RAW, AF_INET } from '../../engine/socket/constants.js';
import { setsockopt, socket, type RawMessage } from '../../engine/socket/socket.js';
import type { RawSocket } from '../../engine/socket/raw.js';
import { NSEC_PER_SEC, NSEC_PER_USEC } from '../../engine/sim/time.js';
import { runCommandLine } from '../../engine/iproute2/shell.js';
import { Daemon } from '../../main/host/sandbox/daemon.js';
import { loadQuickJS } from '../../main/host/sandbox/quickjs.js';

const qjs = await loadQuickJS();

export const UPCALLS = 10_000;
const SPACING = 100 * NSEC_PER_USEC;

const DAEMON = `
const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: 0, vifc_lcl_addr: '10.1.0.1', vifc_threshold: 1 });
mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: 1, vifc_lcl_addr: '10.2.0.1', vifc_threshold: 1 });
let upcalls = 0;
mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg') return;
  upcalls++;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: m.vif, mfcc_ttls: [0, 1] });
});
`;

function topology(): Network {
  const net = new Network({ seed: 3 });
  for (const n of ['src', 'r1', 'rcv']) devOpen(net.addNode(n).devByName('lo')!);
  net.link('src', 'eth0', 'r1', 'eth0');
  net.link('r1', 'eth1', 'rcv', 'eth0');
  const a = (n: string, dev: string, ip: number): void => {
    const d = net.node(n).devByName(dev)!;
    net.node(n).ipv4.addAddress(d, newIfaddr(ip, 24, dev));
    devOpen(d);
  };
  a('src', 'eth0', 0x0a01000a);
  a('r1', 'eth0', 0x0a010001);
  a('r1', 'eth1', 0x0a020001);
  a('rcv', 'eth0', 0x0a020014);
  runCommandLine(net.node('src'), 'ip route add default via 10.1.0.1');
  net.sim.run();
  return net;
}

/** One datagram to a new group every SPACING: each is a NOCACHE upcall at r1. */
function scheduleTraffic(net: Network): void {
  const src = net.node('src');
  const u = src.ipv4.udp.create(src);
  u.mcTtl = 8;
  const payload = new Uint8Array(16);
  for (let i = 0; i < UPCALLS; i++) net.sim.schedule(i * SPACING, () => u.sendto(payload, (0xef000000 | (i + 1)) >>> 0, 5000));
}

export interface UpcallRun {
  ms: number;
  upcalls: number;
  events: number;
}

export function timeSandboxed(): UpcallRun {
  const net = topology();
  const d = Daemon.start(qjs, net.node('r1'), { file: 'bench.ts', source: DAEMON });
  scheduleTraffic(net);
  const t0 = performance.now();
  net.sim.run({ until: net.sim.now + NSEC_PER_SEC });
  const ms = performance.now() - t0;
  if (!d.running) throw new Error(`bench daemon died: ${d.exit?.message}`);
  return { ms, upcalls: countUpcalls(net), events: net.sim.trace.eventCount };
}

export function timeHostDaemon(): UpcallRun {
  const net = topology();
  const r1 = net.node('r1');
  const mr = socket(r1, AF_INET, SOCK_RAW, IPPROTO_IGMP) as RawSocket;
  setsockopt(mr, IPPROTO_IP, MRT_INIT, 1);
  setsockopt(mr, IPPROTO_IP, MRT_ADD_VIF, { vifi: 0, flags: 0, threshold: 1, rateLimit: 0, lclAddr: 0x0a010001, rmtAddr: 0 });
  setsockopt(mr, IPPROTO_IP, MRT_ADD_VIF, { vifi: 1, flags: 0, threshold: 1, rateLimit: 0, lclAddr: 0x0a020001, rmtAddr: 0 });
  // Like the sandbox, the daemon runs after the kernel has queued the upcall (a wakeup at the same instant).
  mr.onMessage = (m: RawMessage) => {
    mr.recv();
    if (m.kind !== 'upcall' || !m.upcall) return;
    const { msg, vifIndex } = m.upcall;
    net.sim.schedule(0, () => setsockopt(mr, IPPROTO_IP, MRT_ADD_MFC, { origin: msg.src, mcastgrp: msg.dst, parent: vifIndex, ttls: [0, 1] }));
  };
  scheduleTraffic(net);
  const t0 = performance.now();
  net.sim.run({ until: net.sim.now + NSEC_PER_SEC });
  return { ms: performance.now() - t0, upcalls: countUpcalls(net), events: net.sim.trace.eventCount };
}

function countUpcalls(net: Network): number {
  const out = runCommandLine(net.node('r1'), 'cat /proc/net/ip_mr_cache').stdout;
  return out.split('\n').filter((l) => / 1:1 /.test(l)).length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The benchmark row (run.ts's Row shape) and a line on upcall throughput for under the table. */
export function sandboxUpcallRow(reps: number): { row: { name: string; events: number; ms: number; baselineName: string; baselineMs: number; baselineOps: number }; note: string } {
  timeSandboxed(); // warm-up (QuickJS, JIT)
  const sbx = Array.from({ length: reps }, timeSandboxed);
  const host = Array.from({ length: reps }, timeHostDaemon);
  const ms = median(sbx.map((r) => r.ms));
  const hostMs = median(host.map((r) => r.ms));
  const perSec = (n: number, t: number): string => Math.round(n / (t / 1000)).toLocaleString('en-US');
  return {
    row: {
      name: `sandboxed daemon: ${UPCALLS} NOCACHE upcalls → MRT_ADD_MFC in 1 simulated s`,
      events: sbx[0]!.events,
      ms,
      baselineName: 'same daemon as host code (trace events)',
      baselineMs: hostMs,
      baselineOps: host[0]!.events,
    },
    note:
      `sandbox upcalls: ${perSec(UPCALLS, ms)}/s wall (host-code daemon ${perSec(UPCALLS, hostMs)}/s); ` +
      `sandbox cost ${(((ms - hostMs) * 1000) / UPCALLS).toFixed(1)} µs per upcall, i.e. the sandbox alone sustains ${perSec(UPCALLS, Math.max(ms - hostMs, 1e-3))} upcalls/s.`,
  };
}
