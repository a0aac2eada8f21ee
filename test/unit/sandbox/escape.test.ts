// The escape suite: untrusted daemon code tries to reach the host, hang it or crash it. Every attempt must be
// contained — the daemon stopped with a clear reason, or the call failing with a clear error inside the
// guest — and a second daemon on another node must keep running while the simulation goes on.

import { describe, expect, it } from 'vitest';
import type { Daemon, ExitReason } from '../../../main/host/sandbox/daemon.js';
import { sandboxLab, type SandboxLab } from './lab.js';

const TIGHT = { cpuChecksPerCallback: 40, cpuChecksForStart: 80, memoryBytes: 16 * 1024 * 1024 };
const HEARTBEAT = `let n = 0; setInterval(() => log('beat', ++n), 10);`;

interface Outcome {
  lab: SandboxLab;
  d: Daemon;
  logs: string[];
}

/** Starts `source` on r1 next to a heartbeat daemon on r2, runs 100 ms of simulated time, checks r2 lived. */
async function attempt(source: string): Promise<Outcome> {
  const lab = sandboxLab();
  const hb = await lab.start('r2', HEARTBEAT);
  const d = await lab.start('r1', source, { limits: TIGHT });
  const t0 = lab.net.sim.now;
  lab.net.sim.run({ until: t0 + 100_000_000 });
  expect(lab.net.sim.now).toBe(t0 + 100_000_000);
  expect(hb.running).toBe(true);
  expect(lab.logs('r2')).toContain('beat 10');
  // The host realm is untouched whatever the guest did to its own.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(typeof process.exit).toBe('function');
  return { lab, d, logs: lab.logs('r1') };
}

async function stopped(source: string, reason: ExitReason, line?: number): Promise<Outcome> {
  const o = await attempt(source);
  expect(o.d.running, `still running; logs: ${o.logs.join(' | ')}`).toBe(false);
  expect(o.d.exit!.reason, o.d.exit!.message).toBe(reason);
  if (line !== undefined) expect(o.d.exit!.position?.line, o.d.exit!.message).toBe(line);
  expect(o.lab.sink.byFn('sched_process_exit').filter((e) => e.node === 'r1')).toHaveLength(1);
  return o;
}

async function contained(source: string, expected: string | RegExp): Promise<Outcome> {
  const o = await attempt(source);
  expect(o.d.exit?.message ?? null).toBeNull();
  expect(o.logs.join('\n')).toMatch(typeof expected === 'string' ? new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : expected);
  return o;
}

describe('escape suite: reaching the host', () => {
  it('1. no Node globals: process, Buffer, global, fetch, setImmediate, WebAssembly', async () => {
    await contained(`log([typeof process, typeof Buffer, typeof global, typeof fetch, typeof setImmediate, typeof WebAssembly].join())`, 'undefined,undefined,undefined,undefined,undefined,undefined');
  });

  it('2. require() is the sandbox’s refusal, not Node’s', async () => {
    await contained(`try { require('fs') } catch (e) { log('refused:', e.message) }`, 'refused: import "fs": a daemon runs in a sandbox without modules');
  });

  it('3. a static import of a Node module stops the daemon at the import line', async () => {
    const o = await stopped(`// line 1\nimport { readFileSync } from 'fs';\nlog(readFileSync('/etc/passwd'));`, 'exception', 2);
    expect(o.d.exit!.message).toContain('sandbox without modules');
  });

  it('4. dynamic import() rejects', async () => {
    await contained(`import('child_process').then(() => log('loaded'), (e) => log('rejected', String(e.message)))`, 'rejected');
  });

  it('5. Function("return this")() is the guest’s own global', async () => {
    await contained(`const g = Function('return this')(); log(g === globalThis, typeof g.process, typeof g.__host)`, 'true undefined undefined');
  });

  it('6. indirect eval sees the same sandboxed global', async () => {
    await contained(`log((0, eval)('typeof process + typeof require.cache + typeof globalThis.__constants'))`, 'undefinedundefinedundefined');
  });

  it('7. constructor chains from API functions end in the guest’s Function', async () => {
    await contained(`const F = log.constructor.constructor; log(F === Function, F('return typeof process')(), socket.constructor('return typeof module.exports.require')())`, 'true undefined undefined');
  });

  it('8. constructor chains from values the host returned (interfaces, ip) are guest objects', async () => {
    await contained(
      `const i = interfaces(); const r = ip('link show lo');
       log(Object.getPrototypeOf(i) === Array.prototype, Object.getPrototypeOf(i[0]) === Object.prototype, i[0].constructor.constructor('return typeof process')(), r.constructor === Object)`,
      'true true undefined true',
    );
  });

  it('9. OSError objects carry no host references', async () => {
    await contained(
      `try { socket(AF_INET, 99, 0) } catch (e) { log(e instanceof OSError, e.code, Object.keys(e).sort().join(), e.constructor.constructor('return typeof process')()) }`,
      'true EINVAL code,errno,name,syscall undefined',
    );
  });

  it('10. the bridge function is gone from the global object', async () => {
    await contained(`log(typeof __host, 'in:', '__host' in globalThis, Object.getOwnPropertyNames(globalThis).filter((k) => k.startsWith('__')).join() || 'none')`, 'undefined in: false none');
  });

  it('11. a walk of every global and prototype finds nothing of the host', async () => {
    await contained(
      `const seen = new Set(); const hits = [];
       const walk = (o, path, depth) => {
         if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || depth > 4) return;
         seen.add(o);
         for (const k of Reflect.ownKeys(o)) {
           const name = String(k);
           if (/^(process|Buffer|__host|__constants|setImmediate|fetch|cache|mainModule)$/.test(name) || (path === 'globalThis' && name === 'global')) hits.push(path + '.' + name);
           let v; try { v = o[k] } catch (e) { continue }
           walk(v, path + '.' + name, depth + 1);
         }
         walk(Object.getPrototypeOf(o), path + '.__proto__', depth + 1);
       };
       walk(globalThis, 'globalThis', 0);
       log('hits:', hits.join() || 'none', seen.size > 100)`,
      'hits: none true',
    );
  });

  it('12. polluting Object.prototype stays in the guest realm', async () => {
    await contained(`Object.prototype.polluted = 1; Array.prototype.map = () => { throw new Error('x') }; log('polluted', ({}).polluted, interfaces().length > 0)`, 'polluted 1 true');
  });

  it('13. replacing JSON in the guest does not change what the API sends', async () => {
    await contained(`JSON.stringify = () => '["evil"]'; JSON.parse = () => ({ v: 'forged' }); log('still', interfaces()[0].name)`, 'still lo');
  });

  it('14. Object.prototype.toJSON hijacking the arguments is rejected by the host', async () => {
    await contained(`Object.prototype.toJSON = function () { return 'x' }; try { log('hello') } catch (e) { log2 = e } ; delete Object.prototype.toJSON; log('after:', log2.name, log2.message)`.replace('log2', 'globalThis.log2').replace('log2.name', 'globalThis.log2.name').replace('log2.message', 'globalThis.log2.message'), 'after: TypeError bad call');
  });

  it('15. a forged socket (another fd) answers EBADF', async () => {
    await contained(
      `const u = socket(AF_INET, SOCK_DGRAM, 0); const set = Object.getPrototypeOf(u).setsockopt;
       try { set.call({ fd: 999 }, IPPROTO_IP, IP_TTL, 5) } catch (e) { log(e.code, e.message) }`,
      'EBADF setsockopt(IP_TTL): Bad file descriptor (EBADF)',
    );
  });
});

