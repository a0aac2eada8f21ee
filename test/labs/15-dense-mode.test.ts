// Lab 15: RPF rides on unicast routes; default routes are as good as prefix routes.

import { describe, expect, it } from 'vitest';
import { answered, failedChecks, loadLab } from './answers.js';

describe('15-dense-mode', () => {
  it('default routes pass; a route on r2 only leaves r3 unable to prune (ever) and to graft', async () => {
    const lab = loadLab('labs/15-dense-mode.yaml');
    const step = 'RPF needs unicast routes — then flood and prune';
    expect(await failedChecks(answered(lab, { [step]: ['r2: ip route add default via 10.0.12.1', 'r3: ip route add default via 10.0.13.1'] }), 2)).toEqual([]);
    expect(await failedChecks(answered(lab, { [step]: ['r2: ip route add 10.1.0.0/24 via 10.0.12.1'] }))).toEqual(['r3-rpf', 'r3-pruned', 'r1-pruned-eth2', 'pruned-again', 'r1-pruned-again', 'r3-grafted', 'rx3-got-5']);
  });
});
