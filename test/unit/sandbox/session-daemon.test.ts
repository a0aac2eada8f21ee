import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { LabSession } from '../../../main/host/lab/session.js';

describe('LabSession.startDaemon', () => {
  it('runs a daemon on a lab node, with the node’s interfaces and ip, into the session trace', async () => {
    const s = new LabSession(DEFAULT_LAB);
    const d = await s.startDaemon('r1', { file: 'probe.ts', source: `log(interfaces().map((i) => i.name).join()); log(ip('route show dev eth1').stdout.trim());` });
    expect(d.running).toBe(true);
    const logs = s.trace.byFn('daemon_log').map((e) => String(e.data.text));
    expect(logs[0]).toContain('eth1');
    expect(logs[1]).toBe(s.runCommand('r1', 'ip route show dev eth1').stdout.trim());
    await expect(s.startDaemon('nope', { file: 'x.ts', source: '' })).rejects.toThrow('no node "nope"');
  });
});
