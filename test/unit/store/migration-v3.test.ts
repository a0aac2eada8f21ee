// Schema version 3 (snapshot parts) adds one table that only new recorders write: a version-2 run file —
// snapshots in the per-node format 'nodes+deflate' — opens and replays as it is, without a migration,
// and upgradeRunFile() brings it to version 3 (the table appears; its old snapshots still read).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSnapshot } from '../../../main/host/replay/snapshot-codec.js';
import { ReplayReader } from '../../../main/host/replay/state-at.js';
import { RunReader, upgradeRunFile } from '../../../main/host/store/run-reader.js';
import { SCHEMA_VERSION } from '../../../main/host/store/schema.js';
import { all, closeDb, openDb, OPEN_READWRITE, run } from '../../../main/host/store/sqlite.js';
import { SqliteSink } from '../../../main/host/store/sqlite-sink.js';
import { backToVersionTwo } from './version-two.js';

const dir = mkdtempSync(join(tmpdir(), 'rlw-migrate3-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A run file as version 2 wrote it: 10 events, a 'nodes+deflate' snapshot after event 4 and a delta at 6. */
async function versionTwoFile(file: string): Promise<void> {
  const sink = await SqliteSink.create(file, { lab: 'old', seed: 1, profile: 'modern' }, { flushIntervalMs: 0 });
  for (let seq = 1; seq <= 10; seq++) sink.event({ seq, t: seq * 1000, node: 'r1', fn: 'ip_rcv', kind: 'rx', pkt: null, parent: null, data: seq % 3 ? { len: seq % 2 } : {} });
  await sink.close({ fingerprint: 'f', endedT: 10_000 });
  const db = await openDb(file, OPEN_READWRITE);
  const { format, state } = encodeSnapshot([['r1', JSON.stringify({ node: 'r1', role: 'router', stats: { eth0: { rx_packets: 4 } } })]], true, 1);
  await run(db, 'INSERT INTO snapshots (seq, t, format, state) VALUES (4, 4000, ?, ?)', [format, state]);
  await run(db, 'INSERT INTO state_deltas (seq, node, patch) VALUES (6, 1, ?)', [JSON.stringify({ o: { stats: { o: { eth0: { o: { rx_packets: { '=': 6 } } } } } } })]);
  await backToVersionTwo(db);
  await closeDb(db);
}

const payloads = Array.from({ length: 10 }, (_, i) => ((i + 1) % 3 ? { len: (i + 1) % 2 } : {}));

describe('schema version 3', () => {
  it('reads a version-2 file as it is, and upgrades it in place', async () => {
    const file = join(dir, 'v2.sqlite');
    await versionTwoFile(file);
    for (const stage of ['as written', 'upgraded']) {
      const r = await RunReader.open(file);
      expect((await r.info()).schemaVersion, stage).toBe(stage === 'as written' ? 2 : SCHEMA_VERSION);
      // Payloads inline in events.data (version 2) read as before, through the reader and the trace view.
      expect((await r.events({ limit: 10 })).map((e) => e.data)).toEqual(payloads);
      expect((await r.query('SELECT data FROM trace ORDER BY seq')).rows.map((r) => JSON.parse(r['data'] as string))).toEqual(payloads);
      const replay = ReplayReader.over(r);
      expect((await replay.stateAt(5)).nodes['r1']!.stats).toEqual({ eth0: { rx_packets: 4 } });
      expect((await replay.nodeAt(7, 'r1')).stats).toEqual({ eth0: { rx_packets: 6 } });
      await r.close();
      if (stage === 'as written') expect(await upgradeRunFile(file)).toBe(2);
    }
    const check = await openDb(file, OPEN_READWRITE);
    const tables = (await all<{ name: string }>(check, "SELECT name FROM sqlite_master WHERE name = 'state_parts'")).map((r) => r.name);
    await closeDb(check);
    expect(tables).toEqual(['state_parts']);
  });
});
