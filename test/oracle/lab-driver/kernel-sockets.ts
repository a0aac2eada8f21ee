// A sandboxed daemon's sockets backed by real kernel sockets (through the namespace's lab_driver.py), and
// its ip(...) / interfaces() answered by the real namespace: the sandbox's DaemonSocket / DaemonSystem
// seams. The engine's values (sockoptIn's structs) are packed into the C structs the kernel reads.

import { spawnSync } from 'node:child_process';
import type { Mfcctl, SiocSgReq, SiocVifReq, Vifctl } from '../../../engine/ipv4/ipmr-types.js';
import { SIOCGETSGCNT } from '../../../engine/ipv4/ipmr-types.js';
import type { Socket as EngineSocket } from '../../../engine/socket/socket.js';
import * as C from '../../../engine/socket/constants.js';
import type { SockoptValue } from '../../../engine/socket/sockopt.js';
import type { JsonValue } from '../../../engine/sim/trace.js';
import { formatIpv4, parseIpv4, type Ipv4Addr } from '../../../engine/wire/inet.js';
import { toHex } from '../../../engine/wire/hex.js';
import type { DaemonSocket, DaemonSystem, GuestMessage, SocketFactory } from '../../../main/host/sandbox/engine-sockets.js';
import { packetMessage, upcallMessage } from '../../../main/host/sandbox/raw-message.js';
import type { NsDriver, Push } from './ns-driver.js';

/** in_addr: network byte order. */
function inAddr(b: Buffer, off: number, a: Ipv4Addr): void {
  b.writeUInt32BE(a >>> 0, off);
}

function vifctlBytes(v: Vifctl): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(v.vifi, 0);
  b.writeUInt8(v.flags, 2);
  b.writeUInt8(v.threshold, 3);
  b.writeUInt32LE(v.rateLimit, 4);
  if (v.lclIfindex !== undefined) b.writeInt32LE(v.lclIfindex, 8);
  else inAddr(b, 8, v.lclAddr ?? 0);
  inAddr(b, 12, v.rmtAddr);
  return b;
}

/** struct mfcctl: origin, group, u16 parent, u8 ttls[32], padding, 3 unsigned + 1 int: 60 bytes. */
function mfcctlBytes(m: Mfcctl): Buffer {
  const b = Buffer.alloc(60);
  inAddr(b, 0, m.origin);
  inAddr(b, 4, m.mcastgrp);
  b.writeUInt16LE(m.parent, 8);
  m.ttls.forEach((t, i) => b.writeUInt8(t, 10 + i));
  return b;
}

function valueBytes(level: number, optname: number, v: SockoptValue): { int: number } | { hex: string } {
  if (typeof v === 'number' && !(level === C.IPPROTO_IP && optname === C.IP_MULTICAST_IF)) return { int: v };
  if (typeof v === 'boolean') return { int: v ? 1 : 0 };
  if (typeof v === 'string') return { hex: Buffer.from(v).toString('hex') };
  // Option bytes as C passes them (IP_OPTIONS).
  if (v instanceof Uint8Array) return { hex: Buffer.from(v).toString('hex') };
  const b = Buffer.alloc(12);
  if (typeof v === 'number') {
    inAddr(b, 0, v);
    return { hex: b.subarray(0, 4).toString('hex') };
  }
  if (level === C.IPPROTO_IP && (optname === C.MRT_ADD_VIF || optname === C.MRT_DEL_VIF)) return { hex: vifctlBytes(v as unknown as Vifctl).toString('hex') };
  if (level === C.IPPROTO_IP && [C.MRT_ADD_MFC, C.MRT_DEL_MFC, C.MRT_ADD_MFC_PROXY, C.MRT_DEL_MFC_PROXY].includes(optname)) return { hex: mfcctlBytes(v as unknown as Mfcctl).toString('hex') };
  const o = v as unknown as Record<string, number | undefined>;
  if ('sourceaddr' in o) {
    inAddr(b, 0, o.multiaddr!);
    inAddr(b, 4, o.interface ?? 0);
    inAddr(b, 8, o.sourceaddr!);
    return { hex: b.toString('hex') };
  }
  if ('multiaddr' in o) {
    inAddr(b, 0, o.multiaddr!);
    inAddr(b, 4, o.address ?? 0);
    b.writeInt32LE(o.ifindex ?? 0, 8);
    return { hex: b.toString('hex') };
  }
  // Not an errno: the oracle's marshalling lags behind marshal.ts, and the daemon's crash should say so.
  throw new Error(`the kernel oracle has no C layout for setsockopt(${level}, ${optname}) value ${JSON.stringify(v)}`);
}

export class KernelDaemonSocket implements DaemonSocket {
  private receiver: ((msg: GuestMessage) => void) | null = null;

  constructor(
    private readonly drv: NsDriver,
    readonly sid: number,
    readonly type: number,
    readonly protocol: number,
  ) {}

  get sk(): EngineSocket {
    throw new Error('a kernel socket has no engine socket');
  }

  bind(addr: Ipv4Addr, port: number): void {
    this.drv.call({ op: 'bind', sid: this.sid, addr: formatIpv4(addr), port: this.type === 3 ? 0 : port });
  }

  sendto(data: Uint8Array, addr: Ipv4Addr, port: number): void {
    this.drv.call({ op: 'sendto', sid: this.sid, hex: toHex(data), addr: formatIpv4(addr), port: this.type === 3 ? 0 : port });
  }

  close(): void {
    this.drv.call({ op: 'close', sid: this.sid });
  }

  setReceiver(fn: ((msg: GuestMessage) => void) | null): void {
    this.receiver = fn;
  }

