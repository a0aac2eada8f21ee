// labs/daemons/igmpproxy.ts's querier election (RFC 2236 §3, §7) with two proxies on one downstream LAN:
// the higher-addressed one (pb) stops its general queries once it hears the lower one (pa), keeps tracking
// members from the reports it still hears, follows pa's group-specific queries after a leave, and takes
// over 255 s (the Other Querier Present Interval) after pa's last query.
//
//   src ─┬─ up ─┬─ pa (10.9.0.1) ─┬─ down ─┬─ h
//        └──────┴─ pb (10.9.0.2) ─┘

import { describe, expect, it } from 'vitest';
import { AF_INET, IPPROTO_IGMP, SOCK_RAW } from '../../engine/socket/constants.js';
import { socket } from '../../engine/socket/socket.js';
import { RawSocket } from '../../engine/socket/raw.js';
import { NSEC_PER_MSEC } from '../../engine/sim/time.js';
import { DaemonLab } from './lab.js';

const G = '239.2.2.2';
const CONF = 'phyint eth0 upstream\nphyint eth1 downstream\n';

/** pa and pb share the upstream LAN with the source and the downstream LAN with h. */
function twoProxiesOneLan(seed = 1): DaemonLab {
  const lab = new DaemonLab(seed);
  for (const n of ['src', 'h']) lab.node(n, 'host');
  for (const n of ['pa', 'pb']) lab.node(n, 'router');
  lab
    .lan('up', [['src', 'eth0', '10.0.0.10/24'], ['pa', 'eth0', '10.0.0.1/24'], ['pb', 'eth0', '10.0.0.2/24']])
    .lan('down', [['pa', 'eth1', '10.9.0.1/24'], ['pb', 'eth1', '10.9.0.2/24'], ['h', 'eth0', '10.9.0.10/24']]);
  lab.run(10);
  return lab;
}

interface Query { ms: number; src: string; group: string }

/** Every IGMP query h hears (they go to 224.0.0.1, or to the group), with its simulated time in ms. */
function queriesHeard(lab: DaemonLab): Query[] {
  const ns = lab.net.node('h');
  const sock = socket(ns, AF_INET, SOCK_RAW, IPPROTO_IGMP);
  if (!(sock instanceof RawSocket)) throw new Error('not a raw socket');
  const heard: Query[] = [];
  sock.onMessage = (m) => {
    if (m.igmp?.message.kind !== 'query-v2') return;
    const b = m.bytes;
    const a = (o: number): string => [...b.subarray(o, o + 4)].join('.');
    heard.push({ ms: Number(lab.net.sim.now / NSEC_PER_MSEC), src: a(12), group: a(16) });
  };
  return heard;
}

/** Oifs of `node`'s MFC entry for (10.0.0.10, G), or null without one. */
function oifs(lab: DaemonLab, node: string): string | null {
  const line = lab.cat(node, '/proc/net/ip_mr_cache').split('\n').find((l) => / 0A00000A /.test(l) && l.startsWith('0202'));
  return line === undefined ? null : line.trim().split(/\s+/).slice(6).join(' ');
}

