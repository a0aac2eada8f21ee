// labs/daemons/smcroute.ts against the real smcrouted 2.5: the same topology (sender — router — two
// receivers), the same smcroute.conf and the same traffic; the router's /proc/net/ip_mr_vif and
// /proc/net/ip_mr_cache (groups, origins, Iif, Oifs with their TTLs, and the counters) and what each
// receiver got must be equal. smcrouted runs in the router's namespace, in the foreground, with its
// socket and PID file in a temporary directory, and is killed (by its own pid) when the test ends.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Daemon } from '../../main/host/sandbox/daemon.js';
import { loadQuickJS } from '../../main/host/sandbox/quickjs.js';
import { destroyAllLabs, OracleLab, oracleGate } from './harness.js';
import { runEngine, runKernel, type Op, type OpResult } from './ipmr-ops.js';

const gate = oracleGate();
const SMCROUTED = '/usr/sbin/smcrouted';
const hasSmcrouted = spawnSync(SMCROUTED, ['-v']).status === 0;
if (!gate.ok) console.log(`smcroute oracle test skipped: ${gate.reason}`);
else if (!hasSmcrouted) console.log(`smcroute oracle test skipped: ${SMCROUTED} is not installed (apt install smcroute)`);

const DAEMON = readFileSync(new URL('../../labs/daemons/smcroute.ts', import.meta.url), 'utf8');
const running: ChildProcess[] = [];
const tmpDirs: string[] = [];

/** SIGTERM to each smcrouted we started, by its pid (`ip netns exec` execs it, so the child is smcrouted). */
function stopAll(): void {
  for (const c of running.splice(0)) if (c.exitCode === null && c.pid !== undefined) process.kill(c.pid, 'SIGTERM');
}

/** Node names get the `smc` prefix: the namespaces are rlw-PID-N-smc*, nobody else's. */
function topology(title: string): OracleLab {
  const lab = new OracleLab(['smcs', 'smcr', 'smch1', 'smch2'], title);
  lab.script(`
    smcr: link add r0 type veth peer name s0 netns {smcs}
    smcr: link add r1 type veth peer name h1 netns {smch1}
    smcr: link add r2 type veth peer name h2 netns {smch2}
    smcr: addr add 10.0.0.1/24 dev r0
    smcr: addr add 10.1.0.1/24 dev r1
    smcr: addr add 10.2.0.1/24 dev r2
    smcs: addr add 10.0.0.2/24 dev s0
    smch1: addr add 10.1.0.2/24 dev h1
    smch2: addr add 10.2.0.2/24 dev h2
    smcr: link set lo up
    smcr: link set r0 up
    smcr: link set r1 up
    smcr: link set r2 up
    smcs: link set s0 up
    smch1: link set h1 up
    smch2: link set h2 up
    smcs: route add default via 10.0.0.1
    smch1: route add default via 10.1.0.1
    smch2: route add default via 10.2.0.1
  `);
  return lab;
}

/** Starts the real smcrouted in `ns` and waits (≤ 5 s) until it says it is ready. */
function startSmcrouted(ns: string, conf: string, flags: string[]): { log: () => string } {
  const { log } = spawnSmcrouted(ns, conf, flags);
  const until = Date.now() + 5000;
  while (!log().includes('Ready, waiting') && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  if (!log().includes('Ready, waiting')) throw new Error(`smcrouted did not start:\n${log()}`);
  return { log };
}

/** smcrouted in `ns` with `conf` in a directory of its own, in the background (stopped by stopAll). */
function spawnSmcrouted(ns: string, conf: string, flags: string[]): { log: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'rlw-smcroute-'));
  tmpDirs.push(dir);
  writeFileSync(join(dir, 'smcroute.conf'), conf);
  const logFile = join(dir, 'log');
  const out = openSync(logFile, 'w');
  // -n: foreground, logging to stderr; -u/-P: socket and PID file of our own, so nothing clashes.
  const args = ['netns', 'exec', ns, SMCROUTED, '-n', ...flags, '-f', join(dir, 'smcroute.conf'), '-u', join(dir, 'sock'), '-P', join(dir, 'pid'), '-l', 'debug'];
  running.push(spawn('ip', args, { stdio: ['ignore', out, out] }));
  return { log: () => readFileSync(logFile, 'utf8') };
}

