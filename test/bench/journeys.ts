// Group journey rows (`npm run bench`, or `node dist/test/bench/run.js journeys`): the chart of every
// datagram to a group (groupJourney) on a big run, charted in one pass over the packet records for all
// datagrams (TraceQuery.journeys) against the baseline, measured in the same run: TraceQuery.journey() once
// per datagram, each call scanning the whole packet table.
// The run: test/bench/labs/chain-40.yaml, BENCH_JOURNEY_PINGS echo requests from h1 through the 40 routers
// (~82 packet records each: every forwarded copy is a record), then 40 pings from h1 to 239.1.1.1 (each a
// root to the group). Both sides use an index that has already seen the trace, so the rows time the
// journeys alone.

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppService } from '../../main/host/app-service.js';
import { groupJourney, MAX_GROUP_PACKETS } from '../../main/host/group-journey.js';
import { openLabFile } from '../../main/host/lab/open-lab.js';
import { TraceQuery } from '../../main/host/trace-query.js';
import { ROOT } from './web-harness.js';

const PINGS = Number(process.env.BENCH_JOURNEY_PINGS ?? 1340);
const GROUP = '239.1.1.1';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function journeyBench(reps = Number(process.env.BENCH_REPS ?? 5)): Promise<void> {
  const r = openLabFile(join(ROOT, 'test', 'bench', 'labs', 'chain-40.yaml'));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  const s = new AppService(r.spec);
  const unicast = await s.runCommand({ node: 'h1', line: `ping -c ${PINGS} -i 0.01 -q 10.0.40.2` });
  if (unicast.rc !== 0) throw new Error(`ping 10.0.40.2: ${unicast.stdout}${unicast.stderr}`);
  await s.runCommand({ node: 'h1', line: `ping -c ${MAX_GROUP_PACKETS} -i 0.01 -q ${GROUP}` });
  const sink = s.session.trace;
  const q = new TraceQuery(sink);
  const req = { group: GROUP };
  const batched = groupJourney(sink, req, q); // warm-up; builds the per-packet event index both sides use
  const perRoot = groupJourney(sink, req, (p) => q.journey(p));
  if (JSON.stringify(batched) !== JSON.stringify(perRoot)) throw new Error('the batched group journey differs from the per-datagram one');
  if (batched.group?.shown !== MAX_GROUP_PACKETS) throw new Error(`expected ${MAX_GROUP_PACKETS} datagrams to ${GROUP}, charted ${batched.group?.shown}`);
  const time = (f: () => unknown): number => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const one = Array.from({ length: reps }, () => time(() => groupJourney(sink, req, q)));
  const each = Array.from({ length: reps }, () => time(() => groupJourney(sink, req, (p) => q.journey(p))));
  const a = median(one);
  const b = median(each);
  console.log(`\nGroup journey benchmark (${reps} runs, median): ${sink.events.length.toLocaleString('en-US')} events, ${sink.packets.size.toLocaleString('en-US')} packet records, ${MAX_GROUP_PACKETS} datagrams to ${GROUP}`);
  console.log('| scenario | median ms | baseline | baseline ms | speed-up |');
  console.log('|---|---|---|---|---|');
  console.log(`| group journey, one pass (TraceQuery.journeys) | ${a.toFixed(1)} | journey() per datagram | ${b.toFixed(1)} | ${(b / a).toFixed(1)}x |`);
}
