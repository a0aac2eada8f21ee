import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/host/api.js';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { loadLabFile } from '../../../main/host/lab/lab-file.js';
import { Autosaver, readWorkspace, workspaceFiles } from '../../../main/host/workspace/autosave.js';
import { webDataDir } from '../../../main/host/workspace/data-dir.js';
import { startupLab } from '../../../main/host/workspace/startup-lab.js';
import type { TopologySpec } from '../../../main/host/workspace/topology-api.js';

const LABS = join(import.meta.dirname, '..', '..', '..', 'labs');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'rlw-ws-'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** h1 — r1 — h2 with addresses, r1 forwarding: what the e2e test draws. */
const threeNodes = (): TopologySpec => ({
  nodes: [
    { name: 'h1', role: 'host', exec: ['ip addr add 10.0.1.2/24 dev eth0', 'ip link set eth0 up', 'ip route add default via 10.0.1.1'] },
    { name: 'r1', role: 'router', exec: ['ip addr add 10.0.1.1/24 dev eth0', 'ip addr add 10.0.2.1/24 dev eth1', 'ip link set eth0 up', 'ip link set eth1 up', 'sysctl -w net.ipv4.ip_forward=1'] },
    { name: 'h2', role: 'host', exec: ['ip addr add 10.0.2.2/24 dev eth0', 'ip link set eth0 up', 'ip route add default via 10.0.2.1'] },
  ],
  links: [
    { endpoints: [{ node: 'h1', iface: 'eth0' }, { node: 'r1', iface: 'eth0' }] },
    { endpoints: [{ node: 'r1', iface: 'eth1' }, { node: 'h2', iface: 'eth0' }] },
  ],
  segments: [],
  layout: { h1: { x: 100, y: 100 }, r1: { x: 300, y: 100 }, h2: { x: 500, y: 100 } },
});

describe('applyTopology and device events', () => {
  it('rebuilds the running lab from the edited topology: the new nodes answer pings across the router', async () => {
    const s = new AppService(DEFAULT_LAB);
    const lab = await s.applyTopology(threeNodes());
    expect(lab.nodes.map((n) => n.name)).toEqual(['h1', 'r1', 'h2']);
    expect(lab.nodes[1]!.startup).toEqual(threeNodes().nodes[1]!.exec);
    expect(lab.nodes[1]!.ifaces.find((i) => i.name === 'eth1')!.addrs).toEqual(['10.0.2.1/24']);
    expect(lab.layout).toEqual(threeNodes().layout);
    expect(lab.title).toBe(DEFAULT_LAB.title);
    const ping = await s.runCommand({ node: 'h1', line: 'ping -c 2 10.0.2.2' });
    expect(ping.stdout).toContain('2 packets transmitted, 2 received');
    await expect(s.runCommand({ node: 'src', line: 'ip addr' })).rejects.toThrow('no node "src"');
  });

  it('reports a setup command the kernel refuses as a startup error, and still builds the rest', async () => {
    const s = new AppService(DEFAULT_LAB);
    const t = threeNodes();
    t.nodes[0]!.exec[0] = 'ip addr add 10.0.1.2/24 dev eth7';
    const lab = await s.applyTopology(t);
    // The address fails, so does the default route through a gateway h1 can no longer reach.
    expect(lab.startupErrors.map((e) => [e.node, e.line, e.command])).toEqual([
      ['h1', 1, 'ip addr add 10.0.1.2/24 dev eth7'],
      ['h1', 3, 'ip route add default via 10.0.1.1'],
    ]);
    expect(lab.startupErrors[0]!.message).toMatch(/Cannot find device "eth7"/);
    expect(lab.nodes.find((n) => n.name === 'r1')!.ifaces.find((i) => i.name === 'eth1')!.addrs).toEqual(['10.0.2.1/24']);
  });

  it('link down/up and device delete are engine events on the running lab, not spec edits', async () => {
    const s = new AppService(DEFAULT_LAB);
    await s.applyTopology(threeNodes());
    expect(await s.deviceEvent({ node: 'r1', iface: 'eth1', op: 'down' })).toMatchObject({ rc: 0, stderr: '' });
    expect((await s.runCommand({ node: 'h1', line: 'ping -c 1 10.0.2.2' })).stdout).toContain('0 received');
    const down = await s.getLab();
    expect(down.nodes.find((n) => n.name === 'r1')!.ifaces.find((i) => i.name === 'eth1')!.state).toBe('DOWN');
    // The peer lost carrier with it (veth_close).
    expect(down.nodes.find((n) => n.name === 'h2')!.ifaces.find((i) => i.name === 'eth0')!.state).not.toBe('UP');
    await s.deviceEvent({ node: 'r1', iface: 'eth1', op: 'up' });
    expect((await s.runCommand({ node: 'h1', line: 'ping -c 1 10.0.2.2' })).stdout).toContain('1 received');
    await s.deviceEvent({ node: 'h2', iface: 'eth0', op: 'delete' });
    const after = await s.getLab();
    // Deleting one end of a veth pair deletes its peer too (veth_dellink).
    expect(after.nodes.find((n) => n.name === 'r1')!.ifaces.map((i) => i.name)).toEqual(['lo', 'eth0']);
    expect(after.links).toHaveLength(2);
    await expect(s.deviceEvent({ node: 'h2', iface: 'eth0', op: 'up' })).rejects.toEqual(new ApiError('ENOENT', 'h2 has no device "eth0"'));
  });
});

