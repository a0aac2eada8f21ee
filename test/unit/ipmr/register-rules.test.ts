// Register VIFs, multicast rules, the daemon's receive buffer and the namespace's exit, with the
// values observed on Linux 6.18 (the same cases run against the kernel in test/oracle/ipmr-register,
// ipmr-iproute2 and ipmr-rcvbuf when root is available).

import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { readProcFile } from '../../../engine/iproute2/procfs.js';
import { tokenize } from '../../../engine/iproute2/tokenize.js';
import { ipmrNetExit } from '../../../engine/ipv4/ipmr-table.js';
import { Errno, KernelError } from '../../../engine/net/errno.js';
import { IPPROTO_IGMP, IPPROTO_IP, MRT_ADD_MFC, MRT_ADD_VIF, MRT_DEL_VIF, MRT_INIT, MRT_TABLE, SOL_SOCKET, SO_RCVBUF } from '../../../engine/socket/constants.js';
import { getsockopt, setsockopt, socket } from '../../../engine/socket/socket.js';
import type { RawSocket } from '../../../engine/socket/raw.js';
import { IGMPMSG_NOCACHE, IGMPMSG_WHOLEPKT } from '../../../engine/wire/igmpmsg.js';
import { ip4 } from '../helpers/topo.js';
import { mrLab } from './lab.js';

const ip = (lab: ReturnType<typeof mrLab>, args: string) => ipCommand(lab.r, tokenize(args));
const vif = (vifi: number, flags: number, lcl = '0.0.0.0') => ({ vifi, flags, threshold: 1, rateLimit: 0, lclAddr: ip4(lcl), rmtAddr: 0 });
const errno = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelError) return Errno[e.errno]!;
    throw e;
  }
  return 'ok';
};

describe('register VIF (pimreg)', () => {
  it('creates pimreg as ipmr_reg_vif does, reports WHOLEPKT for it, and removes it with the VIF', () => {
    const lab = mrLab();
    const d = lab.daemon(2);
    setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, vif(2, 4));
    expect(errno(() => setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, vif(3, 4)))).toBe('EADDRINUSE');
    const idx = lab.r.devByName('pimreg')!.ifindex;
    expect(ip(lab, '-o link show pimreg').stdout).toBe(`${idx}: pimreg@NONE: <NOARP,UP,LOWER_UP> mtu 1472 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/pimreg \n`);
    expect(ip(lab, 'link del pimreg')).toMatchObject({ rc: 2, stderr: 'RTNETLINK answers: Operation not supported\n' });
    expect(readProcFile(lab.r, '/proc/net/ip_mr_vif').split('\n')[3]).toBe(' 2 pimreg            0       0         0       0 00004 00000000 00000000');
    lab.mfc(d, '10.0.0.2', '239.1.1.1', 0, { 1: 1, 2: 1 });
    lab.sender('s', 8).sendto(new Uint8Array(10), ip4('239.1.1.1'), 5000);
    lab.run();
    const whole = d.queue.filter((m) => m.upcall?.msg.msgtype === IGMPMSG_WHOLEPKT);
    expect(whole.map((m) => m.upcall!.vifIndex)).toEqual([2]);
    expect(lab.r.devByName('pimreg')!.stats.tx_packets).toBe(1);
    setsockopt(d, IPPROTO_IP, MRT_DEL_VIF, vif(2, 0));
    expect(lab.r.devByName('pimreg')).toBeUndefined();
    // Another table's register device is pimreg<id>; the daemon's exit takes it away.
    const d5 = socket(lab.r, 2, 3, IPPROTO_IGMP) as RawSocket;
    setsockopt(d5, IPPROTO_IP, MRT_TABLE, 5);
    setsockopt(d5, IPPROTO_IP, MRT_INIT, 1);
    setsockopt(d5, IPPROTO_IP, MRT_ADD_VIF, vif(0, 4));
    expect(lab.r.devByName('pimreg5')?.kind).toBe('pimreg');
    d5.close();
    expect(lab.r.devByName('pimreg5')).toBeUndefined();
  });
});

describe('ip mrule and ipmr_fib_lookup', () => {
  it('adds rules with the kernel default preference and routes by iif into another table', () => {
    const lab = mrLab();
    expect(ip(lab, 'mrule add iif r1 table 5').rc).toBe(0);
    expect(ip(lab, 'mrule add iif r2 unreachable').rc).toBe(0);
    expect(ip(lab, 'mrule add pref 0 iif r1 table 5')).toMatchObject({ rc: 2, stderr: 'RTNETLINK answers: File exists\n' });
    expect(ip(lab, 'mrule add from 10.0.0.0/8 table 6')).toMatchObject({ rc: 1, stderr: 'Error: ??? prefix is expected rather than "10.0.0.0/8".\n' });
    // fib_default_rule_pref(): 0 with one rule; then the second rule's preference minus one.
    expect(ip(lab, 'mrule').stdout).toBe('0:\tfrom all iif r1 lookup 5\n32766:\tfrom all iif r2 unreachable\n32767:\tfrom all lookup default\n');
    const d = lab.daemon(1);
    const d5 = socket(lab.r, 2, 3, IPPROTO_IGMP) as RawSocket;
    setsockopt(d5, IPPROTO_IP, MRT_TABLE, 5);
    setsockopt(d5, IPPROTO_IP, MRT_INIT, 1);
    setsockopt(d5, IPPROTO_IP, MRT_ADD_VIF, vif(0, 0, '10.1.0.1'));
    setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, vif(1, 0, '10.1.0.1'));
    setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, vif(2, 0, '10.2.0.1'));
    lab.sender('h1', 8).sendto(new Uint8Array(1), ip4('239.5.5.5'), 5000);
    lab.sender('h2', 8).sendto(new Uint8Array(1), ip4('239.5.5.6'), 5000);
    lab.run();
    expect(d5.queue.map((m) => [m.upcall?.msg.msgtype, m.upcall?.vifIndex])).toEqual([[IGMPMSG_NOCACHE, 0]]);
    expect(d.queue).toEqual([]);
    expect(ip(lab, 'mrule del pref 0').rc).toBe(0);
    expect(ip(lab, 'mrule del pref 0')).toMatchObject({ rc: 2, stderr: 'RTNETLINK answers: No such file or directory\n' });
  });
});

