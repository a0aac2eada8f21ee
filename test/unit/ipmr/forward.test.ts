// ip_mr_input / ip_mr_forward paths the kernel oracle cannot observe from a daemon socket: local
// delivery on the router, looped-back forwarded copies, IGMP interception, the expiry timer's time.
// Expected values come from the kernel's code paths (kernel/multicast.md §7, §8.2, §8.5, §6).

import { describe, expect, it } from 'vitest';
import { IPPROTO_IGMP, IPPROTO_IP, MRT_ASSERT, MRT_DONE, MRT_DEL_MFC, MRT_DEL_VIF } from '../../../engine/socket/constants.js';
import { getsockopt, setsockopt, socket, ioctl, SIOCGETVIFCNT, type SiocVifReq } from '../../../engine/socket/socket.js';
import type { RawSocket } from '../../../engine/socket/raw.js';
import { encodeIgmp } from '../../../engine/wire/igmp.js';
import { IGMPMSG_NOCACHE } from '../../../engine/wire/igmpmsg.js';
import { unregisterNetdevice } from '../../../engine/net/dev.js';
import { readProcFile, writeProcFile } from '../../../engine/iproute2/procfs.js';
import { Errno } from '../../../engine/net/errno.js';
import { ip4 } from '../helpers/topo.js';
import { mrLab } from './lab.js';

const G = '239.1.1.1';

function listener(lab: ReturnType<typeof mrLab>, node: string, dev: string) {
  const ns = lab.node(node);
  const u = ns.ipv4.udp.create(ns);
  u.bind(0, 5000);
  u.join({ multiaddr: ip4(G), ifindex: ns.devByName(dev)!.ifindex });
  return u;
}

function vifcnt(d: RawSocket, vifi: number): SiocVifReq {
  const req: SiocVifReq = { vifi, icount: 0, ocount: 0, ibytes: 0, obytes: 0 };
  ioctl(d, SIOCGETVIFCNT, req);
  return req;
}

