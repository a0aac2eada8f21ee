// The test's end of lab_driver.py: one Python process per namespace, asked synchronously (a daemon's
// setsockopt must answer before the guest goes on) over two FIFOs, pushing what its sockets receive on
// stdout, which arrives through the event loop. Every call has a deadline, so a dead driver fails the
// test instead of hanging it.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KernelError } from '../../../engine/net/errno.js';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'lab_driver.py');
const CALL_DEADLINE_MS = 10_000;
const live = new Set<NsDriver>();

/** A datagram a daemon socket received, as the driver pushes it. */
export interface Push {
  sid: number;
  raw?: string;
  udp?: string;
  ifindex: number;
  src?: string;
  sport?: number;
  dst?: string;
  dport?: number;
  ttl?: number;
  tos?: number;
}

const sleepMs = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export class NsDriver {
  private readonly proc: ChildProcess;
  private readonly dir: string;
  private readonly reqFd: number;
  private readonly respFd: number;
  private pending = '';
  private stdoutRest = '';
  private stderr = '';
  private closed = false;
  /** Where pushed datagrams go. */
  onPush: ((p: Push) => void) | null = null;

  constructor(readonly ns: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'rlw-labdrv-'));
    const req = join(this.dir, 'req');
    const resp = join(this.dir, 'resp');
    const mk = spawnSync('mkfifo', [req, resp], { encoding: 'utf8' });
    if (mk.status !== 0) throw new Error(`mkfifo: ${mk.stderr}`);
    this.proc = spawn('ip', ['netns', 'exec', ns, 'python3', '-u', DRIVER, req, resp], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this);
    // O_RDWR / O_NONBLOCK: neither open waits for the driver, and a read never blocks past the deadline.
    this.reqFd = openSync(req, constants.O_RDWR);
    this.respFd = openSync(resp, constants.O_RDONLY | constants.O_NONBLOCK);
    this.proc.stdout!.setEncoding('utf8');
    this.proc.stdout!.on('data', (chunk: string) => this.onStdout(chunk));
    this.proc.stderr!.setEncoding('utf8');
    this.proc.stderr!.on('data', (chunk: string) => void (this.stderr += chunk));
    this.call({ op: 'hello' });
  }

  private onStdout(chunk: string): void {
    this.stdoutRest += chunk;
    let nl: number;
    while ((nl = this.stdoutRest.indexOf('\n')) >= 0) {
      const line = this.stdoutRest.slice(0, nl);
      this.stdoutRest = this.stdoutRest.slice(nl + 1);
      if (line && this.onPush && !this.closed) this.onPush(JSON.parse(line) as Push);
    }
  }

  /** One request; its answer, or a KernelError with the kernel's errno. */
  call(req: Record<string, unknown>): unknown {
    if (this.closed) throw new Error(`driver in ${this.ns} is closed`);
    writeSync(this.reqFd, `${JSON.stringify(req)}\n`);
    const deadline = Date.now() + CALL_DEADLINE_MS;
    const buf = Buffer.alloc(65536);
    for (;;) {
      const nl = this.pending.indexOf('\n');
      if (nl >= 0) {
        const line = this.pending.slice(0, nl);
        this.pending = this.pending.slice(nl + 1);
        const a = JSON.parse(line) as { ok?: unknown; errno?: number };
        if (a.errno !== undefined) throw new KernelError(a.errno);
        return a.ok;
      }
      let n = 0;
      try {
        n = readSync(this.respFd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
      if (n > 0) {
        this.pending += buf.toString('utf8', 0, n);
        continue;
      }
      if (Date.now() > deadline || this.proc.exitCode !== null) throw new Error(`lab driver in ${this.ns} did not answer ${JSON.stringify(req).slice(0, 200)}: ${this.stderr.slice(-2000)}`);
      sleepMs(1);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    live.delete(this);
    this.proc.kill('SIGKILL');
    closeSync(this.reqFd);
    closeSync(this.respFd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** afterAll(): drivers a failing test left behind. */
export function closeAllDrivers(): void {
  for (const d of [...live]) d.close();
}
