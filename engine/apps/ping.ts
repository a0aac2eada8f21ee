// ping (iputils): ICMP echo requests from a node, replies and errors collected, and the summary ping
// prints. Times are simulated time.

import { KernelError, strerror } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC, type Nanos } from '../sim/time.js';
import { flow } from '../ipv4/fib-types.js';
import { buildDatagram, ipLocalOut } from '../ipv4/ip_output.js';
import { ipRouteOutput } from '../ipv4/route.js';
import { echoRequest, encodeIcmp, ICMP_ECHOREPLY, type IcmpMessage } from '../wire/icmp.js';
import { formatIpv4, isMulticast, parseIpv4, type Ipv4Addr } from '../wire/inet.js';
import { IPPROTO_ICMP } from '../wire/ipv4.js';

export interface PingOptions {
  dst: Ipv4Addr;
  count: number;
  interval?: Nanos;
  /** Data bytes after the ICMP header (default 56). */
  size?: number;
  ttl?: number;
  /** -I: source interface name (SO_BINDTODEVICE), or a dotted-quad source address (bind()), as iputils decides. */
  iface?: string;
  /** -W: how long to wait for the last reply (default 1 s... iputils waits up to 10 s; we use 2 s). */
  deadlineAfterLast?: Nanos;
}

const UNREACH_TEXT: Record<number, string> = {
  0: 'Destination Net Unreachable',
  1: 'Destination Host Unreachable',
  2: 'Destination Protocol Unreachable',
  3: 'Destination Port Unreachable',
  4: 'Frag needed and DF set',
  13: 'Packet filtered',
};

export interface PingRun {
  lines: string[];
  transmitted: number;
  received: number;
  errors: number;
  done: boolean;
  /** Time at which the run is complete (the shell runs the simulation until then). */
  endsAt: Nanos;
  /** Set when the run could not start (e.g. no route): ping's own message and exit code. */
  failure?: { message: string; rc: number };
  summary(): string[];
  rc(): number;
  /** SIGINT (^C): stops at the current simulated time; summary() then reports the time elapsed so far. */
  interrupt(): void;
}

