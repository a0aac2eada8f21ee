import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLabText } from '../../../main/host/lab/lab-file.js';
import { formatLabError } from '../../../main/host/lab/lab-errors.js';
import { LabRun } from '../../../main/host/lab/lab-run.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';
import { memFiles } from './files.js';

const LAB = `name: d
title: Daemons
topology:
  nodes:
    r1:
      role: router
      exec: ["ip addr add 10.1.0.1/24 dev eth0", "ip link set eth0 up", "ip addr add 10.2.0.1/24 dev eth1", "ip link set eth1 up"]
      daemon: { script: d/starter.ts, solution: d/solution.ts, args: ["-f", "/etc/d.conf"] }
      files: { /etc/d.conf: "phyint eth0" }
    h1:
      exec: ["ip addr add 10.1.0.10/24 dev eth0", "ip link set eth0 up"]
  links:
    - endpoints: ["h1:eth0", "r1:eth0"]
    - endpoints: ["h1:eth1", "r1:eth1"]
steps:
  - title: Init
    checks:
      - name: mc-forwarding
        command: { node: r1, run: sysctl -n net.ipv4.conf.all.mc_forwarding, equals: "1" }
      - name: one-init
        sql: { query: "SELECT count(*) FROM trace WHERE node = 'r1' AND fn = 'sys_exit_setsockopt' AND json_extract(data, '$.ret') = 0", min: 1 }
  - title: Stop
    actions:
      - daemon: { node: r1, do: stop }
    checks:
      - name: mc-forwarding-off
        command: { node: r1, run: sysctl -n net.ipv4.conf.all.mc_forwarding, equals: "0" }
  - title: Second
    actions:
      - daemon: { node: r1, do: start }
      - daemon: { node: r1, do: start, script: d/second.ts }
    checks:
      - name: eaddrinuse
        trace: { fn: sys_exit_setsockopt, node: r1, data: { errno: EADDRINUSE } }
`;
const SOLUTION = `const s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
s.setsockopt(IPPROTO_IP, MRT_INIT, 1);
log(argv.join(' '), readFile(argv[2]!));
`;
const FILES = {
  'labs/d.yaml': LAB,
  'labs/d/starter.ts': `// TODO: MRT_INIT\nconst s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);\nlet n: number = 0;\nif (n === 0) throw new Error('not written yet');\n`,
  'labs/d/solution.ts': SOLUTION,
  'labs/d/second.ts': `const s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);\ns.setsockopt(IPPROTO_IP, MRT_INIT, 1);\n`,
};

function load(files: Record<string, string> = FILES): LabSpec {
  const r = loadLabText(files['labs/d.yaml']!, 'labs/d.yaml', memFiles(files));
  if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
  return r.spec;
}

const lines = (text: string, needle: string): string => {
  const rows = text.split('\n');
  const i = rows.findIndex((l) => l.includes(needle));
  return `${i + 1}:${rows[i]!.indexOf(needle) + 1}`;
};

describe('SQL checks', () => {
  it('reject a query that is not read-only at load time, with file:line:col', () => {
    const text = LAB.replace(`query: "SELECT count(*)`, `query: "DELETE FROM events WHERE 1 OR (SELECT count(*)`).replace("'$.ret') = 0\"", "'$.ret') = 0)\"");
    const r = loadLabText(text, 'labs/d.yaml', memFiles({ ...FILES, 'labs/d.yaml': text }));
    expect(r.errors.map(formatLabError)).toEqual([`labs/d.yaml:${lines(text, '"DELETE')}: steps[0].checks[1].sql.query: read-only SQL: a query must start with SELECT, WITH, VALUES or EXPLAIN, not DELETE`]);
  });

  it('fail with the check\'s file:line:col and SQLite\'s message when the query is wrong; judge rows, equals, min', async () => {
    const text = LAB.replace(`      - name: one-init
        sql:`, `      - name: bad-sql
        sql: { query: "SELECT nope FROM trace" }
      - name: rows
        sql: { query: "SELECT node, fn FROM trace WHERE fn = 'mrtsock_destruct' ORDER BY seq", rows: [["r1", "mrtsock_destruct"]] }
      - name: one-row
        sql: { query: "SELECT count(*), 'x' FROM trace WHERE fn = 'sched_process_exec'", rows: [[5, "x"]] }
      - name: equals
        sql: { query: "SELECT count(*) FROM trace WHERE fn = 'sched_process_exec'", equals: 1 }
      - name: max
        sql: { query: "SELECT count(*) FROM trace WHERE fn = 'sched_process_exec'", max: 0 }
      - name: one-init
        sql:`);
    const spec = load({ ...FILES, 'labs/d.yaml': text });
    const checks = (await new LabRun(spec, { solution: true }).runAll()).steps[0]!.checks;
    const by = (n: string) => checks.find((c) => c.name === n)!;
    expect(by('bad-sql')).toMatchObject({ passed: false, message: `labs/d.yaml:${lines(text, '- name: bad-sql').replace(/:\d+$/, ':9')}: the check's SQL failed: no such column: nope` });
    expect(by('rows').passed).toBe(false); // nothing destructed yet in step 1
    expect(by('rows').message).toContain('expected the rows [["r1","mrtsock_destruct"]], got no rows');
    expect(by('one-row').message).toMatch(/expected the rows \[\[5,"x"\]\], got \[\[1,"x"\]\]$/); // rows shown as rows
    expect(by('equals')).toMatchObject({ passed: true });
    expect(by('max').message).toMatch(/expected at most 0, got 1$/);
  });
});