/** What a receiver's raw UDP socket read, without what the kernel randomises (IP id, UDP source port, checksums). */
function deliveries(r: OpResult): string[] {
  return ((r['msgs'] as string[] | undefined) ?? []).map((h) => {
    const b = Buffer.from(h, 'hex');
    const ihl = (b[0]! & 15) * 4;
    const a = (o: number): string => [...b.subarray(o, o + 4)].join('.');
    return `${a(12)} > ${a(16)} ttl ${b[8]} dport ${b.readUInt16BE(ihl + 2)} len ${b.length - ihl - 8}`;
  });
}

const CONF = `# The lab's smcroute.conf (the same file for smcrouted and smcroute.ts)
phyint r0 enable
phyint r2 enable ttl-threshold 3   # VIF 1: smcrouted numbers VIFs in phyint order
phyint r1 enable
mroute from r0 group 239.1.1.1 to r1 r2
mroute from r0 source 10.0.0.2 group 239.2.2.2 to r2
mroute from r0 group 239.3.0.0/16 to r1
mroute from r0 source 10.9.9.9 group 239.4.4.4 to r1
mroute from r0 group 239.5.5.5 to r1 r7
mgroup from r1 group 239.7.7.7
bogus line
`;

describe.skipIf(!gate.ok || !hasSmcrouted)('smcroute.ts against smcrouted 2.5', () => {
  afterAll(() => {
    stopAll();
    destroyAllLabs();
    for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
  });

  const cases = [
    ['with -N (phyint enables)', ['-N'], false],
    ['without -N (every multicast interface)', [], false],
    // The same lines, the middle ones moved to a file that `include` reads in their place.
    ['with -N, half of the file included', ['-N'], true],
  ] as const;
  for (const [title, flags, split] of cases) {
    it(`same MFC, VIFs and deliveries ${title}`, async () => {
      const lab = topology(`smcroute ${title}`);
      try {
        expect(lab.report()).toBe('');
        const n = (x: string): string => lab.names.get(x)!;
        const ifindex = (node: string, dev: string): number => lab.net.node(n(node)).devByName(dev)!.ifindex;
        const ops: Op[] = [
          { op: 'socket', ns: n('smch1'), name: 'rx1', type: 'raw', proto: 17 },
          { op: 'socket', ns: n('smch2'), name: 'rx2', type: 'raw', proto: 17 },
          ...['239.1.1.1', '239.3.4.5', '239.5.5.5', '239.9.9.9'].map((g): Op => ({ op: 'join', sock: 'rx1', group: g, ifindex: ifindex('smch1', 'h1') })),
          ...['239.1.1.1', '239.2.2.2', '239.4.4.4', '239.9.9.9'].map((g): Op => ({ op: 'join', sock: 'rx2', group: g, ifindex: ifindex('smch2', 'h2') })),
          { op: 'socket', ns: n('smcs'), name: 'tx', type: 'udp', proto: 0 },
          { op: 'sleep', s: 0.3 },
          // TTL 8: the kernel's default multicast TTL is 1, and a router forwards only TTL > threshold.
          // smcrouted answers NOCACHE asynchronously: a datagram sent while it installs an (S,G) can overtake
          // the ones queued on the unresolved entry. Waiting after each burst makes the arrival order deterministic.
          ...['239.1.1.1', '239.2.2.2', '239.3.4.5', '239.4.4.4', '239.5.5.5', '239.9.9.9'].flatMap((g): Op[] => [
            { op: 'udp', sock: 'tx', dst: g, port: 5000, ttl: 8, ifindex: ifindex('smcs', 's0'), count: 3, size: 12 },
            { op: 'sleep', s: 0.25 },
          ]),
          // TTL 3 reaches r1 (threshold 1) but not r2 (threshold 3): the packet's TTL must exceed it.
          { op: 'udp', sock: 'tx', dst: '239.1.1.1', port: 5001, ttl: 3, ifindex: ifindex('smcs', 's0'), count: 1, size: 4 },
          { op: 'sleep', s: 0.5 },
          { op: 'recv', sock: 'rx1' },
          { op: 'recv', sock: 'rx2' },
          { op: 'read', ns: n('smcr'), path: '/proc/net/ip_mr_vif' },
          { op: 'read', ns: n('smcr'), path: '/proc/net/ip_mr_cache' },
          { op: 'ip', ns: n('smcr'), args: 'maddr show dev r1' },
        ];
        // The included file lives at the same absolute path for both daemons (ours reads it from `files`).
        const conf = split ? withInclude(CONF) : { main: CONF, included: {} };
        const files = { '/etc/smcroute.conf': conf.main, ...conf.included };
        const d = Daemon.start(await loadQuickJS(), lab.net.node(n('smcr')), { file: 'smcroute.ts', source: DAEMON, args: [...flags], files });
        const model = runEngine(lab, ops);
        expect(d.exit).toBeNull();
        const real = startSmcrouted(n('smcr'), conf.main, [...flags]);
        const kernel = runKernel(ops);
        const show = (rs: OpResult[]): string[] => [
          `h1: ${deliveries(rs.at(-5)!).join('\n    ')}`,
          `h2: ${deliveries(rs.at(-4)!).join('\n    ')}`,
          String(rs.at(-3)!['text']),
          String(rs.at(-2)!['text']),
          String(rs.at(-1)!['stdout']), // mgroup's join, as `ip maddr` shows it
        ];
        const k = show(kernel);
        if (process.env['RLW_SMCROUTE_DUMP']) console.log(k.join('\n'), '\n', real.log());
        expect(show(model)).toEqual(k);
        // The comparison must have something in it: both receivers got traffic, and learned entries exist.
        expect(k[0]).toContain('239.3.4.5');
        expect(k[1]).toContain('239.2.2.2');
        expect(k[3]!.split('\n').length).toBeGreaterThan(5);
        expect(k[4]).toContain('inet  239.7.7.7');
      } finally {
        stopAll();
        lab.destroy();
      }
    }, 30_000);
  }

  // mrdisc (RFC 4286): a raw IGMP socket on h1 joined to All-Snoopers reads the router's Advertisements for
  // 11 s. Both daemons start 1 s after that socket exists (smcrouted by its own -d 1, ours by the simulation),
  // with -m 4: advertisements at 1, 5 and 9 s, plus the answer to a Solicitation at 7 s, so the count is 4
  // with about 2 s of slack either side of every timer tick.
  it('same mrdisc advertisements (bytes and count) on the mrdisc interface only', async () => {
    const lab = topology('smcroute mrdisc');
    try {
      expect(lab.report()).toBe('');
      const n = (x: string): string => lab.names.get(x)!;
      const ifindex = (node: string, dev: string): number => lab.net.node(n(node)).devByName(dev)!.ifindex;
      const conf = 'phyint r0 enable\nphyint r1 enable mrdisc\nphyint r2 enable\n';
      const flags = ['-N', '-m', '4'];
      const ops: Op[] = [
        { op: 'socket', ns: n('smch1'), name: 'snoop1', type: 'raw', proto: 2 },
        { op: 'join', sock: 'snoop1', group: '224.0.0.106', ifindex: ifindex('smch1', 'h1') },
        { op: 'socket', ns: n('smch2'), name: 'snoop2', type: 'raw', proto: 2 },
        { op: 'join', sock: 'snoop2', group: '224.0.0.106', ifindex: ifindex('smch2', 'h2') },
        // A Solicitation (0x31 to All-Routers) at 7 s, between two ticks: answered at once, with interval 4.
        { op: 'sleep', s: 7 },
        { op: 'rawsend', sock: 'snoop1', dst: '224.0.0.2', hex: '3100ceff00000000', ttl: 1, ifindex: ifindex('smch1', 'h1') },
        { op: 'sleep', s: 4 },
        { op: 'recv', sock: 'snoop1' },
        { op: 'recv', sock: 'snoop2' },
      ];
      const qjs = await loadQuickJS();
      let d: Daemon | null = null;
      lab.net.sim.schedule(1_000_000_000, () => {
        d = Daemon.start(qjs, lab.net.node(n('smcr')), { file: 'smcroute.ts', source: DAEMON, args: flags, files: { '/etc/smcroute.conf': conf } });
      });
      const model = runEngine(lab, ops);
      expect(d!.exit).toBeNull();
      const real = spawnSmcrouted(n('smcr'), conf, [...flags, '-d', '1']);
      const kernel = runKernel(ops);
      if (process.env['RLW_SMCROUTE_DUMP']) console.log(JSON.stringify(kernel.slice(-2)), '\n', real.log());
      const show = (rs: OpResult[]): string[][] => [advertisements(rs.at(-2)!), advertisements(rs.at(-1)!)];
      const k = show(kernel);
      expect(show(model)).toEqual(k);
      // Something to compare: 4 advertisements on h1's LAN (r1 has mrdisc), none on h2's.
      // smcrouted applies -m after reading its config: the first advertisement, sent while reading it, says 20.
      expect(k[0]!.map((x) => x.split(' igmp ')[1])).toEqual(['30 14 cfeb 0000 0000', '30 04 cffb 0000 0000', '30 04 cffb 0000 0000', '30 04 cffb 0000 0000']);
      expect(k[1]).toEqual([]);
      // Both set Router Alert with IP_OPTIONS (so the header is 24 bytes; its option is compared here).
      expect(routerAlerts(kernel.at(-2)!)).toEqual([true, true, true, true]);
      expect(routerAlerts(model.at(-2)!)).toEqual([true, true, true, true]);
      expect(real.log()).toContain('Received mrdisc solicitation');
    } finally {
      stopAll();
      lab.destroy();
    }
  }, 40_000);
});

