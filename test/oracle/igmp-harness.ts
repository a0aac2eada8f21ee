// IGMP differential runs: the same schedule of socket operations on a host namespace `h` and of IGMP
// queries from a router namespace `r` (veth h0 — r0), once on the real kernel (driven by
// igmp-driver/driver.py inside the namespaces) and once in the engine. Both give the IGMP datagrams
// that reached r0 (bytes and time since the start), each operation's errno and /proc snapshots.

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipCommand } from '../../engine/iproute2/ip.js';
import { writeProcFile, readProcFile } from '../../engine/iproute2/procfs.js';
import { sendIgmpQuery } from '../../engine/apps/querier.js';
import { KernelError, Errno } from '../../engine/net/errno.js';
import type { Netns } from '../../engine/net/netns.js';
import { MemorySink } from '../../engine/sim/trace.js';
import { NSEC_PER_MSEC, NSEC_PER_SEC } from '../../engine/sim/time.js';
import { IPPROTO_IP, IP_ADD_MEMBERSHIP, IP_ADD_SOURCE_MEMBERSHIP, IP_BLOCK_SOURCE, IP_DROP_MEMBERSHIP, IP_DROP_SOURCE_MEMBERSHIP, IP_MSFILTER, IP_UNBLOCK_SOURCE } from '../../engine/socket/constants.js';
import { setsockopt } from '../../engine/socket/sockopt.js';
import type { UdpSocket } from '../../engine/ipv4/udp.js';
import { encodeIgmp, type IgmpMessage } from '../../engine/wire/igmp.js';
import { parseIpv4 } from '../../engine/wire/inet.js';
import { OracleLab } from './harness.js';

export const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'igmp-driver', 'driver.py');

export type HostOp = 'join' | 'leave' | 'add_src' | 'drop_src' | 'block' | 'unblock' | 'msfilter' | 'close' | 'dump' | 'ip';

export interface HostStep {
  at: number;
  op: HostOp;
  sock?: string;
  group?: string;
  ifindex?: number;
  address?: string;
  interface?: string;
  source?: string;
  fmode?: number;
  sources?: string[];
  /** op 'ip': the command's arguments */
  args?: string;
}

export interface QueryStep {
  at: number;
  msg: IgmpMessage;
  dst: string;
}

export interface IgmpScenario {
  title: string;
  /** sysctl keys (net.ipv4....) set on the host before the start. */
  hostSysctls?: Record<string, number>;
  steps: HostStep[];
  queries?: QueryStep[];
  /** ms */
  duration: number;
  /** More `node: ip ...` lines after the common setup (run in both worlds). */
  setup?: string;
}

export interface StepResult {
  op: string;
  err?: string;
  igmp?: string;
  mcfilter?: string;
  /** Outputs of MADDR_CMDS. */
  maddr?: string[];
}

/** The `ip` commands a dump runs (the same list as MADDR_CMDS in driver.py). */
export const MADDR_CMDS = ['maddr show', '-4 -o maddr', '-j maddr show dev h0', '-0 maddr lst h0'];

export interface IgmpRun {
  packets: Array<{ t: number; hex: string }>;
  results: StepResult[];
}

const SETUP = `
h: link set lo up
r: link set lo up
h: link add h0 type veth peer name r0 netns {r}
h: addr add 10.0.0.2/24 dev h0
r: addr add 10.0.0.1/24 dev r0
h: link set h0 up
r: link set r0 up
`;

