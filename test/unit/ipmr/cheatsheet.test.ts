// Done-when of issue 4: every function the chapter's cheat sheet names appears in a trace. The names
// come from parsing the cheat sheet (cheatsheet.ts); the traces from running engine scenarios: a
// daemon's whole life on a router (VIFs, MFC, upcalls, expiry, /proc, device removal, MRT_DONE), a
// host joining a group and answering a querier, a multipath route lookup, and the namespace's exit.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startQuerier } from '../../../engine/apps/querier.js';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { readProcFile } from '../../../engine/iproute2/procfs.js';
import { tokenize } from '../../../engine/iproute2/tokenize.js';
import { ipmrNetExit } from '../../../engine/ipv4/ipmr-table.js';
import { unregisterNetdevice } from '../../../engine/net/dev.js';
import { IPPROTO_IP, MRT_ADD_VIF, MRT_ASSERT, MRT_DEL_MFC, MRT_DEL_VIF, MRT_DONE, MRT_TABLE } from '../../../engine/socket/constants.js';
import { getsockopt, setsockopt, socket } from '../../../engine/socket/socket.js';
import { ip4 } from '../helpers/topo.js';
import { ALIASES, CHEATSHEET_URL, cheatSheetFunctions, readCheatSheet } from './cheatsheet.js';
import { mrLab } from './lab.js';

/** The functions traced while running the scenarios. */
function tracedFunctions(): Set<string> {
  const lab = mrLab();
  const d = lab.daemon();
  getsockopt(d, IPPROTO_IP, MRT_ASSERT);
  d.onMessage = (m) => {
    if (m.upcall && m.upcall.msg.dst === ip4('239.1.1.1')) lab.net.sim.schedule(1_000_000, () => lab.mfc(d, '10.0.0.2', '239.1.1.1', 0, { 1: 1 }));
  };
  // A host joins a group and answers the router's querier (ip_mc_join_group on h1, igmp_rcv there).
  const h1 = lab.node('h1');
  const member = h1.ipv4.udp.create(h1);
  member.join({ multiaddr: ip4('239.1.1.1'), ifindex: h1.devByName('eth0')!.ifindex });
  const q = startQuerier(lab.r, { dev: 'r1' });
  lab.sender('s', 8).sendto(new Uint8Array(1), ip4('239.1.1.1'), 5000);
  lab.sender('s', 8).sendto(new Uint8Array(1), ip4('239.9.9.9'), 5000);
  lab.run(10_500);
  q.stop();
  readProcFile(lab.r, '/proc/net/ip_mr_vif');
  readProcFile(lab.r, '/proc/net/ip_mr_cache');
  // A weighted multipath route, looked up once.
  for (const cmd of ['route add 198.51.100.0/24 nexthop via 10.1.0.2 weight 2 nexthop via 10.2.0.2 weight 1', 'route get 198.51.100.7']) {
    expect(ipCommand(lab.r, tokenize(cmd)).rc).toBe(0);
  }
  setsockopt(d, IPPROTO_IP, MRT_DEL_MFC, { origin: ip4('10.0.0.2'), mcastgrp: ip4('239.1.1.1'), parent: 0, ttls: [] });
  setsockopt(d, IPPROTO_IP, MRT_DEL_VIF, { vifi: 1 });
  unregisterNetdevice(lab.r.devByName('r2')!);
  const other = socket(lab.r, 2, 3, 2);
  setsockopt(other, IPPROTO_IP, MRT_TABLE, 7);
  setsockopt(other, IPPROTO_IP, MRT_ADD_VIF, { vifi: 0, flags: 0, threshold: 1, rateLimit: 0, lclAddr: ip4('10.0.0.1'), rmtAddr: 0 });
  setsockopt(d, IPPROTO_IP, MRT_DONE, 0);
  d.close();
  other.close();
  // `ip netns del r`: its sockets are closed, the namespace's ipmr state goes with it.
  ipmrNetExit(lab.r);
  return new Set(lab.sink.events.map((e) => e.fn));
}

describe('the cheat sheet against the traces', () => {
  const text = readCheatSheet();

  it('parses the kernel functions from the chapter text', () => {
    const names = cheatSheetFunctions(text);
    // Signatures and prose references both count; macros and C words do not.
    for (const n of ['ip_mroute_setsockopt', 'ipmr_free_table', 'ipv4_is_multicast', 'ipmr_vif_seq_show', 'sock_queue_rcv_skb', 'fib_select_multipath']) expect(names).toContain(n);
    for (const n of ['MFC_HASH', 'VIF_EXISTS', 'void', 'int']) expect(names).not.toContain(n);
    expect(names.length).toBeGreaterThanOrEqual(25);
    if (process.env['RLW_PRINT_CHEATSHEET']) console.log(names.join(' '));
  });

  it('is the chapter text the project was given', () => {
    // The fixture is a verbatim copy; where the shared original is present, it must not have drifted.
    // fixtures/ → ipmr/ → unit/ → test/ → the checkout → its parent, which holds shared/.
    const shared = new URL('../../../../../shared/seed/advanced-routing-cheatsheet.txt', CHEATSHEET_URL);
    if (existsSync(shared)) expect(readFileSync(shared, 'utf8')).toBe(text);
    expect(text).toContain('6.9 Final Cheat Sheet');
  });

  it('finds every named function in a trace of the engine scenarios', () => {
    const fns = tracedFunctions();
    const missing = cheatSheetFunctions(text)
      .map((n) => ALIASES[n]?.traced ?? n)
      .filter((n) => !fns.has(n));
    expect(missing).toEqual([]);
    // The aliases point at functions that exist in the text's sense and are traced too.
    for (const a of Object.values(ALIASES)) expect(fns.has(a.traced)).toBe(true);
  });
});
