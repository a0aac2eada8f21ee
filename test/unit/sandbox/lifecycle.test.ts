// A daemon's life as the trace tells it: start, callbacks with their causes, system calls with their results,
// timers in simulated time, positions in the student's TypeScript, exit with the kernel's close path, and the
// same fingerprint for the same daemon, lab and seed.

import { describe, expect, it } from 'vitest';
import { sandboxLab } from './lab.js';

const ECHO = `
const u = socket(AF_INET, SOCK_DGRAM, 0);
u.bind('0.0.0.0', 7000);
u.onMessage((m) => {
  log('from', m.src, 'bytes', m.data.length, 'first', m.data[0], 'r', Math.random().toFixed(6));
  u.sendto(m.data, m.src, m.sport);
});
`;

function sendTo(lab: ReturnType<typeof sandboxLab>, payloads: number[]): void {
  const r2 = lab.net.node('r2');
  const u = r2.ipv4.udp.create(r2);
  for (const p of payloads) u.sendto(new Uint8Array([p, p]), 0x0a000c01, 7000);
}

describe('daemon lifecycle and trace', () => {
  it('traces start, each callback with its kernel cause, and each syscall with its result', async () => {
    const lab = sandboxLab();
    const d = await lab.start('r1', ECHO);
    sendTo(lab, [1]);
    lab.net.sim.run({ until: lab.net.sim.now + 10_000_000 });
    const ev = lab.sink.events.filter((e) => e.node === 'r1');
    const start = ev.find((e) => e.fn === 'sched_process_exec')!;
    expect(start.data).toEqual({ comm: 'r1.ts' });
    const bindEnter = ev.find((e) => e.fn === 'sys_enter_bind')!;
    expect(bindEnter.parent).toBe(start.seq);
    expect(ev.find((e) => e.fn === 'sys_exit_bind')).toMatchObject({ parent: bindEnter.seq, data: { ret: 0 } });
    const cb = ev.find((e) => e.fn === 'daemon_callback')!;
    expect(cb.data).toEqual({ callback: 'onMessage', fd: 3, kind: 'udp' });
    expect(lab.sink.get(cb.parent!)!.fn).toBe('udp_queue_rcv_skb');
    const send = ev.find((e) => e.fn === 'sys_enter_sendto')!;
    expect(send.parent).toBe(cb.seq);
    expect(ev.find((e) => e.fn === 'udp_sendmsg')!.parent).toBe(send.seq);
    expect(ev.find((e) => e.fn === 'sys_exit_sendto')!.data).toEqual({ ret: 2 });
    expect(d.running).toBe(true);
  });

  it('hands messages that arrive at the same instant over in one crossing, each callback keeping its own cause', async () => {
    const lab = sandboxLab();
    const d = await lab.start('r1', ECHO);
    const before = d.crossings;
    sendTo(lab, [1, 2, 3]);
    lab.net.sim.run({ until: lab.net.sim.now + 10_000_000 });
    expect(d.crossings - before).toBe(1);
    const cbs = lab.sink.events.filter((e) => e.fn === 'daemon_callback');
    expect(cbs).toHaveLength(3);
    expect(new Set(cbs.map((c) => c.parent)).size).toBe(3);
    const logs = lab.sink.events.filter((e) => e.fn === 'daemon_log');
    expect(logs.map((l) => l.parent)).toEqual(cbs.map((c) => c.seq));
    expect(logs.map((l) => String(l.data.text).split(' ')[5])).toEqual(['1', '2', '3']);
  });

  it('with a wakeup latency, messages that arrive within it cross together, when the daemon wakes', async () => {
    const lab = sandboxLab();
    const d = await lab.start('r1', ECHO, { wakeupLatency: 1_000_000 });
    const r2 = lab.net.node('r2');
    const u = r2.ipv4.udp.create(r2);
    const t0 = lab.net.sim.now;
    u.sendto(new Uint8Array([1]), 0x0a000c01, 7000);
    lab.net.sim.schedule(300_000, () => u.sendto(new Uint8Array([2]), 0x0a000c01, 7000));
    const before = d.crossings;
    lab.net.sim.run({ until: t0 + 10_000_000 });
    expect(d.crossings - before).toBe(1);
    const cbs = lab.sink.byFn('daemon_callback');
    expect(cbs.map((c) => c.t - t0)).toEqual([1_100_000, 1_100_000]);
  });

  it('malformed structs are the caller’s mistake: a TypeError naming the field', async () => {
    const lab = sandboxLab();
    await lab.start('r1', `
      const s = socket(AF_INET, SOCK_DGRAM, 0);
      for (const v of [{ imr_multiaddr: '239.1.1' }, { imr_multiaddr: 5 }])
        try { s.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, v as any) } catch (e) { log(e.name, e.message) }`);
    expect(lab.logs('r1')).toEqual([
      'TypeError setsockopt(): imr_multiaddr: "239.1.1" is not an IPv4 address',
      'TypeError setsockopt(): imr_multiaddr must be a dotted-quad address string, got number 5',
    ]);
  });

  it('errors are OSError with errno, code and the kernel’s text', async () => {
    const lab = sandboxLab();
    await lab.start('r1', `
      const a = socket(AF_INET, SOCK_DGRAM, 0); a.bind('0.0.0.0', 9000);
      const b = socket(AF_INET, SOCK_DGRAM, 0);
      try { b.bind('0.0.0.0', 9000) } catch (e) { log(e instanceof OSError, e.errno, e.code, e.syscall, e.message) }
      try { b.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: 0, vifc_lcl_addr: '10.0.12.1' }) } catch (e) { log(e.message) }
      try { socket(AF_INET, SOCK_RAW, 0) } catch (e) { log(e.message) }
      try { socket(10, SOCK_DGRAM, 0) } catch (e) { log(e.message) }`);
    expect(lab.logs('r1')).toEqual([
      'true 98 EADDRINUSE bind bind: Address already in use (EADDRINUSE)',
      'setsockopt(MRT_ADD_VIF): Operation not supported (EOPNOTSUPP)',
      'socket: Protocol not supported (EPROTONOSUPPORT)',
      'socket: Address family not supported by protocol (EAFNOSUPPORT)',
    ]);
    const exit = lab.sink.events.filter((e) => e.fn === 'sys_exit_bind').map((e) => e.data);
    expect(exit).toEqual([{ ret: 0 }, { ret: -98, errno: 'EADDRINUSE' }]);
  });

  it('timers run in simulated time: setTimeout, setInterval, clearTimeout, traced as daemon timers', async () => {
    const lab = sandboxLab();
    const t0 = lab.net.sim.now;
    await lab.start('r1', `
      const id = setTimeout(() => log('never'), 5);
      clearTimeout(id);
      let n = 0;
      const iv = setInterval((tag: string) => { log(tag, ++n, now()); if (n === 3) clearInterval(iv); }, 1000, 'tick');`);
    lab.net.sim.run({ until: t0 + 10_000_000_000 });
    expect(lab.logs('r1')).toEqual([`tick 1 ${t0 / 1e6 + 1000}`, `tick 2 ${t0 / 1e6 + 2000}`, `tick 3 ${t0 / 1e6 + 3000}`]);
    const kinds = lab.sink.events.filter((e) => e.fn === 'daemon_timer').map((e) => `${e.kind}:${e.data.id}`);
    expect(kinds).toEqual(['timer_arm:1', 'timer_cancel:1', 'timer_arm:2', 'timer_fire:2', 'timer_fire:2', 'timer_fire:2', 'timer_cancel:2']);
    const fire = lab.sink.events.find((e) => e.kind === 'timer_fire')!;
    expect(lab.sink.get(fire.parent!)!.kind).toBe('timer_arm');
  });

  it('a syntax error points at the student’s TypeScript line and column; nothing runs', async () => {
    const lab = sandboxLab();
    const d = await lab.start('r1', `log('a');\nconst x: number = ;\n`);
    expect(d.exit).toMatchObject({ reason: 'syntax', position: { file: 'r1.ts', line: 2, column: 19 } });
    expect(d.exit!.message).toBe('r1.ts:2:19: SyntaxError: Unexpected token');
    expect(lab.logs('r1')).toEqual([]);
  });

  it('runtime error positions are mapped through the type annotations that sucrase removed', async () => {
    const lab = sandboxLab();
    const src = [
      'interface Cfg { groups: string[] }',
      'function first(c: Cfg, i: number): string { return c.groups[i]!.toUpperCase(); }',
      'setTimeout(() => first({ groups: [] } as Cfg, 0), 1);',
    ].join('\n');
    const d = await lab.start('r1', src);
    lab.net.sim.run({ until: lab.net.sim.now + 5_000_000 });
    const col = src.split('\n')[1]!.indexOf('.toUpperCase') + 1;
    expect(d.exit?.position).toEqual({ file: 'r1.ts', line: 2, column: col });
    expect(d.exit?.message).toBe(`r1.ts:2:${col}: uncaught TypeError: cannot read property 'toUpperCase' of undefined (in a timer callback)`);
    expect(d.exit?.stack[0]).toBe(`at first (r1.ts:2:${col})`);
  });

  it('on exit the sockets close through the kernel: the port is free again and datagrams meet ICMP port unreachable', async () => {
    const lab = sandboxLab();
    const d = await lab.start('r1', ECHO + `setTimeout(() => { throw new Error('bye') }, 2);`);
    lab.net.sim.run({ until: lab.net.sim.now + 5_000_000 });
    expect(d.exit?.reason).toBe('exception');
    const exit = lab.sink.byFn('sched_process_exit')[0]!;
    const close = lab.sink.events.find((e) => e.fn === 'sys_enter_close')!;
    expect(close).toMatchObject({ parent: exit.seq, data: { fd: 3, on: 'exit' } });
    const r1 = lab.net.node('r1');
    expect(() => r1.ipv4.udp.create(r1).bind(0, 7000)).not.toThrow();
    const d2 = await lab.start('r2', `socket(AF_INET, SOCK_DGRAM, 0).sendto('x', '10.0.12.1', 7001);`);
    lab.net.sim.run({ until: lab.net.sim.now + 5_000_000 });
    expect(d2.running).toBe(true);
    expect(lab.sink.events.some((e) => e.node === 'r1' && e.fn === 'icmp_send')).toBe(true);
  });

  it('kill() stops a daemon from outside with the same exit path', async () => {
    const lab = sandboxLab();
    const d = await lab.start('r1', ECHO);
    d.kill('stopped by the lab');
    expect(d.exit).toMatchObject({ reason: 'killed', message: 'r1.ts: stopped by the lab' });
    expect(d.openSockets).toBe(0);
    sendTo(lab, [1]);
    lab.net.sim.run({ until: lab.net.sim.now + 5_000_000 });
    expect(lab.sink.byFn('daemon_callback')).toHaveLength(0);
  });

  it('the same daemon, lab and seed give the same trace fingerprint; Math.random follows the seed', async () => {
    const run = async (seed: number) => {
      const lab = sandboxLab(seed);
      await lab.start('r1', ECHO + `setInterval(() => log(Math.random(), Date.now()), 3);`);
      await lab.start('r2', `setTimeout(() => { for (;;) {} }, 4);`, { limits: { cpuChecksPerCallback: 30 } });
      sendTo(lab, [1, 2]);
      lab.net.sim.run({ until: lab.net.sim.now + 20_000_000 });
      return { fp: lab.net.sim.trace.fingerprint(), logs: lab.logs('r1') };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(a.fp).toBe(b.fp);
    expect(a.logs).toEqual(b.logs);
    expect(c.fp).not.toBe(a.fp);
    expect(c.logs[0]).not.toBe(a.logs[0]);
  });
});
