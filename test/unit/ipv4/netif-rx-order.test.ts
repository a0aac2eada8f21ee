// When a looped-back or lo-delivered packet is received (net/core/dev.c netif_rx, 5.18+): from a socket's
// sendmsg (process context) the NET_RX softirq runs before netif_rx returns, so ip_mc_output's loop copy is
// received before the original is transmitted, and lo delivers before sendto returns; from softirq
// (ipmr forwarding, IGMP timers) the copy waits in the backlog and the original leaves first.

import { describe, expect, it } from 'vitest';
import { writeProcFile } from '../../../engine/iproute2/procfs.js';
import type { TraceEvent } from '../../../engine/sim/trace.js';
import { IP_ADD_MEMBERSHIP, IPPROTO_IP } from '../../../engine/socket/constants.js';
import { setsockopt } from '../../../engine/socket/socket.js';
import { IGMPMSG_NOCACHE } from '../../../engine/wire/igmpmsg.js';
import { ip4 } from '../helpers/topo.js';
import { mrLab, type MrLab } from '../ipmr/lab.js';

/** Seq of the first event on r matching fn/kind/dev for packet `pkt`. */
function seqOf(lab: MrLab, pkt: number, fn: string, kind: string, dev: string): number {
  const e = lab.sink.events.find((x: TraceEvent) => x.node === 'r' && x.pkt === pkt && x.fn === fn && x.kind === kind && x.data['dev'] === dev);
  if (!e) throw new Error(`no ${fn}/${kind} on ${dev} for packet ${pkt}`);
  return e.seq;
}

/** A UDP socket on r bound to port 5000 and joined to `group` on `dev`. */
function member(lab: MrLab, group: string, dev: string) {
  const m = lab.r.ipv4.udp.create(lab.r);
  m.bind(0, 5000);
  setsockopt(m, IPPROTO_IP, IP_ADD_MEMBERSHIP, { multiaddr: ip4(group), ifindex: lab.r.devByName(dev)!.ifindex });
  return m;
}

describe('netif_rx from process context', () => {
  it('receives a socket’s looped multicast copy before sendto returns and before the original is transmitted', () => {
    const lab = mrLab();
    const m = member(lab, '239.1.1.1', 'r1');
    const tx = lab.r.ipv4.udp.create(lab.r);
    tx.mcIndex = lab.r.devByName('r1')!.ifindex;
    const pkt = tx.sendto(new Uint8Array(8), ip4('239.1.1.1'), 5000);
    // No simulation step has run: the member already has it.
    expect(m.queue.length).toBe(1);
    expect(seqOf(lab, pkt, 'netif_receive_skb', 'rx', 'r1')).toBeLessThan(seqOf(lab, pkt, 'dev_queue_xmit', 'tx', 'r1'));
  });

  it('on a multicast router, makes the looped copy’s NOCACHE upcall before the original leaves', () => {
    const lab = mrLab();
    const d = lab.daemon(3);
    const tx = lab.r.ipv4.udp.create(lab.r);
    tx.mcIndex = lab.r.devByName('r2')!.ifindex;
    const pkt = tx.sendto(new Uint8Array(8), ip4('239.2.2.2'), 5000);
    expect(d.queue.filter((x) => x.upcall).map((x) => [x.upcall!.msg.msgtype, x.upcall!.msg.vif])).toEqual([[IGMPMSG_NOCACHE, 2]]);
    const upcall = lab.sink.events.find((e) => e.fn === 'ipmr_cache_report' && e.kind === 'upcall' && e.pkt === pkt);
    expect(upcall).toBeDefined();
    expect(upcall!.seq).toBeLessThan(seqOf(lab, pkt, 'dev_queue_xmit', 'tx', 'r2'));
  });

  it('delivers a datagram to the host’s own address through lo before sendto returns, and the port-unreachable error it makes too', () => {
    const lab = mrLab();
    const rx = lab.r.ipv4.udp.create(lab.r);
    rx.bind(0, 6000);
    const tx = lab.r.ipv4.udp.create(lab.r);
    tx.sendto(new Uint8Array(4), ip4('10.1.0.1'), 6000);
    expect(rx.queue.length).toBe(1);
    // No socket on 6001: icmp_send in the softirq goes out of lo again and is received in the same
    // process_backlog run, still inside sendto.
    const before = lab.sink.events.length;
    tx.sendto(new Uint8Array(4), ip4('10.1.0.1'), 6001);
    const fresh = lab.sink.events.slice(before);
    const icmpOut = fresh.find((e) => e.fn === 'icmp_send' && e.kind === 'call');
    expect(icmpOut).toBeDefined();
    expect(fresh.some((e) => e.fn === 'icmp_rcv' && e.kind === 'call')).toBe(true);
  });
});