describe('escape suite: hostile values across the bridge', () => {
  it('16. a Proxy given to setsockopt traps inside the guest only', async () => {
    await contained(
      `const u = socket(AF_INET, SOCK_DGRAM, 0);
       const p = new Proxy({}, { ownKeys() { throw new Error('trap ran in the guest') } });
       try { u.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, p) } catch (e) { log(e.message) }`,
      'trap ran in the guest',
    );
  });

  it('17. a getter that throws in an ip_mreqn', async () => {
    await contained(
      `const u = socket(AF_INET, SOCK_DGRAM, 0);
       try { u.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { get imr_multiaddr() { throw new RangeError('getter') } }) } catch (e) { log(e.name, e.message) }`,
      'RangeError getter',
    );
  });

  it('18. a toJSON that never returns is stopped by the CPU budget', async () => {
    await stopped(`const u = socket(AF_INET, SOCK_DGRAM, 0);\nu.setsockopt(IPPROTO_IP, IP_TTL, { toJSON() { for (;;) {} } });`, 'cpu', 2);
  });

  it('19. a huge string across the bridge is refused with a clear error', async () => {
    await contained(`try { log('x'.repeat(3e6)) } catch (e) { log(e.name + ': ' + e.message) }`, /TypeError: arguments too large \(\d+ bytes of JSON; the limit is 1048576\)/);
  });

  it('20. a huge array across the bridge is refused', async () => {
    await contained(`try { ip(...new Array(300000).fill('link')) } catch (e) { log('refused', e.name) }`, /refused (TypeError|RangeError|InternalError)/);
  });

  it('21. deeply nested structures are refused before the host parses them', async () => {
    await contained(
      `let v = 1; for (let i = 0; i < 200; i++) v = [v];
       const u = socket(AF_INET, SOCK_DGRAM, 0);
       try { u.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: v }) } catch (e) { log(e.message) }`,
      'nested deeper than 32 levels',
    );
  });

  it('22. wrong types get a TypeError, not a host crash', async () => {
    await contained(
      `const u = socket(AF_INET, SOCK_DGRAM, 0); const out = [];
       for (const f of [() => u.bind(12, 5), () => u.sendto(new Uint8Array(1), 'not-an-ip', 5), () => u.sendto({}, '1.2.3.4', 5), () => setTimeout(() => {}, NaN), () => ip(1, 2)])
         try { f() } catch (e) { out.push(e.name) }
       log(out.join())`,
      'TypeError,TypeError,TypeError,TypeError,TypeError',
    );
  });

  it('23. valueOf traps on numbers are evaluated in the guest', async () => {
    await contained(`const u = socket(AF_INET, SOCK_DGRAM, 0); try { u.bind('0.0.0.0', { valueOf() { throw new Error('valueOf') } }) } catch (e) { log(e.name) }`, 'TypeError');
  });
});

