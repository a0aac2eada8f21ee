// What the oracle cannot compare on this machine: dummy devices (the kernel here has no dummy driver),
// a peer in an unnamed namespace (a LAN segment's bridge), `-n NODE`, and the objects the workbench
// does not model. Formats are iproute2 6.1's: a dummy is BROADCAST,NOARP and stays UNKNOWN when up.

import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { Network } from '../../../engine/net/network.js';

function lab() {
  const net = new Network({ seed: 7 });
  return { net, a: net.addNode('a'), b: net.addNode('b') };
}

describe('ip on what only the model has', () => {
  it('dummy: NOARP, no MULTICAST, carrier always, operstate UNKNOWN, kind "dummy" with -d', () => {
    const { a } = lab();
    expect(ipCommand(a, ['link', 'add', 'd0', 'address', '02:00:00:00:00:0d', 'type', 'dummy'])).toEqual({ rc: 0, stdout: '', stderr: '' });
    expect(ipCommand(a, ['link', 'show', 'd0']).stdout).toBe(
      '2: d0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ether 02:00:00:00:00:0d brd ff:ff:ff:ff:ff:ff\n',
    );
    ipCommand(a, ['link', 'set', 'd0', 'up']);
    expect(ipCommand(a, ['link', 'show', 'd0']).stdout).toBe(
      '2: d0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/ether 02:00:00:00:00:0d brd ff:ff:ff:ff:ff:ff\n',
    );
    expect(ipCommand(a, ['-d', 'link', 'show', 'd0']).stdout).toContain(' promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n    dummy addrgenmode eui64 numtxqueues 1 ');
    expect(ipCommand(a, ['-br', 'link', 'show', 'd0']).stdout).toBe('d0               UNKNOWN        02:00:00:00:00:0d <BROADCAST,NOARP,UP,LOWER_UP> \n');
    ipCommand(a, ['addr', 'add', '192.0.2.1/24', 'dev', 'd0']);
    expect(ipCommand(a, ['route']).stdout).toBe('192.0.2.0/24 dev d0 proto kernel scope link src 192.0.2.1 \n');
  });

  it('a device on a LAN segment: the bridge namespace has no name, so link-netnsid N', () => {
    const { net, a } = lab();
    net.attach('a', 'eth0', 'lan1');
    expect(ipCommand(a, ['link', 'show', 'eth0']).stdout).toMatch(/^2: eth0@if1: <BROADCAST,MULTICAST> .*\n {4}link\/ether \S+ brd ff:ff:ff:ff:ff:ff link-netnsid 0\n$/);
  });

  it('-n NODE runs in another node; an unknown one is refused as iproute2 refuses it', () => {
    const { a } = lab();
    ipCommand(a, ['-n', 'b', 'link', 'set', 'lo', 'up']);
    expect(ipCommand(a, ['-br', 'link']).stdout).toBe('lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n');
    expect(ipCommand(a, ['-n', 'b', '-br', 'link']).stdout).toBe('lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n');
    expect(ipCommand(a, ['-n', 'zz', 'link'])).toEqual({ rc: 255, stdout: '', stderr: 'Cannot open network namespace "zz": No such file or directory\n' });
  });

  it('objects iproute2 has but the workbench does not model say so, with exit status 1', () => {
    const { a } = lab();
    const r = ipCommand(a, ['neigh']);
    expect(r.rc).toBe(1);
    expect(r.stderr).toBe('ip: "neighbor" is not modelled by the workbench yet.\n');
    expect(ipCommand(a, ['route', 'save'])).toMatchObject({ rc: 1, stderr: expect.stringContaining('not modelled by the workbench yet') });
  });

  it('a veth created with `up` comes up with its peer and both show carrier', () => {
    const { a } = lab();
    ipCommand(a, ['link', 'add', 'x0', 'up', 'type', 'veth', 'peer', 'name', 'x1', 'up', 'netns', 'b']);
    expect(ipCommand(a, ['-br', 'link', 'show', 'x0']).stdout).toMatch(/^x0@if2 +UP +\S+ <BROADCAST,MULTICAST,UP,LOWER_UP> \n$/);
  });
});