describe('lab daemons', () => {
  it('loads daemon scripts, args and files from the lab', () => {
    const spec = load();
    const r1 = spec.nodes.find((n) => n.name === 'r1')!;
    expect(r1.daemon?.script.file).toBe('labs/d/starter.ts');
    expect(r1.daemon?.solution?.source).toBe(SOLUTION);
    expect(r1.daemon?.args).toEqual(['-f', '/etc/d.conf']);
    expect(r1.files).toEqual({ '/etc/d.conf': 'phyint eth0' });
  });

  it('runs the solution daemon with its args and files; stop closes its socket (mrtsock_destruct); a second MRT_INIT gets EADDRINUSE', async () => {
    const run = new LabRun(load(), { solution: true });
    const report = await run.runAll();
    expect(report.steps.flatMap((s) => s.checks).filter((c) => !c.passed)).toEqual([]);
    expect(run.session.trace.events.some((e) => e.fn === 'daemon_log' && JSON.stringify(e.data).includes('labs/d/solution.ts -f /etc/d.conf phyint eth0'))).toBe(true);
    expect(run.session.trace.events.filter((e) => e.fn === 'mrtsock_destruct' && e.node === 'r1').length).toBeGreaterThanOrEqual(1);
    // The lab stopped r1's daemon (not a crash); the second daemon died of its uncaught EADDRINUSE, with its position.
    expect(report.daemonExits.map((e) => [e.file, e.crashed])).toEqual([
      ['labs/d/solution.ts', false],
      ['labs/d/second.ts', true],
    ]);
    expect(report.daemonExits[1]!.exit.message).toMatch(/^labs\/d\/second\.ts:2:13: uncaught OSError: .*EADDRINUSE/);
  });

  it('reports a starter crash with file:line:col, and fails the checks', async () => {
    const run = new LabRun(load());
    const report = await run.runAll();
    expect(report.passed).toBe(false);
    expect(report.daemonExits[0]).toMatchObject({ node: 'r1', file: 'labs/d/starter.ts', crashed: true });
    expect(report.daemonExits[0]!.exit.message).toMatch(/^labs\/d\/starter\.ts:4:\d+: uncaught Error: not written yet/);
  });

  it('--daemon replaces the node daemon: a student script passes', async () => {
    const run = new LabRun(load(), { daemons: new Map([['r1', { file: 'mine.ts', source: SOLUTION.replace('1);', 'true);') }]]) });
    expect((await run.runAll()).steps.flatMap((s) => s.checks).filter((c) => !c.passed).map((c) => c.name)).toEqual([]);
  });
});

describe('lab loader: daemons, files, SQL checks', () => {
  const errorsOf = (text: string, files: Record<string, string> = FILES): string[] => loadLabText(text, 'labs/d.yaml', memFiles({ ...files, 'labs/d.yaml': text })).errors.map(formatLabError);

  it('names file:line:col for a missing script, a daemon action on a node without a daemon, args without a script, and bad SQL expectations', () => {
    const missing = LAB.replace('solution: d/solution.ts', 'solution: d/nope.ts');
    expect(errorsOf(missing)).toEqual([`labs/d.yaml:${lines(missing, 'd/nope.ts')}: topology.nodes.r1.daemon.solution: daemon script labs/d/nope.ts does not exist`]);
    const noDaemon = LAB.replace('- daemon: { node: r1, do: stop }', '- daemon: { node: h1, do: stop }');
    expect(errorsOf(noDaemon)).toEqual([`labs/d.yaml:${lines(noDaemon, 'h1, do: stop')}: steps[1].actions[0].daemon.node: node "h1" has no daemon (give it topology.nodes.h1.daemon, or give this action a script)`]);
    const unknown = LAB.replace('- daemon: { node: r1, do: stop }', '- daemon: { node: r9, do: stop }');
    expect(errorsOf(unknown)).toEqual([`labs/d.yaml:${lines(unknown, 'r9, do: stop')}: steps[1].actions[0].daemon.node: node "r9" is not defined`]);
    const args = LAB.replace('- daemon: { node: r1, do: stop }', '- daemon: { node: r1, do: stop, args: [x] }');
    expect(errorsOf(args)).toEqual([`labs/d.yaml:${lines(args, '[x]')}: steps[1].actions[0].daemon.args: "args" goes with "script" (the node's own daemon takes topology.nodes.NODE.daemon.args)`]);
    const both = LAB.replace(', min: 1 }', ', min: 1, rows: 1 }');
    expect(errorsOf(both)[0]).toMatch(/^labs\/d\.yaml:\d+:\d+: steps\[0\]\.checks\[1\]\.sql: give "rows" or "equals"\/"min"\/"max", not both$/);
    const relPath = LAB.replace('files: { /etc/d.conf:', 'files: { etc/d.conf:');
    expect(errorsOf(relPath)).toEqual([`labs/d.yaml:${lines(relPath, 'etc/d.conf:')}: topology.nodes.r1.files: bad name "etc/d.conf"`]);
    const badDo = LAB.replace('do: stop }', 'do: pause }');
    expect(errorsOf(badDo)).toEqual([`labs/d.yaml:${lines(badDo, 'pause')}: steps[1].actions[0].daemon.do: must be one of "start", "stop", "restart", got "pause"`]);
  });

  it('never throws, whatever the text: every error has a file, a line and a column (fuzz)', () => {
    const mutate = fc.tuple(fc.nat(LAB.length), fc.nat(30), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(mutate, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = LAB;
        for (const [at, del, ins] of edits) text = text.slice(0, at) + ins + text.slice(at + del);
        const r = loadLabText(text, 'labs/d.yaml', memFiles(FILES));
        for (const e of r.errors) {
          expect(e.file).toBe('labs/d.yaml');
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.col).toBeGreaterThanOrEqual(1);
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300, seed: 8 },
    );
  });
});
