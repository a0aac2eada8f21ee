// labs/daemons/smcroute.ts in the engine (the differential test against smcrouted is test/oracle/smcroute.test.ts):
// config errors name file:line and cost only their line, -f picks the file, a missing file is survivable,
// a second instance meets the kernel's EADDRINUSE, and learned routes expire when unused (-c).

import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../../engine/iproute2/shell.js';
import type { Netns } from '../../engine/net/netns.js';
import { DaemonLab } from './lab.js';

const runIp = (ns: Netns, line: string): string => runCommandLine(ns, `ip ${line}`).stdout;

/** src ── r ── h1, h2 */
function star(): DaemonLab {
  const lab = new DaemonLab(3);
  for (const n of ['src', 'h1', 'h2']) lab.node(n, 'host');
  lab.node('r', 'router');
  lab.link('src', 'eth0', '10.0.0.10/24', 'r', 'eth0', '10.0.0.1/24').link('r', 'eth1', '10.1.0.1/24', 'h1', 'eth0', '10.1.0.10/24').link('r', 'eth2', '10.2.0.1/24', 'h2', 'eth0', '10.2.0.10/24');
  lab.run(10);
  return lab;
}
const cache = (lab: DaemonLab): string[] => lab.cat('r', '/proc/net/ip_mr_cache').split('\n').slice(1).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/).filter((_, i) => i !== 3 && i !== 4).join(' '));

