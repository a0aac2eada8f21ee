import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../main/host/cli/workbench.js';
import { importClab } from '../../../main/host/lab/import-clab.js';
import { importKathara, KatharaImportError } from '../../../main/host/lab/import-kathara.js';
import { formatLabError } from '../../../main/host/lab/lab-errors.js';
import { loadLabText } from '../../../main/host/lab/lab-file.js';
import { labToYaml } from '../../../main/host/lab/lab-yaml.js';
import { LabSession } from '../../../main/host/lab/session.js';
import type { LabSpec } from '../../../main/host/lab/spec.js';
import { memFiles } from './files.js';

// The containerlab example of shared/conventions.md, with a bridge for a LAN and exec on the hosts.
const CLAB = `name: mcast-lab1

topology:
  defaults:
    kind: linux
  kinds:
    linux:
      image: alpine:3
  nodes:
    r1:
      image: quay.io/frrouting/frr:10.5.1
      exec:
        - sysctl -w net.ipv4.ip_forward=1
    src:
      exec:
        - ip addr add 10.1.0.11/24 dev eth1
    rcv:
      exec:
        - ip addr add 10.2.0.20/24 dev eth1
    rcv2:
      exec: ["ip addr add 10.2.0.21/24 dev eth1"]
    lan2:
      kind: bridge

  links:
    - endpoints: ["src:eth1", "r1:eth1"]
      ipv4: ["10.1.0.10/24", "10.1.0.1/24"]
    - type: veth
      mtu: 1500
      endpoints:
        - node: r1
          interface: eth2
          ipv4: 10.2.0.1/24
        - node: lan2
          interface: r1port
    - endpoints: ["rcv:eth1", "lan2:p2"]
    - endpoints: ["rcv2:eth1", "lan2:p3"]
`;

function runs(spec: LabSpec): LabSession {
  const s = new LabSession(spec);
  expect(s.startupErrors).toEqual([]);
  return s;
}