describe('the mroute socket’s receive buffer', () => {
  it('refuses upcalls once sk_rcvbuf is reached; no unresolved entry is made for them', () => {
    const lab = mrLab();
    const d = lab.daemon(1);
    setsockopt(d, SOL_SOCKET, SO_RCVBUF, 1);
    expect(getsockopt(d, SOL_SOCKET, SO_RCVBUF)).toBe(2304);
    for (let i = 1; i <= 6; i++) lab.sender('s', 8).sendto(new Uint8Array(10), ip4(`239.10.0.${i}`), 5000);
    lab.run();
    // Three NOCACHE upcalls of truesize 832 fill 2304 bytes (observed on 6.18).
    expect(d.queue.length).toBe(3);
    expect(d.drops).toBe(3);
    expect(readProcFile(lab.r, '/proc/net/ip_mr_cache').split('\n').filter((l) => l.includes(' -1 '))).toHaveLength(3);
    while (d.recv());
    expect(d.rmemAlloc).toBe(0);
  });
});

describe('namespace exit', () => {
  it('frees every table (ipmr_free_table), static VIFs and entries included', () => {
    const lab = mrLab();
    const st = socket(lab.r, 2, 3, IPPROTO_IGMP);
    setsockopt(st, IPPROTO_IP, MRT_ADD_VIF, vif(0, 0, '10.0.0.1'));
    setsockopt(st, IPPROTO_IP, MRT_ADD_MFC, { origin: ip4('10.0.0.2'), mcastgrp: ip4('239.1.1.1'), parent: 0, ttls: [] });
    setsockopt(st, IPPROTO_IP, MRT_TABLE, 7);
    st.close();
    const r0 = lab.r.devByName('r0')!;
    expect([r0.allmulti, r0.inDev.conf.values.mc_forwarding]).toEqual([1, 1]);
    ipmrNetExit(lab.r);
    expect([r0.allmulti, r0.inDev.conf.values.mc_forwarding]).toEqual([0, 0]);
    expect(lab.sink.byFn('ipmr_free_table').map((e) => e.data['table'])).toEqual([253, 7]);
  });
});

describe('PIM Register decapsulation (pim_rcv)', () => {
  it('receives the inner datagram on pimreg: NOCACHE for the register VIF, then forwarding by the MFC', () => {
    const lab = mrLab();
    const d = lab.daemon(2);
    setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, vif(2, 4));
    // Inner UDP 192.0.2.7 → 239.7.7.7, TTL 9 (checksums as in test/oracle/ipmr-pim.test.ts).
    const innerHex = '45000020123400000911e783c0000207ef07070713881388000c000001020304';
    const reg = (nullBit: boolean): Uint8Array => {
      const b = Uint8Array.from(Buffer.from(`2100${nullBit ? '9eff40' : 'deff00'}000000${innerHex}`, 'hex'));
      return b;
    };
    const s = lab.node('s');
    const pim = socket(s, 2, 3, 103) as RawSocket;
    pim.sendto(reg(false), ip4('10.0.0.1'));
    lab.run();
    expect(d.queue.map((m) => [m.upcall?.msg.msgtype, m.upcall?.vifIndex])).toEqual([[IGMPMSG_NOCACHE, 2]]);
    expect(lab.r.devByName('pimreg')!.stats.rx_packets).toBe(1);
    lab.mfc(d, '192.0.2.7', '239.7.7.7', 2, { 1: 1 });
    pim.sendto(reg(true), ip4('10.0.0.1'));
    lab.run();
    // The queued datagram went out of vif 1 on MRT_ADD_MFC; the Null-Register was dropped.
    expect(lab.sink.byFn('ipmr_queue_xmit').filter((e) => e.kind === 'tx').map((e) => e.data['vif'])).toEqual([1]);
    expect(lab.sink.byFn('pim_rcv').filter((e) => e.kind === 'drop').map((e) => e.data['reason'])).toEqual(['Null-Register']);
  });
});

describe('pim_rcv in every namespace', () => {
  it('drops a Register silently on a router without a register VIF (no ICMP protocol unreachable)', () => {
    const lab = mrLab();
    const pim = socket(lab.node('s'), 2, 3, 103) as RawSocket;
    pim.sendto(Uint8Array.from(Buffer.from('2100deff0000000045000020123400000911e783c0000207ef07070713881388000c000001020304', 'hex')), ip4('10.0.0.1'));
    lab.run();
    expect(lab.sink.byFn('pim_rcv').filter((e) => e.kind === 'drop').map((e) => e.data['reason'])).toEqual(['no register VIF']);
    expect(lab.sink.events.some((e) => e.node === 'r' && e.fn === 'icmp_send')).toBe(false);
  });
});