export function startPing(ns: Netns, o: PingOptions): PingRun {
  const v4 = ns.ipv4;
  const size = o.size ?? 56;
  const interval = o.interval ?? NSEC_PER_SEC;
  const id = ns.sim.rng.below(0x10000);
  const rtts: number[] = [];
  const sentAt = new Map<number, Nanos>();
  const start = ns.sim.now;
  let interruptedAt: Nanos | null = null;
  const pendingEvents: { cancelled: boolean }[] = [];
  // iputils: an -I argument that parses as an IPv4 address is the source (strict source, no device).
  const bindAddr = o.iface !== undefined ? parseIpv4(o.iface) : null;
  const device = bindAddr === null ? o.iface : undefined;
  const oif = device ? ns.devByName(device)?.ifindex ?? -1 : 0;
  const run: PingRun = {
    lines: [],
    transmitted: 0,
    received: 0,
    errors: 0,
    done: false,
    endsAt: start + (o.count - 1) * interval + (o.deadlineAfterLast ?? 2 * NSEC_PER_SEC),
    summary() {
      const loss = run.transmitted ? Math.round(((run.transmitted - run.received) * 100) / run.transmitted) : 0;
      // iputils prints the time elapsed; after ^C that is up to the interrupt, not the planned last send.
      const ms = Math.round((interruptedAt !== null ? interruptedAt - start : Math.max(0, run.transmitted - 1) * interval) / NSEC_PER_MSEC);
      const out = ['', `--- ${formatIpv4(o.dst)} ping statistics ---`];
      out.push(`${run.transmitted} packets transmitted, ${run.received} received,${run.errors ? ` +${run.errors} errors,` : ''} ${loss}% packet loss, time ${ms}ms`);
      if (rtts.length) {
        const min = Math.min(...rtts);
        const max = Math.max(...rtts);
        const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
        const mdev = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
        out.push(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms`);
      } else out.push(''); // iputils' finish() ends with putchar('\n') after the (absent) rtt line
      return out;
    },
    rc() {
      return run.failure ? run.failure.rc : run.received > 0 ? 0 : 1;
    },
    interrupt() {
      if (run.done) return;
      interruptedAt = ns.sim.now;
      for (const e of pendingEvents) e.cancelled = true;
      finish();
    },
  };
  const finish = (): void => {
    run.done = true;
    const i = v4.icmpListeners.indexOf(listener);
    if (i >= 0) v4.icmpListeners.splice(i, 1);
  };
  if (oif < 0) {
    run.failure = { message: `ping: SO_BINDTODEVICE ${o.iface}: No such device`, rc: 2 };
    run.done = true;
    return run;
  }
  if (bindAddr !== null && !v4.isLocalAddress(bindAddr)) {
    run.failure = { message: 'ping: bind: Cannot assign requested address', rc: 2 };
    run.done = true;
    return run;
  }
  const saddr = bindAddr ?? 0;
  let source: Ipv4Addr;
  try {
    // iputils finds the source with a probe UDP socket (bound to the device) connected to the destination.
    source = saddr || ipRouteOutput(v4, flow({ daddr: o.dst, oif, proto: IPPROTO_ICMP })).src;
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    run.failure = { message: `ping: connect: ${strerror(e.errno)}`, rc: 2 };
    run.done = true;
    return run;
  }
  // iputils ping4_run(): "from SRC DEVICE: " with -I (DEVICE is empty for an address: "from SRC : ").
  const from = o.iface !== undefined ? `from ${formatIpv4(source)} ${device ?? ''}: ` : '';
  run.lines.push(`PING ${formatIpv4(o.dst)} (${formatIpv4(o.dst)}) ${from}${size}(${size + 28}) bytes of data.`);

  const listener = (msg: IcmpMessage, info: { src: Ipv4Addr; dst: Ipv4Addr; ttl: number }, skb: { dev: { ifindex: number } }): void => {
    if (run.done) return;
    // raw_v4_match()/ping_lookup(): a socket bound to a device (SO_BINDTODEVICE) hears only what arrives
    // on it; one bound to an address only what is addressed to it. Replies and errors alike.
    if (oif && skb.dev.ifindex !== oif) return;
    if (saddr && info.dst !== saddr) return;
    if (msg.kind === 'echo' && msg.type === ICMP_ECHOREPLY && msg.id === id) {
      const t0 = sentAt.get(msg.seq);
      if (t0 === undefined) return;
      const rtt = (ns.sim.now - t0) / NSEC_PER_MSEC;
      rtts.push(rtt);
      run.received++;
      run.lines.push(`${msg.data.length + 8} bytes from ${formatIpv4(info.src)}: icmp_seq=${msg.seq} ttl=${info.ttl} time=${rtt.toFixed(3)} ms`);
      return;
    }
    if (msg.kind === 'dest-unreachable' || msg.kind === 'time-exceeded') {
      // The quoted datagram must be one of ours: ICMP echo with our id.
      const q = msg.original;
      const ihl = ((q[0] ?? 0) & 0x0f) * 4;
      if (q[9] !== IPPROTO_ICMP || q.length < ihl + 8) return;
      const qid = (q[ihl + 4]! << 8) | q[ihl + 5]!;
      const qseq = (q[ihl + 6]! << 8) | q[ihl + 7]!;
      if (qid !== id) return;
      run.errors++;
      const text = msg.kind === 'time-exceeded' ? 'Time to live exceeded' : (UNREACH_TEXT[msg.code] ?? `Dest Unreachable, Bad Code: ${msg.code}`);
      run.lines.push(`From ${formatIpv4(info.src)} icmp_seq=${qseq} ${text}`);
    }
  };
  v4.icmpListeners.push(listener);

  let seq = 0;
  const sendOne = (): void => {
    seq++;
    const payload = new Uint8Array(size);
    for (let i = 0; i < size; i++) payload[i] = i & 0xff;
    let rt;
    try {
      rt = ipRouteOutput(v4, flow({ daddr: o.dst, saddr, oif, proto: IPPROTO_ICMP }));
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      run.lines.push(`ping: sendmsg: ${strerror(e.errno)}`);
      run.transmitted++;
      return;
    }
    const ttl = o.ttl ?? (isMulticast(o.dst) ? 1 : v4.sysctl.ip_default_ttl);
    const bytes = buildDatagram(v4, { src: saddr || rt.src, dst: o.dst, protocol: IPPROTO_ICMP, ttl, tos: 0, df: !isMulticast(o.dst), ignoreDf: true }, encodeIcmp(echoRequest(id, seq, payload)));
    sentAt.set(seq, ns.sim.now);
    run.transmitted++;
    ns.emit('ping', 'log', { seq, dst: formatIpv4(o.dst) });
    // ping's own sendmsg (a socket, IP_MULTICAST_LOOP on): process context, so a copy looped back through
    // lo or to a local member is received before the call returns, as ipLocalOut does for sockets.
    ipLocalOut(v4, bytes, rt, { mcLoop: true });
  };
  for (let i = 0; i < o.count; i++) pendingEvents.push(ns.sim.at(start + i * interval, sendOne));
  pendingEvents.push(ns.sim.at(run.endsAt, finish));
  return run;
}