describe('workspace persistence', () => {
  it('autosaves edits and moves within the debounce delay, atomically, in the layout file format', async () => {
    const dir = tmp();
    const s = new AppService(DEFAULT_LAB, { dataDir: dir });
    await s.applyTopology(threeNodes());
    await s.moveNode({ node: 'h2', x: 520, y: 180 });
    expect(existsSync(workspaceFiles(dir).spec)).toBe(false);
    await sleep(400);
    const layout = JSON.parse(readFileSync(workspaceFiles(dir).layout, 'utf8')) as unknown;
    expect(layout).toEqual({ nodes: { ...threeNodes().layout, h2: { x: 520, y: 180 } } });
    const ws = readWorkspace(dir)!;
    expect(ws.spec.nodes.map((n) => [n.name, n.startup])).toEqual(threeNodes().nodes.map((n) => [n.name, n.exec]));
    expect(ws.spec.links).toEqual(threeNodes().links);
    // A restarted app restores it in preference to the default lab.
    const restored = startupLab({ dataDir: dir, labsDir: LABS }, () => {});
    expect(restored.origin).toBe('workspace');
    const again = await new AppService(restored.spec).runCommand({ node: 'h1', line: 'ping -c 1 10.0.2.2' });
    expect(again.stdout).toContain('1 received');
  });

  it('merges changes inside the delay into one write', async () => {
    const dir = tmp();
    const a = new Autosaver(dir, 50);
    for (let i = 0; i < 5; i++) a.schedule({ spec: { ...DEFAULT_LAB, layout: { r1: { x: i, y: 0 } } }, file: null });
    await sleep(150);
    expect(a.writes).toBe(1);
    expect(readWorkspace(dir)!.spec.layout).toEqual({ r1: { x: 4, y: 0 } });
  });

  it('skips a damaged workspace with a warning and opens the default lab file', () => {
    const dir = tmp();
    const a = new Autosaver(dir);
    a.schedule({ spec: DEFAULT_LAB, file: null });
    a.flush();
    writeFileSync(workspaceFiles(dir).spec, '{"format": 1, "spec": {"name": 3}}');
    const warnings: string[] = [];
    const r = startupLab({ dataDir: dir, labsDir: LABS }, (m) => warnings.push(m));
    expect(warnings[0]).toMatch(/is damaged \(name, title or description missing\)/);
    expect(r.origin).toBe('lab-file');
    expect(r.spec.file).toMatch(/labs\/0[01]-(tour|forwarding)\.yaml$/);
  });

  it('finds the data directory: flag, then WORKBENCH_DATA_DIR, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(webDataDir('/x/y', { WORKBENCH_DATA_DIR: '/a' }, '/home/u')).toBe('/x/y');
    expect(webDataDir(undefined, { WORKBENCH_DATA_DIR: '/a', XDG_DATA_HOME: '/d' }, '/home/u')).toBe('/a');
    expect(webDataDir(undefined, { XDG_DATA_HOME: '/d' }, '/home/u')).toBe('/d/routing-lab-workbench');
    expect(webDataDir(undefined, { XDG_DATA_HOME: 'relative' }, '/home/u')).toBe('/home/u/.local/share/routing-lab-workbench');
  });

  it('opens, lists and saves lab files; saved files load back with the same topology and positions', async () => {
    const dir = tmp();
    const s = new AppService(DEFAULT_LAB, { dataDir: dir, labsDir: LABS });
    const opened = await s.openLab({ file: '01-forwarding.yaml' });
    expect(opened.name).toBe('01-forwarding');
    expect(opened.nodes.map((n) => n.name)).toEqual(['h1', 'r1', 'h2', 'h3']);
    const out = join(tmp(), 'mine.yaml');
    await s.moveNode({ node: 'h3', x: 600, y: 300 });
    const files = await s.saveLab({ file: out });
    expect(files.current).toBe(out);
    expect(files.recent.slice(0, 2)).toEqual([out, join(LABS, '01-forwarding.yaml')]);
    expect(files.labs).toContain(join(LABS, '02-static-routes.yaml'));
    const back = loadLabFile(out, { readFile: (p) => readFileSync(p, 'utf8') });
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(back.spec.nodes.map((n) => [n.name, n.role, n.startup])).toEqual(opened.nodes.map((n) => [n.name, n.role, n.startup]));
    expect(back.spec.segments).toEqual(opened.segments);
    expect(back.spec.layout!.h3).toEqual({ x: 600, y: 300 });
    await expect(s.openLab({ file: join(dir, 'none.yaml') })).rejects.toMatchObject({ code: 'ENOENT' });
    const broken = join(tmp(), 'broken.yaml');
    writeFileSync(broken, 'name: x\ntopology: 3\n');
    await expect(s.openLab({ file: broken })).rejects.toMatchObject({ code: 'EINVAL', message: expect.stringMatching(/broken\.yaml:\d+:\d+/) });
    expect((await s.exportLab()).yaml).toMatch(/^# yaml-language-server/);
  });
});
