// Schema version 2 (replay state) reaches a version-1 run file by upgradeRunFile(): the replay tables
// appear, the t and kind indexes go, and the old run reads on (without replay state, which it never had).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplayReader } from '../../../main/host/replay/state-at.js';
import { RunReader, upgradeRunFile } from '../../../main/host/store/run-reader.js';
import { SCHEMA_VERSION } from '../../../main/host/store/schema.js';
import { all, closeDb, exec, openDb, OPEN_READWRITE } from '../../../main/host/store/sqlite.js';
import { SqliteSink } from '../../../main/host/store/sqlite-sink.js';
import { backToVersionTwo } from './version-two.js';

const dir = mkdtempSync(join(tmpdir(), 'rlw-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('schema version 2', () => {
  it('upgrades a version-1 file in place', async () => {
    const file = join(dir, 'v1.sqlite');
    const sink = await SqliteSink.create(file, { lab: 'old', seed: 1, profile: 'modern' }, { flushIntervalMs: 0 });
    for (let seq = 1; seq <= 50; seq++) sink.event({ seq, t: seq * 1000, node: 'r1', fn: 'ip_rcv', kind: seq % 2 ? 'rx' : 'call', pkt: null, parent: null, data: {} });
    await sink.close({ fingerprint: 'f', endedT: 50_000 });
    // Back to what version 1 wrote.
    const db = await openDb(file, OPEN_READWRITE);
    await backToVersionTwo(db);
    await exec(db, 'DROP TABLE snapshots; DROP TABLE state_deltas; DROP TABLE node_views; CREATE INDEX events_t ON events (t); CREATE INDEX events_kind ON events (kind); PRAGMA user_version = 1;');
    await closeDb(db);
    await expect(RunReader.open(file)).rejects.toThrow(/schema version 1; open it once with upgradeRunFile/);
    expect(await upgradeRunFile(file)).toBe(1);
    const check = await openDb(file, OPEN_READWRITE);
    const objects = (await all<{ name: string }>(check, "SELECT name FROM sqlite_master WHERE name LIKE 'events_%' OR name IN ('snapshots', 'state_deltas', 'node_views') ORDER BY name")).map((r) => r.name);
    await closeDb(check);
    expect(objects).toEqual(['events_fn', 'events_node', 'events_parent', 'events_pkt', 'node_views', 'snapshots', 'state_deltas']);
    const r = await RunReader.open(file);
    expect((await r.info()).schemaVersion).toBe(SCHEMA_VERSION);
    expect((await r.events({ kind: 'call', tFrom: 10_000, tTo: 20_000 })).map((e) => e.seq)).toEqual([10, 12, 14, 16, 18, 20]);
    const replay = ReplayReader.over(r);
    await expect(replay.stateAt(3)).rejects.toThrow(/recorded without replay state/);
    expect(await replay.seqAtTime(25_500)).toBe(25);
    expect(await replay.seqAtTime(999)).toBe(0);
    await r.close();
  });
});