  setsockopt(level: number, optname: number, value: SockoptValue): void {
    this.drv.call({ op: 'setsockopt', sid: this.sid, level, opt: optname, ...valueBytes(level, optname, value) });
  }

  getsockopt(level: number, optname: number): SockoptValue {
    // IP_OPTIONS answers with the option bytes (up to 40); everything else here is an int or an in_addr.
    if (level === C.IPPROTO_IP && optname === C.IP_OPTIONS) return new Uint8Array(Buffer.from(this.drv.call({ op: 'getsockopt', sid: this.sid, level, opt: optname, len: 40 }) as string, 'hex'));
    const b = Buffer.from(this.drv.call({ op: 'getsockopt', sid: this.sid, level, opt: optname, len: 4 }) as string, 'hex');
    if (level === C.IPPROTO_IP && optname === C.IP_MULTICAST_IF) return b.length >= 4 ? b.readUInt32BE(0) : 0;
    return b.length >= 4 ? b.readInt32LE(0) : (b[0] ?? 0);
  }

  /** struct sioc_sg_req (32 bytes) or sioc_vif_req (40 bytes: u16 vifi, padding, 4 unsigned longs). */
  ioctl(request: number, req: SiocVifReq | SiocSgReq): void {
    if ('grp' in req) {
      const b = Buffer.alloc(32);
      inAddr(b, 0, req.src);
      inAddr(b, 4, req.grp);
      const out = Buffer.from(this.drv.call({ op: 'ioctl', sid: this.sid, req: SIOCGETSGCNT, hex: b.toString('hex') }) as string, 'hex');
      [req.pktcnt, req.bytecnt, req.wrongIf] = [8, 16, 24].map((o) => Number(out.readBigUInt64LE(o)));
      return;
    }
    const b = Buffer.alloc(40);
    b.writeUInt16LE(req.vifi, 0);
    const out = Buffer.from(this.drv.call({ op: 'ioctl', sid: this.sid, req: request, hex: b.toString('hex') }) as string, 'hex');
    [req.icount, req.ocount, req.ibytes, req.obytes] = [8, 16, 24, 32].map((o) => Number(out.readBigUInt64LE(o)));
  }

  /** A datagram the driver pushed: as the guest sees it from the engine's socket of the same kind. */
  deliver(p: Push): void {
    if (!this.receiver) return;
    if (p.raw !== undefined) {
      const bytes = new Uint8Array(Buffer.from(p.raw, 'hex'));
      // An igmpmsg upcall has im_mbz (the IP header's protocol byte) zero; a packet never does.
      this.receiver(bytes[9] === 0 ? upcallMessage(bytes) : packetMessage(bytes, p.ifindex));
      return;
    }
    this.receiver({ m: { kind: 'udp', data: p.udp ?? '', src: p.src ?? '0.0.0.0', sport: p.sport ?? 0, dst: p.dst ?? '0.0.0.0', dport: p.dport ?? 0, ifindex: p.ifindex, ttl: p.ttl ?? 0, tos: p.tos ?? 0 }, hx: ['data'] });
  }
}

let sidCounter = 1;

/** socket(2) in the driver's namespace; pushes are routed to the socket they arrived on. */
export function kernelSocketFactory(drv: NsDriver): SocketFactory {
  const sockets = new Map<number, KernelDaemonSocket>();
  drv.onPush = (p) => sockets.get(p.sid)?.deliver(p);
  return (_ns, family, type, protocol) => {
    const sid = sidCounter++;
    drv.call({ op: 'socket', sid, family, type, proto: protocol });
    const s = new KernelDaemonSocket(drv, sid, type, type === 2 && protocol === 0 ? 17 : protocol);
    sockets.set(sid, s);
    return s;
  };
}

const IFF: Record<string, number> = { UP: 0x1, BROADCAST: 0x2, DEBUG: 0x4, LOOPBACK: 0x8, POINTOPOINT: 0x10, NOTRAILERS: 0x20, NOARP: 0x80, PROMISC: 0x100, ALLMULTI: 0x200, MULTICAST: 0x1000 };
const IFF_RUNNING = 0x40;

interface IpAddrJson {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  addr_info?: Array<{ family: string; local: string; prefixlen: number; broadcast?: string; label?: string }>;
}

/** ip(...) runs the real `ip` in the namespace; interfaces() reads `ip -j address`. */
export function kernelSystem(ns: string): DaemonSystem {
  const ip = (argv: string[]): { rc: number; stdout: string; stderr: string } => {
    const r = spawnSync('ip', ['-n', ns, ...argv], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, timeout: 10_000 });
    return { rc: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  return {
    ip,
    interfaces(): JsonValue {
      const r = ip(['-j', 'address', 'show']);
      if (r.rc !== 0) throw new Error(`ip -j address show: ${r.stderr}`);
      return (JSON.parse(r.stdout) as IpAddrJson[]).map((d) => {
        const running = d.flags.includes('LOWER_UP') && d.flags.includes('UP');
        const flags = d.flags.reduce((f, n) => f | (IFF[n] ?? 0), 0) | (running ? IFF_RUNNING : 0);
        const addresses = (d.addr_info ?? []).filter((a) => a.family === 'inet' && parseIpv4(a.local) !== null).map((a) => ({ address: a.local, prefixlen: a.prefixlen, broadcast: a.broadcast ?? null, label: a.label ?? d.ifname }));
        return { name: d.ifname, ifindex: d.ifindex, flags, up: d.flags.includes('UP'), running, mtu: d.mtu, addresses };
      });
    },
  };
}
