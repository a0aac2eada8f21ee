import { describe, expect, it } from 'vitest';
import { buildChain, chainDuration, type ChainOptions } from '../../bench/chain.js';
import { MemorySink } from '../../../engine/sim/trace.js';
import { NSEC_PER_MSEC } from '../../../engine/sim/time.js';

const small: ChainOptions = { routers: 6, seed: 1, packets: 20, interval: 10 * NSEC_PER_MSEC, timerPeriod: 50 * NSEC_PER_MSEC };

function run(o: ChainOptions) {
  const { net, receiver } = buildChain(o);
  const sink = new MemorySink();
  net.sim.trace.addSink(sink);
  net.sim.run({ until: chainDuration(o) });
  return { fingerprint: net.sim.trace.fingerprint(), sink, receiver, events: net.sim.trace.eventCount };
}

describe('determinism', () => {
  it('the same scenario and seed give the same trace, byte for byte', () => {
    const a = run(small);
    const b = run(small);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(JSON.stringify(b.sink.events)).toBe(JSON.stringify(a.sink.events));
    expect(a.receiver.received).toHaveLength(20);
    // The datagrams crossed every router: TTL 255 minus 6 hops.
    expect(a.receiver.received[0]!.ttl).toBe(249);
  });

  it('a different seed changes the trace where randomness is used', () => {
    const a = run(small);
    const c = run({ ...small, seed: 2 });
    expect(c.fingerprint).not.toBe(a.fingerprint);
    // Randomness (MACs, timer jitter) differs, but the traffic is the same.
    expect(c.receiver.received).toHaveLength(20);
    const timerTimes = (r: typeof a) => r.sink.events.filter((e) => e.fn === 'hello_timer_expire').map((e) => e.t);
    expect(timerTimes(c)).not.toEqual(timerTimes(a));
  });

  it('every event but the roots has a parent that precedes it', () => {
    const a = run(small);
    for (const e of a.sink.events) if (e.parent !== null) expect(e.parent).toBeLessThan(e.seq);
    const rcv = a.sink.events.find((e) => e.fn === 'udp_queue_rcv_skb')!;
    const chain = a.sink.ancestors(rcv.seq).map((e) => e.fn);
    expect(chain[0]).toBe('udp_sendmsg');
    expect(chain.filter((f) => f === 'ip_forward')).toHaveLength(6);
  });
});
