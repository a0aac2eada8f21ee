import { describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../main/host/api.js';
import type { TopologySpec } from '../../../main/host/workspace/topology-api.js';

const topo = (): TopologySpec => ({
  nodes: [
    { name: 'h1', role: 'host', exec: ['ip addr add 10.0.1.2/24 dev eth0', 'ip link set eth0 up'] },
    { name: 'r1', role: 'router', exec: [] },
    { name: 'h2', role: 'host', exec: [] },
  ],
  links: [{ endpoints: [{ node: 'h1', iface: 'eth0' }, { node: 'r1', iface: 'eth0' }] }],
  segments: [{ name: 'lan1', members: [{ node: 'r1', iface: 'eth1' }, { node: 'h2', iface: 'eth0' }] }],
  layout: { h1: { x: 0, y: 0 }, lan1: { x: 5, y: 5 } },
});

function refused(method: string, arg: unknown): string {
  try {
    parseRequest(method, arg);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('EINVAL');
    return (e as ApiError).message;
  }
  throw new Error(`accepted ${method} ${JSON.stringify(arg)}`);
}

describe('topology editor requests', () => {
  it('accepts a consistent topology and returns exactly the validated fields', () => {
    expect(parseRequest('applyTopology', topo()).arg).toEqual(topo());
    expect(parseRequest('deviceEvent', { node: 'r1', iface: 'eth1', op: 'down' }).arg).toEqual({ node: 'r1', iface: 'eth1', op: 'down' });
    expect(parseRequest('openLab', { file: 'labs/01-forwarding.yaml' }).arg).toEqual({ file: 'labs/01-forwarding.yaml' });
    expect(parseRequest('listLabs', undefined).arg).toBeUndefined();
    expect(parseRequest('pickLabFile', { mode: 'save', suggested: null }).arg).toEqual({ mode: 'save', suggested: null });
  });

  it('refuses inconsistent topologies, naming the field', () => {
    const t1 = topo();
    t1.links[0]!.endpoints[1].node = 'r9';
    expect(refused('applyTopology', t1)).toBe('applyTopology.links[0].endpoints[1]: no node "r9"');
    const t2 = topo();
    t2.segments[0]!.members.push({ node: 'h1', iface: 'eth0' });
    expect(refused('applyTopology', t2)).toBe('applyTopology.segments[0].members[2]: h1:eth0 is already connected');
    const t3 = topo();
    t3.segments[0]!.name = 'h2';
    expect(refused('applyTopology', t3)).toMatch(/the name "h2" is used twice/);
    const t4 = topo();
    t4.links.push({ endpoints: [{ node: 'h2', iface: 'eth1' }, { node: 'h2', iface: 'eth2' }] });
    expect(refused('applyTopology', t4)).toMatch(/links\[1\]: a link joins two different nodes/);
    const t5 = topo();
    t5.layout.ghost = { x: 1, y: 1 };
    expect(refused('applyTopology', t5)).toMatch(/layout: no node or segment "ghost"/);
    expect(refused('applyTopology', { ...topo(), nodes: [] })).toMatch(/links\[0\]\.endpoints\[0\]: no node "h1"/);
    // An empty canvas is where a new topology starts.
    expect(parseRequest('applyTopology', { nodes: [], links: [], segments: [], layout: {} }).arg).toEqual({ nodes: [], links: [], segments: [], layout: {} });
  });

  it('refuses bad fields: device names, roles, command lines, coordinates, extra keys', () => {
    const t = topo();
    t.links[0]!.endpoints[0].iface = 'averyveryverylongname0';
    expect(refused('applyTopology', t)).toMatch(/endpoints\[0\]\.iface: expected a device name of at most 15/);
    expect(refused('applyTopology', { ...topo(), nodes: [{ name: 'x', role: 'switch', exec: [] }] })).toMatch(/role: expected "host" or "router"/);
    expect(refused('applyTopology', { ...topo(), nodes: [{ name: 'x', role: 'host', exec: ['ip link\nrm -rf /'] }] })).toMatch(/exec\[0\]: control characters/);
    expect(refused('applyTopology', { ...topo(), layout: { h1: { x: Infinity, y: 0 } } })).toMatch(/layout\.h1\.x: expected a finite number/);
    expect(refused('applyTopology', { ...topo(), extra: 1 })).toMatch(/unknown field "extra"/);
    expect(refused('applyTopology', { ...topo(), layout: { __proto__x: { x: 0, y: 0 } } })).toMatch(/layout key/);
    expect(refused('deviceEvent', { node: 'r1', iface: 'lo', op: 'down' })).toMatch(/not lo/);
    expect(refused('deviceEvent', { node: 'r1', iface: 'eth0', op: 'flap' })).toMatch(/op: expected/);
    expect(refused('openLab', { file: '/etc/passwd' })).toMatch(/ends in \.yaml or \.yml/);
    expect(refused('saveLab', { file: 'a\0.yaml' })).toMatch(/NUL/);
    expect(refused('exportLab', { file: 'x.yaml' })).toMatch(/takes no argument/);
    expect(refused('pickLabFile', { mode: 'open', suggested: 5 })).toMatch(/suggested: expected a path or null/);
  });
});
