import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';

describe('AppService over the default lab', () => {
  it('describes the lab: nodes by role, interfaces with the addresses the startup commands gave them', async () => {
    const lab = await new AppService(DEFAULT_LAB).getLab();
    expect(lab.title).toBe(DEFAULT_LAB.title);
    expect(lab.nodes.map((n) => [n.name, n.role])).toEqual([['src', 'host'], ['r1', 'router'], ['rcv1', 'host'], ['rcv2', 'host']]);
    const r1 = lab.nodes.find((n) => n.name === 'r1')!;
    expect(r1.ifaces).toEqual([
      { name: 'lo', state: 'UNKNOWN', addrs: ['127.0.0.1/8'] },
      { name: 'eth0', state: 'UP', addrs: ['10.1.0.1/24'] },
      { name: 'eth1', state: 'UP', addrs: ['10.2.0.1/24'] },
    ]);
    expect(lab.segments).toEqual([{ name: 'lanb', members: DEFAULT_LAB.segments[0]!.members }]);
    expect(lab.startupErrors).toEqual([]);
    expect(lab.now).toBe(0);
  });

  it('runs console commands, reports simulated time, and shows new addresses in the view', async () => {
    const s = new AppService(DEFAULT_LAB);
    const ping = await s.runCommand({ node: 'r1', line: 'ping -c 1 10.2.0.22' });
    expect(ping.stdout).toContain('1 packets transmitted, 1 received, 0% packet loss');
    expect(ping.now).toBeGreaterThan(0);
    expect((await s.runCommand({ node: 'rcv2', line: 'ip addr add 10.2.0.99/24 dev eth0' })).rc).toBe(0);
    const rcv2 = (await s.getLab()).nodes.find((n) => n.name === 'rcv2')!;
    expect(rcv2.ifaces.find((i) => i.name === 'eth0')!.addrs).toEqual(['10.2.0.22/24', '10.2.0.99/24']);
  });

  it('reading the view leaves no trace: the run stays the same however often the UI refreshes', async () => {
    const s = new AppService(DEFAULT_LAB);
    const before = s.session.trace.events.length;
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await s.getLab();
    await s.complete({ node: 'r1', line: 'ip link set e' });
    expect(s.session.trace.events.length).toBe(before);
  });

  it('reset rebuilds the lab from its spec', async () => {
    const s = new AppService(DEFAULT_LAB);
    await s.runCommand({ node: 'r1', line: 'sysctl -w net.ipv4.ip_forward=0' });
    await s.runCommand({ node: 'r1', line: 'sleep 2' });
    const lab = await s.reset();
    expect(lab.now).toBe(0);
    expect((await s.runCommand({ node: 'r1', line: 'sysctl -n net.ipv4.ip_forward' })).stdout).toBe('1\n');
  });

  it('stores moved positions of nodes and segments, and refuses unknown ones', async () => {
    const s = new AppService(DEFAULT_LAB);
    await s.moveNode({ node: 'r1', x: 10, y: 20 });
    await s.moveNode({ node: 'lanb', x: 400, y: 200 });
    const lab = await s.getLab();
    expect(lab.layout.r1).toEqual({ x: 10, y: 20 });
    expect(lab.layout.lanb).toEqual({ x: 400, y: 200 });
    expect(lab.layout.src).toEqual(DEFAULT_LAB.layout!.src);
    expect(DEFAULT_LAB.layout!.r1).toEqual({ x: 300, y: 200 });
    await expect(s.moveNode({ node: 'nope', x: 0, y: 0 })).rejects.toEqual(new ApiError('ENOENT', 'no node or segment "nope"'));
  });

  it('validates at its own entry point too', async () => {
    const s = new AppService(DEFAULT_LAB);
    await expect(s.invoke('runCommand', { node: 'r1', line: 'sysctl -n net.ipv4.ip_forward' })).resolves.toMatchObject({ rc: 0, stdout: '1\n' });
    await expect(s.invoke('runCommand', { node: 'r1' })).rejects.toBeInstanceOf(ApiError);
    await expect(s.invoke('complete', { node: 'zz', line: 'ip' })).rejects.toThrow('no node "zz"');
    await expect(s.invoke('complete', { node: 'r1', line: 'ip addr show dev e' })).resolves.toEqual({ from: 17, candidates: ['eth0', 'eth1'] });
  });
});
