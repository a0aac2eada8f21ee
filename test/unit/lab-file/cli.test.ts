import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../main/host/cli/workbench.js';

/** CLI IO over the real files, with some files overridden in memory. */
function io(files: Record<string, string> = {}) {
  const o = { stdout: '', stderr: '' };
  const cli: CliIO = {
    out: (s) => void (o.stdout += s),
    err: (s) => void (o.stderr += s),
    readFile: (p) => files[p] ?? readFileSync(p, 'utf8'),
  };
  return { o, cli };
}

const LAB = 'labs/01-forwarding.yaml';

describe('workbench lab validate / schema', () => {
  it('accepts a valid lab and summarises it', () => {
    const { o, cli } = io();
    expect(main(['lab', 'validate', LAB], cli)).toBe(0);
    expect(o.stdout).toMatch(/^labs\/01-forwarding\.yaml: valid \(4 nodes, \d+ steps, \d+ checks\)\n$/);
  });

  it('prints every error as file:line:col: field: message and exits 1', () => {
    const bad = readFileSync(LAB, 'utf8').replace('"h1:eth0", "r1:eth0"', '"h1:eth0", "r9:eth0"').replace('title: Look around', 'titel: Look around');
    const { o, cli } = io({ 'bad.yaml': bad });
    expect(main(['lab', 'validate', 'bad.yaml', LAB], cli)).toBe(1);
    const lines = o.stderr.trimEnd().split('\n').sort();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^bad\.yaml:\d+:5: steps\[0\]: missing required field "title"$/);
    expect(lines[1]).toBe(lines[0]!.replace('missing required field "title"', 'unknown field "titel"'));
    expect(o.stdout).toMatch(/^labs\/01-forwarding\.yaml: valid/);
    // Next to the real lab, so its startup file is found: the only error is the link's.
    const text = readFileSync(LAB, 'utf8').replace('"h1:eth0", "r1:eth0"', '"h1:eth0", "r9:eth0"');
    const rows = text.split('\n');
    const line = rows.findIndex((l) => l.includes('"r9:eth0"'));
    const sem = io({ 'labs/bad.yaml': text });
    expect(main(['lab', 'validate', 'labs/bad.yaml'], sem.cli)).toBe(1);
    expect(sem.o.stderr).toBe(`labs/bad.yaml:${line + 1}:${rows[line]!.indexOf('"r9:eth0"') + 1}: topology.links[0].endpoints[1]: node "r9" is not defined\n`);
  });

  it('prints the schema that labs/schema/lab.schema.json publishes', () => {
    const { o, cli } = io();
    expect(main(['lab', 'schema'], cli)).toBe(0);
    expect(o.stdout).toBe(readFileSync('labs/schema/lab.schema.json', 'utf8'));
  });

  it('rejects bad usage with exit status 2', async () => {
    const d = ['--daemon'];
    for (const args of [['lab', 'frob'], ['lab', 'validate'], ['run'], ['run', LAB, '--seed', 'x'], ['check', LAB, '--json', '--csv'], ['check', LAB, '--no-header'], ['check', LAB, '--bogus'], ['check', LAB, ...d, 'r1'], ['check', LAB, ...d, 'r9=x.ts'], ['run', LAB, ...d, 'r1=missing.ts'], ['run', LAB, ...d, 'r1=labs/daemons/static-mroute.ts', ...d, 'r1=labs/daemons/static-mroute.ts']]) {
      const { o, cli } = io();
      expect(await main(args, cli), args.join(' ')).toBe(2);
      expect(o.stderr, args.join(' ')).toMatch(/^workbench: /);
    }
    const bare = io();
    expect(main(['lab'], bare.cli)).toBe(2);
    expect(bare.o.stdout).toMatch(/^Usage: workbench lab validate/);
  });
});

describe('workbench run / check', () => {
  it('run prints each step, the actions\' output, the check results and the score', async () => {
    const { o, cli } = io();
    expect(await main(['run', LAB], cli)).toBe(0);
    expect(o.stdout).toMatch(/\n\[1\/\d+\] Look around\n {2}r1# ip -br addr\n/);
    expect(o.stdout).toContain('  PASS h1-reachable (1 pt) r1 reaches h1 over the point-to-point link\n');
    expect(o.stdout).toMatch(/ {2}FAIL lan-route \(2 pts\) the kernel's connected route for the LAN\n {7}`ip route show dev eth1` on r1: expected the output to match .*; got no output\n {7}hint: The kernel adds/);
    expect(o.stdout).toContain('  FAIL h2-reachable (1 pt) r1 reaches h2 on the LAN\n');
    expect(o.stdout).toContain('\n  hint: `ip addr add 10.2.0.1/24 dev eth1`, then `ip link set eth1 up`.\n  completion: 5%\n');
    expect(o.stdout).toContain('  PASS h1-reachable (1 pt) r1 reaches h1 over the point-to-point link\n  completion: 5%\n');
    expect(o.stdout).toMatch(/\nScore: \d+\/\d+ points \(\d+%\)\n$/);
  });

  it('check exits 1 for the starter and 0 for the reference solution', async () => {
    const starter = io();
    expect(await main(['check', LAB], starter.cli)).toBe(1);
    expect(starter.o.stdout).toMatch(/^PASS h1-reachable/);
    expect(starter.o.stdout).toContain('FAIL lan-route');
    const sol = io();
    expect(await main(['check', LAB, '--solution', '--seed', '2'], sol.cli)).toBe(0);
    expect(sol.o.stdout).not.toContain('FAIL');
    expect(sol.o.stdout).toMatch(/Score: (\d+)\/\1 points \(100%\), all checks passed\n$/);
  });

  it('check --json and --csv give one record per check', async () => {
    const j = io();
    expect(await main(['check', LAB, '--json'], j.cli)).toBe(1);
    const report = JSON.parse(j.o.stdout);
    expect(report).toMatchObject({ file: LAB, lab: '01-forwarding', seed: 1, passed: false });
    expect(report.checks[0]).toMatchObject({ step: 1, name: 'h1-reachable', passed: true, points: 1, max: 1 });
    const failed = report.checks.find((c: { name: string }) => c.name === 'lan-route');
    expect(failed).toMatchObject({ passed: false, points: 0, max: 2, hint: expect.stringContaining('connected route') });
    const c = io();
    expect(await main(['check', LAB, '--csv'], c.cli)).toBe(1);
    const lines = c.o.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('file,lab,seed,step,check,passed,points,max_points,message');
    expect(lines.length).toBe(report.checks.length + 1);
    expect(lines[1]).toBe('labs/01-forwarding.yaml,01-forwarding,1,1,h1-reachable,true,1,1,`ping -c 2 10.1.0.10` on r1: as expected');
    const nh = io();
    await main(['check', LAB, '--csv', '--no-header'], nh.cli);
    expect(nh.o.stdout).toBe(lines.slice(1).join('\n') + '\n');
  });

  it('check exits 1 with file:line:col errors for a broken lab', async () => {
    const { o, cli } = io({ 'x.yaml': 'name: x\ntitle: [\n' });
    expect(await main(['check', 'x.yaml'], cli)).toBe(1);
    expect(o.stderr).toMatch(/^x\.yaml:\d+:\d+: /);
    expect(o.stdout).toBe('');
  });
});
