import { describe, expect, it } from 'vitest';
import type { TopologySpec } from '../../../main/host/workspace/topology-api.js';
import { History } from '../../../renderer/src/editor/history.js';
import { addNode, connect, deleteEdge, deleteNode, execOf, formOf, nodeIfaces } from '../../../renderer/src/editor/model.js';
import { addrProblem, validate } from '../../../renderer/src/editor/validate.js';

const empty = (): TopologySpec => ({ nodes: [], links: [], segments: [], layout: {} });

describe('editor model', () => {
  it('adds nodes with free names and connects them on the next free ethN; a LAN gets members', () => {
    const t = empty();
    expect([addNode(t, 'host', { x: 0, y: 0 }), addNode(t, 'router', { x: 1, y: 1 }), addNode(t, 'host', { x: 2, y: 2 }), addNode(t, 'segment', { x: 3, y: 3 })]).toEqual(['h1', 'r1', 'h2', 'lan1']);
    expect(t.nodes.find((n) => n.name === 'r1')!.exec).toEqual(['sysctl -w net.ipv4.ip_forward=1']);
    expect(connect(t, 'h1', 'r1')).toBeNull();
    expect(connect(t, 'r1', 'lan1')).toBeNull();
    expect(connect(t, 'h2', 'lan1')).toBeNull();
    expect(t.links).toEqual([{ endpoints: [{ node: 'h1', iface: 'eth0' }, { node: 'r1', iface: 'eth0' }] }]);
    expect(t.segments[0]!.members).toEqual([{ node: 'r1', iface: 'eth1' }, { node: 'h2', iface: 'eth0' }]);
    addNode(t, 'segment', { x: 4, y: 4 });
    expect(connect(t, 'lan1', 'lan2')).toMatch(/two LAN segments cannot be joined/);
    expect(nodeIfaces(t, 'r1')).toEqual(['eth0', 'eth1']);
    deleteNode(t, 'r1');
    expect(t.links).toEqual([]);
    expect(t.segments[0]!.members).toEqual([{ node: 'h2', iface: 'eth0' }]);
    expect(t.layout.r1).toBeUndefined();
    deleteEdge(t, 'm:lan1:h2:eth0');
    expect(t.segments[0]!.members).toEqual([]);
  });

  it('reads setup commands as a form and writes them back with addresses before routes', () => {
    const exec = ['ip addr add 10.0.1.1/24 dev eth0', 'ip route add default via 10.0.1.254', 'ip link set eth0 up', 'sysctl -w net.ipv4.ip_forward=1', 'ip address add 10.0.2.1/24 dev eth1'];
    const f = formOf({ name: 'r1', role: 'router', exec });
    expect(f).toEqual({ addrs: { eth0: ['10.0.1.1/24'], eth1: ['10.0.2.1/24'] }, up: ['eth0'], sysctls: ['net.ipv4.ip_forward=1'], commands: ['ip route add default via 10.0.1.254'] });
    expect(execOf(f)).toEqual([
      'ip addr add 10.0.1.1/24 dev eth0',
      'ip addr add 10.0.2.1/24 dev eth1',
      'ip link set eth0 up',
      'sysctl -w net.ipv4.ip_forward=1',
      'ip route add default via 10.0.1.254',
    ]);
  });
});

describe('validation as you type', () => {
  it('names bad prefixes and malformed addresses', () => {
    expect(addrProblem('10.0.1.1/24')).toBeNull();
    expect(addrProblem('10.0.1.1')).toBeNull();
    expect(addrProblem('10.0.1.1/33')).toMatch(/bad prefix \/33/);
    expect(addrProblem('10.0.300.1/24')).toMatch(/0 to 255/);
    expect(addrProblem('10.0.1/24')).toMatch(/not an IPv4 address/);
  });

  it('finds duplicate addresses across nodes and devices a node does not have', () => {
    const t = empty();
    addNode(t, 'host', { x: 0, y: 0 });
    addNode(t, 'host', { x: 0, y: 0 });
    connect(t, 'h1', 'h2');
    t.nodes[0]!.exec = ['ip addr add 10.0.0.1/24 dev eth0', 'ip addr add 10.9.0.1/24 dev eth3', 'ip route add 10.8.0.0/16 dev eth4'];
    t.nodes[1]!.exec = ['ip addr add 10.0.0.1/24 dev eth0'];
    expect(validate(t).map((i) => [i.node, i.iface, i.message])).toEqual([
      ['h1', 'eth3', 'h1 has no interface "eth3" (connect it first)'],
      ['h1', null, 'ip route add 10.8.0.0/16 dev eth4: h1 has no interface "eth4"'],
      ['h1', 'eth0', 'duplicate address 10.0.0.1 (also on h2:eth0)'],
      ['h2', 'eth0', 'duplicate address 10.0.0.1 (also on h1:eth0)'],
    ]);
    t.nodes[1]!.exec = ['ip addr add 10.0.0.2/24 dev eth0'];
    t.nodes[0]!.exec = ['ip addr add 10.0.0.1/24 dev eth0'];
    expect(validate(t)).toEqual([]);
  });
});

describe('undo history', () => {
  it('undoes and redoes snapshots; a new edit drops the redo branch', () => {
    const h = new History<{ n: number }>();
    let s = { n: 0 };
    h.push(s);
    s = { n: 1 };
    h.push(s);
    s = { n: 2 };
    s = h.undo(s)!;
    expect(s).toEqual({ n: 1 });
    s = h.undo(s)!;
    expect(s).toEqual({ n: 0 });
    expect(h.undo(s)).toBeNull();
    s = h.redo(s)!;
    expect(s).toEqual({ n: 1 });
    h.push(s);
    expect(h.canRedo).toBe(false);
  });
});