describe('containerlab import', () => {
  it('maps nodes, exec, brief and veth links, link addresses and bridges (as LANs) to a LabSpec that runs', () => {
    const r = importClab(CLAB, 'x.clab.yml');
    if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
    const { spec } = r;
    expect(spec.nodes.map((n) => [n.name, n.role])).toEqual([['r1', 'router'], ['src', 'host'], ['rcv', 'host'], ['rcv2', 'host']]);
    expect(spec.links).toEqual([{ endpoints: [{ node: 'src', iface: 'eth1' }, { node: 'r1', iface: 'eth1' }] }]);
    expect(spec.segments).toEqual([{ name: 'lan2', members: [{ node: 'r1', iface: 'eth2' }, { node: 'rcv', iface: 'eth1' }, { node: 'rcv2', iface: 'eth1' }] }]);
    expect(spec.nodes[0]!.startup).toEqual([
      'ip addr add 10.1.0.1/24 dev eth1',
      'ip link set dev eth2 mtu 1500',
      'ip addr add 10.2.0.1/24 dev eth2',
      'ip link set dev eth1 up',
      'ip link set dev eth2 up',
      'sysctl -w net.ipv4.ip_forward=1',
    ]);
    expect(spec.nodes[1]!.startup).toEqual(['ip addr add 10.1.0.10/24 dev eth1', 'ip link set dev eth1 up', 'ip addr add 10.1.0.11/24 dev eth1']);
    const s = runs(spec);
    expect(s.runCommand('r1', 'ping -c 1 10.2.0.21').stdout).toContain('1 received');
    expect(s.runCommand('src', 'ping -c 1 10.1.0.1').stdout).toContain('1 received');
  });

  it('reports unknown nodes and unmodelled link types at file:line:col', () => {
    const bad = CLAB.replace('["rcv:eth1", "lan2:p2"]', '["rcv9:eth1", "lan2:p2"]').replace('  links:\n', '  links:\n    - type: macvlan\n      endpoints: ["r1:eth9", "host:eno1"]\n');
    const r = importClab(bad, 'x.clab.yml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = bad.split('\n');
    const macvlan = lines.findIndex((l) => l.includes('macvlan')) + 1;
    const rcv9 = lines.findIndex((l) => l.includes('rcv9')) + 1;
    expect(r.errors.map(formatLabError)).toEqual([
      `x.clab.yml:${macvlan}:13: topology.links[0].type: link type "macvlan" is not modelled (only veth links and bridges)`,
      `x.clab.yml:${rcv9}:19: topology.links[3].endpoints[0]: node "rcv9" is not defined`,
    ]);
    expect(importClab('name: x\ntopology: [\n', 'y.yml').ok).toBe(false);
  });
});

const LAB_CONF = `LAB_DESCRIPTION="Two routers, one multicast source, one receiver"
LAB_VERSION=1.0
LAB_AUTHOR="Course staff"

r1[0]="SRCNET"
r1[1]="CORE"
r1[image]="kathara/frr"
r1[sysctl]="net.ipv4.conf.all.rp_filter=0"

r2[0]="CORE"
r2[1]="RCVNET"
r2[image]="kathara/frr"
r2[exec]="sysctl -w net.ipv4.ip_forward=1"

src[0]="SRCNET/02:00:00:00:00:10"
rcv[0]="RCVNET"
rcv[mem]=128m
`;

const KFILES = {
  'k/lab.conf': LAB_CONF,
  'k/r1.startup': '# r1.startup\nip addr add 10.1.0.1/24 dev eth0\nip addr add 10.0.12.1/30 dev eth1\n',
  'k/r2.startup': 'ip addr add 10.0.12.2/30 dev eth0\nip addr add 10.2.0.1/24 dev eth1\n',
  'k/src.startup': 'ip addr add 10.1.0.10/24 dev eth0\n',
  'k/rcv.startup': 'ip addr add 10.2.0.20/24 dev eth0\n',
};

function katharaError(conf: string): string {
  try {
    importKathara('k', memFiles({ ...KFILES, 'k/lab.conf': conf }));
  } catch (e) {
    if (e instanceof KatharaImportError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('Kathara import', () => {
  it('maps collision domains to LANs, ethN to interface numbers, sysctl/exec metas and .startup files, and runs', () => {
    const { spec } = importKathara('k', memFiles(KFILES));
    expect(spec.title).toBe('Two routers, one multicast source, one receiver');
    expect(spec.segments).toEqual([
      { name: 'SRCNET', members: [{ node: 'r1', iface: 'eth0' }, { node: 'src', iface: 'eth0' }] },
      { name: 'CORE', members: [{ node: 'r1', iface: 'eth1' }, { node: 'r2', iface: 'eth0' }] },
      { name: 'RCVNET', members: [{ node: 'r2', iface: 'eth1' }, { node: 'rcv', iface: 'eth0' }] },
    ]);
    const r1 = spec.nodes.find((n) => n.name === 'r1')!;
    expect(r1.startup).toEqual(['sysctl -w net.ipv4.conf.all.rp_filter=0', 'ip link set dev eth0 up', 'ip link set dev eth1 up', 'ip addr add 10.1.0.1/24 dev eth0', 'ip addr add 10.0.12.1/30 dev eth1']);
    expect(r1.startupSource).toEqual({ file: 'k/r1.startup', lines: [1, 1, 1, 2, 3] });
    expect(spec.nodes.map((n) => [n.name, n.role])).toEqual([['r1', 'router'], ['r2', 'router'], ['src', 'host'], ['rcv', 'host']]);
    const s = runs(spec);
    expect(s.runCommand('r2', 'ping -c 1 10.0.12.1').stdout).toContain('1 received');
    expect(s.runCommand('r2', 'sysctl -n net.ipv4.ip_forward').stdout).toBe('1\n');
  });

  it('reports errors as Kathara does: "In lab.conf - Line N: ..."', () => {
    expect(katharaError(LAB_CONF.replace('rcv[mem]=128m', 'rcv[mem]=128m\nthis is wrong'))).toBe('In lab.conf - Line 18: `this is wrong`.');
    expect(katharaError('pc1[0]=A\nshared[0]=A\n')).toBe('In lab.conf - Line 2: `shared` is a reserved name, you can not use it for a device.');
    expect(katharaError('pc1[0]="A.B"\n')).toBe('In lab.conf - Line 1: Collision domain `A.B` contains non-alphanumeric characters.');
    expect(katharaError('pc1[0]=A\npc1[0]=B\n')).toBe('Interface 0 already set on device `pc1`.');
    expect(katharaError('pc1[0]=A\npc1[1]=A\n')).toBe('Device `pc1` is already connected to collision domain `A`.');
    expect(katharaError('')).toBe('lab.conf file is empty.');
    expect(() => importKathara('nowhere', memFiles({}))).toThrow('No lab.conf in given directory.');
  });

  it('writes imports as lab files that validate and load back to the same topology', () => {
    for (const spec of [importKathara('k', memFiles(KFILES)).spec, (importClab(CLAB, 'x.clab.yml') as { spec: LabSpec }).spec]) {
      const text = labToYaml(spec);
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=schema/lab.schema.json');
      const r = loadLabText(text, 'labs/imported.yaml', memFiles({}));
      if (!r.ok) throw new Error(r.errors.map(formatLabError).join('\n'));
      expect(r.spec.nodes.map((n) => [n.name, n.role, n.startup])).toEqual(spec.nodes.map((n) => [n.name, n.role, n.startup]));
      expect(r.spec.links).toEqual(spec.links);
      expect(r.spec.segments).toEqual(spec.segments);
    }
  });
});

describe('imports never crash (fuzz)', () => {
  const edits = fc.array(fc.tuple(fc.nat(600), fc.nat(30), fc.string({ maxLength: 10 })), { minLength: 1, maxLength: 4 });
  const apply = (text: string, es: Array<[number, number, string]>): string => es.reduce((t, [at, del, ins]) => t.slice(0, at) + ins + t.slice(at + del), text);

  it('containerlab: a result or errors with positions', () => {
    fc.assert(
      fc.property(edits, (es) => {
        const r = importClab(apply(CLAB, es), 'x.clab.yml');
        if (!r.ok) for (const e of r.errors) expect(e.line >= 1 && e.col >= 1 && e.message.length > 0).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('Kathara: a result or a KatharaImportError', () => {
    fc.assert(
      fc.property(edits, (es) => {
        try {
          importKathara('k', memFiles({ ...KFILES, 'k/lab.conf': apply(LAB_CONF, es) }));
        } catch (e) {
          expect(e).toBeInstanceOf(KatharaImportError);
        }
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe('workbench lab import', () => {
  function cli(files: Record<string, string>) {
    const o = { stdout: '', stderr: '' };
    const io: CliIO = { out: (t) => void (o.stdout += t), err: (t) => void (o.stderr += t), readFile: (p) => memFiles(files).readFile(p) };
    return { o, io };
  }

  it('prints a lab file for a containerlab topology or a Kathara lab, and Kathara\'s error text', () => {
    const c = cli({ 'x.clab.yml': CLAB });
    expect(main(['lab', 'import', 'x.clab.yml'], c.io)).toBe(0);
    expect(c.o.stdout).toMatch(/^# yaml-language-server: \$schema=schema\/lab\.schema\.json\nname: mcast-lab1\n/);
    const k = cli(KFILES);
    expect(main(['lab', 'import', 'k/lab.conf'], k.io)).toBe(0);
    expect(k.o.stdout).toContain('    SRCNET: [ r1:eth0, src:eth0 ]\n');
    const bad = cli({ ...KFILES, 'k/lab.conf': 'pc1[0]=A\nnonsense\n' });
    expect(main(['lab', 'import', 'k'], bad.io)).toBe(1);
    expect(bad.o.stderr).toBe('In lab.conf - Line 2: `nonsense`.\n');
  });
});
