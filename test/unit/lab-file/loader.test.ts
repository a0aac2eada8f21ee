import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLabError } from '../../../main/host/lab/lab-errors.js';
import { loadLabText } from '../../../main/host/lab/lab-file.js';
import { LAB_SCHEMA } from '../../../main/host/lab/lab-schema.js';
import { memFiles, R1_STARTUP, SMALL_LAB } from './files.js';

const FILE = 'labs/x.yaml';
const io = memFiles({ 'labs/r1.startup': R1_STARTUP });

function errorsOf(text: string, files: Record<string, string> = { 'labs/r1.startup': R1_STARTUP }): string[] {
  const r = loadLabText(text, FILE, memFiles(files));
  expect(r.ok).toBe(false);
  return r.errors.map(formatLabError);
}

/** 1-based line and column of the first occurrence of `needle` in `text` (after `after`, if given). */
function posOf(text: string, needle: string, after = ''): string {
  const i = text.indexOf(needle, after ? text.indexOf(after) : 0);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe('lab file loader', () => {
  it('turns a valid lab into a LabSpec with topology, start commands and their positions, and steps', () => {
    const r = loadLabText(SMALL_LAB, FILE, io);
    if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
    const s = r.spec;
    expect([s.name, s.title, s.seed, s.profile, s.description]).toEqual(['small', 'Small', 7, 'modern', '']);
    expect(s.nodes.map((n) => [n.name, n.role])).toEqual([['src', 'host'], ['rcv1', 'host'], ['rcv2', 'host'], ['r1', 'router']]);
    expect(s.nodes[0]!.startup).toEqual(['ip addr add 10.2.0.10/24 dev eth0', 'ip link set eth0 up']);
    expect(s.nodes[0]!.startupSource).toEqual({ file: FILE, lines: [8, 9] });
    // From the .startup file next to the lab: comments and blank lines skipped, their own line numbers.
    expect(s.nodes[3]!.startup).toEqual(['ip addr add 10.1.0.1/24 dev eth0', 'ip link set eth0 up']);
    expect(s.nodes[3]!.startupSource).toEqual({ file: 'labs/r1.startup', lines: [2, 4] });
    expect(s.links).toEqual([{ endpoints: [{ node: 'r1', iface: 'eth0' }, { node: 'src', iface: 'eth1' }] }]);
    expect(s.segments).toEqual([{ name: 'lanb', members: [{ node: 'src', iface: 'eth0' }, { node: 'rcv1', iface: 'eth0' }, { node: 'rcv2', iface: 'eth0' }] }]);
    const step = s.steps![0]!;
    expect(step.actions.map((a) => a.type)).toEqual(['udp-receiver', 'udp-receiver', 'udp-sender', 'wait']);
    expect(step.actions[2]).toMatchObject({ type: 'udp-sender', interval: 100_000_000, count: 5, iface: 'eth0' });
    expect(step.actions[3]).toMatchObject({ type: 'wait', duration: 2_000_000_000 });
    expect(`${step.actions[3]!.at!.line}:${step.actions[3]!.at!.col}`).toBe(posOf(SMALL_LAB, 'wait: 2s'));
    expect(step.checks[0]).toMatchObject({ type: 'delivery', name: 'rx1-got-all', points: 1, receiver: 'rx1', packets: 5 });
    expect(s.layout).toBeUndefined();
  });

  it('reads node positions from NAME.layout.json next to the lab', () => {
    const r = loadLabText(SMALL_LAB, FILE, memFiles({ 'labs/r1.startup': R1_STARTUP, 'labs/x.layout.json': '{"nodes": {"r1": {"x": 10, "y": 20}}}' }));
    expect(r.ok && r.spec.layout).toEqual({ r1: { x: 10, y: 20 } });
    const bad = errorsOf(SMALL_LAB, { 'labs/r1.startup': R1_STARTUP, 'labs/x.layout.json': '{"nodes": {\n  "r9": {"x": 1, "y": 2}}}' });
    expect(bad).toEqual(['labs/x.layout.json:2:3: nodes.r9: node "r9" is not defined in the lab']);
  });

  it('names file:line:col and the field of an unknown node in a link', () => {
    const text = SMALL_LAB.replace('["r1:eth0", "src:eth1"]', '["r9:eth0", "src:eth1"]');
    expect(errorsOf(text)).toEqual([`labs/x.yaml:${posOf(text, '"r9:eth0"')}: topology.links[0].endpoints[0]: node "r9" is not defined`]);
  });

  it('reports YAML syntax errors with their position', () => {
    const text = SMALL_LAB.replace('  links:\n', '  links:\n   - endpoints: ["a:b"\n');
    const errs = errorsOf(text);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]).toMatch(/^labs\/x\.yaml:\d+:\d+: /);
    expect(errorsOf('a: 1\na: 2\n')).toEqual(['labs/x.yaml:2:1: Map keys must be unique']);
  });

  it('reports schema violations at the offending node or key, in words', () => {
    const unknown = SMALL_LAB.replace('    r1:\n      role: router', '    r1:\n      rol: router');
    expect(errorsOf(unknown)).toEqual([`labs/x.yaml:${posOf(unknown, 'rol:')}: topology.nodes.r1: unknown field "rol"`]);
    const missing = SMALL_LAB.replace('title: Small\n', '');
    expect(errorsOf(missing)).toEqual(['labs/x.yaml:1:1: missing required field "title"']);
    const endpoint = SMALL_LAB.replace('"src:eth1"]', '"src"]');
    expect(errorsOf(endpoint)).toEqual([`labs/x.yaml:${posOf(endpoint, '"src"]')}: topology.links[0].endpoints[1]: must be an endpoint "node:iface" (e.g. "r1:eth0"), got "src"`]);
    const wait = SMALL_LAB.replace('wait: 2s', 'wait: soon');
    expect(errorsOf(wait)).toEqual([`labs/x.yaml:${posOf(wait, 'soon')}: steps[0].actions[3].wait: must be a number of seconds or a duration such as "500ms", "2s", got "soon"`]);
    const two = SMALL_LAB.replace('      - wait: 2s\n', '      - wait: 2s\n        ping: { node: r1, dst: 10.1.0.1 }\n');
    expect(errorsOf(two)[0]).toMatch(/steps\[0\]\.actions\[3\]: an action is an object with exactly one key/);
    const port = SMALL_LAB.replace('port: 5000, group', 'port: 70000, group');
    expect(errorsOf(port)).toEqual([`labs/x.yaml:${posOf(port, '70000')}: steps[0].actions[0].udp-receiver.port: must be <= 65535, got 70000`]);
  });

  it('rejects a duplicate address, naming where it was first assigned', () => {
    const text = SMALL_LAB.replace('10.2.0.22/24', '10.2.0.21/24');
    expect(errorsOf(text)).toEqual([`labs/x.yaml:${posOf(text, '"ip addr add 10.2.0.21/24', 'rcv2:')}: topology.nodes.rcv2: address 10.2.0.21 is already assigned (rcv1, labs/x.yaml:11)`]);
    // In a .startup file: the position is in that file.
    const dup = errorsOf(SMALL_LAB, { 'labs/r1.startup': 'ip link set eth0 up\n  ip a a 10.2.0.10/32 dev lo\n' });
    expect(dup).toEqual(['labs/r1.startup:2:3: topology.nodes.r1: address 10.2.0.10 is already assigned (src, labs/x.yaml:8)']);
  });

  it('rejects an interface used twice, a missing startup file and exec with startup', () => {
    const twice = SMALL_LAB.replace('"rcv2:eth0"]', '"rcv1:eth0"]');
    expect(errorsOf(twice)).toEqual([`labs/x.yaml:${posOf(twice, '"rcv1:eth0"]')}: topology.lans.lanb[2]: interface rcv1:eth0 is already connected (topology.lans.lanb[1])`]);
    expect(errorsOf(SMALL_LAB, {})).toEqual([`labs/x.yaml:${posOf(SMALL_LAB, 'r1.startup')}: topology.nodes.r1.startup: startup file labs/r1.startup does not exist`]);
  });

  it('rejects bad checks: unknown receiver, no or two kinds, bad regex, duplicate names, count and min together', () => {
    const rx = SMALL_LAB.replace('receiver: rx2, packets', 'receiver: rx3, packets');
    expect(errorsOf(rx)).toEqual([`labs/x.yaml:${posOf(rx, 'rx3')}: steps[0].checks[1].delivery.receiver: receiver "rx3" is not started by a udp-receiver action of this or an earlier step`]);
    const none = SMALL_LAB.replace('        delivery: { receiver: rx2, packets: 0 }\n', '');
    expect(errorsOf(none)).toEqual([`labs/x.yaml:${posOf(none, 'name: rx2-got-none')}: steps[0].checks[1]: a check needs one of "command", "delivery", "trace", "sql"`]);
    const both = SMALL_LAB.replace('        delivery: { receiver: rx2, packets: 0 }\n', '        delivery: { receiver: rx2, packets: 0 }\n        trace: { fn: ip_rcv }\n');
    expect(errorsOf(both)[0]).toMatch(/steps\[0\]\.checks\[1\]: a check has one kind, got "delivery" and "trace"$/);
    const re = SMALL_LAB.replace('        delivery: { receiver: rx2, packets: 0 }\n', '        command: { node: r1, run: ip route, regex: "a(b" }\n');
    expect(errorsOf(re)).toEqual([`labs/x.yaml:${posOf(re, '"a(b"')}: steps[0].checks[1].command.regex: bad regular expression: Invalid regular expression: /a(b/m: Unterminated group`]);
    const dupName = SMALL_LAB.replace('name: rx2-got-none', 'name: rx1-got-all');
    expect(errorsOf(dupName)[0]).toMatch(/steps\[0\]\.checks\[1\]\.name: check name "rx1-got-all" is used twice$/);
    const minMax = SMALL_LAB.replace('packets: 0 }', 'packets: 0, min: 1 }');
    expect(errorsOf(minMax)[0]).toMatch(/steps\[0\]\.checks\[1\]\.delivery: give "packets" or "min"\/"max", not both$/);
  });

  it('never throws, whatever the text: every error has a file, a line and a column (fuzz)', () => {
    const mutate = fc.tuple(fc.nat(SMALL_LAB.length), fc.nat(40), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(mutate, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = SMALL_LAB;
        for (const [at, del, ins] of edits) text = text.slice(0, at) + ins + text.slice(at + del);
        const r = loadLabText(text, FILE, io);
        for (const e of r.errors) {
          expect(e.file === FILE || e.file === 'labs/r1.startup').toBe(true);
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.col).toBeGreaterThanOrEqual(1);
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400, seed: 42 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = loadLabText(JSON.stringify(v), FILE, io);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('lab schema', () => {
  it('is published unchanged in labs/schema/lab.schema.json', () => {
    expect(JSON.parse(readFileSync('labs/schema/lab.schema.json', 'utf8'))).toEqual(LAB_SCHEMA);
  });

  it('is named by every lab file for editors (yaml-language-server)', () => {
    const labs = readdirSync('labs').filter((f) => f.endsWith('.yaml'));
    expect(labs.length).toBeGreaterThan(0);
    for (const f of labs) expect(readFileSync(`labs/${f}`, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=schema/lab.schema.json');
  });
});
