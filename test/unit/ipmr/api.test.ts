// The daemon's socket API: typed structs and C bytes give the same answers, optlen overrides reach the
// kernel's length checks, upcalls arrive decoded, and the factory refuses what inet_create refuses.

import { describe, expect, it } from 'vitest';
import { Errno, KernelError } from '../../../engine/net/errno.js';
import { AF_INET, IPPROTO_IGMP, IPPROTO_IP, IPPROTO_UDP, MRT_ADD_MFC, MRT_ADD_VIF, MRT_INIT, MRT_VERSION, SOCK_DGRAM, SOCK_RAW } from '../../../engine/socket/constants.js';
import { getsockopt, ioctl, setsockopt, socket, SIOCGETSGCNT, type SiocSgReq } from '../../../engine/socket/socket.js';
import { RawSocket, type RawMessage } from '../../../engine/socket/raw.js';
import { IGMPMSG_NOCACHE } from '../../../engine/wire/igmpmsg.js';
import { ip4 } from '../helpers/topo.js';
import { mrLab } from './lab.js';

function errno(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof KernelError) return Errno[e.errno]!;
    throw e;
  }
}

describe('the mroute socket API', () => {
  it('takes struct vifctl as an object or as its 16 C bytes, with optlen overrides', () => {
    const lab = mrLab();
    const d = socket(lab.r, AF_INET, SOCK_RAW, IPPROTO_IGMP);
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_INIT, 1, 2))).toBe('EINVAL');
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_INIT, 1))).toBe('ok');
    const vif = { vifi: 0, flags: 0, threshold: 1, rateLimit: 0, lclAddr: ip4('10.0.0.1'), rmtAddr: 0 };
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, vif, 12))).toBe('EINVAL');
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, vif))).toBe('ok');
    // vifi 1 on 10.1.0.1 as the bytes a C daemon passes (little-endian vifi, network-order address).
    const bytes = Uint8Array.of(1, 0, 0, 1, 0, 0, 0, 0, 10, 1, 0, 1, 0, 0, 0, 0);
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, bytes.subarray(0, 10), 16))).toBe('EFAULT');
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, bytes))).toBe('ok');
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, bytes))).toBe('EADDRINUSE');
    expect(lab.r.devByName('r1')!.inDev.conf.values.mc_forwarding).toBe(1);
    expect(getsockopt(d, IPPROTO_IP, MRT_VERSION)).toBe(0x0305);
  });

  it('delivers a NOCACHE upcall decoded, through the queue and the callback', () => {
    const lab = mrLab();
    const d = lab.daemon(2);
    const seen: RawMessage[] = [];
    d.onMessage = (m) => seen.push(m);
    lab.sender('s', 8).sendto(new Uint8Array(4), ip4('239.1.2.3'), 5000);
    lab.run();
    expect(seen.length).toBe(1);
    const m = d.recv()!;
    expect(m).toBe(seen[0]);
    expect(m.kind).toBe('upcall');
    expect(m.upcall!.msg.msgtype).toBe(IGMPMSG_NOCACHE);
    expect(m.upcall!.msg.mbz).toBe(0);
    expect(m.upcall!.vifIndex).toBe(0);
    expect(m.upcall!.msg.src).toBe(ip4('10.0.0.2'));
    expect(m.upcall!.msg.dst).toBe(ip4('239.1.2.3'));
    // ihl*4 header bytes + the 8-byte IGMP header.
    expect(m.bytes.length).toBe(28);
    expect(d.recv()).toBeUndefined();
  });

  it('answers SIOCGETSGCNT from the exact (S,G) and EADDRNOTAVAIL otherwise', () => {
    const lab = mrLab();
    const d = lab.daemon(2);
    setsockopt(d, IPPROTO_IP, MRT_ADD_MFC, { origin: ip4('10.0.0.2'), mcastgrp: ip4('239.1.1.1'), parent: 0, ttls: [0, 1] });
    const tx = lab.sender('s', 8);
    for (let i = 0; i < 3; i++) tx.sendto(new Uint8Array(12), ip4('239.1.1.1'), 5000);
    lab.run();
    const req: SiocSgReq = { src: ip4('10.0.0.2'), grp: ip4('239.1.1.1'), pktcnt: 0, bytecnt: 0, wrongIf: 0 };
    ioctl(d, SIOCGETSGCNT, req);
    // 3 datagrams of 20 + 8 + 12 bytes.
    expect([req.pktcnt, req.bytecnt, req.wrongIf]).toEqual([3, 120, 0]);
    expect(errno(() => ioctl(d, SIOCGETSGCNT, { ...req, src: 0 }))).toBe('EADDRNOTAVAIL');
  });

  it('creates sockets like inet_create and refuses the rest with its errnos', () => {
    const lab = mrLab();
    expect(socket(lab.r, AF_INET, SOCK_RAW, IPPROTO_IGMP)).toBeInstanceOf(RawSocket);
    expect(socket(lab.r, AF_INET, SOCK_DGRAM, IPPROTO_UDP)).not.toBeInstanceOf(RawSocket);
    expect(errno(() => socket(lab.r, 10, SOCK_RAW, IPPROTO_IGMP))).toBe('EAFNOSUPPORT');
    expect(errno(() => socket(lab.r, AF_INET, SOCK_RAW, 0))).toBe('EPROTONOSUPPORT');
    expect(errno(() => socket(lab.r, AF_INET, SOCK_RAW, 256))).toBe('EINVAL');
    expect(errno(() => socket(lab.r, AF_INET, SOCK_DGRAM, 6))).toBe('EPROTONOSUPPORT');
    const d = socket(lab.r, AF_INET, SOCK_RAW, IPPROTO_IGMP);
    d.close();
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_INIT, 1))).toBe('EBADF');
  });
});