describe('ip_mr_input and ip_mr_forward', () => {
  it('delivers locally when the router joined G on the arrival interface, and still forwards', () => {
    const lab = mrLab();
    const d = lab.daemon();
    lab.mfc(d, '10.0.0.2', G, 0, { 1: 1 });
    const onR = listener(lab, 'r', 'r0');
    const onH1 = listener(lab, 'h1', 'eth0');
    lab.sender('s', 8).sendto(new Uint8Array([7]), ip4(G), 5000);
    lab.run();
    expect(onR.queue.map((x) => x.ttl)).toEqual([8]);
    // One hop: the copy leaves with TTL 7.
    expect(onH1.queue.map((x) => x.ttl)).toEqual([7]);
  });

  it('loops a forwarded copy back to a member on the output interface (RFC 1584), never forwarding it again', () => {
    const lab = mrLab();
    const d = lab.daemon();
    lab.mfc(d, '10.0.0.2', G, 0, { 1: 1, 2: 1 });
    const onR1 = listener(lab, 'r', 'r1');
    const onH2 = listener(lab, 'h2', 'eth0');
    lab.sender('s', 8).sendto(new Uint8Array([7]), ip4(G), 5000);
    lab.run();
    expect(onR1.queue.map((x) => x.ttl)).toEqual([7]);
    expect(onH2.queue.length).toBe(1);
    // Each VIF sent exactly one copy: the looped one did not go out again.
    expect([vifcnt(d, 1).ocount, vifcnt(d, 2).ocount]).toEqual([1, 1]);
  });

  it('without an entry, a member router delivers locally and the daemon gets one NOCACHE', () => {
    const lab = mrLab();
    const d = lab.daemon();
    const onR = listener(lab, 'r', 'r0');
    const upcalls: number[] = [];
    d.onMessage = (m) => m.upcall && upcalls.push(m.upcall.msg.msgtype);
    const tx = lab.sender('s', 8);
    for (let i = 0; i < 3; i++) tx.sendto(new Uint8Array([i]), ip4(G), 5000);
    lab.run();
    expect(onR.queue.length).toBe(3);
    expect(upcalls).toEqual([IGMPMSG_NOCACHE]);
  });

  it('hands IGMP to a routable group to the daemon socket instead of forwarding it', () => {
    const lab = mrLab();
    const d = lab.daemon();
    lab.mfc(d, '10.0.0.2', G, 0, { 1: 1 });
    const s = lab.node('s');
    const raw = socket(s, 2, 3, IPPROTO_IGMP) as RawSocket;
    raw.mcIndex = s.devByName('eth0')!.ifindex;
    raw.mcTtl = 8;
    raw.sendto(encodeIgmp({ kind: 'report-v2', group: ip4(G) }), ip4(G));
    lab.run();
    const got = d.queue.filter((m) => m.kind === 'packet');
    expect(got.length).toBe(1);
    expect(got[0]!.igmp?.message.kind).toBe('report-v2');
    expect(vifcnt(d, 1).ocount).toBe(0);
  });

  it('expires an unresolved entry exactly 10 s after the packet that created it', () => {
    const lab = mrLab();
    lab.daemon();
    lab.run(3);
    const t0 = lab.net.sim.now;
    lab.sender('s', 8).sendto(new Uint8Array([1]), ip4(G), 5000);
    lab.run(11_000);
    const alloc = lab.sink.byFn('ipmr_cache_alloc_unres');
    const fire = lab.sink.events.filter((e) => e.fn === 'ipmr_expire_process' && e.kind === 'timer_fire');
    expect(alloc.length).toBe(1);
    expect(fire.length).toBe(1);
    expect(fire[0]!.t - alloc[0]!.t).toBe(10_000_000_000);
    expect(alloc[0]!.t).toBeGreaterThan(t0);
    expect(readProcFile(lab.r, '/proc/net/ip_mr_cache').split('\n').length).toBe(2);
  });

  it('MRT_DONE drops mc_forwarding and daemon state but keeps static VIFs of other sockets', () => {
    const lab = mrLab();
    const d = lab.daemon(2);
    const st = socket(lab.r, 2, 3, IPPROTO_IGMP) as RawSocket;
    setsockopt(st, IPPROTO_IP, 202, { vifi: 2, flags: 0, threshold: 1, rateLimit: 0, lclAddr: ip4('10.2.0.1'), rmtAddr: 0 });
    expect(readProcFile(lab.r, '/proc/sys/net/ipv4/conf/all/mc_forwarding')).toBe('1\n');
    expect(lab.r.devByName('r2')!.allmulti).toBe(1);
    setsockopt(d, IPPROTO_IP, MRT_DONE, 0);
    expect(readProcFile(lab.r, '/proc/sys/net/ipv4/conf/all/mc_forwarding')).toBe('0\n');
    expect(readProcFile(lab.r, '/proc/sys/net/ipv4/conf/r0/mc_forwarding')).toBe('0\n');
    expect(lab.r.devByName('r0')!.allmulti).toBe(0);
    expect(readProcFile(lab.r, '/proc/net/ip_mr_vif').split('\n').slice(1)).toEqual([' 2 r2                0       0         0       0 08000 0100020A 00000000', '']);
    // Any socket may delete a static VIF (root has CAP_NET_ADMIN); the device leaves allmulti.
    expect(() => setsockopt(st, IPPROTO_IP, MRT_DEL_VIF, { vifi: 2 })).not.toThrow();
    expect(lab.r.devByName('r2')!.allmulti).toBe(0);
    // The counter is read-only: `echo 1 > .../all/mc_forwarding` is "Permission denied" (observed).
    expect(() => writeProcFile(lab.r, '/proc/sys/net/ipv4/conf/all/mc_forwarding', '1')).toThrow(expect.objectContaining({ errno: Errno.EACCES }));
  });

  it('NETDEV_UNREGISTER removes the VIF (ipmr_device_event) and keeps the entry', () => {
    const lab = mrLab();
    const d = lab.daemon();
    lab.mfc(d, '10.0.0.2', G, 0, { 1: 1, 2: 1 });
    unregisterNetdevice(lab.r.devByName('r2')!);
    expect(lab.sink.byFn('ipmr_device_event').length).toBe(1);
    expect(readProcFile(lab.r, '/proc/net/ip_mr_vif')).not.toMatch(/ r2 /);
    expect(readProcFile(lab.r, '/proc/net/ip_mr_cache')).toMatch(/^010101EF 0200000A 0 +0 +0 +0 {2}1:1 {2}\n$/m);
    expect(() => setsockopt(d, IPPROTO_IP, MRT_DEL_MFC, { origin: ip4('10.0.0.2'), mcastgrp: ip4(G), parent: 0, ttls: [] })).not.toThrow();
    expect(getsockopt(d, IPPROTO_IP, MRT_ASSERT)).toBe(0);
  });
});