function ip4(s: string): number {
  const a = parseIpv4(s);
  if (a === null) throw new Error(`bad address ${s}`);
  return a;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}\n${err}`))));
  });
}

/** Runs `python3 driver.py MODE START ...` inside namespace `ns`; resolves with its last stdout line as JSON. */
export async function driver<T>(ns: string, mode: string, start: number, args: string[]): Promise<T> {
  const out = await run('ip', ['netns', 'exec', ns, 'python3', DRIVER, mode, String(start), ...args]);
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

export function sysctlPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

export function setRealSysctl(ns: string, key: string, value: number): Promise<string> {
  return run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `${key}=${value}`]);
}

/** One operation on a model socket, through setsockopt as a C program would do it. */
export function modelOp(sk: UdpSocket, s: HostStep): string {
  try {
    switch (s.op) {
      case 'join':
      case 'leave':
        setsockopt(sk, IPPROTO_IP, s.op === 'join' ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, { multiaddr: ip4(s.group!), address: ip4(s.address ?? '0.0.0.0'), ifindex: s.ifindex ?? 0 }, 12);
        break;
      case 'add_src':
      case 'drop_src':
      case 'block':
      case 'unblock': {
        const opt = { add_src: IP_ADD_SOURCE_MEMBERSHIP, drop_src: IP_DROP_SOURCE_MEMBERSHIP, block: IP_BLOCK_SOURCE, unblock: IP_UNBLOCK_SOURCE }[s.op];
        setsockopt(sk, IPPROTO_IP, opt, { multiaddr: ip4(s.group!), interface: ip4(s.interface!), sourceaddr: ip4(s.source!) }, 12);
        break;
      }
      case 'msfilter':
        setsockopt(sk, IPPROTO_IP, IP_MSFILTER, { multiaddr: ip4(s.group!), interface: ip4(s.interface!), fmode: s.fmode!, slist: s.sources!.map(ip4) });
        break;
      default:
        throw new Error(`not a socket option: ${s.op}`);
    }
    return 'ok';
  } catch (e) {
    if (e instanceof KernelError) return Errno[e.errno]!;
    throw e;
  }
}

function runModel(lab: OracleLab, h: Netns, r: Netns, sc: IgmpScenario): IgmpRun {
  const net = lab.net;
  const sink = new MemorySink();
  net.sim.trace.addSink(sink);
  for (const [k, v] of Object.entries(sc.hostSysctls ?? {})) writeProcFile(h, sysctlPath(k), `${v}\n`);
  net.sim.run({ until: net.sim.now + NSEC_PER_SEC });
  const t0 = net.sim.now;
  const socks = new Map<string, UdpSocket>();
  const results: StepResult[] = [];
  for (const s of sc.steps) {
    net.sim.at(t0 + s.at * NSEC_PER_MSEC, () => {
      if (s.op === 'dump') {
        const maddr = MADDR_CMDS.map((c) => ipCommand(h, c.split(' ')).stdout);
        results.push({ op: s.op, igmp: readProcFile(h, '/proc/net/igmp'), mcfilter: readProcFile(h, '/proc/net/mcfilter'), maddr });
        return;
      }
      if (s.op === 'ip') {
        const rc = ipCommand(h, s.args!.split(' ')).rc;
        results.push({ op: s.op, err: rc === 0 ? 'ok' : `rc ${rc}` });
        return;
      }
      if (s.op === 'close') {
        socks.get(s.sock!)!.close();
        socks.delete(s.sock!);
        results.push({ op: s.op, err: 'ok' });
        return;
      }
      let sk = socks.get(s.sock!);
      if (!sk) {
        sk = h.ipv4.udp.create(h);
        socks.set(s.sock!, sk);
      }
      results.push({ op: s.op, err: modelOp(sk, s) });
    });
  }
  const r0 = r.devByName('r0')!;
  for (const q of sc.queries ?? []) net.sim.at(t0 + q.at * NSEC_PER_MSEC, () => sendIgmpQuery(r, r0, q.msg, ip4(q.dst)));
  net.sim.run({ until: t0 + sc.duration * NSEC_PER_MSEC });
  const packets: IgmpRun['packets'] = [];
  for (const e of sink.events) {
    if (e.node !== r.name || e.fn !== 'netif_receive_skb' || e.data.dev !== 'r0' || e.pkt === null) continue;
    const bytes = sink.packets.get(e.pkt)!.bytes;
    if (bytes[9] !== 2) continue;
    packets.push({ t: (e.t - t0) / NSEC_PER_MSEC, hex: Buffer.from(bytes).toString('hex') });
  }
  return { packets, results };
}

async function runReal(lab: OracleLab, sc: IgmpScenario): Promise<IgmpRun> {
  const h = lab.names.get('h')!;
  const r = lab.names.get('r')!;
  for (const [k, v] of Object.entries(sc.hostSysctls ?? {})) await setRealSysctl(h, k, v);
  // a lead long enough for python to start in every namespace even on a loaded machine
  const start = Date.now() / 1000 + 2;
  const queries = (sc.queries ?? []).map((q) => ({ at: q.at, dst: q.dst, hex: Buffer.from(encodeIgmp(q.msg)).toString('hex') }));
  const [packets, results] = await Promise.all([
    driver<IgmpRun['packets']>(r, 'router', start, ['r0', String(sc.duration), JSON.stringify(queries)]),
    driver<StepResult[]>(h, 'host', start, [JSON.stringify(sc.steps), String(sc.duration + 300)]),
  ]);
  return { packets, results };
}

/** The report timer's value is random; keep whether it runs. */
export function normaliseProc(text: string): string {
  return text.replace(/\t(\d):[0-9A-F]{8}\t/g, '\t$1:T\t');
}

export async function runIgmpScenario(sc: IgmpScenario): Promise<{ real: IgmpRun; model: IgmpRun }> {
  const lab = new OracleLab(['h', 'r'], `igmp ${sc.title}`);
  try {
    lab.script(SETUP + (sc.setup ?? ''));
    if (lab.mismatches.length) throw new Error(`setup differs:\n${lab.report()}`);
    const real = await runReal(lab, sc);
    const model = runModel(lab, lab.net.node(lab.names.get('h')!), lab.net.node(lab.names.get('r')!), sc);
    return { real, model };
  } finally {
    lab.destroy();
  }
}
