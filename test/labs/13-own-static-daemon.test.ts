// Lab 13 grades the student's daemon by what the kernel does with it: another correct daemon (every route
// made on upcalls, other VIF numbers, upcalls for unknown groups ignored) passes; a daemon that floods
// 239.2.2.2 to both LANs loses exactly the checks about LAN A.

import { describe, expect, it } from 'vitest';
import { LabRun } from '../../main/host/lab/lab-run.js';
import { loadLab } from './answers.js';

const lab = loadLab('labs/13-own-static-daemon.yaml');

async function failedWith(source: string, seed = 1): Promise<string[]> {
  const run = new LabRun(lab, { seed, daemons: new Map([['r1', { file: 'my-mrouted.ts', source }]]) });
  const report = await run.runAll();
  expect(report.daemonExits.filter((e) => e.crashed)).toEqual([]);
  return report.steps.flatMap((s) => s.checks).filter((c) => !c.passed).map((c) => c.name);
}

/** VIFs in reverse order, nothing installed at start, every route made when the kernel asks. */
const templateDaemon = (g2Oifs: string): string => `
const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
setsockopt(mr, IPPROTO_IP, MRT_INIT, 1);
const vif: Record<string, number> = {};
['eth2', 'eth1', 'eth0'].forEach((name, i) => {
  const itf = interfaces().find((x) => x.name === name)!;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: i, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
  vif[name] = i;
});
const routes: Record<string, string[]> = { '239.1.1.1': ['eth1', 'eth2'], '239.2.2.2': ${g2Oifs} };
mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg' || m.msgtype !== IGMPMSG_NOCACHE || m.vif !== vif['eth0']) return;
  const oifs = routes[m.dst];
  if (!oifs) return; // the unresolved entry expires after 10 s
  const ttls = [0, 0, 0];
  for (const o of oifs) ttls[vif[o]!] = 1;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: vif['eth0']!, mfcc_ttls: ttls });
});
`;

describe('13-own-static-daemon grades behaviour', () => {
  it('passes another correct daemon (upcall-driven, reversed VIF numbers), on two seeds', async () => {
    const d = templateDaemon("['eth2']");
    expect(await failedWith(d)).toEqual([]);
    expect(await failedWith(d, 2)).toEqual([]);
  });

  it('a daemon that sends 239.2.2.2 to both LANs fails the checks about LAN A', async () => {
    expect(await failedWith(templateDaemon("['eth1', 'eth2']"))).toEqual(['g2-s1-entry', 'g2-s2-entry', 'g2-rx1-none']);
  });

  it('the starter (no MRT_INIT) fails every check that needs a multicast router', async () => {
    expect(await failedWith('log("nothing")')).toEqual(['mc-forwarding', 'vifs', 'g1-entry', 'g1-rx1', 'g1-rx2', 'g2-upcalls', 'g2-s1-entry', 'g2-s2-entry', 'g2-rx2-all']);
  });
});