describe('igmpproxy.ts querier election on a shared downstream LAN', () => {
  it('the higher address stops querying, keeps tracking members, and takes over 255 s after the querier goes', async () => {
    const lab = twoProxiesOneLan();
    const heard = queriesHeard(lab);
    const pa = await lab.start('pa', 'igmpproxy.ts', { '/etc/igmpproxy.conf': CONF });
    await lab.start('pb', 'igmpproxy.ts', { '/etc/igmpproxy.conf': CONF });
    const t0 = Number(lab.net.sim.now / NSEC_PER_MSEC);
    const h = lab.receiver('h', 'eth0', G);
    lab.run(600_000);
    const from = (src: string, after = 0): number[] => heard.filter((q) => q.src === src && q.group === '224.0.0.1' && q.ms >= after).map((q) => Math.round(q.ms - t0));
    // pa: the startup pair 31.25 s apart, then every 125 s. pb: its first startup query only (sent before it
    // heard pa's), then silence.
    expect(from('10.9.0.1')).toEqual([0, 31_250, 156_250, 281_250, 406_250, 531_250]);
    expect(from('10.9.0.2')).toEqual([0]);
    expect(lab.logs('pb')).toContain('eth1: 10.9.0.1 has a lower address and is the querier; we stop querying');
    expect(lab.logs('pa').filter((l) => l.includes('querier'))).toEqual([]); // pb's query did not move pa

    // Past the 260 s membership timeout, pb still has h's membership: it hears h's answers to pa's queries.
    expect(lab.logs('pb')).toContain(`joined ${G} upstream on eth0`);
    expect(lab.logs('pb').filter((l) => l.includes('no members left'))).toEqual([]);
    lab.send('src', 'eth0', G, 1);
    lab.run(500);
    // Both proxies forward to the LAN (neither igmpproxy nor this one elects a forwarder): h gets two copies.
    expect([oifs(lab, 'pa'), oifs(lab, 'pb')]).toEqual(['1:1', '1:1']);
    expect(h.got()).toEqual([1, 1]);

    // pa goes away. pb's Other Querier Present timer (restarted by pa's last query) runs out 255 s later:
    // pb queries at once, then every 125 s.
    pa.kill('stopped by the test');
    const lastPa = heard.filter((q) => q.src === '10.9.0.1').at(-1)!.ms;
    lab.run(600_000);
    const pbAfter = heard.filter((q) => q.src === '10.9.0.2' && q.ms > lastPa).map((q) => Math.round(q.ms - lastPa));
    expect(pbAfter.slice(0, 3)).toEqual([255_000, 380_000, 505_000]);
    expect(lab.logs('pb')).toContain('eth1: no query from 10.9.0.1 for 255 s; we are the querier again');
    // h kept its membership through the hand-over; now only pb forwards.
    lab.send('src', 'eth0', G, 2);
    lab.run(500);
    expect(h.got()).toEqual([1, 1, 2]);
    expect(lab.logs('pb').filter((l) => l.includes('no members left'))).toEqual([]);
    expect(lab.exits()).toEqual(['igmpproxy.ts: stopped by the test']);
  }, 60_000);

  it('a non-querier sends no group-specific queries after a leave but follows the querier\'s', async () => {
    const lab = twoProxiesOneLan();
    await lab.start('pa', 'igmpproxy.ts', { '/etc/igmpproxy.conf': CONF });
    await lab.start('pb', 'igmpproxy.ts', { '/etc/igmpproxy.conf': CONF });
    const h = lab.receiver('h', 'eth0', G);
    lab.run(40_000);
    expect(lab.logs('pb')).toContain(`joined ${G} upstream on eth0`);
    // Group-specific queries go to G, which h no longer receives once it left: count them where they are sent.
    const sentToG = (node: string): number => lab.sink.events.filter((e) => e.node === node && e.fn === 'raw_sendmsg' && e.data['dst'] === G).length;
    h.leave();
    lab.run(5000);
    // Only pa asks (twice, 1 s apart, Max Resp Time 1 s); pb drops the group when those go unanswered,
    // 2 s after the last one, not 260 s later.
    expect([sentToG('pa'), sentToG('pb')]).toEqual([2, 0]);
    expect(lab.logs('pb')).toContain(`${G}: no members left on eth1`);
    expect(lab.logs('pb')).toContain(`left ${G} upstream on eth0`);
    expect(lab.exits()).toEqual([]);
  }, 60_000);

  it('a querier asking after a leave finishes its last-member queries before it yields (RFC 2236 §3)', async () => {
    const lab = twoProxiesOneLan();
    await lab.start('pb', 'igmpproxy.ts', { '/etc/igmpproxy.conf': CONF });
    const h = lab.receiver('h', 'eth0', G);
    lab.run(15_000);
    const sentToG = (): number => lab.sink.events.filter((e) => e.node === 'pb' && e.fn === 'raw_sendmsg' && e.data['dst'] === G).length;
    h.leave();
    lab.run(500);
    // pa starts half-way through pb's two group-specific queries: its first general query comes from a lower
    // address, but pb keeps the querier role until it has asked twice and dropped the group.
    await lab.start('pa', 'igmpproxy.ts', { '/etc/igmpproxy.conf': CONF });
    lab.run(3000);
    expect(sentToG()).toBe(2);
    expect(lab.logs('pb')).toContain('eth1: query from 10.9.0.1 ignored during last-member queries');
    expect(lab.logs('pb')).toContain(`${G}: no members left on eth1`);
    expect(lab.logs('pb').filter((l) => l.includes('is the querier'))).toEqual([]);
    // pa's next startup query (31.25 s after its first) meets no last-member queries: pb yields then.
    lab.run(31_250);
    expect(lab.logs('pb')).toContain('eth1: 10.9.0.1 has a lower address and is the querier; we stop querying');
    expect(lab.exits()).toEqual([]);
  }, 60_000);
});
