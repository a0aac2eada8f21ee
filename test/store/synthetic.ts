// A synthetic trace, driven through the engine's Sim and Tracer (so seq, parents, time and the
// fingerprint are the engine's own), independent of the routing model under construction: a host
// sends datagrams through two routers, with real Linux packet bytes (test/fixtures/linux-packets)
// and a periodic timer. Used by the store and export tests and by the durability child.

import { readFileSync } from 'node:fs';
import { Sim } from '../../engine/sim/sim.js';
import { fromHex } from '../../engine/wire/hex.js';
import { encodeIpv4 } from '../../engine/wire/ipv4.js';
import { encodePim } from '../../engine/wire/pim.js';
import { parseIpv4 } from '../../engine/wire/inet.js';

interface Fixture {
  name: string;
  hex: string;
}

const fixtures = (JSON.parse(readFileSync(new URL('../fixtures/linux-packets/packets.json', import.meta.url), 'utf8')) as { packets: Fixture[] }).packets;

export function linuxPacket(name: string): Uint8Array {
  const p = fixtures.find((x) => x.name === name);
  if (!p) throw new Error(`no fixture named ${name}`);
  return fromHex(p.hex);
}

const ip = (s: string): number => parseIpv4(s)!;

/** PIM Hello with one Holdtime option (RFC 7761 §4.9.2: type 1, length 2, 105 s), to 224.0.0.13. */
export function pimHello(): Uint8Array {
  const body = Uint8Array.of(0, 1, 0, 2, 0, 105);
  return encodeIpv4({ ttl: 1, protocol: 103, src: ip('10.77.2.1'), dst: ip('224.0.0.13'), id: 0 }, encodePim({ kind: 'generic', type: 0, body }));
}

/** PIM Register carrying the kernel's multicast UDP datagram, unicast to an RP at 10.77.9.9. */
export function pimRegister(): Uint8Array {
  const inner = linuxPacket('mroute.udp@rlwa0');
  return encodeIpv4({ ttl: 64, protocol: 103, src: ip('10.77.2.1'), dst: ip('10.77.9.9'), id: 1 }, encodePim({ kind: 'register', border: false, nullRegister: false, packet: inner }));
}

/** The packets a journey carries, in rotation. */
export const JOURNEY_PACKETS: readonly { name: string; bytes: () => Uint8Array }[] = [
  { name: 'forwarded.udp@rlwa0', bytes: () => linuxPacket('forwarded.udp@rlwa0') },
  { name: 'igmpv3-ssm.igmp-v3-report', bytes: () => linuxPacket('igmpv3-ssm.igmp-v3-report') },
  { name: 'ping.icmp-echo-request', bytes: () => linuxPacket('ping.icmp-echo-request') },
  { name: 'igmpv3-exclude.igmp-v3-report', bytes: () => linuxPacket('igmpv3-exclude.igmp-v3-report') },
  { name: 'pim-hello', bytes: pimHello },
  { name: 'igmpv3-query.igmp-v3-query', bytes: () => linuxPacket('igmpv3-query.igmp-v3-query') },
  { name: 'pim-register', bytes: pimRegister },
  { name: 'ping.icmp-echo-reply', bytes: () => linuxPacket('ping.icmp-echo-reply') },
];

export interface SyntheticOptions {
  seed?: number;
  journeys: number;
  /** Between two journeys, ns. */
  interval?: number;
}

/** Schedules the journeys on a new Sim and returns it; run it to produce the trace. */
export function syntheticSim(o: SyntheticOptions): Sim {
  const sim = new Sim(o.seed ?? 1);
  const tr = sim.trace;
  const interval = o.interval ?? 1_000_000;
  const journey = (i: number): void => {
    const p = JOURNEY_PACKETS[i % JOURNEY_PACKETS.length]!;
    const bytes = p.bytes();
    const send = tr.emit('h1', 'udp_sendmsg', 'call', { journey: i, len: bytes.length, packet: p.name });
    tr.within(send, () => {
      const local = tr.packet('h1', '', bytes);
      const out = tr.emit('h1', 'ip_output', 'call', { len: bytes.length }, local);
      const onWire = tr.packet('h1', 'eth0', bytes, local);
      const xmit = tr.emit('h1', 'dev_queue_xmit', 'tx', { dev: 'eth0' }, onWire, out);
      let prev = xmit;
      let pkt = onWire;
      for (const r of ['r1', 'r2']) {
        const rx = tr.emit(r, 'ip_rcv', 'rx', { dev: 'eth0', len: bytes.length }, pkt, prev);
        const look = tr.emit(r, 'fib_table_lookup', 'lookup', { table: 'main', dst: '10.77.2.2', decision: 'unicast', reason: 'longest prefix 10.77.2.0/24', jitter: sim.rng.below(1000) }, pkt, rx);
        const fwd = tr.emit(r, 'ip_forward', 'call', { ttl: 64 - i % 3 }, pkt, look);
        pkt = tr.packet(r, 'eth1', bytes, pkt);
        prev = tr.emit(r, 'dev_queue_xmit', 'tx', { dev: 'eth1' }, pkt, fwd);
      }
      tr.emit('h2', 'udp_queue_rcv_skb', 'deliver', { port: 33436, text: 'quote " comma , newline \n done' }, pkt, prev);
    });
    if (i + 1 < o.journeys) sim.schedule(interval, () => journey(i + 1));
  };
  const hello = (): void => {
    tr.emit('r1', 'hello_timer_expire', 'timer_fire', {});
    tr.emit('r1', 'mod_timer', 'timer_arm', { expires: sim.now + 10 * interval });
    if (sim.now < (o.journeys - 10) * interval) sim.schedule(10 * interval, hello);
  };
  sim.schedule(0, () => journey(0));
  sim.schedule(interval / 2, hello);
  return sim;
}
