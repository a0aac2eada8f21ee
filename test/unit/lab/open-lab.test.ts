import { describe, expect, it } from 'vitest';
import { formatLabError } from '../../../main/host/lab/lab-errors.js';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { LabDaemons } from '../../../main/host/lab/lab-daemons.js';
import { listLabFiles, openLabFile } from '../../../main/host/lab/open-lab.js';
import { LabSession } from '../../../main/host/lab/session.js';

describe('opening lab files (the app\'s entry point)', () => {
  it('lists the labs of a directory and opens one with its daemon and layout', async () => {
    const files = listLabFiles('labs');
    expect(files).toContain('labs/03-mrt-init.yaml');
    expect(files.every((f) => /^labs\/[^/]+\.ya?ml$/.test(f))).toBe(true);
    const r = openLabFile('labs/03-mrt-init.yaml');
    expect(r.errors.map(formatLabError)).toEqual([]);
    if (!r.ok) return;
    expect(r.spec.layout?.r1).toEqual({ x: 300, y: 200 });
    // A session from the spec, then its daemons: the reference solution becomes the multicast router.
    const s = new LabSession(r.spec);
    const d = await LabDaemons.start(s, { solution: true });
    expect(d.get('r1')?.running).toBe(true);
    expect(s.runCommand('r1', 'sysctl -n net.ipv4.conf.all.mc_forwarding').stdout).toBe('1\n');
  });

  it('reports a missing file as file:line:col, without throwing', () => {
    const r = openLabFile('labs/no-such-lab.yaml');
    expect(r.ok).toBe(false);
    expect(formatLabError(r.errors[0]!)).toMatch(/^labs\/no-such-lab\.yaml:1:1: cannot read the lab file: ENOENT/);
  });

  it('keeps DEFAULT_LAB usable until the app opens labs/00-tour.yaml', () => {
    const s = new LabSession(DEFAULT_LAB);
    expect(s.startupErrors).toEqual([]);
  });
});
