// The host side of the daemon API: every call the guest makes arrives here as (op, JSON args) and leaves as
// JSON. Socket calls run the engine's code with a sys_enter_<call> trace event as their cause and record
// their result in sys_exit_<call>, as the kernel's syscall tracepoints do.

import { Errno, KernelError, formatOSError } from '../../../engine/net/errno.js';
import type { Netns } from '../../../engine/net/netns.js';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { tokenize, TokenizeError } from '../../../engine/iproute2/tokenize.js';
import type { Prng } from '../../../engine/sim/prng.js';
import type { QueueEntry } from '../../../engine/sim/event-queue.js';
import { NSEC_PER_MSEC } from '../../../engine/sim/time.js';
import type { JsonValue, Payload } from '../../../engine/sim/trace.js';
import { getsockopt, ioctl, setsockopt } from '../../../engine/socket/socket.js';
import { fromHex } from '../../../engine/wire/hex.js';
import { formatIpv4 } from '../../../engine/wire/inet.js';
import type { DaemonSocket, DaemonSystem, GuestMessage, SocketFactory } from './engine-sockets.js';
import type { DaemonLimits } from './limits.js';
import { addrArg, ApiUsageError, describe, intArg, ioctlIn, ioctlName, ioctlOut, optionName, sockoptIn, sockoptOut, traceValue } from './marshal.js';

/** An event waiting to enter the guest, with the trace event that caused it. */
export type GuestEvent = { k: 'm'; fd: number; msg: GuestMessage; cause: number | null } | { k: 't'; id: number; cause: number | null };

export interface SyscallHost {
  readonly ns: Netns;
  readonly node: string;
  readonly rng: Prng;
  readonly limits: DaemonLimits;
  /** ip(...) and interfaces() of a node that is not the engine's (the kernel oracle); the engine's by default. */
  readonly system?: DaemonSystem;
  enqueue(ev: GuestEvent): void;
}

export type OpResult = { v: JsonValue } | { e: { errno: number; code: string; message: string; syscall: string } } | { t: string };

/** Timers fire no sooner than 1 ms: a zero-delay loop would otherwise hold simulated time still forever. */
const MIN_TIMER_NS = NSEC_PER_MSEC;

export class DaemonSyscalls {
  private readonly fds = new Map<number, DaemonSocket>();
  /** Sockets the guest has an onMessage handler on; messages to the others are read and discarded. */
  private readonly listening = new Set<number>();
  private readonly timers = new Map<number, { entry: QueueEntry; repeatNs: number }>();

  constructor(
    private readonly host: SyscallHost,
    private readonly factory: SocketFactory,
  ) {}

  get openSockets(): number {
    return this.fds.size;
  }