describe('escape suite: exhausting CPU, memory and stack', () => {
  it('24. while(true){} at the top level', async () => {
    // QuickJS records source positions at calls and throws only, so a loop is placed at its function.
    const o = await stopped(`log('before');\nwhile (true) {}`, 'cpu');
    expect(o.d.exit!.message).toMatch(/^r1\.ts:1:\d+: stopped: the top level exceeded its CPU budget of 80 interrupt checks/);
  });

  it('25. while(true){} inside a timer', async () => {
    const o = await stopped(`setTimeout(() => {\n  for (;;) {}\n}, 20);`, 'cpu', 1);
    expect(o.d.exit!.message).toContain('a timer callback exceeded its CPU budget of 40');
    expect(o.d.exit!.at).toBe(20_000_000);
  });

  it('26. catching the interrupt does not help', async () => {
    await stopped(`for (;;) {\n  try { for (;;) {} } catch (e) { log('caught') }\n}`, 'cpu');
  });

  it('27. nor does a finally block that loops again', async () => {
    await stopped(`try { for (;;) {} } finally {\n  for (;;) {}\n}`, 'cpu');
  });

  it('28. a 1 GB allocation', async () => {
    await stopped(`log('allocating');\nconst b = new ArrayBuffer(1024 * 1024 * 1024);`, 'memory', 2);
  });

  it('29. a 1 GB allocation caught by the daemon fails the allocation only', async () => {
    await contained(`try { new Uint8Array(1 << 30) } catch (e) { log('failed:', e.message) } setTimeout(() => log('alive'), 5)`, /failed: out of memory[\s\S]*alive/);
  });

  it('30. memory growth by many small objects', async () => {
    await stopped(`const keep = [];\nfor (;;) keep.push({ a: [1, 2, 3], b: 'x' + keep.length });`, 'memory');
  });

  it('31. a huge string built by doubling', async () => {
    const o = await attempt(`let s = 'x';\nfor (;;) s += s;`);
    expect(o.d.running).toBe(false);
    expect(['memory', 'exception']).toContain(o.d.exit!.reason);
    expect(o.d.exit!.position?.line).toBe(2);
  });

  it('32. deep recursion', async () => {
    await stopped(`function f(n: number): number {\n  return f(n + 1) + 1;\n}\nf(0);`, 'stack', 2);
  });

  it('33. deep recursion through the bridge', async () => {
    await stopped(`function f(n: number): number {\n  log(n);\n  return f(n + 1);\n}\nsetTimeout(() => f(0), 1);`, 'stack');
  });

  it('34. a flood of timers hits the timer limit', async () => {
    await stopped(`for (;;) setTimeout(() => {}, 1000);`, 'exception');
  });

  it('35. a zero-delay interval cannot freeze simulated time', async () => {
    const o = await contained(`let n = 0; setInterval(() => { n++ }, 0); setTimeout(() => log('ticks', n), 50);`, /ticks (49|50)$/);
    expect(o.d.running).toBe(true);
  });
});

describe('escape suite: throwing strange things', () => {
  it('36. throw 42', async () => {
    const o = await stopped(`setTimeout(() => {\n  throw 42;\n}, 1);`, 'exception');
    expect(o.d.exit!.message).toContain('uncaught thrown number: 42 (in a timer callback)');
  });

  it('37. throw null and throw undefined', async () => {
    expect((await stopped(`throw null;`, 'exception')).d.exit!.message).toContain('thrown null');
    expect((await stopped(`throw undefined;`, 'exception')).d.exit!.message).toContain('thrown undefined');
  });

  it('38. a thrown object whose getters loop', async () => {
    const o = await stopped(`throw { get name() { for (;;) {} }, get message() { for (;;) {} } };`, 'exception');
    expect(o.d.exit!.message).toContain('a thrown object without a readable message');
  });

  it('39. a thrown Proxy whose traps throw', async () => {
    const o = await stopped(`throw new Proxy({}, { get() { throw new Error('trap') } });`, 'exception');
    expect(o.d.exit!.message).toMatch(/^r1\.ts: uncaught Error:/);
  });

  it('40. an error with a 10 MB message', async () => {
    const o = await stopped(`throw new Error('m'.repeat(1e7));`, 'exception');
    expect(o.d.exit!.message.length).toBeLessThan(300);
  });

  it('41. a rejected promise does not stop the daemon, an error in a then-callback chain neither', async () => {
    await contained(`Promise.reject(new Error('nobody catches me')); Promise.resolve().then(() => log('then ran'));`, 'then ran');
  });
});

describe('escape suite: the clock', () => {
  it('42. Date and Date.now are simulated, also through the prototype’s constructor', async () => {
    await contained(`setTimeout(() => log(Date.now(), new Date().getTime(), new Date().constructor.now(), now()), 7)`, '7 7 7 7');
  });
});