describe('netif_rx from a syscall that forwards (ipmr_cache_resolve in MRT_ADD_MFC)', () => {
  it('receives a resolved packet’s looped copy for a member before the forwarded original leaves', () => {
    const lab = mrLab();
    const d = lab.daemon(3);
    const m = member(lab, '239.5.5.5', 'r1');
    lab.sender('s', 8).sendto(new Uint8Array(8), ip4('239.5.5.5'), 5000);
    lab.run();
    expect(m.queue.length).toBe(0); // queued on the unresolved entry
    lab.mfc(d, '10.0.0.2', '239.5.5.5', 0, { 1: 1 });
    // Still inside setsockopt: the member already has the looped copy of the forwarded datagram.
    expect(m.queue.length).toBe(1);
    const fwd = lab.sink.events.find((e) => e.node === 'r' && e.fn === 'ipmr_queue_xmit' && e.kind === 'tx' && e.data['dev'] === 'r1');
    const pkt = fwd!.pkt!;
    expect(seqOf(lab, pkt, 'netif_receive_skb', 'rx', 'r1')).toBeLessThan(seqOf(lab, pkt, 'dev_queue_xmit', 'tx', 'r1'));
  });
});

describe('netif_rx from softirq', () => {
  it('queues a forwarded copy’s loop-back for a member until the forwarded original has been transmitted', () => {
    const lab = mrLab();
    const d = lab.daemon(3);
    lab.mfc(d, '10.0.0.2', '239.3.3.3', 0, { 1: 1 });
    const m = member(lab, '239.3.3.3', 'r1');
    lab.sender('s', 8).sendto(new Uint8Array(8), ip4('239.3.3.3'), 5000);
    lab.run();
    const fwd = lab.sink.events.find((e) => e.node === 'r' && e.fn === 'ipmr_queue_xmit' && e.kind === 'tx' && e.data['dev'] === 'r1');
    expect(fwd).toBeDefined();
    const pkt = fwd!.pkt!;
    expect(lab.sink.events.some((e) => e.node === 'r' && e.pkt === pkt && e.fn === 'dev_loopback_xmit')).toBe(true);
    expect(seqOf(lab, pkt, 'dev_queue_xmit', 'tx', 'r1')).toBeLessThan(seqOf(lab, pkt, 'netif_receive_skb', 'rx', 'r1'));
    // The member (joined on r1, not on the arrival device r0) gets the looped forwarded copy, once.
    expect(m.queue.length).toBe(1);
    expect(lab.sink.events.filter((e) => e.node === 'r' && e.fn === 'udp_queue_rcv_skb').map((e) => e.pkt)).toEqual([pkt]);
  });

  it('queues an IGMP timer’s looped report until the report has been transmitted', () => {
    const lab = mrLab();
    writeProcFile(lab.r, '/proc/sys/net/ipv4/conf/r1/force_igmp_version', '2');
    member(lab, '239.4.4.4', 'r1');
    lab.run(11_000);
    const loop = lab.sink.events.find((e) => e.node === 'r' && e.fn === 'dev_loopback_xmit' && e.data['dev'] === 'r1');
    expect(loop).toBeDefined();
    const pkt = loop!.pkt!;
    expect(seqOf(lab, pkt, 'dev_queue_xmit', 'tx', 'r1')).toBeLessThan(seqOf(lab, pkt, 'netif_receive_skb', 'rx', 'r1'));
  });
});
