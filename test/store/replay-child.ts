// The recording process the replay durability test kills: records an endless chain run (packets and
// timers through a few routers) with a SqliteSink and a ReplayRecorder into argv[2]; prints "R" when
// recording starts and "C SEQ" after each COMMIT (the last event seq it made durable).

import { ReplayRecorder } from '../../main/host/replay/recorder.js';
import { runRecorded } from '../../main/host/store/record.js';
import { SqliteSink } from '../../main/host/store/sqlite-sink.js';
import { replayChain } from './replay-scenario.js';

const file = process.argv[2]!;
const seed = Number(process.argv[3] ?? 1);
const net = replayChain(seed);
const sink = await SqliteSink.create(file, { lab: 'replay-durability', seed, profile: 'modern' }, {
  batchRows: 200,
  commitRows: 2000,
  flushIntervalMs: 0,
  onCommit: (m) => process.stdout.write(`C ${m.get('events') ?? 0}\n`),
});
net.sim.trace.addSink(new ReplayRecorder(net, sink, { snapshotEvery: 700 }));
net.sim.trace.addSink(sink);
process.stdout.write('R\n');
await runRecorded(net.sim, sink, Number.MAX_SAFE_INTEGER, 50);