describe('smcroute.ts', () => {
  it('reports each bad line as file:line and applies the rest', async () => {
    const lab = star();
    const conf = ['phyint eth0 enable', 'phyint eth9 enable', 'phyint eth1 enable ttl-threshold 4', 'frobnicate', 'mroute from eth0 group 10.1.1.1 to eth1', 'mroute from eth7 group 239.1.1.1 to eth1', 'mroute from eth0 source 10.0.0.10 group 239.1.1.1 to eth1 eth2', 'mroute from eth0 source 10.0.0.300 group 239.1.1.2 to eth1'].join('\n');
    await lab.start('r', 'smcroute.ts', { '/etc/lab.conf': conf }, ['-N', '-f', '/etc/lab.conf']);
    expect(lab.logs('r').filter((l) => l.startsWith('/etc/lab.conf:'))).toEqual([
      '/etc/lab.conf:2: phyint eth9 does not exist (yet?) on this system',
      '/etc/lab.conf:4: Unknown command frobnicate, skipping',
      '/etc/lab.conf:5: mroute: Invalid multicast group: 10.1.1.1',
      '/etc/lab.conf:6: mroute from eth7 matches no valid phyint, skipping',
      '/etc/lab.conf:7: mroute: outbound eth2 is not a known phyint, skipping',
      '/etc/lab.conf:8: invalid source address: 10.0.0.300',
    ]);
    // Line 7 went in with eth1 only, at eth1's ttl-threshold 4 (VIF 1: eth0 got 0, eth1 1).
    expect(cache(lab)).toEqual(['010101EF 0A00000A 0 0 1:4']);
    expect(lab.exits()).toEqual([]);
  });

  it('include reads another lab file in place; its errors name that file and line', async () => {
    const lab = star();
    const files = {
      '/etc/smcroute.conf': ['phyint eth0 enable', 'include /etc/smcroute.d/routes.conf', 'include /etc/smcroute.d/*.conf', 'include smcroute.d/routes.conf', 'include /etc/smcroute.d/missing.conf', 'phyint eth2 enable'].join('\n'),
      // Included before eth2 is enabled: its route to eth2 is skipped, as it would be written in place.
      '/etc/smcroute.d/routes.conf': ['phyint eth1 enable', 'mroute from eth0 source 10.0.0.10 group 239.1.1.1 to eth1 eth2', 'frobnicate', 'include /etc/smcroute.d/loop.conf'].join('\n'),
      '/etc/smcroute.d/loop.conf': '# includes the file that included it\ninclude /etc/smcroute.d/routes.conf\n',
    };
    await lab.start('r', 'smcroute.ts', files, ['-N']);
    expect(lab.logs('r').filter((l) => l.startsWith('/etc/'))).toEqual([
      '/etc/smcroute.d/routes.conf:2: mroute: outbound eth2 is not a known phyint, skipping',
      '/etc/smcroute.d/routes.conf:3: Unknown command frobnicate, skipping',
      '/etc/smcroute.d/loop.conf:2: include /etc/smcroute.d/routes.conf: already being read (an include loop), skipping',
      '/etc/smcroute.conf:3: include /etc/smcroute.d/*.conf: wildcards are not supported here (no directory listing); include each file by name',
      '/etc/smcroute.conf:4: include smcroute.d/routes.conf: give an absolute path',
      '/etc/smcroute.conf:5: include /etc/smcroute.d/missing.conf: open(/etc/smcroute.d/missing.conf): No such file or directory (ENOENT); skipping',
    ]);
    // VIFs in the order the lines ran: eth0 (main), eth1 (included), eth2 (main, after the include).
    expect(lab.cat('r', '/proc/net/ip_mr_vif').split('\n').slice(1, -1).map((l) => l.trim().split(/\s+/)[1])).toEqual(['eth0', 'eth1', 'eth2']);
    expect(cache(lab)).toEqual(['010101EF 0A00000A 0 0 1:1']);
    expect(lab.exits()).toEqual([]);
  });

  it('mgroup joins (any-source and source-specific) on the named interface, as the kernel shows them', async () => {
    const lab = star();
    await lab.start('r', 'smcroute.ts', { '/etc/smcroute.conf': 'phyint eth0 enable\nmgroup from eth0 group 239.5.5.0/31\nmgroup from eth0 source 10.0.0.10 group 232.1.1.1\n' }, ['-N']);
    const maddr = lab.net.node('r');
    // Newest first, as the kernel lists them: the /31 gave two groups.
    expect(runIp(maddr, 'maddr show dev eth0')).toContain('\tinet  232.1.1.1\n\tinet  239.5.5.1\n\tinet  239.5.5.0\n');
    expect(lab.cat('r', '/proc/net/mcfilter')).toMatch(/eth0 0xe8010101 0x0a00000a\s+1\s+0/);
    expect(lab.exits()).toEqual([]);
  });

  it('runs without a config file (every multicast interface a VIF) and a second instance gets EADDRINUSE', async () => {
    const lab = star();
    await lab.start('r', 'smcroute.ts');
    expect(lab.logs('r')).toEqual(expect.arrayContaining(['/etc/smcroute.conf: open(/etc/smcroute.conf): No such file or directory (ENOENT); running without a configuration']));
    expect(lab.cat('r', '/proc/net/ip_mr_vif').split('\n').slice(1, -1).map((l) => l.trim().split(/\s+/)[1])).toEqual(['eth0', 'eth1', 'eth2']);
    await expect(lab.start('r', 'smcroute.ts')).rejects.toThrow('setsockopt(MRT_INIT): Address already in use (EADDRINUSE)');
  });

  it('installs (S,G) from a (*,G) template on NOCACHE, a blackhole for unmatched groups, and expires them when unused (-c)', async () => {
    const lab = star();
    const conf = 'phyint eth0 enable\nphyint eth1 enable\nphyint eth2 enable\nmroute from eth0 group 239.9.0.0/16 to eth2\n';
    await lab.start('r', 'smcroute.ts', { '/etc/smcroute.conf': conf }, ['-N', '-c', '30']);
    const h2 = lab.receiver('h2', 'eth0', '239.9.1.1');
    lab.run(3000);
    lab.send('src', 'eth0', '239.9.1.1', 7, 2);
    lab.send('src', 'eth0', '239.8.8.8', 8);
    lab.run(100);
    expect(h2.got()).toEqual([7, 7]);
    expect(cache(lab)).toEqual(['010109EF 0A00000A 0 0 2:1', '080808EF 0A00000A 0 0']);
    // Checks every 30 s: both entries counted packets before the first (30 s). 239.9.1.1 gets one more
    // packet before the second (60 s), 239.8.8.8 does not and goes; 239.9.1.1 goes at the third (90 s).
    lab.run(30_000);
    lab.send('src', 'eth0', '239.9.1.1', 9);
    lab.run(30_000);
    expect(cache(lab)).toEqual(['010109EF 0A00000A 0 0 2:1']);
    lab.run(30_000);
    expect(cache(lab)).toEqual([]);
    expect(h2.got()).toEqual([7, 7, 9]);
    expect(lab.logs('r').filter((l) => l.startsWith('expired'))).toEqual(['expired unused (10.0.0.10, 239.8.8.8)', 'expired unused (10.0.0.10, 239.9.1.1)']);
  });
});