/** CONF with its lines 3-9 (two phyints and the mroutes) moved to an included file in a temporary directory. */
function withInclude(conf: string): { main: string; included: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'rlw-smcroute-inc-'));
  tmpDirs.push(dir);
  const lines = conf.split('\n');
  const path = join(dir, 'routes.conf');
  writeFileSync(path, lines.slice(2, 9).join('\n') + '\n');
  return { main: [...lines.slice(0, 2), `include ${path}`, ...lines.slice(9)].join('\n'), included: { [path]: readFileSync(path, 'utf8') } };
}

/** The mrdisc Advertisements (IGMP type 0x30 to 224.0.0.106) a raw IGMP socket read, header fields that are
 *  not random (IP id and header checksum are) and the IGMP message in hex. */
function advertisements(r: OpResult): string[] {
  return ((r['msgs'] as string[] | undefined) ?? []).flatMap((h) => {
    const b = Buffer.from(h, 'hex');
    const ihl = (b[0]! & 15) * 4;
    const a = (o: number): string => [...b.subarray(o, o + 4)].join('.');
    const igmp = b.subarray(ihl).toString('hex');
    if (a(16) !== '224.0.0.106' || b[9] !== 2 || b[ihl] !== 0x30) return [];
    return [`${a(12)} > ${a(16)} ttl ${b[8]} tos ${b[1]} df ${(b[6]! >> 6) & 1} igmp ${igmp.slice(0, 2)} ${igmp.slice(2, 4)} ${igmp.slice(4, 8)} ${igmp.slice(8, 12)} ${igmp.slice(12)}`];
  });
}

/** For each Advertisement: did its IP header carry the Router Alert option (94 04 00 00)? */
function routerAlerts(r: OpResult): boolean[] {
  return ((r['msgs'] as string[] | undefined) ?? []).flatMap((h) => {
    const b = Buffer.from(h, 'hex');
    const ihl = (b[0]! & 15) * 4;
    if (b[ihl] !== 0x30) return [];
    return [b.subarray(20, ihl).toString('hex').includes('94040000')];
  });
}
