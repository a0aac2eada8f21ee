// The daemon pane's host side: scripts start and stop on a node of the running lab, their output and crash
// positions come back, and the forwarding counters move when the daemon's route carries traffic.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';

const TEMPLATE = readFileSync(join(import.meta.dirname, '..', '..', '..', 'labs', 'daemons', 'static-mroute.ts'), 'utf8');

async function r1Counters(app: AppService): Promise<{ mcForwarded: number; mfcPackets: number }> {
  const c = (await app.getCounters()).find((x) => x.node === 'r1');
  if (!c) throw new Error('no counters for r1');
  return c;
}

describe('daemon control (AppService)', () => {
  it('runs the static daemon on r1: its log comes back and multicast forwarding counters move', async () => {
    const app = new AppService(DEFAULT_LAB);
    expect(await r1Counters(app)).toMatchObject({ mcForwarded: 0, mfcPackets: 0 });
    const v = await app.startDaemon({ node: 'r1', file: 'static-mroute.ts', source: TEMPLATE });
    expect(v.state).toBe('running');
    expect(v.log.map((l) => l.text)).toContain('phyint eth1 is VIF 1');
    const ping = await app.runCommand({ node: 'src', line: 'ping -c 3 -t 8 239.1.1.1' });
    expect(ping.stdout).toContain('PING 239.1.1.1');
    const after = await r1Counters(app);
    // (*,G) template: the first echo goes up as NOCACHE, the daemon installs (S,G), the queued packet and the
    // two later ones leave on VIF 1.
    expect(after.mcForwarded).toBe(3);
    expect(after.mfcPackets).toBe(3);
    const [listed] = await app.listDaemons();
    expect(listed!.log.some((l) => l.text.startsWith('installed (10.1.0.10, 239.1.1.1)'))).toBe(true);
  });

  it('reports a crash with the line and column of the student script, and the daemon is gone', async () => {
    const app = new AppService(DEFAULT_LAB);
    const source = "const s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);\nlog('up');\ns.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: 0, vifc_lcl_addr: '10.9.9.9' });\n";
    const v = await app.startDaemon({ node: 'r1', file: 'bad.ts', source });
    expect(v.state).toBe('exited');
    expect(v.exit?.line).toBe(3);
    expect(v.exit?.column).toBeGreaterThan(0);
    // No interface has 10.9.9.9 (root may add static VIFs without MRT_INIT): the uncaught OSError ends the process.
    expect(v.exit?.message).toMatch(/^bad\.ts:3:\d+: uncaught OSError: setsockopt\(MRT_ADD_VIF\): .*EADDRNOTAVAIL/);
    expect(v.log.map((l) => l.stream)).toEqual(['log', 'exit']);
  });

  it('stop kills the daemon and its mroute socket closes: mc_forwarding goes back to 0', async () => {
    const app = new AppService(DEFAULT_LAB);
    await app.startDaemon({ node: 'r1', file: 'static-mroute.ts', source: TEMPLATE });
    const on = await app.runCommand({ node: 'r1', line: 'sysctl net.ipv4.conf.all.mc_forwarding' });
    expect(on.stdout.trim()).toBe('net.ipv4.conf.all.mc_forwarding = 1');
    const v = await app.stopDaemon({ node: 'r1' });
    expect(v.state).toBe('exited');
    const off = await app.runCommand({ node: 'r1', line: 'sysctl net.ipv4.conf.all.mc_forwarding' });
    expect(off.stdout.trim()).toBe('net.ipv4.conf.all.mc_forwarding = 0');
  });

  it("saved scripts become the node's daemon: listed, kept across a reset, which starts them like the lab's own", async () => {
    const app = new AppService(DEFAULT_LAB);
    await app.saveDaemon({ node: 'r1', file: 'mine.ts', source: 'log(1);' });
    expect(await app.listDaemons()).toMatchObject([{ node: 'r1', file: 'mine.ts', source: 'log(1);', state: 'stopped', log: [] }]);
    await app.reset();
    expect(await app.listDaemons()).toMatchObject([{ node: 'r1', file: 'mine.ts', source: 'log(1);', state: 'running', log: [{ stream: 'log', text: '1' }] }]);
    await expect(app.stopDaemon({ node: 'src' })).rejects.toThrow(/no daemon/);
  });

  it('validates every argument before the lab sees it', () => {
    const bad: [string, unknown][] = [
      ['startDaemon', { node: 'r1', file: '../etc/passwd', source: '' }],
      ['startDaemon', { node: 'r1', file: 'a.js', source: '' }],
      ['startDaemon', { node: 'r1', file: 'a.ts', source: 'x'.repeat(256 * 1024 + 1) }],
      ['startDaemon', { node: 'r1', file: 'a.ts', source: 'a\0b' }],
      ['startDaemon', { node: 'r1', file: 'a.ts' }],
      ['saveDaemon', { node: 'r1', file: 'a.ts', source: 1 }],
      ['stopDaemon', { node: 'r1', extra: 1 }],
      ['listDaemons', { x: 1 }],
      ['getCounters', 5],
    ];
    for (const [m, a] of bad) expect(() => parseRequest(m, a), `${m} ${JSON.stringify(a).slice(0, 60)}`).toThrow(ApiError);
    expect(parseRequest('startDaemon', { node: 'r1', file: 'smcroute.ts', source: 'log(1)\n' }).arg).toEqual({ node: 'r1', file: 'smcroute.ts', source: 'log(1)\n' });
  });
});

describe('daemon control with a lab that declares daemons', () => {
  it("starts the lab's daemon with its args and files (00-tour: smcroute reading /etc/smcroute.conf)", async () => {
    const { openLabFile } = await import('../../../main/host/lab/open-lab.js');
    const { DaemonControl } = await import('../../../main/host/daemon-control.js');
    const { LabSession } = await import('../../../main/host/lab/session.js');
    const loaded = openLabFile(join(import.meta.dirname, '..', '..', '..', 'labs', '00-tour.yaml'));
    if (!loaded.ok) throw new Error('labs/00-tour.yaml did not load');
    const spec = loaded.spec;
    const declared = spec.nodes.filter((n) => n.daemon);
    expect(declared.length).toBeGreaterThan(0);
    const control = new DaemonControl(new LabSession(spec));
    // Declared but not running until asked.
    expect(control.list().map((d) => [d.node, d.file, d.state])).toEqual(declared.map((n) => [n.name, n.daemon!.script.file, 'stopped']));
    await control.startDeclared();
    const views = control.list();
    expect(views.every((v) => v.state === 'running')).toBe(true);
    // smcroute read its config file through readFile: a missing file would have ended it with ENOENT.
    expect(views.flatMap((v) => v.log).some((l) => l.stream === 'exit')).toBe(false);
  });
});
