// The run the replay durability test records and kills: a short chain of routers with datagrams end to
// end and a jittered timer per router (test/bench/chain.ts), long enough never to end by itself.

import type { Network } from '../../engine/net/network.js';
import { NSEC_PER_MSEC } from '../../engine/sim/time.js';
import { buildChain } from '../bench/chain.js';

export function replayChain(seed: number): Network {
  return buildChain({ routers: 4, seed, packets: 1_000_000, interval: 2 * NSEC_PER_MSEC, timerPeriod: 50 * NSEC_PER_MSEC }).net;
}
