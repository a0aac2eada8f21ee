// The recording process the durability test kills: records an endless synthetic run into argv[2] and
// prints, after each COMMIT, the last event seq and packet id it made durable ("C SEQ PKT"). "R" when
// recording starts.

import { SqliteSink } from '../../main/host/store/sqlite-sink.js';
import { runRecorded } from '../../main/host/store/record.js';
import { syntheticSim } from './synthetic.js';

const file = process.argv[2]!;
const seed = Number(process.argv[3] ?? 7);
const sim = syntheticSim({ journeys: 10_000_000, seed });
const sink = await SqliteSink.create(file, { lab: 'durability', seed, profile: 'linux-6.1' }, {
  batchRows: 200,
  commitRows: 2000,
  flushIntervalMs: 0,
  onCommit: (m) => process.stdout.write(`C ${m.get('events') ?? 0} ${m.get('packets') ?? 0}\n`),
});
sim.trace.addSink(sink);
process.stdout.write('R\n');
await runRecorded(sim, sink, Number.MAX_SAFE_INTEGER, 50);
