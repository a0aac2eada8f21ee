// reg_vif_xmit(): the router's own packets routed out of pimreg reach the daemon as IGMPMSG_WHOLEPKT on
// the register VIF (device counters move, the VIF's do not); and a multicast copy looped back by
// ip_mc_output keeps its output route, so ip_mc_validate_source never rejects our own source address.

import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { writeProcFile } from '../../../engine/iproute2/procfs.js';
import { VIFF_REGISTER } from '../../../engine/ipv4/ipmr-types.js';
import { IPPROTO_IP, MRT_ADD_VIF } from '../../../engine/socket/constants.js';
import { ioctl, setsockopt, SIOCGETVIFCNT, type SiocVifReq } from '../../../engine/socket/socket.js';
import { IGMPMSG_NOCACHE, IGMPMSG_WHOLEPKT } from '../../../engine/wire/igmpmsg.js';
import { ip4 } from '../helpers/topo.js';
import { mrLab } from './lab.js';

function withRegVif() {
  const lab = mrLab();
  const d = lab.daemon(2);
  setsockopt(d, IPPROTO_IP, MRT_ADD_VIF, { vifi: 2, flags: VIFF_REGISTER, threshold: 1, rateLimit: 0, lclAddr: 0, rmtAddr: 0 });
  expect(ipCommand(lab.r, ['route', 'add', '239.5.5.0/24', 'dev', 'pimreg']).rc).toBe(0);
  const tx = lab.r.ipv4.udp.create(lab.r);
  tx.mcTtl = 8;
  return { lab, d, tx, pimreg: lab.r.devByName('pimreg')! };
}

describe('reg_vif_xmit', () => {
  it('gives a datagram the stack sends out of pimreg to the daemon whole, on the register VIF', () => {
    const { lab, d, tx, pimreg } = withRegVif();
    tx.mcLoop = false;
    tx.sendto(new Uint8Array(12), ip4('239.5.5.5'), 5000);
    lab.run();
    const ups = d.queue.filter((m) => m.upcall).map((m) => ({ type: m.upcall!.msg.msgtype, vif: m.upcall!.msg.vif, len: m.bytes.length }));
    // igmpmsg header (20 bytes) + the whole 40-byte datagram.
    expect(ups).toEqual([{ type: IGMPMSG_WHOLEPKT, vif: 2, len: 60 }]);
    expect({ packets: pimreg.stats.tx_packets, bytes: pimreg.stats.tx_bytes }).toEqual({ packets: 1, bytes: 40 });
    const req: SiocVifReq = { vifi: 2, icount: 0, ocount: 0, ibytes: 0, obytes: 0 };
    ioctl(d, SIOCGETVIFCNT, req);
    expect(req.ocount).toBe(0);
    expect(lab.sink.events.some((e) => e.node === 'r' && e.fn === 'reg_vif_xmit')).toBe(true);
  });

  it('with IP_MULTICAST_LOOP, the looped copy reaches ip_mr_input (NOCACHE) even with rp_filter on', () => {
    const { lab, d, tx } = withRegVif();
    writeProcFile(lab.r, '/proc/sys/net/ipv4/conf/all/rp_filter', '1');
    tx.sendto(new Uint8Array(12), ip4('239.5.5.6'), 5000);
    lab.run();
    // The copy is received inside sendmsg (netif_rx runs the softirq at once), before the original
    // reaches reg_vif_xmit: NOCACHE first, as the kernel queues them.
    const types = d.queue.filter((m) => m.upcall).map((m) => m.upcall!.msg.msgtype);
    expect(types).toEqual([IGMPMSG_NOCACHE, IGMPMSG_WHOLEPKT]);
  });
});