  run(op: string, args: unknown): OpResult {
    if (!Array.isArray(args)) return { t: 'bad call' };
    try {
      return { v: this.dispatch(op, args) };
    } catch (e) {
      if (e instanceof KernelError) return { e: { errno: e.errno, code: Errno[e.errno] ?? String(e.errno), message: e.extack ?? formatOSError(op, e.errno), syscall: op } };
      if (e instanceof ApiUsageError) return { t: `${op}(): ${e.message}` };
      // Anything else is the model refusing a value it cannot represent: the call fails, the host stays up.
      return { t: `${op}(): ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private dispatch(op: string, a: unknown[]): JsonValue {
    switch (op) {
      case 'socket':
        return this.syscall('socket', { family: a[0] as JsonValue, type: a[1] as JsonValue, protocol: a[2] as JsonValue }, () => this.socket(intArg(a[0], 'family'), intArg(a[1], 'type'), intArg(a[2], 'protocol')));
      case 'setsockopt': {
        const [fd, level, optname] = [intArg(a[0], 'fd'), intArg(a[1], 'level'), intArg(a[2], 'optname')];
        const name = optionName(level, optname);
        return this.syscall('setsockopt', { fd, level, optname: name, value: traceValue(a[3]) }, () => {
          const s = this.sock(fd);
          const value = sockoptIn(level, optname, a[3]);
          if (s.setsockopt) s.setsockopt(level, optname, value);
          else setsockopt(s.sk, level, optname, value);
          return 0;
        }, `setsockopt(${name})`);
      }
      case 'getsockopt': {
        const [fd, level, optname] = [intArg(a[0], 'fd'), intArg(a[1], 'level'), intArg(a[2], 'optname')];
        const name = optionName(level, optname);
        return this.syscall('getsockopt', { fd, level, optname: name }, () => {
          const s = this.sock(fd);
          return sockoptOut(level, optname, s.getsockopt ? s.getsockopt(level, optname) : getsockopt(s.sk, level, optname));
        }, `getsockopt(${name})`);
      }
      case 'ioctl': {
        const fd = intArg(a[0], 'fd');
        const request = intArg(a[1], 'request');
        const req = ioctlIn(request, a[2]);
        return this.syscall('ioctl', { fd, request: ioctlName(request), arg: traceValue(a[2]) }, () => {
          const s = this.sock(fd);
          if (s.ioctl) s.ioctl(request, req);
          else ioctl(s.sk, request, req);
          return ioctlOut(req);
        });
      }
      case 'bind': {
        const fd = intArg(a[0], 'fd');
        const addr = addrArg(a[1], 'address');
        const port = intArg(a[2], 'port');
        return this.syscall('bind', { fd, addr: formatIpv4(addr), port }, () => {
          this.sock(fd).bind(addr, port);
          return 0;
        });
      }
      case 'sendto': {
        const fd = intArg(a[0], 'fd');
        if (typeof a[1] !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(a[1])) throw new ApiUsageError('data must be bytes');
        const data = fromHex(a[1]);
        const addr = addrArg(a[2], 'address');
        const port = intArg(a[3], 'port');
        return this.syscall('sendto', { fd, len: data.length, addr: formatIpv4(addr), port }, () => {
          this.sock(fd).sendto(data, addr, port);
          return data.length;
        });
      }
      case 'close': {
        const fd = intArg(a[0], 'fd');
        return this.syscall('close', { fd }, () => {
          const s = this.sock(fd);
          this.fds.delete(fd);
          this.listening.delete(fd);
          s.setReceiver(null);
          s.close();
          return 0;
        });
      }
      case 'listen': {
        const fd = intArg(a[0], 'fd');
        this.sock(fd);
        if (a[1] === true) this.listening.add(fd);
        else this.listening.delete(fd);
        return null;
      }
      case 'timer':
        return this.armTimer(intArg(a[0], 'timer id'), a[1], a[2] === true);
      case 'untimer':
        this.cancelTimer(intArg(a[0], 'timer id'));
        return null;
      case 'log':
        this.log(typeof a[0] === 'string' ? a[0] : describe(a[0]));
        return null;
      case 'ip':
        return this.ip(a);
      case 'interfaces':
        return this.interfaces();
      case 'random': {
        const n = Math.min(1024, Math.max(1, intArg(a[0], 'count')));
        return Array.from({ length: n }, () => this.host.rng.float());
      }
      case 'now':
        return this.host.ns.sim.now / NSEC_PER_MSEC;
      default:
        throw new ApiUsageError(`unknown call "${op.slice(0, 40)}"`);
    }
  }

  /** A traced system call: sys_enter_<name> (the engine's events are its children), then sys_exit_<name>. */
  private syscall(name: string, args: Payload, body: () => JsonValue, errorCall = name): JsonValue {
    const trace = this.host.ns.sim.trace;
    const enter = this.host.ns.emit(`sys_enter_${name}`, 'call', args);
    try {
      const ret = trace.within(enter, body);
      trace.emit(this.host.node, `sys_exit_${name}`, 'log', { ret: typeof ret === 'number' ? ret : 0 }, null, enter);
      return ret;
    } catch (e) {
      if (e instanceof KernelError) {
        trace.emit(this.host.node, `sys_exit_${name}`, 'log', { ret: -e.errno, errno: Errno[e.errno] ?? e.errno }, null, enter);
        throw new KernelError(e.errno, formatOSError(errorCall, e.errno));
      }
      trace.emit(this.host.node, `sys_exit_${name}`, 'log', { ret: -Errno.EINVAL, error: e instanceof Error ? e.message : String(e) }, null, enter);
      if (e instanceof ApiUsageError) throw e;
      // An engine error that is not an errno (a malformed value deep in the model): the call fails, the daemon lives.
      throw new ApiUsageError(e instanceof Error ? e.message : String(e));
    }
  }

  private socket(family: number, type: number, protocol: number): number {
    if (this.fds.size >= this.host.limits.maxSockets) throw new KernelError(Errno.EMFILE);
    const s = this.factory(this.host.ns, family, type, protocol);
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, s);
    s.setReceiver((msg) => {
      if (this.listening.has(fd)) this.host.enqueue({ k: 'm', fd, msg, cause: msg.cause ?? this.host.ns.sim.trace.current });
    });
    return fd;
  }

  private sock(fd: number): DaemonSocket {
    const s = this.fds.get(fd);
    if (!s) throw new KernelError(Errno.EBADF);
    return s;
  }

  private armTimer(id: number, ms: unknown, repeat: boolean): null {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new ApiUsageError(`delay must be a finite number of milliseconds ≥ 0, got ${describe(ms)}`);
    if (this.timers.size >= this.host.limits.maxTimers) throw new ApiUsageError(`too many pending timers (limit ${this.host.limits.maxTimers})`);
    if (this.timers.has(id)) throw new ApiUsageError(`timer ${id} is already armed`);
    const ns = Math.max(MIN_TIMER_NS, Math.round(ms * NSEC_PER_MSEC));
    const sim = this.host.ns.sim;
    const arm = this.host.ns.emit('daemon_timer', 'timer_arm', { id, ms, repeat });
    const entry = sim.trace.within(arm, () => sim.schedule(ns, () => this.fire(id)));
    this.timers.set(id, { entry, repeatNs: repeat ? ns : 0 });
    return null;
  }

  private fire(id: number): void {
    const t = this.timers.get(id);
    if (!t) return;
    const sim = this.host.ns.sim;
    const ev = this.host.ns.emit('daemon_timer', 'timer_fire', { id });
    if (t.repeatNs) t.entry = sim.trace.within(ev, () => sim.schedule(t.repeatNs, () => this.fire(id)));
    else this.timers.delete(id);
    this.host.enqueue({ k: 't', id, cause: ev });
  }

  private cancelTimer(id: number): void {
    const t = this.timers.get(id);
    if (!t) return;
    t.entry.cancelled = true;
    this.timers.delete(id);
    this.host.ns.emit('daemon_timer', 'timer_cancel', { id });
  }

  private log(text: string): void {
    const max = this.host.limits.maxLogChars;
    this.host.ns.emit('daemon_log', 'log', { text: text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text });
  }

  /** ip(...): one string is a command line ("route get 10.0.0.1"), several strings are argv. */
  private ip(a: unknown[]): JsonValue {
    let argv: string[];
    if (a.length === 1 && typeof a[0] === 'string') {
      try {
        argv = tokenize(a[0]);
      } catch (e) {
        if (e instanceof TokenizeError) throw new ApiUsageError(`ip: ${e.message}`);
        throw e;
      }
      if (argv[0] === 'ip') argv.shift();
    } else {
      argv = a.map((x, i) => {
        if (typeof x !== 'string') throw new ApiUsageError(`ip: argument ${i + 1} must be a string, got ${describe(x)}`);
        return x;
      });
    }
    const enter = this.host.ns.emit('daemon_ip', 'call', { argv });
    const r = this.host.ns.sim.trace.within(enter, () => (this.host.system ? this.host.system.ip(argv) : ipCommand(this.host.ns, argv)));
    this.host.ns.sim.trace.emit(this.host.node, 'daemon_ip', 'log', { rc: r.rc }, null, enter);
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
  }

  private interfaces(): JsonValue {
    if (this.host.system) return this.host.system.interfaces();
    const ns = this.host.ns;
    return ns.deviceList().map((dev) => ({
      name: dev.name,
      ifindex: dev.ifindex,
      flags: dev.userFlags(),
      up: dev.isUp,
      running: dev.operational,
      mtu: dev.mtu,
      addresses: (ns.ipv4.inDev(dev)?.ifaList ?? []).map((ifa) => ({ address: formatIpv4(ifa.local), prefixlen: ifa.prefixlen, broadcast: ifa.broadcast ? formatIpv4(ifa.broadcast) : null, label: ifa.label })),
    }));
  }

  /** Process exit: every socket closes (the kernel's close path runs) and every timer is gone. */
  closeAll(): void {
    for (const t of this.timers.values()) t.entry.cancelled = true;
    this.timers.clear();
    this.listening.clear();
    for (const [fd, s] of [...this.fds]) {
      this.fds.delete(fd);
      s.setReceiver(null);
      const ev = this.host.ns.emit('sys_enter_close', 'call', { fd, on: 'exit' });
      this.host.ns.sim.trace.within(ev, () => s.close());
    }
  }
}
