// The app's live session recorded as a run file (SqliteSink + ReplayRecorder), so the trace pane can show
// any node's kernel state after any event (issue 10 §4) with the same code `workbench state` uses. One
// file per LabSession: a rebuild (reset, openLab, applyTopology) abandons and deletes the previous one;
// files left at exit are deleted too (they are scratch, not the student's work).

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureNode } from '../../engine/state/capture.js';
import type { LabSession } from './lab/session.js';
import { ReplayRecorder } from './replay/recorder.js';
import { ReplayReader } from './replay/state-at.js';
import { SqliteSink } from './store/sqlite-sink.js';
import { RunReader } from './store/run-reader.js';
import type { ExportedFile, ExportFormat, RecordingView, StateAtView } from './state-api.js';
import { exportRun } from './app-export.js';

export class RecordingUnavailable extends Error {}

const live = new Set<string>();
let exitHooked = false;
let serial = 0;

function removeRunFile(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const f of live) removeRunFile(f);
  });
}

const RUN_FILE = /^session-(\d+)-\d+-\d+\.sqlite(?:-wal|-shm|-journal)?$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes run files left in `dir` by app processes that are gone: a worker thread that is terminated
 * (the web server's shutdown) never runs its exit hook.
 */
export function removeStaleRunFiles(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = RUN_FILE.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** One session's recording: its run file, the sink writing it and a reader over it. */
export class AppRecording {
  private replay: ReplayReader | null = null;
  /** The reader under `replay` (exports read it directly: they want the real counts). */
  private run: RunReader | null = null;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly sink: SqliteSink,
    private readonly session: LabSession,
  ) {}

  /**
   * Starts recording `session` into a new file under `dir`. The events the session emitted before the
   * file was open (its startup commands) are copied first; the recorder's state starts after the last of
   * them (the first snapshot), which is where the student's actions begin.
   */
  static async start(session: LabSession, dir: string): Promise<AppRecording> {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `session-${process.pid}-${Date.now()}-${++serial}.sqlite`);
    hookExit();
    live.add(file);
    const sink = await SqliteSink.create(file, { lab: session.spec.name, seed: session.spec.seed, profile: session.spec.profile });
    for (const ev of session.trace.events) sink.event(ev);
    for (const p of session.trace.packets.values()) sink.packet(p);
    session.net.sim.trace.addSink(new ReplayRecorder(session.net, sink));
    session.net.sim.trace.addSink(sink);
    return new AppRecording(file, sink, session);
  }

  private async reader(): Promise<ReplayReader> {
    if (this.closed) throw new RecordingUnavailable('the session was rebuilt: its recording is gone');
    if (!this.replay) {
      this.run = await RunReader.open(this.file);
      // ReplayReader reads the run's status (one row), not its counts, before each seek of a live run.
      this.replay = ReplayReader.over(this.run);
    }
    return this.replay;
  }

  /**
   * Waits until the file holds the state after `seq`: the recorder writes it when event seq+1 arrives, in
   * rows committed before that event's (sqlite-sink.ts orders the replay tables before `events`). A run
   * just made is committed in batches for a while after it ends; a seek into its committed part need not
   * wait for the rest (a full flush of a 1M-event run took ~10 s).
   */
  private async committedThrough(seq: number): Promise<void> {
    if (this.sink.committed.seq < seq + 1) await this.sink.flush();
  }

  private lastSeq(): number {
    return this.session.trace.events.at(-1)?.seq ?? 0;
  }

  async view(): Promise<RecordingView> {
    await this.sink.flush();
    const r = await this.reader();
    const from = await r.replayableFrom();
    return { file: this.file, from, to: this.lastSeq() };
  }

  /**
   * `node`'s state after event `seq`. The file holds the state after event N once event N+1 arrived (the
   * recorder settles it then), so the state after the newest event is read from the live network,
   * which is exactly that state until the next event. Only that node's snapshot chunk and deltas are
   * read (ReplayReader.nodeAt): the app shows one node at a time.
   */
  async stateAt(seq: number, node: string): Promise<StateAtView> {
    if (this.closed) throw new RecordingUnavailable('the session was rebuilt: its recording is gone');
    const nodes = [...this.session.net.nodes.keys()];
    const last = this.lastSeq();
    if (seq > last) throw new RangeError(`seq ${seq} is past the last event of the session (${last})`);
    const t = this.session.trace.get(seq)?.t ?? 0;
    if (seq === last) {
      const ns = this.session.net.nodes.get(node);
      if (!ns) throw new RangeError(`no node "${node}" (nodes: ${nodes.join(', ')})`);
      return { seq, t, nodes, state: captureNode(ns), source: 'live' };
    }
    await this.committedThrough(seq);
    const state = await (await this.reader()).nodeAt(seq, node);
    return { seq, t, nodes, state, source: 'recording' };
  }

  /** The recording so far as a report, capture or CSV (every event up to now committed first). */
  async export(format: ExportFormat): Promise<ExportedFile> {
    await this.sink.flush();
    await this.reader();
    return exportRun(this.run!, format, this.session.spec.name);
  }

  /** Stops recording and deletes the file. */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.replay?.close();
      await this.run?.close();
      await this.sink.abandon();
    } finally {
      removeRunFile(this.file);
      live.delete(this.file);
    }
  }
}

/** The recording of whichever session is current; a failure to record leaves the lab working and is reported by the state calls. */
export class AppRecordings {
  private current: AppRecording | null = null;
  private failure: string | null = null;
  private swept = false;

  constructor(private readonly dir: string = join(tmpdir(), 'workbench-runs')) {}

  async attach(session: LabSession): Promise<void> {
    if (!this.swept) {
      this.swept = true;
      removeStaleRunFiles(this.dir);
    }
    const old = this.current;
    this.current = null;
    this.failure = null;
    await old?.discard().catch(() => undefined);
    try {
      this.current = await AppRecording.start(session, this.dir);
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
    }
  }

  get recording(): AppRecording {
    if (!this.current) throw new RecordingUnavailable(`the session is not recorded${this.failure ? `: ${this.failure}` : ''}`);
    return this.current;
  }

  async close(): Promise<void> {
    await this.current?.discard();
    this.current = null;
  }
}
