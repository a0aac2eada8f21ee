// The MRT driver's operation list, run twice: by test/oracle/mrt-driver/mrt_driver.py against the
// real kernel (in the lab's namespaces) and by the engine through the same socket API. Results are
// normalised only where the kernel leaves bytes unset or random (IP ids, the upcall's IGMP tail).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ipCommand } from '../../engine/iproute2/ip.js';
import { readProcFile, writeProcFile } from '../../engine/iproute2/procfs.js';
import { tokenize } from '../../engine/iproute2/tokenize.js';
import { Errno, KernelError } from '../../engine/net/errno.js';
import type { Netns } from '../../engine/net/netns.js';
import { AF_INET, IPPROTO_IP, IP_ADD_MEMBERSHIP, IP_MULTICAST_IF, IP_MULTICAST_LOOP, IP_MULTICAST_TTL, SOCK_DGRAM, SOCK_RAW } from '../../engine/socket/constants.js';
import { getsockopt, ioctl, setsockopt, socket, SIOCGETSGCNT, SIOCGETVIFCNT, type SiocSgReq, type SiocVifReq, type Socket } from '../../engine/socket/socket.js';
import { RawSocket } from '../../engine/socket/raw.js';
import { parseIpv4 } from '../../engine/wire/inet.js';
import type { OracleLab } from './harness.js';

export type Op =
  | { op: 'socket'; ns: string; name: string; type: 'raw' | 'udp' | 'any'; proto: number; family?: number; stype?: number }
  | { op: 'setsockopt'; sock: string; level: number; opt: number; hex: string }
  | { op: 'getsockopt'; sock: string; level: number; opt: number; len: number }
  | { op: 'getbuf'; sock: string; level: number; opt: number; hex: string; len: number }
  | { op: 'vifcnt'; sock: string; vifi: number }
  | { op: 'sgcnt'; sock: string; src: string; grp: string }
  | { op: 'ioctl'; sock: string; req: number }
  | { op: 'join'; sock: string; group: string; ifindex: number }
  | { op: 'udp'; sock: string; dst: string; port: number; ttl: number; ifindex: number; count?: number; size?: number; loop?: 0 | 1 }
  | { op: 'rawsend'; sock: string; dst: string; hex: string; ttl: number; ifindex: number }
  | { op: 'recv'; sock: string }
  | { op: 'close'; sock: string }
  | { op: 'sleep'; s: number }
  | { op: 'read'; ns: string; path: string }
  | { op: 'write'; ns: string; path: string; text: string }
  | { op: 'ip'; ns: string; args: string };

export type OpResult = { [k: string]: unknown };

