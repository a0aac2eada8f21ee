// Test helper: turns a run file written now back into what schema version 2 wrote (payloads inline in
// events.data, no payloads / state_parts tables, the version-2 `trace` view), for the migration tests.
import type { Database } from '../../../main/host/store/sqlite.js';
import { exec } from '../../../main/host/store/sqlite.js';

export async function backToVersionTwo(db: Database): Promise<void> {
  await exec(
    db,
    `UPDATE events SET data = (SELECT data FROM payloads WHERE id = events.payload) WHERE payload IS NOT NULL;
     DROP VIEW trace;
     ALTER TABLE events DROP COLUMN payload;
     DROP TABLE payloads;
     DROP TABLE state_parts;
     CREATE VIEW trace AS
       SELECT e.seq, e.t, n.name AS node, f.name AS fn, k.name AS kind, e.pkt, e.parent, coalesce(e.data, '{}') AS data
       FROM events e JOIN nodes n ON n.id = e.node JOIN fns f ON f.id = e.fn JOIN kinds k ON k.id = e.kind;
     PRAGMA user_version = 2;`,
  );
}
