// reg_vif_xmit against the kernel: what the router's own stack sends out of pimreg (a route to a group
// or a unicast route via pimreg) reaches the daemon whole as IGMPMSG_WHOLEPKT on the register VIF, and
// counts on the device but not on the VIF. And when netif_rx() runs the receive path at once: a looped
// copy or a datagram through lo is received before the syscall that sent it returns (read with no sleep).

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { intHex, mfcctlHex, vifctlHex, type Op } from './ipmr-ops.js';
import { initVifs, procs, run, set } from './ipmr-lab.js';
import { MRT_ADD_MFC, MRT_ADD_VIF, MRT_PIM } from '../../engine/socket/constants.js';

const gate = oracleGate();
if (!gate.ok) console.log(`ipmr reg_vif_xmit kernel-oracle tests skipped: ${gate.reason}`);

/** A daemon on r with VIFs r0, r1 and the register VIF 2, and a UDP sender on r. */
function setup(r: string): Op[] {
  return [
    { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
    { op: 'socket', ns: r, name: 'tx', type: 'udp', proto: 0 },
    ...initVifs('d', '10.0.0.1', '10.1.0.1'),
    set('d', MRT_PIM, intHex(1)),
    set('d', MRT_ADD_VIF, vifctlHex(2, 4, '0.0.0.0')),
  ];
}

/** What the daemon got, the tables, pimreg's device counters and the register VIF's. */
function after(r: string): Op[] {
  return [
    { op: 'sleep', s: 0.05 },
    { op: 'recv', sock: 'd' },
    ...procs(r),
    { op: 'ip', ns: r, args: '-s -o link show pimreg' },
    { op: 'vifcnt', sock: 'd', vifi: 2 },
    { op: 'vifcnt', sock: 'd', vifi: 1 },
  ];
}

const send = (dst: string, loop: 0 | 1, ttl = 8): Op => ({ op: 'udp', sock: 'tx', dst, port: 5000, ttl, ifindex: 0, loop, size: 12 });

describe.skipIf(!gate.ok)('sending out of the register VIF (reg_vif_xmit)', () => {
  afterAll(destroyAllLabs);

  it('turns the router’s own datagrams routed via pimreg into WHOLEPKT upcalls', () => {
    run('ipmr reg_vif_xmit', ({ n }) => {
      const r = n('r');
      const ip = (args: string): Op => ({ op: 'ip', ns: r, args });
      return [
        ...setup(r),
        ip('route add 239.5.5.0/24 dev pimreg'),
        ip('route get 239.5.5.5'),
        send('239.5.5.5', 0),
        ...after(r),
        send('239.5.5.6', 0),
        ...after(r),
      ];
    });
  });

  // ip_mc_output loops the copy first (ip_mc_finish_output → dev_loopback_xmit → netif_rx), and from
  // sendmsg (process context) netif_rx runs the backlog before returning: the copy's ip_mr_input makes its
  // NOCACHE on the register VIF before the original reaches reg_vif_xmit and makes the WHOLEPKT.
  it('with IP_MULTICAST_LOOP, the looped copy’s NOCACHE comes before the original’s WHOLEPKT', () => {
    run('ipmr reg_vif_xmit loop', ({ n }) => {
      const r = n('r');
      const ip = (args: string): Op => ({ op: 'ip', ns: r, args });
      return [
        ...setup(r),
        ip('route add 239.5.5.0/24 dev pimreg'),
        send('239.5.5.7', 1),
        ...after(r),
        // Again: the copy joins the unresolved entry's queue (no second NOCACHE), the original still goes whole.
        send('239.5.5.7', 1),
        ...after(r),
        // TTL 0 is only looped back: a NOCACHE, no WHOLEPKT, nothing counted on pimreg.
        send('239.5.5.9', 1, 0),
        ...after(r),
        // With an (S,G) entry from the register VIF to r1, the looped copy is forwarded (VIF counters, the
        // entry's) and the original still goes whole to the daemon.
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.1', '239.5.5.8', 2, { 1: 1 })),
        send('239.5.5.8', 1),
        ...after(r),
        { op: 'sgcnt', sock: 'd', src: '10.0.0.1', grp: '239.5.5.8' },
      ];
    });
  });

  // The same in a syscall that forwards: MRT_ADD_MFC resolves the queued packet (ipmr_cache_resolve, BH
  // enabled); the forwarded copy looped back for the router's member on r1 is received before setsockopt
  // returns — read with no sleep in between.
  it('receives the looped copy of a packet MRT_ADD_MFC resolves before the call returns', () => {
    run('ipmr resolve loop', ({ n, ifindex }) => {
      const [r, s] = [n('r'), n('s')];
      // UDP 5000 → 5000, 4 bytes, no checksum: sent from a raw socket so the ports are fixed.
      const udp = '13881388000c000000000000';
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'm', type: 'raw', proto: 17 },
        { op: 'socket', ns: s, name: 'tx', type: 'raw', proto: 17 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1'),
        { op: 'join', sock: 'm', group: '239.6.6.6', ifindex: ifindex('r', 'r1') },
        { op: 'rawsend', sock: 'tx', dst: '239.6.6.6', hex: udp, ttl: 8, ifindex: ifindex('s', 's0') },
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        { op: 'recv', sock: 'm' },
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.6.6.6', 0, { 1: 1 })),
        { op: 'recv', sock: 'm' },
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'm' },
        ...procs(r),
        { op: 'sgcnt', sock: 'd', src: '10.0.0.2', grp: '239.6.6.6' },
      ];
    });
  });

  // A unicast route via pimreg: arp_constructor gives the NOARP device a NUD_NOARP neighbour, the frame
  // leaves at once and reg_vif_xmit reports it whole like any other, counted on the device only.
  it('sends a unicast datagram routed via pimreg to the daemon as WHOLEPKT too', () => {
    run('ipmr reg_vif_xmit unicast', ({ n }) => {
      const r = n('r');
      const ip = (args: string): Op => ({ op: 'ip', ns: r, args });
      return [
        ...setup(r),
        ip('route add 10.9.9.0/24 dev pimreg'),
        ip('route get 10.9.9.9'),
        send('10.9.9.9', 1),
        ...after(r),
        ip('route add 10.8.8.0/24 via 10.9.9.1 dev pimreg onlink'),
        ip('route get 10.8.8.8'),
        send('10.8.8.8', 0),
        ...after(r),
      ];
    });
  });
});

describe.skipIf(!gate.ok)('netif_rx from process context (the router’s own sendmsg)', () => {
  afterAll(destroyAllLabs);

  it('makes the looped copy’s NOCACHE out of a veth VIF, and delivers through lo, before sendto returns', () => {
    run('netif_rx process context', ({ n, ifindex }) => {
      const r = n('r');
      const udp = '13881388000c000000000000';
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'm', type: 'raw', proto: 17 },
        { op: 'socket', ns: r, name: 'tx', type: 'raw', proto: 17 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1'),
        { op: 'rawsend', sock: 'tx', dst: '239.7.7.7', hex: udp, ttl: 8, ifindex: ifindex('r', 'r1') },
        { op: 'recv', sock: 'd' },
        { op: 'rawsend', sock: 'tx', dst: '10.1.0.1', hex: udp, ttl: 8, ifindex: 0 },
        { op: 'recv', sock: 'm' },
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        { op: 'recv', sock: 'm' },
        ...procs(r),
      ];
    });
  });
});
