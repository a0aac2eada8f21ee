// The store under the real engine: a small router chain (UDP through every hop, timers), recorded
// while it runs, reads back as the engine emitted it.
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySink } from '../../../engine/sim/trace.js';
import { runRecorded } from '../../../main/host/store/record.js';
import { RunReader } from '../../../main/host/store/run-reader.js';
import { SqliteSink } from '../../../main/host/store/sqlite-sink.js';
import { buildChain, chainDuration } from '../../bench/chain.js';
import { tempRunFile, removeTempRuns } from '../../store/record-synthetic.js';

describe('recording the engine', () => {
  afterAll(removeTempRuns);

  it('stores a router chain run exactly, with its fingerprint, and ignores events after close', async () => {
    const o = { routers: 3, seed: 3, packets: 10, interval: 5_000_000, timerPeriod: 100_000_000 };
    const { net, receiver } = buildChain(o);
    const mem = new MemorySink();
    const file = tempRunFile();
    const sink = await SqliteSink.create(file, { lab: 'chain', seed: o.seed, profile: 'linux-6.1' }, { batchRows: 50, commitRows: 200, flushIntervalMs: 0 });
    net.sim.trace.addSink(mem);
    net.sim.trace.addSink(sink);
    await runRecorded(net.sim, sink, chainDuration(o), 7);
    const fingerprint = net.sim.trace.fingerprint();
    await sink.close({ fingerprint, endedT: net.sim.now });
    expect(receiver.received).toHaveLength(10);
    net.sim.trace.emit('r0', 'after_close', 'log');
    const r = await RunReader.open(file);
    try {
      expect(await r.info()).toMatchObject({ status: 'complete', fingerprint, endedT: chainDuration(o), events: mem.events.length - 1, packets: mem.packets.size });
      expect(await r.events({ limit: 1e6 })).toEqual(mem.events.slice(0, -1));
      expect(await r.packets({ limit: 1e6 })).toEqual([...mem.packets.values()].map((p) => ({ ...p, bytes: new Uint8Array(p.bytes) })));
      const delivered = mem.events.filter((e) => e.kind === 'deliver');
      expect(delivered.length).toBeGreaterThan(0);
      expect(await r.ancestors(delivered[0]!.seq)).toEqual(mem.ancestors(delivered[0]!.seq));
    } finally {
      await r.close();
    }
  });
});
