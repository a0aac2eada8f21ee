// The ipmr functions issue 4 §11 lists show up in the trace under their kernel names, with the causal
// chain from the packet to the upcall and from the MFC add to the forwarded copies. (The cheat sheet's
// own list is parsed from the chapter in cheatsheet.test.ts.)

import { describe, expect, it } from 'vitest';
import { readProcFile } from '../../../engine/iproute2/procfs.js';
import { unregisterNetdevice } from '../../../engine/net/dev.js';
import { IPPROTO_IP, MRT_ASSERT, MRT_DEL_MFC, MRT_DEL_VIF, MRT_DONE, MRT_TABLE } from '../../../engine/socket/constants.js';
import { getsockopt, setsockopt, socket } from '../../../engine/socket/socket.js';
import { ip4 } from '../helpers/topo.js';
import { mrLab } from './lab.js';

const ISSUE_TRACES = [
  'ip_mroute_setsockopt', 'ip_mroute_getsockopt', 'ipmr_new_table', 'ipmr_cache_find', 'ip_mr_input', 'ipmr_cache_alloc',
  'ipmr_cache_alloc_unres', 'ipmr_mfc_add', 'ipmr_mfc_delete', 'vif_add', 'vif_delete', 'ipmr_cache_report', 'ipmr_device_event',
  'mrtsock_destruct', 'ipmr_expire_process', 'ipmr_vif_seq_show', 'ipmr_mfc_seq_show', 'ipmr_cache_unresolved', 'sock_queue_rcv_skb',
  'mroute_clean_tables', 'ip_mr_forward', 'ipmr_queue_xmit', 'ipmr_cache_resolve',
];

describe('ipmr traces', () => {
  it('names every ipmr function of the issue and links packet → upcall → MFC add → forwarded copy', () => {
    const lab = mrLab();
    const d = lab.daemon();
    getsockopt(d, IPPROTO_IP, MRT_ASSERT);
    d.onMessage = (m) => {
      // The daemon runs after the kernel path that woke it.
      if (m.upcall && m.upcall.msg.dst === ip4('239.1.1.1')) lab.net.sim.schedule(1_000_000, () => lab.mfc(d, '10.0.0.2', '239.1.1.1', 0, { 1: 1 }));
    };
    lab.sender('s', 8).sendto(new Uint8Array(1), ip4('239.1.1.1'), 5000);
    lab.sender('s', 8).sendto(new Uint8Array(1), ip4('239.9.9.9'), 5000);
    lab.run(10_500);
    readProcFile(lab.r, '/proc/net/ip_mr_vif');
    readProcFile(lab.r, '/proc/net/ip_mr_cache');
    setsockopt(d, IPPROTO_IP, MRT_DEL_MFC, { origin: ip4('10.0.0.2'), mcastgrp: ip4('239.1.1.1'), parent: 0, ttls: [] });
    setsockopt(d, IPPROTO_IP, MRT_DEL_VIF, { vifi: 1 });
    unregisterNetdevice(lab.r.devByName('r2')!);
    const other = socket(lab.r, 2, 3, 2);
    setsockopt(other, IPPROTO_IP, MRT_TABLE, 7);
    setsockopt(d, IPPROTO_IP, MRT_DONE, 0);
    const fns = new Set(lab.sink.events.map((e) => e.fn));
    expect(ISSUE_TRACES.filter((f) => !fns.has(f))).toEqual([]);
    // The forwarded copy descends from the packet's arrival through the upcall and the daemon's MFC add.
    const xmit = lab.sink.events.find((e) => e.fn === 'ipmr_queue_xmit' && e.kind === 'tx')!;
    const chain = lab.sink.ancestors(xmit.seq).map((e) => e.fn);
    for (const f of ['ip_rcv', 'ip_mr_input', 'ipmr_cache_unresolved', 'ipmr_cache_report', 'sock_queue_rcv_skb', 'ipmr_mfc_add', 'ipmr_cache_resolve', 'ip_mr_forward']) expect(chain).toContain(f);
    const skip = lab.sink.events.find((e) => e.fn === 'ipmr_expire_process' && e.kind === 'timer_fire');
    expect(skip).toBeDefined();
  });

  it('explains a TTL threshold refusal in the trace', () => {
    const lab = mrLab();
    const d = lab.daemon();
    lab.mfc(d, '10.0.0.2', '239.1.1.1', 0, { 1: 1, 2: 5 });
    lab.sender('s', 5).sendto(new Uint8Array(1), ip4('239.1.1.1'), 5000);
    lab.run();
    const reasons = lab.sink.byFn('ip_mr_forward').map((e) => e.data['reason']);
    expect(reasons).toContain('not forwarded on vif 2: ttl 5 ≤ threshold 5');
    expect(lab.sink.byFn('ipmr_queue_xmit').map((e) => e.data['vif'])).toEqual([1]);
  });
});
