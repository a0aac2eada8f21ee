// argv and readFile: a daemon gets its command line as C's argv and reads only the files the lab supplies
// to its node; a missing path fails as open(2) does (ENOENT), and the host's own files are never reachable.

import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB } from '../../../main/host/lab/default-lab.js';
import { LabSession } from '../../../main/host/lab/session.js';
import { sandboxLab } from './lab.js';

describe('argv', () => {
  it('is [file, ...args]', async () => {
    const lab = sandboxLab();
    await lab.start('r1', `log(JSON.stringify(argv))`, { file: 'smcroute.ts', args: ['-f', '/etc/x.conf', '-N'] });
    await lab.start('r2', `log(JSON.stringify(argv), Array.isArray(argv))`, { file: 'plain.ts' });
    expect(lab.logs('r1')).toEqual(['["smcroute.ts","-f","/etc/x.conf","-N"]']);
    expect(lab.logs('r2')).toEqual(['["plain.ts"] true']);
  });
});

describe('readFile', () => {
  const files = { '/etc/smcroute.conf': 'phyint eth0 enable\nmroute from eth0 group 239.1.1.1 to eth1\n', '/etc/empty': '' };
  const probe = (path: string): string => `try { log('ok', JSON.stringify(readFile(${JSON.stringify(path)}))); }
    catch (e) { log(e instanceof OSError, (e as OSError).name, (e as OSError).errno, (e as OSError).code, (e as OSError).syscall, (e as Error).message); }`;

  it('returns a supplied file’s content, empty files included', async () => {
    const lab = sandboxLab();
    await lab.start('r1', probe('/etc/smcroute.conf') + probe('/etc/empty'), { files });
    expect(lab.logs('r1')).toEqual([`ok ${JSON.stringify(files['/etc/smcroute.conf'])}`, 'ok ""']);
  });

  it('throws OSError ENOENT (syscall open) for any other path, host paths and prototype names included', async () => {
    const lab = sandboxLab();
    const paths = ['/etc/igmpproxy.conf', '/etc/passwd', 'etc/smcroute.conf', '__proto__', 'constructor', '/etc/smcroute.conf/'];
    await lab.start('r1', paths.map(probe).join('\n'), { files });
    expect(lab.logs('r1')).toEqual(paths.map((p) => `true OSError 2 ENOENT open open(${p}): No such file or directory (ENOENT)`));
  });

  it('with no files supplied every path is ENOENT; a non-string path is a TypeError', async () => {
    const lab = sandboxLab();
    const d = await lab.start('r1', `${probe('/etc/smcroute.conf')}\nreadFile(42 as unknown as string);`);
    expect(lab.logs('r1')).toEqual(['true OSError 2 ENOENT open open(/etc/smcroute.conf): No such file or directory (ENOENT)']);
    expect(d.exit?.reason).toBe('exception');
    expect(d.exit?.message).toMatch(/^r1\.ts:3:\d+: uncaught TypeError: readFile\(path\): path must be a string/);
  });

  it('a daemon cannot change what later reads return, nor see the host bridge', async () => {
    const lab = sandboxLab();
    await lab.start('r1', `const a = readFile('/etc/empty'); argv.push('x'); log(typeof (globalThis as any).__boot, readFile('/etc/empty') === a, argv.length)`, { files });
    expect(lab.logs('r1')).toEqual(['undefined true 2']);
  });

  it('passes through LabSession.startDaemon', async () => {
    const s = new LabSession(DEFAULT_LAB);
    await s.startDaemon('r1', { file: 'd.ts', source: `log(argv.join(' '), readFile('/etc/a'))`, args: ['-n'], files: { '/etc/a': 'A' } });
    expect(s.trace.byFn('daemon_log').map((e) => String(e.data.text))).toEqual(['d.ts -n A']);
  });
});
