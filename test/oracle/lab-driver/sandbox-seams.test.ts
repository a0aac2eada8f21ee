// The sandbox's seams the kernel oracle plugs into (no root needed): a socket factory whose sockets answer
// setsockopt / getsockopt / ioctl themselves, and a DaemonSystem answering ip(...) and interfaces(). The
// guest's calls must reach them with the engine's values, their answers must reach the guest, and a
// datagram they deliver must run the guest's onMessage.

import { describe, expect, it } from 'vitest';
import type { SiocSgReq, SiocVifReq } from '../../../engine/ipv4/ipmr-types.js';
import { Errno, KernelError } from '../../../engine/net/errno.js';
import { Network } from '../../../engine/net/network.js';
import { MemorySink } from '../../../engine/sim/trace.js';
import type { Socket as EngineSocket } from '../../../engine/socket/socket.js';
import { MRT_VERSION } from '../../../engine/socket/constants.js';
import type { SockoptValue } from '../../../engine/socket/sockopt.js';
import { formatIpv4, type Ipv4Addr } from '../../../engine/wire/inet.js';
import { Daemon } from '../../../main/host/sandbox/daemon.js';
import type { DaemonSocket, GuestMessage, SocketFactory } from '../../../main/host/sandbox/engine-sockets.js';
import { loadQuickJS } from '../../../main/host/sandbox/quickjs.js';

class FakeSocket implements DaemonSocket {
  readonly calls: string[] = [];
  receiver: ((msg: GuestMessage) => void) | null = null;
  constructor(
    readonly type: number,
    readonly protocol: number,
  ) {}
  get sk(): EngineSocket {
    throw new Error('no engine socket');
  }
  bind(a: Ipv4Addr, port: number): void {
    this.calls.push(`bind ${formatIpv4(a)}:${port}`);
  }
  sendto(data: Uint8Array, a: Ipv4Addr): void {
    this.calls.push(`sendto ${data.length} ${formatIpv4(a)}`);
  }
  close(): void {
    this.calls.push('close');
  }
  setReceiver(fn: ((msg: GuestMessage) => void) | null): void {
    this.receiver = fn;
  }
  setsockopt(level: number, optname: number, value: SockoptValue): void {
    if (optname === 999) throw new KernelError(Errno.ENOPROTOOPT);
    this.calls.push(`setsockopt ${level} ${optname} ${JSON.stringify(value)}`);
  }
  getsockopt(_level: number, optname: number): SockoptValue {
    return optname + 1000;
  }
  ioctl(_request: number, req: SiocVifReq | SiocSgReq): void {
    if ('grp' in req) req.pktcnt = 42;
  }
}

const SCRIPT = `
const s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
s.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: '10.1.0.10', mfcc_mcastgrp: '239.1.1.1', mfcc_parent: 0, mfcc_ttls: [0, 1] });
try { s.setsockopt(IPPROTO_IP, 999, 1); } catch (e) { log('errno', e.code); }
log('get', s.getsockopt(IPPROTO_IP, MRT_VERSION));
log('sg', s.ioctl(SIOCGETSGCNT, { src: '10.1.0.10', grp: '239.1.1.1' }).pktcnt);
log('ip', ip('route show').stdout);
log('itf', interfaces()[0].name);
s.onMessage((m) => log('got', m.kind, m.src));
`;

describe('the sandbox seams of the kernel oracle', () => {
  it('a socket factory and a DaemonSystem answer the guest instead of the engine', async () => {
    const net = new Network({ seed: 1 });
    const sink = new MemorySink();
    net.sim.trace.addSink(sink);
    const ns = net.addNode('r1', 'router');
    const made: FakeSocket[] = [];
    const factory: SocketFactory = (_ns, _family, type, protocol) => {
      const s = new FakeSocket(type, protocol);
      made.push(s);
      return s;
    };
    const system = { ip: (argv: string[]) => ({ rc: 0, stdout: `real ${argv.join(' ')}`, stderr: '' }), interfaces: () => [{ name: 'veth-real', ifindex: 7, flags: 0, up: true, running: true, mtu: 1500, addresses: [] }] };
    const d = Daemon.start(await loadQuickJS(), ns, { file: 'seams.ts', source: SCRIPT, socketFactory: factory, system });
    expect(d.exit).toBeNull();
    expect(made).toHaveLength(1);
    const mfc = JSON.parse(made[0]!.calls[0]!.split(' ').slice(3).join(' ')) as { origin: number; ttls: number[] };
    expect(formatIpv4(mfc.origin)).toBe('10.1.0.10');
    expect(mfc.ttls).toEqual([0, 1]);
    // A datagram the backend receives runs the guest's handler (at the next turn of the simulation).
    made[0]!.receiver!({ m: { kind: 'igmp', src: '10.1.0.10' }, hx: [] });
    net.sim.run();
    const logs = sink.events.filter((e) => e.fn === 'daemon_log').map((e) => e.data.text);
    expect(logs).toEqual(['errno ENOPROTOOPT', `get ${MRT_VERSION + 1000}`, 'sg 42', 'ip real route show', 'itf veth-real', 'got igmp 10.1.0.10']);
    d.kill();
    expect(made[0]!.calls.at(-1)).toBe('close');
  });
});
