// Saving an edited lab over (or next to) the file it came from keeps what the editor does not edit: the
// steps and checks, each node's daemon and files, `startup:` file references of unchanged nodes.

import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppService } from '../../../main/host/app-service.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { openLabFile } from '../../../main/host/lab/open-lab.js';

const LABS = join(import.meta.dirname, '..', '..', '..', 'labs');

function labCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlw-roundtrip-'));
  cpSync(LABS, dir, { recursive: true });
  return dir;
}

describe('saving an opened lab', () => {
  it('keeps steps, daemons, files and startup references; takes the edited topology', async () => {
    const dir = labCopy();
    const app = new AppService(DEFAULT_LAB, { labsDir: dir });
    await app.openLab({ file: '07-expiry.yaml' });
    const original = openLabFile(join(dir, '07-expiry.yaml'));
    if (!original.ok) throw new Error('07-expiry.yaml did not load');
    const lab = await app.getLab();
    // Edit: one node's setup commands gain a line, and it moves.
    const edited = lab.nodes.find((n) => n.role === 'host')!;
    await app.applyTopology({
      nodes: lab.nodes.map((n) => ({ name: n.name, role: n.role, exec: n.name === edited.name ? [...(n.startup ?? []), 'sysctl -w net.ipv4.ip_forward=0'] : (n.startup ?? []) })),
      links: lab.links,
      segments: lab.segments,
      layout: { ...lab.layout, [edited.name]: { x: 123, y: 45 } },
    });
    await app.saveLab({ file: 'copy.yaml' });
    const saved = openLabFile(join(dir, 'copy.yaml'));
    if (!saved.ok) throw new Error(saved.errors.map((e) => e.message).join('\n'));
    expect(original.spec.steps?.length).toBeGreaterThan(0);
    expect(saved.spec.steps).toEqual(original.spec.steps!.map((s) => expect.objectContaining({ title: s.title })));
    for (const n of original.spec.nodes) {
      const s = saved.spec.nodes.find((x) => x.name === n.name)!;
      expect(s.daemon?.script.source).toBe(n.daemon?.script.source);
      expect(s.daemon?.args).toEqual(n.daemon?.args);
      expect(s.files).toEqual(n.files);
      expect(s.startup).toEqual(n.name === edited.name ? [...n.startup, 'sysctl -w net.ipv4.ip_forward=0'] : n.startup);
    }
    expect(saved.spec.layout?.[edited.name]).toEqual({ x: 123, y: 45 });
    // The text keeps the author's comment line and step texts.
    const text = readFileSync(join(dir, 'copy.yaml'), 'utf8');
    expect(text.startsWith('# yaml-language-server')).toBe(true);
  });

  it('an unchanged node keeps its startup file reference; a changed one gets its commands inline', async () => {
    const dir = labCopy();
    const app = new AppService(DEFAULT_LAB, { labsDir: dir });
    await app.openLab({ file: '01-forwarding.yaml' });
    await app.moveNode({ node: 'r1', x: 10, y: 20 });
    await app.saveLab({ file: 'same.yaml' });
    expect(readFileSync(join(dir, 'same.yaml'), 'utf8')).toMatch(/^ {6}startup: 01-forwarding\/r1\.startup$/m);
    const lab = await app.getLab();
    await app.applyTopology({ nodes: lab.nodes.map((n) => ({ name: n.name, role: n.role, exec: n.name === 'r1' ? ['ip link set eth0 up'] : (n.startup ?? []) })), links: lab.links, segments: lab.segments, layout: lab.layout });
    await app.saveLab({ file: 'changed.yaml' });
    const text = readFileSync(join(dir, 'changed.yaml'), 'utf8');
    expect(text).not.toContain('01-forwarding/r1.startup');
    const saved = openLabFile(join(dir, 'changed.yaml'));
    if (!saved.ok) throw new Error(saved.errors.map((e) => e.message).join('\n'));
    expect(saved.spec.nodes.find((n) => n.name === 'r1')!.startup).toEqual(['ip link set eth0 up']);
  });

  it('a new lab (no source file) is written from the topology alone', async () => {
    const dir = labCopy();
    const app = new AppService(DEFAULT_LAB, { labsDir: dir });
    await app.saveLab({ file: 'fresh.yaml' });
    const saved = openLabFile(join(dir, 'fresh.yaml'));
    if (!saved.ok) throw new Error('fresh.yaml did not load');
    expect(saved.spec.nodes.map((n) => n.name)).toEqual(DEFAULT_LAB.nodes.map((n) => n.name));
    expect(saved.spec.steps ?? []).toEqual([]);
  });
});