function ip(s: string): number {
  const a = parseIpv4(s);
  if (a === null) throw new Error(`bad address ${s}`);
  return a;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** An int option's bytes (little-endian host). */
export function intHex(v: number, len = 4): string {
  const b = new Uint8Array(len);
  for (let i = 0; i < Math.min(4, len); i++) b[i] = (v >>> (8 * i)) & 0xff;
  return hex(b);
}

/** struct vifctl bytes; `lcl` is an address, or an ifindex when flags has VIFF_USE_IFINDEX. */
export function vifctlHex(vifi: number, flags: number, lcl: string | number, len = 16): string {
  const b = new Uint8Array(Math.max(len, 16));
  b[0] = vifi & 0xff;
  b[1] = vifi >> 8;
  b[2] = flags;
  b[3] = 1;
  if (typeof lcl === 'number') for (let i = 0; i < 4; i++) b[8 + i] = (lcl >>> (8 * i)) & 0xff;
  else {
    const a = ip(lcl);
    for (let i = 0; i < 4; i++) b[8 + i] = (a >>> (24 - 8 * i)) & 0xff;
  }
  return hex(b.subarray(0, len));
}

/** struct mfcctl bytes: ttls as {vif: threshold}. */
export function mfcctlHex(src: string, grp: string, parent: number, ttls: Record<number, number>, len = 60): string {
  const b = new Uint8Array(Math.max(len, 60));
  const s = ip(src);
  const g = ip(grp);
  for (let i = 0; i < 4; i++) {
    b[i] = (s >>> (24 - 8 * i)) & 0xff;
    b[4 + i] = (g >>> (24 - 8 * i)) & 0xff;
  }
  b[8] = parent & 0xff;
  b[9] = parent >> 8;
  for (const [v, t] of Object.entries(ttls)) b[10 + Number(v)] = t;
  return hex(b.subarray(0, len));
}

const DRIVER = fileURLToPath(new URL('./mrt-driver/mrt_driver.py', import.meta.url));

/** The real kernel's answers. */
export function runKernel(ops: readonly Op[], timeoutMs = 60_000): OpResult[] {
  const r = spawnSync('python3', [DRIVER], { input: JSON.stringify(ops), encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`mrt driver failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as OpResult[];
}

function errnoResult(e: unknown): OpResult {
  if (e instanceof KernelError) return { errno: Errno[e.errno] };
  throw e;
}

/** The engine's answers to the same operations. */
export function runEngine(lab: OracleLab, ops: readonly Op[]): OpResult[] {
  const socks = new Map<string, Socket>();
  const node = (n: string): Netns => lab.net.node(n);
  const sim = lab.net.sim;
  const get = (n: string): Socket => {
    const s = socks.get(n);
    if (!s) throw new Error(`no socket ${n}`);
    return s;
  };
  const results = ops.map((o): OpResult => {
    try {
      switch (o.op) {
        case 'socket': {
          const [fam, type] = o.type === 'raw' ? [AF_INET, SOCK_RAW] : o.type === 'udp' ? [AF_INET, SOCK_DGRAM] : [o.family!, o.stype!];
          socks.set(o.name, socket(node(o.ns), fam, type, o.type === 'udp' ? 0 : o.proto));
          return { ok: true };
        }
        case 'setsockopt':
          setsockopt(get(o.sock), o.level, o.opt, unhex(o.hex));
          return { ok: true };
        case 'getsockopt':
          return { value: getsockopt(get(o.sock), o.level, o.opt) };
        case 'getbuf': {
          // The caller's buffer: the request bytes padded to `len`.
          const buf = new Uint8Array(o.len);
          buf.set(unhex(o.hex).subarray(0, o.len));
          const v = getsockopt(get(o.sock), o.level, o.opt, buf);
          if (!(v instanceof Uint8Array)) throw new Error('getbuf: the engine answered no bytes');
          return { hex: hex(v) };
        }
        case 'vifcnt': {
          const req: SiocVifReq = { vifi: o.vifi, icount: 0, ocount: 0, ibytes: 0, obytes: 0 };
          ioctl(get(o.sock), SIOCGETVIFCNT, req);
          return { icount: req.icount, ocount: req.ocount, ibytes: req.ibytes, obytes: req.obytes };
        }
        case 'sgcnt': {
          const req: SiocSgReq = { src: ip(o.src), grp: ip(o.grp), pktcnt: 0, bytecnt: 0, wrongIf: 0 };
          ioctl(get(o.sock), SIOCGETSGCNT, req);
          return { pktcnt: req.pktcnt, bytecnt: req.bytecnt, wrongIf: req.wrongIf };
        }
        case 'ioctl':
          ioctl(get(o.sock), o.req, { vifi: 0, icount: 0, ocount: 0, ibytes: 0, obytes: 0 });
          return { ok: true };
        case 'join':
          setsockopt(get(o.sock), IPPROTO_IP, IP_ADD_MEMBERSHIP, { multiaddr: ip(o.group), ifindex: o.ifindex });
          return { ok: true };
        case 'udp': {
          const s = get(o.sock);
          if (s instanceof RawSocket) throw new Error('udp op on a raw socket');
          setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, o.ttl);
          setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, { ifindex: o.ifindex });
          setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, o.loop ?? 1);
          // The kernel sets DF on UDP multicast too (ip_dont_fragment, IP_PMTUDISC_WANT; the upcalls show
          // flags 0x4000 and id 0); udp.ts does not yet, so the driver asks for it explicitly.
          for (let i = 0; i < (o.count ?? 1); i++) s.sendto(new Uint8Array(o.size ?? 10), ip(o.dst), o.port, { df: true });
          return { sent: o.count ?? 1 };
        }
        case 'rawsend': {
          const s = get(o.sock);
          if (!(s instanceof RawSocket)) throw new Error('rawsend on a non-raw socket');
          setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, o.ttl);
          setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, { ifindex: o.ifindex });
          s.sendto(unhex(o.hex), ip(o.dst));
          return { sent: 1 };
        }
        case 'recv': {
          const s = get(o.sock);
          if (!(s instanceof RawSocket)) throw new Error('recv on a non-raw socket');
          const msgs: string[] = [];
          for (let m = s.recv(); m; m = s.recv()) msgs.push(hex(m.bytes));
          return { msgs };
        }
        case 'close':
          get(o.sock).close();
          socks.delete(o.sock);
          return { ok: true };
        case 'sleep':
          sim.run({ until: sim.now + Math.round(o.s * 1e9) });
          return { ok: true };
        case 'read':
          return { text: readProcFile(node(o.ns), o.path) };
        case 'write':
          writeProcFile(node(o.ns), o.path, o.text);
          return { ok: true };
        case 'ip': {
          const r = ipCommand(node(o.ns), tokenize(o.args));
          return { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
        }
      }
    } catch (e) {
      return errnoResult(e);
    }
  });
  // The driver process exits: the kernel closes its sockets (a daemon's runs mrtsock_destruct).
  for (const s of socks.values()) s.close();
  return results;
}

/** `ip -s mroute`'s Age (and JSON "expires") is wall-clock time since last use: not compared. */
function maskAge(r: OpResult): OpResult {
  if (typeof r['stdout'] !== 'string') return r;
  return { ...r, stdout: r['stdout'].replace(/, Age \d+\.\d\d/g, ', Age X').replace(/"expires":[\d.]+/g, '"expires":X') };
}

/**
 * What the kernel leaves unset or random: the IP id (an unconnected UDP socket's datagrams get a
 * random id even with DF set, since skb->ignore_df), so also the header checksum of real datagrams,
 * and the IGMP bytes after type and code of NOCACHE/WRONGVIF upcalls (alloc_skb garbage).
 */
export function normalise(results: OpResult[]): OpResult[] {
  return results.map((r) => {
    if (!Array.isArray(r['msgs'])) return maskAge(r);
    return {
      msgs: (r['msgs'] as string[]).map((h) => {
        const b = unhex(h);
        const ihl = (b[0]! & 15) * 4;
        b[4] = 0;
        b[5] = 0;
        if (b[9] === 0 && (b[8] === 1 || b[8] === 2)) b.fill(0, ihl + 2);
        else if (b[9] === 0 && (b[8] === 3 || b[8] === 4) && b.length >= 48) {
          // WHOLEPKT/WRVIFWHOLE carry the datagram itself: its id, header checksum, UDP source port
          // (ephemeral, random) and UDP checksum.
          for (const i of [24, 25, 30, 31, 40, 41, 46, 47]) b[i] = 0;
        }
        else if (b[9] !== 0) b.fill(0, 10, 12);
        return hex(b);
      }),
    };
  });
}

/** Kernel and engine, op by op: the differences as readable lines (empty when equal). */
export function compareRuns(lab: OracleLab, ops: readonly Op[], timeoutMs?: number): string[] {
  const real = normalise(runKernel(ops, timeoutMs));
  const model = normalise(runEngine(lab, ops));
  const diffs: string[] = [];
  // RLW_IPMR_DUMP=1 prints what the kernel answered, op by op.
  if (process.env['RLW_IPMR_DUMP']) ops.forEach((o, i) => console.log(`${JSON.stringify(o)}\n  => ${JSON.stringify(real[i])}`));
  ops.forEach((o, i) => {
    const a = JSON.stringify(real[i]);
    const b = JSON.stringify(model[i]);
    if (a !== b) diffs.push(`#${i} ${JSON.stringify(o)}\n  kernel: ${a}\n  engine: ${b}`);
  });
  return diffs;
}
